"""The scheduler's re-check of LDAP users: whoever the directory dropped loses access within
``GOVERN_LDAP_RECHECK_MINUTES``, not only at their next sign-in."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from governance.db import Database
from governance.jobs import JobRunner
from governance.sso.ldap import LdapDirectory
from governance.sso.service import Recheck, recheck_ldap_users
from governance.sso.settings import DirectorySettings

log = logging.getLogger(__name__)


class LdapRecheckJob(JobRunner):
    """Ask the directory about every active LDAP user (needs the service account)."""

    name = "ldap-recheck"

    def __init__(self, database: Database, directory: LdapDirectory, every: timedelta) -> None:
        super().__init__(every=every)
        self.database, self.directory = database, directory

    def run(self, now: datetime) -> list[Recheck]:
        with self.database.session() as session:
            results = recheck_ldap_users(session, directory=self.directory, actor="scheduler")
        revoked = [result.user for result in results if result.result.startswith("revoked")]
        if revoked:
            log.info("directory re-check revoked: %s", ", ".join(revoked))
        return results


def directory_jobs(database: Database, settings: DirectorySettings) -> list[JobRunner]:
    """The re-check job when LDAP is on with a service account and a period; else none."""
    if not (settings.ldap_enabled and settings.ldap_bind_dn and settings.ldap_recheck_minutes > 0):
        return []
    every = timedelta(minutes=settings.ldap_recheck_minutes)
    return [LdapRecheckJob(database, LdapDirectory(settings), every)]
