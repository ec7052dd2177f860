"""The titles of tickets a scan opens: one wording per cause, stored with its values.

A ticket keeps its English title as written (API, audit trail, CLI) and, beside it, the values
that filled the wording (``title_args``). A human face (a page, a notice) translates the
wording, not the finished sentence, so a zh-CN reader sees the title in Chinese; a ticket whose
title a person wrote (or one opened before the values were kept) is shown as written.

The wordings are :class:`scanners.wording.Wording` msgids, translated in the one wordings
catalogue (``scanners/locale``) that the portal merges and the notices read: the domain
cannot read the portal's catalogues, and a title must read the same on the page and in the
e-mail.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from governance.tickets.models import Ticket, TicketCause
from scanners.severity import SEVERITY_WORDINGS
from scanners.wording import Wording, in_language, worded

GATE_FAILED = "Gate failed at %(commit)s: fix the findings behind it"
NEW_FINDINGS = "New findings at %(floor)s or above since %(commit)s"


def wording(cause: str, args: Mapping[str, str] | None) -> Wording | None:
    """The title's wording for a scan-opened ticket; None for a title a person wrote, a ticket
    from before the values were kept, or values that do not fit (shown as stored)."""
    if not args or "commit" not in args:
        return None
    if cause == TicketCause.gate_failed.value:
        return worded(GATE_FAILED, commit=args["commit"])
    floor = SEVERITY_WORDINGS.get(str(args.get("floor")))
    if cause == TicketCause.new_findings.value and floor is not None:
        return worded(NEW_FINDINGS, floor=floor, commit=args["commit"])
    return None


def written(cause: TicketCause, args: Mapping[str, str]) -> str:
    """The stored (English) title."""
    found = wording(cause.value, args)
    if found is None:
        raise ValueError(f"no title wording for {cause.value} with {sorted(args)}")
    return str(found)


def shown(ticket: Ticket, translate: Callable[[str], str]) -> str:
    """The title in the language of ``translate`` (a gettext function)."""
    return in_language(ticket.title, wording(ticket.cause, ticket.title_args), translate)
