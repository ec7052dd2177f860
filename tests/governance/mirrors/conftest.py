"""Real git repositories for mirror tests: vendor working repos and registered modules."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import Session

from governance.errors import NotFound
from governance.registry import service as registry
from governance.registry.models import Module
from governance.requirements.models import RequirementStatus
from governance.requirements.service import create_requirement

GIT_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Vendor Dev",
    "GIT_AUTHOR_EMAIL": "dev@vendor.example",
    "GIT_COMMITTER_NAME": "Vendor Dev",
    "GIT_COMMITTER_EMAIL": "dev@vendor.example",
}


def git(
    cwd: Path, *args: str, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run a real git command the way a vendor would."""
    result = subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **GIT_ENV, **(env or {})},
    )
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {result.stdout}{result.stderr}")
    return result


class VendorRepo:
    """A vendor's working repository with helpers to commit files and read shas."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True)
        git(path, "init", "-q", "-b", "main")

    def commit(self, message: str, files: dict[str, str | bytes] | None = None) -> str:
        for name, content in (files or {f"file{len(message)}.txt": message}).items():
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content)
        git(self.path, "add", "-A")
        git(self.path, "commit", "-q", "--allow-empty", "-m", message)
        return self.sha("HEAD")

    def sha(self, rev: str) -> str:
        return git(self.path, "rev-parse", rev).stdout.strip()

    def git(
        self, *args: str, check: bool = True, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess:
        return git(self.path, *args, check=check, env=env)


@pytest.fixture
def vendor_repo(tmp_path: Path) -> Callable[[str], VendorRepo]:
    """Factory of fresh vendor repositories under the test's temp dir."""
    return lambda name: VendorRepo(tmp_path / "vendors" / name)


def register_module(
    session: Session, *, key: str, vendor: str, remote: str | None, requirements: dict[int, str] | None = None
) -> Module:
    """A vendor (created if new), a module, and its requirements ``{number: status}``."""
    try:
        registry.get_vendor(session, vendor)
    except NotFound:
        registry.create_vendor(session, name=vendor, actor="test")
    module = registry.create_module(session, key=key, vendor=vendor, remote=remote, actor="test")
    for number, status in (requirements or {}).items():
        create_requirement(
            session,
            module=module,
            key=f"{key}-{number:04d}",
            title=f"req {number}",
            status=RequirementStatus(status),
            actor="test",
        )
    return module
