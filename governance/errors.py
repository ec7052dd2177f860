"""One exception hierarchy for the domain.

The CLI and the portal turn these into a one-line message (exit code 2) or an HTTP
status; anything that is *not* a :class:`GovernError` is a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from scanners.wording import Value, Wording, worded


class GovernError(Exception):
    """Root of every error Govern raises on purpose; ``message`` is fit to show a user.

    ``msgid`` and ``params`` (optional) let a face translate the message when it renders it,
    so no translated text is ever stored or raised: ``message == msgid % params`` in English.
    """

    http_status = 500

    def __init__(
        self, message: str, *, msgid: str | None = None, params: Mapping[str, object] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.msgid = msgid
        self.params: dict[str, object] = dict(params or {})

    @property
    def wording(self) -> Wording | None:
        """``msgid`` and ``params`` as the value Govern stores beside an English text (a failed
        sync's message), or None for a message raised without a msgid."""
        if self.msgid is None:
            return None
        return Wording(self.msgid, tuple((name, _value(value)) for name, value in self.params.items()))


def _value(value: object) -> Value:
    """A parameter as a wording keeps it: a number or nested wording as is, anything else as text."""
    return value if isinstance(value, (str, int, float, Wording)) else str(value)


E = TypeVar("E", bound=GovernError)


def said(kind: type[E], msgid: str, **params: object) -> E:
    """An error of ``kind`` whose message a face can translate.

    ``raise said(NotFound, "unknown waiver #%(id)s", id=7)``: the CLI and the API show the
    English ``message``; the portal renders ``msgid`` in the reader's language with ``params``.
    """
    return kind(msgid % params, msgid=msgid, params=params)


class UserError(GovernError):
    """The caller asked for something wrong; nothing was changed."""

    http_status = 400


class InvalidInput(UserError):
    """A value is malformed (bad cron expression, unknown role, bad file)."""

    http_status = 422


class NotFound(UserError):
    """A named thing (vendor, module, user, requirement) does not exist."""

    http_status = 404


class AlreadyExists(UserError):
    """A key that must be unique is taken."""

    http_status = 409


class Conflict(UserError):
    """The request clashes with the current state (e.g. an illegal transition)."""

    http_status = 409


class PermissionDenied(UserError):
    """The actor may not do this."""

    http_status = 403


class Unauthenticated(UserError):
    """No valid credentials were presented."""

    http_status = 401


class DatabaseUnavailable(GovernError):
    """The configured database cannot be reached or opened."""

    http_status = 503


class ExternalFailure(GovernError):
    """Something outside Govern failed (a vendor remote, a tool, a webhook target)."""

    http_status = 502


class MirrorSyncFailed(ExternalFailure):
    """A vendor remote could not be mirrored (down, wrong URL, refused, empty); the mirror is unchanged."""


class MirrorBusy(Conflict):
    """Another process holds the mirror's lock (a sync or a push is running)."""


class GitFailure(ExternalFailure):
    """A local git command on a mirror failed (a corrupt mirror or a missing object)."""


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file: where (row, column) and why.

    Files are validated whole, so one error can carry every problem and the user fixes
    them all in one pass instead of one per attempt. ``reason`` is a :class:`Wording` (made with
    :func:`worded`, like :func:`said`'s messages) so the portal shows the line in the reader's
    language; ``str()`` is the English line the CLI prints. A plain-text reason (a tool's own
    words) is shown as written.
    """

    reason: str | Wording
    row: int | None = None
    column: str | None = None

    @property
    def wording(self) -> Wording:
        """The whole line, its place ("row 3, column Title") and its reason, as one wording."""
        reason = self.reason if isinstance(self.reason, Wording) else Wording.verbatim(self.reason)
        if self.row is not None and self.column:
            return worded(
                "row %(row)s, column %(column)s: %(reason)s", row=self.row, column=self.column, reason=reason
            )
        if self.row is not None:
            return worded("row %(row)s: %(reason)s", row=self.row, reason=reason)
        if self.column:
            return worded("column %(column)s: %(reason)s", column=self.column, reason=reason)
        return reason

    def __str__(self) -> str:
        return str(self.wording)


class RejectedFile(InvalidInput):
    """An input file was refused as a whole; ``problems`` lists every problem found.

    The message (English, for the CLI and the API) is ``heading`` and then, when there are
    several, one line per problem; the portal renders ``heading`` and the problems it does not
    already name (:attr:`listed`) in the reader's language, each from its wording.
    """

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems: tuple[Problem, ...] = tuple(problems)
        if len(self.problems) == 1:
            self.heading = worded(
                "%(source)s: nothing imported: %(problem)s", source=source, problem=self.problems[0].wording
            )
            super().__init__(str(self.heading))
            return
        self.heading = worded(
            "%(source)s: nothing imported, %(count)s problems:", source=source, count=len(self.problems)
        )
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{self.heading}\n{lines}")

    @property
    def listed(self) -> tuple[Problem, ...]:
        """The problems shown below ``heading`` (none when the heading names the only one)."""
        return self.problems if len(self.problems) > 1 else ()
