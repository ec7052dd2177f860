"""Reading a module's files from git for the links refresh: mirror first, text blobs only, clear errors."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from governance.config import Settings
from governance.errors import ExternalFailure, InvalidInput
from governance.registry.models import Module
from governance.requirements.gitfiles import module_repository, open_source, read_files
from tests.governance.requirements.conftest import make_repo


def test_text_blobs_only(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"src/a.py": "# REQ: BUD-0001\n", "docs/x.md": "text\n"})
    (tmp_path / "r" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00# REQ: BUD-0002")
    repo.index.add(["logo.png"])
    repo.index.commit("logo")
    source = open_source(tmp_path / "r", "main")
    assert source.sha == repo.head.commit.hexsha
    assert sorted(read_files(source)) == [("docs/x.md", "text\n"), ("src/a.py", "# REQ: BUD-0001\n")]


def test_branch_falls_back_to_head_and_empty_repo_is_an_error(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"a.py": "x\n"})
    assert open_source(tmp_path / "r", "no-such-branch").sha == repo.head.commit.hexsha
    git.Repo.init(tmp_path / "empty")
    with pytest.raises(ExternalFailure, match="cannot resolve"):
        open_source(tmp_path / "empty", "main")
    with pytest.raises(InvalidInput, match="is not a git repository"):
        open_source(tmp_path, None)


def test_mirror_is_preferred_then_local_remote(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    module = Module(key="BUD", vendor_id=1, requirement_prefix="BUD", remote=str(tmp_path / "vendor"))
    with pytest.raises(InvalidInput, match="module BUD has no mirror"):
        module_repository(settings, module)
    (tmp_path / "vendor").mkdir()
    assert module_repository(settings, module) == tmp_path / "vendor"
    mirror = settings.data_dir / "mirrors" / "BUD.git"
    mirror.mkdir(parents=True)
    assert module_repository(settings, module) == mirror
    remote = Module(key="TAX", vendor_id=1, requirement_prefix="TAX", remote="https://example.com/tax.git")
    with pytest.raises(InvalidInput, match="no local remote"):
        module_repository(settings, remote)
