"""The test directory: people and groups loaded into a throwaway slapd with ``ldapadd``.

| user  | password    | groups (cn=…,ou=groups)  |
|-------|-------------|--------------------------|
| alice | alice-pass  | vendor-acme              |
| bob   | bob-pass    | pms                      |
| carol | carol-pass  | other (mapped to nothing by the tests) |
| dave  | dave-pass   | vendor-acme, pms         |

The service account ``cn=reader`` (password ``reader-pass``) searches; anonymous users read nothing.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from tests.servers import LDAP_SUFFIX, ldap_load, ldap_run

PEOPLE = f"ou=people,{LDAP_SUFFIX}"
GROUPS = f"ou=groups,{LDAP_SUFFIX}"
READER = f"cn=reader,{LDAP_SUFFIX}"
MEMBERS = {"vendor-acme": ["alice", "dave"], "pms": ["bob", "dave"], "other": ["carol"]}


def group_dn(name: str) -> str:
    return f"cn={name},{GROUPS}"


def user_dn(uid: str) -> str:
    return f"uid={uid},{PEOPLE}"


def _ldif() -> str:
    entries = [
        f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people\n",
        f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups\n",
        f"dn: {READER}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: reader\n"
        "userPassword: reader-pass\n",
    ]
    for uid in ("alice", "bob", "carol", "dave"):
        entries.append(
            f"dn: {user_dn(uid)}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {uid.title()}\nsn: Test\n"
            f"userPassword: {uid}-pass\n"
        )
    for name, members in MEMBERS.items():
        lines = "".join(f"member: {user_dn(uid)}\n" for uid in members)
        entries.append(f"dn: {group_dn(name)}\nobjectClass: groupOfNames\ncn: {name}\n{lines}")
    return "\n".join(entries)


@dataclass
class Directory:
    """A freshly loaded directory on the session's slapd, and ways to change it."""

    url: str

    def reset(self) -> None:
        for base in (PEOPLE, GROUPS, READER):
            with contextlib.suppress(RuntimeError):  # not there yet (first test of the run)
                ldap_run(self.url, "ldapdelete", "-r", base)
        ldap_load(self.url, _ldif())

    def delete_user(self, uid: str) -> None:
        ldap_run(self.url, "ldapdelete", user_dn(uid))

    def leave_group(self, uid: str, group: str) -> None:
        change = f"dn: {group_dn(group)}\nchangetype: modify\ndelete: member\nmember: {user_dn(uid)}\n"
        ldap_run(self.url, "ldapmodify", stdin=change)

    def join_group(self, uid: str, group: str) -> None:
        change = f"dn: {group_dn(group)}\nchangetype: modify\nadd: member\nmember: {user_dn(uid)}\n"
        ldap_run(self.url, "ldapmodify", stdin=change)

    def settings(self, **overrides: Any) -> dict[str, Any]:
        """Settings fields for Govern: search as the reader under ou=people, groups under ou=groups."""
        from pydantic import SecretStr

        return {
            "ldap_url": self.url,
            "ldap_bind_dn": READER,
            "ldap_bind_password": SecretStr("reader-pass"),
            "ldap_user_base": PEOPLE,
            "ldap_group_base": GROUPS,
            **overrides,
        }
