"""`govern demo` builds a realistic world once; a second run changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from git import Repo

from governance import audit


def test_demo_builds_vendors_modules_repos_and_requirements(govern, settings, database) -> None:
    result = govern("demo")
    assert result.code == 0, result.err
    assert "admin / admin-demo-pass (admin)" in result.out
    modules = json.loads(govern("module", "list", "--json").out)
    assert len(modules) >= 4
    assert len(json.loads(govern("vendor", "list", "--json").out)) >= 3
    for module in modules:
        repo = Repo(Path(module["remote"]))
        messages = [c.message for c in repo.iter_commits("main")]
        assert len(messages) >= 5
        assert any(m.startswith(module["key"] + "-") for m in messages)
        assert any(not m.startswith(module["key"] + "-") for m in messages)  # some lack a reference
        files = {item.path for item in repo.head.commit.tree.traverse()}
        assert any(f.endswith(".py") for f in files) and any(f.endswith(".sql") for f in files)
        assert any(f.startswith("tests/") for f in files)


def test_second_run_changes_nothing(govern, database) -> None:
    govern("demo")
    with database.session() as session:
        before = audit.head(session)
    result = govern("demo")
    assert result.code == 0 and "already exists" in result.out
    with database.session() as session:
        assert audit.head(session) == before
