"""Errors of the standards library, each located in the file that caused it.

A person who edits a standard or a profile must be told *where* the mistake is, not be
shown a traceback: every error carries the file path, the 1-based line and a message fit
to show. The CLI maps these onto Govern's own error hierarchy (``standards/`` may not
import ``governance/``).
"""

from __future__ import annotations


class StandardError(Exception):
    """A problem in a standard or profile file: ``path:line: message``.

    ``errors`` holds every problem found in the same file (this one first), so a caller
    that wants them all (``govern standards check``) needs only one ``except``.
    """

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message
        self.errors: tuple[StandardError, ...] = (self,)

    def __eq__(self, other: object) -> bool:
        """Errors are values: same place and message means the same error (for tests)."""
        if not isinstance(other, StandardError):
            return NotImplemented
        return (self.path, self.line, self.message) == (other.path, other.line, other.message)

    def __hash__(self) -> int:
        return hash((self.path, self.line, self.message))

    @classmethod
    def from_list(cls, errors: list[StandardError]) -> StandardError:
        """The first error, carrying all of them, ready to raise."""
        first = errors[0]
        first.errors = tuple(errors)
        return first


class ProfileError(StandardError):
    """A problem in a profile: unknown standard/rule, bad override, ``extends`` cycle."""
