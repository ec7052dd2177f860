"""The one severity scale every scanner, standard and report uses, most severe first."""

from __future__ import annotations

from typing import Literal

from scanners.wording import Wording, worded

Severity = Literal["blocker", "critical", "major", "minor", "info"]
SEVERITIES: tuple[Severity, ...] = ("blocker", "critical", "major", "minor", "info")

#: Each severity as a word inside a sentence Govern writes (a ticket's title), so a human face
#: translates it with the sentence.
SEVERITY_WORDINGS: dict[str, Wording] = {
    "blocker": worded("blocker"),
    "critical": worded("critical"),
    "major": worded("major"),
    "minor": worded("minor"),
    "info": worded("info"),
}
