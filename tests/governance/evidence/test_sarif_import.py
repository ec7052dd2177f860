"""SARIF import: a vendor's own tool results become findings of the commit's scan like any other.

Real SARIF from ruff (a real tool run in the test) on the calculator project; results are
tracked by fingerprint across commits, bound to a standard rule through the profile, shown
with their tool's name and waived as false positives; bad files are refused whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as settings_hypothesis
from hypothesis import strategies as st
from sqlmodel import col, func, select

from governance.audit.models import AuditEvent
from governance.config import Settings
from governance.db import Database
from governance.errors import InvalidInput
from governance.evidence.models import SarifImport
from governance.evidence.sarif_import import import_sarif
from governance.executors.local import InlineExecutor
from governance.registry.models import Role
from governance.registry.service import create_user, get_module
from governance.scans.models import Finding, Scan, StandardResult, WaiverKind
from governance.scans.run import ScanRunner
from governance.waivers import service as waivers
from tests.gitrepo import VendorRepo
from tests.governance.evidence.sarif_support import BOUND_PROFILE, results, ruff_sarif


@pytest.fixture
def bound(settings: Settings, database: Database, cal_module: str) -> str:
    profiles = settings.data_dir / "profiles"
    profiles.mkdir(parents=True, exist_ok=True)
    (profiles / "bound.yaml").write_text(BOUND_PROFILE, encoding="utf-8")
    with database.session() as session:
        module = get_module(session, cal_module)
        module.profile = "bound"
        session.add(module)
        session.commit()
    return cal_module


def _import(database: Database, settings: Settings, commit: str, data: bytes, **kw: object) -> int | None:
    with database.session() as session:
        done = import_sarif(
            session,
            settings=settings,
            module=get_module(session, "CAL"),
            commit_sha=commit,
            filename="ruff.sarif",
            data=data,
            actor="ci",
            **kw,  # type: ignore[arg-type]
        )
    return done.rescan


def _run(database: Database, settings: Settings, scan_id: int) -> Scan:
    return ScanRunner(database, settings, InlineExecutor(), actor="test").run(scan_id)


def _imported(database: Database, scan: Scan) -> list[Finding]:
    with database.session() as session:
        rows = session.exec(select(Finding).where(Finding.scan_id == scan.id, Finding.tool == "sarif:ruff"))
        return list(rows.all())


def _rule(database: Database, scan: Scan, rule: str) -> dict[str, object]:
    with database.session() as session:
        rows = session.exec(select(StandardResult).where(StandardResult.scan_id == scan.id)).all()
        return next(r for row in rows for r in row.rules if r["rule"] == rule)


def _path(result: dict[str, Any]) -> str:
    uri = str(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
    return uri[uri.index("/checkout/") + len("/checkout/") :]


def _line(result: dict[str, Any]) -> int:
    return int(result["locations"][0]["physicalLocation"]["region"]["startLine"])


def _first_import(
    database: Database, settings: Settings, calc_repo: VendorRepo, first: Scan, checkout: Path
) -> tuple[Scan, list[Finding]]:
    """A first import: every result placed, bound to its rule and scored."""
    data = ruff_sarif(calc_repo, checkout)
    expected = results(data)
    annotations = [r for r in expected if r["ruleId"].startswith("ANN")]
    assert annotations and len(expected) > len(annotations)
    rescan = _import(database, settings, first.commit_sha, data)
    assert rescan is not None  # the headline commit was scanned: a rescan is queued
    second = _run(database, settings, rescan)
    found = _imported(database, second)
    placed = sorted((f.tool_rule, f.path, f.line) for f in found)
    assert placed == sorted((r["ruleId"], _path(r), _line(r)) for r in expected)
    assert len(found) == len(expected)
    assert {f.state for f in found} == {"new"}
    assert {f.standard_rule for f in found if f.tool_rule.startswith("ANN")} == {"DEV-002"}
    dev002 = _rule(database, second, "DEV-002")
    assert dev002["status"] == "fail" and dev002["count"] == len(annotations)
    return second, found


def test_imported_results_are_tracked_bound_and_waivable(
    database: Database,
    settings: Settings,
    bound: str,
    calc_repo: VendorRepo,
    scan_now: Callable[..., Scan],
    tmp_path: Path,
) -> None:
    first = scan_now(bound)
    assert _imported(database, first) == []
    _, found = _first_import(database, settings, calc_repo, first, tmp_path / "checkout")

    # Lines move down (a comment on top): same fingerprints, persisting; a removed function is fixed.
    core = calc_repo.path / "calc" / "core.py"
    text = core.read_text(encoding="utf-8")
    moved = text.replace('"""Calculator."""\n', '"""Calculator."""\n# moved down\n\n', 1)
    without_unused = moved[: moved.index("\n\ndef unused")] + "\n"
    head = calc_repo.commit("CAL-1: drop unused", {"calc/core.py": without_unused})
    third = scan_now(bound)
    assert third.commit_sha == head and _imported(database, third) == []  # no import for this commit yet
    rescan = _import(database, settings, head, ruff_sarif(calc_repo, tmp_path / "checkout"))
    assert rescan is not None
    fourth = _run(database, settings, rescan)
    now = {f.fingerprint: f for f in _imported(database, fourth)}
    before = {f.fingerprint: f for f in found}
    kept = set(now) & set(before)
    assert kept and {now[fp].state for fp in kept} == {"persisting"}
    gone = set(before) - set(now)
    assert gone and {before[fp].path for fp in gone} == {"calc/core.py"}  # the removed function's
    assert fourth.fixed_count == len(gone)
    _waive_one(database, bound, scan_now, fourth, [f for f in now.values() if f.tool_rule.startswith("ANN")])


def _waive_one(
    database: Database, bound: str, scan_now: Callable[..., Scan], scored: Scan, candidates: list[Finding]
) -> None:
    """A false positive on an imported finding: waived like any other (not second-class)."""
    target = candidates[0]
    with database.session() as session:
        pm = create_user(session, name="pm1", role=Role.pm, actor="test")
        waivers.request_waiver(
            session,
            user=pm,
            request=waivers.WaiverRequest(
                module="CAL",
                reason="ruff cannot see the stub file",
                kind=WaiverKind.false_positive,
                fingerprint=target.fingerprint,
            ),
        )
    fifth = scan_now(bound, scored.commit_sha)
    after = {f.fingerprint: f for f in _imported(database, fifth)}
    assert after[target.fingerprint].waived and after[target.fingerprint].state == "persisting"
    assert _rule(database, fifth, "DEV-002")["count"] == _rule(database, scored, "DEV-002")["count"] - 1


def _counts(database: Database) -> tuple[int, int]:
    with database.session() as session:
        imports = session.exec(select(func.count()).select_from(SarifImport)).one()
        events = session.exec(select(func.count()).select_from(AuditEvent)).one()
    return int(imports), int(events)


def _valid() -> dict[str, object]:
    return {
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "SpotBugs", "rules": [{"id": "NP_NULL"}]}},
                "results": [
                    {
                        "ruleIndex": 0,
                        "level": "error",
                        "message": {"text": "possible null"},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": "calc/core.py"},
                                    "region": {"startLine": 4},
                                }
                            }
                        ],
                    }
                ],
            }
        ],
    }


def _bad(change: Callable[[dict], object]) -> bytes:
    doc = _valid()
    change(doc)
    return json.dumps(doc).encode()


REFUSED = [
    ("not-json", b"{runs: [", "not a JSON file"),
    ("wrong-version", _bad(lambda d: d.update(version="2.0.0")), "SARIF version '2.0.0' is not supported"),
    (
        "no-message",
        _bad(lambda d: d["runs"][0]["results"][0].pop("message")),
        "not valid SARIF 2.1.0 at runs/0/results/0",
    ),
    ("bad-level", _bad(lambda d: d["runs"][0]["results"][0].update(level="fatal")), "not valid SARIF 2.1.0"),
    ("no-rule", _bad(lambda d: d["runs"][0]["results"][0].pop("ruleIndex")), "the rule id must be given"),
    (
        "path-outside-commit",
        _bad(
            lambda d: d["runs"][0]["results"][0]["locations"][0]["physicalLocation"][
                "artifactLocation"
            ].update(uri="src/Gone.java")
        ),
        "points at 'src/Gone.java', which is not a file of commit",
    ),
    (
        "long-tool",
        _bad(lambda d: d["runs"][0]["tool"]["driver"].update(name="T" * 33)),
        "must have 1-32 characters",
    ),
    ("empty", b"  \n", "the file is empty"),
]


@pytest.mark.parametrize(("data", "reason"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_bad_files_are_refused_with_the_reason_and_change_nothing(
    database: Database,
    settings: Settings,
    cal_module: str,
    scan_now: Callable[..., Scan],
    data: bytes,
    reason: str,
) -> None:
    commit = scan_now(cal_module).commit_sha
    before = _counts(database)
    with pytest.raises(InvalidInput) as caught:
        _import(database, settings, commit, data)
    assert reason in caught.value.message
    assert _counts(database) == before
    assert (
        _import(database, settings, commit, json.dumps(_valid()).encode()) is not None
    )  # the valid one goes in


def test_oversized_and_unknown_commit_are_refused(
    database: Database, settings: Settings, cal_module: str, scan_now: Callable[..., Scan]
) -> None:
    commit = scan_now(cal_module).commit_sha
    before = _counts(database)
    valid = json.dumps(_valid()).encode()
    with pytest.raises(InvalidInput, match="more than the limit of 100 bytes"):
        _import(database, settings, commit, valid, max_bytes=100)
    with pytest.raises(InvalidInput, match="is not in the central mirror of CAL"):
        _import(database, settings, "f" * 40, valid)
    with pytest.raises(InvalidInput, match="not a full 40-character commit id"):
        _import(database, settings, "HEAD", valid)
    assert _counts(database) == before


@settings_hypothesis(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_importer_takes_a_file_whole_or_refuses_it_whole(
    database: Database, settings: Settings, cal_module: str, data: st.DataObject
) -> None:
    """Any damage to a valid log: either every result goes in, or nothing changes."""
    commit = _mirrored_head(settings, database)
    doc = _valid()
    doc["runs"][0]["results"] *= data.draw(st.integers(1, 3))  # type: ignore[index]
    damaged = data.draw(_damage(doc))
    before = _counts(database)
    raw = json.dumps(damaged).encode()
    try:
        _import(database, settings, commit, raw)
    except InvalidInput:
        assert _counts(database) == before
        return
    with database.session() as session:
        row = session.exec(select(SarifImport).order_by(col(SarifImport.id).desc())).first()
    assert row is not None and len(row.results) == len(damaged["runs"][0].get("results") or [])


def _mirrored_head(settings: Settings, database: Database) -> str:
    from governance.mirrors.service import sync_module

    with database.session() as session:
        sync_module(session, settings=settings, key="CAL", actor="test")
    from governance.mirrors.gitcmd import run_git
    from governance.mirrors.repo import mirror_path

    return run_git(mirror_path(settings, "CAL"), "rev-parse", "refs/heads/main").decode().strip()


def _paths(value: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found: list[tuple[object, ...]] = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


@st.composite
def _damage(draw: st.DrawFn, doc: dict[str, Any]) -> dict[str, Any]:
    damaged = json.loads(json.dumps(doc))
    path = draw(st.sampled_from(_paths(damaged)))
    parent = damaged
    for step in path[:-1]:
        parent = parent[step]
    junk = st.one_of(st.none(), st.integers(-3, 5), st.text(max_size=5), st.just([]), st.just({}))
    if draw(st.booleans()) and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(junk)
    return damaged
