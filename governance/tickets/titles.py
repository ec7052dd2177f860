"""The titles of tickets a scan opens: one wording per cause, stored with its values.

A ticket keeps its English title as written (API, audit trail, notices) and, beside it, the
values that filled the wording (``title_args``). A page translates the wording, not the
finished sentence, so a zh-CN reader sees the title in Chinese; a ticket whose title a person
wrote (or one opened before the values were kept) is shown as written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from governance.tickets.models import Ticket, TicketCause

#: The wordings, also the msgids the portal's catalogues translate (``portal/locale/*/tickets.po``).
TITLES: dict[str, str] = {
    TicketCause.gate_failed.value: "Gate failed at {commit}: fix the findings behind it",
    TicketCause.new_findings.value: "New findings at {floor} or above since {commit}",
}


def written(cause: TicketCause, args: Mapping[str, str]) -> str:
    """The stored (English) title."""
    return TITLES[cause.value].format(**args)


def shown(ticket: Ticket, translate: Callable[[str], str]) -> str:
    """The title in the reader's language: the wording and a severity value translated."""
    wording = TITLES.get(ticket.cause)
    args = ticket.title_args
    if wording is None or not args:
        return ticket.title
    values = {key: translate(value) if key == "floor" else value for key, value in args.items()}
    try:
        return translate(wording).format(**values)
    except (KeyError, IndexError, ValueError):  # a catalogue that lost a placeholder
        return ticket.title
