"""Directory sign-in as the faces call it: LDAP with a password, re-checks of LDAP users."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from governance import audit
from governance.auth import sessions
from governance.errors import Unauthenticated, said
from governance.registry.models import User
from governance.sso import accounts
from governance.sso.ldap import LdapAnswer, LdapDirectory, Outcome
from governance.sso.mapping import first_match
from governance.sso.models import DirectoryIdentity
from governance.sso.oidc import OidcProvider, PendingLogin
from governance.sso.values import Source

WRONG = "wrong user name or password"


def ldap_sign_in(
    session: Session, *, directory: LdapDirectory, username: str, password: str, address: str
) -> User:
    """The user the directory vouches for (created or updated from the mappings), or a refusal."""
    answer = directory.authenticate(username, password)
    return ldap_outcome(session, answer=answer, username=username, address=address)


def ldap_outcome(session: Session, *, answer: LdapAnswer, username: str, address: str) -> User:
    """Record what the directory answered: a sign-in, or a refusal (audited).

    A user the directory no longer has loses access (sessions ended) and gets the same answer
    as a wrong password, so the form does not tell which names exist.
    """
    if answer.outcome is Outcome.missing:
        accounts.refuse_missing(session, source=Source.ldap, username=username.strip(), address=address)
        raise said(Unauthenticated, WRONG)
    if answer.login is None:
        sessions.record_failed_login(
            session, username=username.strip(), address=address, source=Source.ldap.value
        )
        raise said(Unauthenticated, WRONG)
    return accounts.sign_in(session, login=answer.login, address=address)


@dataclass(frozen=True)
class Recheck:
    """What a re-check did to one directory user."""

    user: str
    result: str  # "kept", "updated", "revoked: <reason>"


def _recheck_one(
    session: Session, directory: LdapDirectory, user: User, identity: DirectoryIdentity
) -> Recheck:
    login = directory.lookup(user.name)
    if login is None:
        accounts.lock(session, user=user, identity=identity, reason=accounts.NOT_IN_DIRECTORY)
        return Recheck(user.name, f"revoked: {accounts.NOT_IN_DIRECTORY}")
    mapping = first_match(session, source=Source.ldap, groups=login.groups)
    if mapping is None:
        accounts.lock(session, user=user, identity=identity, reason=accounts.NO_MAPPED_GROUP)
        return Recheck(user.name, f"revoked: {accounts.NO_MAPPED_GROUP}")
    _user, changes = accounts.apply_mapping(
        session, login=login, mapping=mapping, user=user, identity=identity, signing_in=False
    )
    return Recheck(user.name, "updated" if changes else "kept")


def recheck_ldap_users(session: Session, *, directory: LdapDirectory, actor: str) -> list[Recheck]:
    """Ask the directory about every active LDAP user: gone or unmapped users lose access now."""
    rows = session.exec(
        select(User, DirectoryIdentity)
        .join(DirectoryIdentity, col(DirectoryIdentity.user_id) == col(User.id))
        .where(DirectoryIdentity.source == Source.ldap.value, col(User.active).is_(True))
        .order_by(col(User.name))
    ).all()
    results = [_recheck_one(session, directory, user, identity) for user, identity in rows]
    audit.record(
        session,
        actor=actor,
        action="sso.recheck",
        target_type="sso",
        target_id="ldap",
        data={
            "checked": len(results),
            "revoked": [r.user for r in results if r.result.startswith("revoked")],
        },
    )
    return results


def oidc_sign_in(
    session: Session,
    *,
    provider: OidcProvider,
    pending: PendingLogin | None,
    state: str,
    code: str,
    error: str,
    address: str,
) -> User:
    """The user an OpenID Connect return vouches for; every refusal is audited."""
    try:
        if pending is None:
            raise said(Unauthenticated, "the sign-in did not start here or has expired: try again")
        if error:
            raise said(
                Unauthenticated, "the identity provider refused the sign-in: %(error)s", error=error[:100]
            )
        login = provider.finish(pending, state=state, code=code)
    except Unauthenticated as exc:
        audit.record(
            session,
            actor=f"anonymous@{address}",
            action="sso.refused",
            target_type="sso",
            target_id=Source.oidc.value,
            data={"source": Source.oidc.value, "reason": exc.message},
        )
        raise
    return accounts.sign_in(session, login=login, address=address)
