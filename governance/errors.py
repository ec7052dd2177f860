"""One exception hierarchy for the domain.

The CLI and the portal turn these into a one-line message (exit code 2) or an HTTP
status; anything that is *not* a :class:`GovernError` is a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar


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
    them all in one pass instead of one per attempt.
    """

    reason: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"row {self.row}" if self.row is not None else "",
                f"column {self.column}" if self.column else "",
            )
            if part
        )
        return f"{where}: {self.reason}" if where else self.reason


class RejectedFile(InvalidInput):
    """An input file was refused as a whole; ``problems`` lists every problem found."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems: tuple[Problem, ...] = tuple(problems)
        if len(self.problems) == 1:
            super().__init__(f"{source}: nothing imported: {self.problems[0]}")
            return
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{source}: nothing imported, {len(self.problems)} problems:\n{lines}")
