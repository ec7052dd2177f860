"""Importing a vendor's own tool results (SARIF 2.1.0) for one commit of a module.

The file is validated against the official schema and parsed whole, and every result is
placed on a file of the commit (absolute ``file://`` URIs of a CI checkout are matched by
the longest tree path they end with); a malformed, wrong-version, oversized or empty file,
an unknown commit or a result outside the commit is refused with its reason and changes
nothing. An accepted file is kept byte for byte with its sha256 and audited; when the
commit is the newest complete scan of its branch, a rescan of it is queued so the results
become findings (tracked, triaged and waived like any other). An older commit is rescanned
on request (``govern scan KEY --commit SHA``).
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlparse

from sqlmodel import Session, col, select

from governance.config import Settings
from governance.errors import InvalidInput, NotFound, said
from governance.evidence.models import SarifImport
from governance.evidence.sarif_parse import ImportedResult, parse_sarif
from governance.evidence.upload import check_file, record_upload, stored_file
from governance.mirrors.repo import mirror_path
from governance.registry.models import Module
from governance.scans import service as scans
from governance.scans.models import Scan
from governance.scans.source import MirrorSource

MAX_SARIF_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Imported:
    """The stored import and the scan queued to turn it into findings (None: none queued)."""

    row: SarifImport
    rescan: int | None


def tree_path(uri: str, paths: Collection[str]) -> str | None:
    """The commit's file a SARIF URI names, or None. ``""`` (no location) is the project."""
    if not uri:
        return ""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        absolute = unquote(parsed.path)
        ends = [p for p in paths if absolute.endswith("/" + p)]
        return max(ends, key=len) if ends else None
    if parsed.scheme or parsed.netloc:
        return None
    relative = posixpath.normpath(unquote(parsed.path)).lstrip("/")
    return relative if relative in paths else None


def _placed(
    results: Sequence[ImportedResult], paths: Collection[str], filename: str, commit: str
) -> list[dict[str, object]]:
    placed: list[dict[str, object]] = []
    for number, result in enumerate(results, start=1):
        path = tree_path(result.uri, paths)
        if path is None:
            raise said(
                InvalidInput,
                "%(filename)s: result %(number)s (%(tool)s %(rule)s) points at %(uri)s,"
                " which is not a file of commit %(commit)s",
                filename=filename,
                number=number,
                tool=result.tool,
                rule=result.rule,
                uri=repr(result.uri),
                commit=commit[:12],
            )
        item = result.as_dict()
        del item["uri"]
        placed.append({**item, "path": path, "line": result.line if path else 0})
    return placed


def _tree(settings: Settings, module: Module, commit: str) -> set[str]:
    mirror = mirror_path(settings, module.key)
    try:
        if not mirror.exists():
            raise NotFound(module.key)
        with MirrorSource(mirror, commit) as source:
            return {entry.path for entry in source.entries}
    except NotFound:
        raise said(
            InvalidInput,
            "commit %(commit)s is not in the central mirror of %(module)s (sync or push it first)",
            commit=commit[:12],
            module=module.key,
        ) from None


def import_sarif(
    session: Session,
    *,
    settings: Settings,
    module: Module,
    commit_sha: str,
    filename: str,
    data: bytes,
    actor: str,
    max_bytes: int = MAX_SARIF_BYTES,
) -> Imported:
    """Store one SARIF file's results for ``commit_sha`` (committed with its audit event)."""
    commit_sha = commit_sha.strip().lower()
    check_file(commit_sha=commit_sha, filename=filename, data=data, max_bytes=max_bytes)
    results = parse_sarif(data, filename=filename)
    placed = _placed(results, _tree(settings, module, commit_sha), filename, commit_sha)
    row = SarifImport(
        module_id=module.id or 0,
        commit_sha=commit_sha,
        tools=sorted({r.tool for r in results}),
        **stored_file(filename, data),
        results=placed,
        uploaded_by=actor,
    )
    record_upload(
        session, row, module=module, actor=actor, action="sarif.import", tools=row.tools, results=len(placed)
    )
    rescan = _queue_rescan(session, module=module, commit=commit_sha, actor=actor)
    session.commit()
    session.refresh(row)
    return Imported(row, rescan)


def _queue_rescan(session: Session, *, module: Module, commit: str, actor: str) -> int | None:
    """Rescan the commit when it is the newest complete scan of its branch (the headline).

    Not when a scan of the branch is already queued or running: request_scan would coalesce
    into it and replace its (newer) commit with this one.
    """
    scanned = session.exec(
        select(Scan).where(Scan.module_id == module.id, Scan.commit_sha == commit, Scan.status == "complete")
    ).all()
    for scan in scanned:
        latest = scans.latest_complete(session, module_id=module.id or 0, branch=scan.branch)
        if latest is not None and latest.id == scan.id and not _busy(session, module, scan.branch):
            queued, _ = scans.request_scan(
                session, module=module, trigger="sarif", actor=actor, commit=commit, branch=scan.branch
            )
            return queued.id
    return None


def _busy(session: Session, module: Module, branch: str | None) -> bool:
    active = select(Scan.id).where(
        Scan.module_id == module.id, scans.of_branch(branch), col(Scan.status).in_(("queued", "running"))
    )
    return session.exec(active).first() is not None


def list_imports(session: Session, *, module: Module, limit: int = 100) -> list[SarifImport]:
    """The module's SARIF imports, newest first."""
    query = (
        select(SarifImport)
        .where(SarifImport.module_id == module.id)
        .order_by(col(SarifImport.uploaded_at).desc(), col(SarifImport.id).desc())
        .limit(limit)
    )
    return list(session.exec(query).all())
