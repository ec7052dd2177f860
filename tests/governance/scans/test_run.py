"""The path of a scan on a real repository: results, tracking, atomicity, JSON schema."""

from __future__ import annotations

import jsonschema
import pytest
from sqlmodel import select

from governance.errors import GovernError
from governance.executors.local import InlineExecutor
from governance.scans import service
from governance.scans.models import Finding, Scan, StandardResult
from governance.scans.run import ScanRunner
from reports.scan_json import scan_document, schema
from standards.loader import BUILTIN_IDS
from tests.governance.scans.conftest import FLAWED

pytestmark = pytest.mark.slow


def _findings(database, scan_id: int) -> dict[str, Finding]:
    with database.session() as session:
        return {f.fingerprint: f for f in session.exec(select(Finding).where(Finding.scan_id == scan_id))}


def test_scan_records_findings_scores_and_gate(database, pay_module, scan_now) -> None:
    scan = scan_now(pay_module)
    assert scan.status.value == "complete" and scan.profile_digest and scan.level in "ABCDE"
    rules = {f.rule for f in _findings(database, scan.id).values()}
    assert {"bandit:B105", "bandit:B608", "pylint:W0611"} <= rules
    with database.session() as session:
        standards = session.exec(select(StandardResult).where(StandardResult.scan_id == scan.id)).all()
        document = scan_document(session, scan_id=scan.id)
    assert {s.standard for s in standards} == set(BUILTIN_IDS) and len(BUILTIN_IDS) == 6
    jsonschema.validate(document, schema())
    assert document["summary"]["new"] == document["summary"]["findings"] > 0


def test_tracking_across_three_commits(database, pay_module, scan_now, vendor_repo) -> None:
    first = _findings(database, scan_now(pay_module).id)
    # Commit 2: lines inserted above (a move) and a new flaw added.
    moved = FLAWED.replace(
        '"""Payments."""\n', '"""Payments."""\n# Settlement rules:\n# see the handbook.\n#\n'
    )
    vendor_repo.commit(
        "PAY-2: limits", {"src/pay/core.py": moved + "\n\ndef run(code):\n    return eval(code)\n"}
    )
    second = _findings(database, scan_now(pay_module).id)
    unused_import = next(f for f in first.values() if f.rule == "pylint:W0611")
    persisted = second[unused_import.fingerprint]
    assert persisted.state.value == "persisting" and persisted.line == unused_import.line + 3
    assert persisted.first_seen_at == unused_import.first_seen_at
    new = [f for f in second.values() if f.state.value == "new"]
    assert any(f.rule == "bandit:B307" for f in new)
    # Commit 3: the unused import is fixed.
    vendor_repo.commit("PAY-3: tidy", {"src/pay/core.py": moved.replace("import os\n", "")})
    third = scan_now(pay_module)
    assert unused_import.fingerprint not in _findings(database, third.id)
    with database.session() as session:
        fixed = scan_document(session, scan_id=third.id)["fixed"]
    assert unused_import.fingerprint in {f["fingerprint"] for f in fixed}
    assert third.fixed_count == len(fixed) >= 1


def test_scan_of_an_older_commit_keeps_branch_tracking(database, pay_module, scan_now, vendor_repo) -> None:
    old = vendor_repo.git("rev-parse", "HEAD")
    vendor_repo.commit("PAY-2: more", {"src/pay/extra.py": "import sys\n"})
    tip = scan_now(pay_module)
    older = scan_now(pay_module, commit=old)
    assert older.commit_sha == old
    assert older.baseline_scan_id is None  # the tip scan is not its ancestor
    again = scan_now(pay_module)
    assert again.baseline_scan_id == tip.id and again.metrics["new"] == 0


class _Exploding:
    name = "exploding"

    def run(self, units):  # type: ignore[no-untyped-def]
        raise RuntimeError("worker pool died")
        yield  # pragma: no cover

    def close(self) -> None:
        """Nothing to release."""


