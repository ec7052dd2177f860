"""`govern demo` builds a realistic world once; a second run changes nothing.

The demo takes seconds to build, so one test builds it and checks it from each side in turn
(its repositories, how vendors push, the story its scans tell), then runs it again.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from git import Repo

from governance import audit


def test_demo_builds_a_world_once_and_a_second_run_changes_nothing(govern, settings, database) -> None:
    result = govern("demo")
    assert result.code == 0, result.err
    _builds_vendors_modules_repos_and_requirements(govern, settings, result)
    _prints_how_each_vendor_pushes_with_a_working_token(govern, database, result)
    _tells_a_story(database, result)
    with database.session() as session:
        before = audit.head(session)
    again = govern("demo")
    assert again.code == 0 and "already exists" in again.out
    with database.session() as session:
        assert audit.head(session) == before


def _builds_vendors_modules_repos_and_requirements(govern, settings, result) -> None:
    assert "admin / admin-demo-pass (admin)" in result.out
    modules = json.loads(govern("module", "list", "--json").out)
    assert len(modules) >= 4
    assert len(json.loads(govern("vendor", "list", "--json").out)) >= 3
    for module in modules:
        pushed = not Path(module["remote"]).is_absolute()  # "(vendor push)": fed by pushes
        repo = Repo(
            settings.data_dir / "demo-vendors" / module["key"].lower() if pushed else module["remote"]
        )
        messages = [c.message for c in repo.iter_commits("main")]
        assert len(messages) >= 5
        assert any(m.startswith(module["key"] + "-") for m in messages)
        assert any(not m.startswith(module["key"] + "-") for m in messages)  # some lack a reference
        files = {item.path for item in repo.head.commit.tree.traverse()}
        assert any(f.endswith(".py") for f in files) and any(f.endswith(".sql") for f in files)
        assert any(f.startswith("tests/") for f in files)
    tickets = json.loads(govern("tickets", "list", "--state", "", "--json", "--as", "pm").out)
    states = {t["state"] for t in tickets}
    assert {"closed", "answered"} <= states and states & {"open", "reopened"}, tickets
    assert "tickets:" in result.out and "campaign #1" in result.out
    own = json.loads(govern("tickets", "list", "--state", "", "--json", "--as", "huaxin").out)
    assert own and {t["vendor"] for t in own} == {"Huaxin Software"}


def _prints_how_each_vendor_pushes_with_a_working_token(govern, database, result) -> None:
    """One push-fed module per vendor; per vendor the URL, the user and a token made for the demo."""
    from governance.registry.service import user_for_token

    modules = json.loads(govern("module", "list", "--json").out)
    pushed = {m["vendor"]: m["key"] for m in modules if m["remote"] == "(vendor push)"}
    assert set(pushed) == {v["name"] for v in json.loads(govern("vendor", "list", "--json").out)}
    lines = result.out.splitlines()
    for vendor, key in pushed.items():
        [line] = [text for text in lines if text.strip().startswith(f"{vendor}: module {key}, user ")]
        user, token = line.split(", user ")[1].split(", token ")
        assert f"      git remote add govern http://127.0.0.1:8000/git/{key}.git" in lines
        with database.session() as session:
            owner = user_for_token(session, token.strip())
            assert owner is not None and owner.name == user and owner.role.value == "vendor"
    with database.session() as session:  # the demo's deliveries are in each push log
        from sqlmodel import select

        from governance.mirrors.models import PushRecord

        assert len(session.exec(select(PushRecord)).all()) >= 3 * len(pushed)


def _tells_a_story(database, result) -> None:
    """Several scans per module over past weeks; one passes its gate; one is fed by pushes; things move."""
    from sqlmodel import select

    from governance.registry.models import Module
    from governance.scans.models import Scan, ScanStatus

    with database.session() as session:
        modules = {m.id: m for m in session.exec(select(Module)).all()}
        scans = session.exec(select(Scan).where(Scan.status == ScanStatus.complete).order_by(Scan.id)).all()
    by_module: dict[str, list[Scan]] = {}
    for scan in scans:
        by_module.setdefault(modules[scan.module_id].key, []).append(scan)
    assert set(by_module) == {m.key for m in modules.values()}
    assert all(len(history) >= 3 for history in by_module.values()), "a history, not a snapshot"
    for history in by_module.values():
        started = [s.started_at for s in history]
        assert started == sorted(started) and started[-1] - started[0] >= timedelta(days=3)
    latest = {key: history[-1] for key, history in by_module.items()}
    assert any(s.gate_passed for s in latest.values()), "at least one module passes its gate"
    assert any(not s.gate_passed for s in latest.values())
    pushed = [key for key, m in ((m.key, m) for m in modules.values()) if m.remote is None]
    assert pushed and all(s.trigger == "push" for s in by_module[pushed[0]])
    assert any((s.fixed_count or 0) > 0 for s in scans), "a later scan shows fixed findings"
    assert any(len({s.score for s in history}) > 1 for history in by_module.values()), "trends move"
    assert "gate passed" in result.out and "gate FAILED" in result.out
