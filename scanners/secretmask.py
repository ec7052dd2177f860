"""The one way Govern hides a detected secret value wherever it shows text.

A finding about a hard-coded secret is useful only if the secret itself stays hidden:
bandit's messages quote the literal ("Possible hardcoded password: '<the value>'") and the
finding page shows the source line. Every face (finding rows, hence pages, API, exports,
scan JSON and SARIF; the source snippet on the finding page) passes such text through
:func:`mask_line`, which keeps a short prefix so a person can still tell which value is
meant ("Fi******") without learning it. The mask has a fixed length, so it does not even
tell the secret's length.
"""

from __future__ import annotations

import fnmatch
import re

#: Characters of a secret value left visible.
PREFIX = 2
#: What replaces the rest (fixed length: the length of the secret is not shown either).
MASK = "******"
#: Govern rule ids whose findings are about a secret value (globs over ``<scanner>:<rule>``).
SECRET_RULES: tuple[str, ...] = (
    "secrets:*",
    "bandit:B105",
    "bandit:B106",
    "bandit:B107",
    "ruff:S105",  # ruff's twins of B105-B107, reported under their own ids
    "ruff:S106",
    "ruff:S107",
)

_QUOTED = re.compile(r"""(?P<quote>['"])(?P<value>(?:\\.|(?!(?P=quote)).)+?)(?P=quote)""")
#: ``KEY=value`` / ``key: value`` without quotes (.env, YAML, INI, properties files).
_ASSIGNED = re.compile(r"(?P<lead>[=:]\s*)(?P<value>[^\s'\",;#][^\s'\",;#]{3,})")


def is_secret_rule(rule: str) -> bool:
    """Whether findings of ``rule`` (``bandit:B105``) are about a secret value."""
    return any(fnmatch.fnmatchcase(rule, pattern) for pattern in SECRET_RULES)


def mask_value(value: str) -> str:
    """``"Finance@2023"`` -> ``"Fi******"``; values too short for a prefix are all masked."""
    keep = value[:PREFIX] if len(value) > 2 * PREFIX else ""
    return keep + MASK


def mask_line(text: str) -> str:
    """``text`` with every quoted literal masked, or (with no quotes) every unquoted
    assigned value, as found on lines that hold a secret."""
    if _QUOTED.search(text):
        return _QUOTED.sub(lambda m: m["quote"] + mask_value(m["value"]) + m["quote"], text)
    return _ASSIGNED.sub(lambda m: m["lead"] + mask_value(m["value"]), text)


def mask_message(rule: str, message: str) -> str:
    """A finding's message with the secret masked when the rule is about secrets."""
    return mask_line(message) if is_secret_rule(rule) else message