def test_failed_scan_leaves_no_findings_and_previous_results_current(
    database, settings, pay_module, scan_now, vendor_repo
) -> None:
    good = scan_now(pay_module)
    vendor_repo.commit("PAY-2: change", {"src/pay/new.py": "x = 1\n"})
    with database.session() as session:
        from governance.registry.service import get_module

        queued, _ = service.request_scan(
            session, module=get_module(session, "PAY"), trigger="manual", actor="t"
        )
    with pytest.raises(RuntimeError, match="worker pool died"):
        ScanRunner(database, settings, _Exploding(), actor="t").run(queued.id)
    with database.session() as session:
        failed = session.get(Scan, queued.id)
        assert failed.status.value == "failed" and "worker pool died" in (failed.reason or "")
        assert session.exec(select(Finding).where(Finding.scan_id == queued.id)).all() == []
        assert service.latest_complete(session, module_id=good.module_id).id == good.id
    assert scan_now(pay_module).status.value == "complete"


def test_dead_remote_fails_the_scan_with_the_sync_error(database, pay_module, scan_now, vendor_repo) -> None:
    import shutil

    shutil.rmtree(vendor_repo.path)
    with pytest.raises(GovernError):
        scan_now(pay_module)
    with database.session() as session:
        failed = session.exec(select(Scan).order_by(Scan.id.desc())).first()
    assert failed.status.value == "failed" and failed.reason


def test_requests_are_coalesced(database, pay_module) -> None:
    from governance.registry.service import get_module

    with database.session() as session:
        module = get_module(session, "PAY")
        first, created = service.request_scan(
            session, module=module, trigger="push", actor="t", commit="a" * 40
        )
        second, again = service.request_scan(
            session, module=module, trigger="push", actor="t", commit="b" * 40
        )
    assert created and not again and second.id == first.id and second.commit_sha == "b" * 40


def test_organisation_profile_sets_scanner_options_and_is_recorded(
    database, settings, pay_module, scan_now
) -> None:
    from governance.registry.models import Module

    default = scan_now(pay_module)
    folder = settings.data_dir / "profiles"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "narrow.yaml").write_text(
        "id: narrow\ntitle: {zh-CN: 窄, en: Narrow}\nextends: default\n"
        'scanners:\n  pylint: {args: ["--max-line-length=40"]}\n',
        encoding="utf-8",
    )
    with database.session() as session:
        module = session.exec(select(Module)).one()
        module.profile = "narrow"
        session.add(module)
    narrow = scan_now(pay_module)
    assert narrow.profile_digest != default.profile_digest
    long_lines = [f for f in _findings(database, narrow.id).values() if f.rule == "pylint:C0301"]
    assert long_lines and not [
        f for f in _findings(database, default.id).values() if f.rule == "pylint:C0301"
    ]


def test_unknown_profile_fails_the_scan_clearly(database, pay_module, scan_now) -> None:
    from governance.registry.models import Module

    with database.session() as session:
        module = session.exec(select(Module)).one()
        module.profile = "no-such-profile"
        session.add(module)
    with pytest.raises(GovernError, match="unknown profile 'no-such-profile'"):
        scan_now(pay_module)


class _Counting(InlineExecutor):
    def __init__(self) -> None:
        super().__init__()
        self.closed = 0

    def close(self) -> None:
        self.closed += 1


def _queue(database) -> int:  # type: ignore[no-untyped-def]
    from governance.registry.service import get_module

    with database.session() as session:
        queued, _ = service.request_scan(
            session, module=get_module(session, "PAY"), trigger="manual", actor="t"
        )
    assert queued.id is not None
    return queued.id


def test_run_scan_closes_the_executor_it_made_and_only_that(
    database, settings, pay_module, monkeypatch
) -> None:
    from governance.scans import run

    made = _Counting()
    monkeypatch.setattr(run, "make_executor", lambda _settings, workers=None: made)
    first = run.run_scan(database, settings, _queue(database), actor="t")
    assert first.status.value == "complete" and made.closed == 1
    given = _Counting()
    second = run.run_scan(database, settings, _queue(database), executor=given, actor="t")
    assert second.status.value == "complete" and given.closed == 0 and made.closed == 1
    assert second.baseline_scan_id == first.id and second.fixed_count == 0
