"""Values passed between the directories (LDAP, OIDC) and account provisioning."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Source(StrEnum):
    """Where a directory user signs in."""

    ldap = "ldap"
    oidc = "oidc"


@dataclass(frozen=True)
class DirectoryLogin:
    """A sign-in the directory vouched for: who, under which identity, in which groups."""

    source: Source
    username: str
    subject: str
    groups: tuple[str, ...]


def group_key(source: Source, group: str) -> str:
    """The group as mappings compare it: LDAP DNs are case-insensitive and blank-insensitive
    around ``,`` and ``=``; OIDC claim values are compared exactly."""
    if source is Source.oidc:
        return group.strip()
    parts = (part.strip() for part in group.lower().split(","))
    return ",".join("=".join(side.strip() for side in part.split("=", 1)) for part in parts)
