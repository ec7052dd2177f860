"""Real git repositories for tests: a vendor's working repo with commits made on the spot."""

from __future__ import annotations

import subprocess
from pathlib import Path


class VendorRepo:
    """A non-bare repository a test writes files into and commits, like a vendor would."""

    def __init__(self, path: Path, branch: str = "main") -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", branch)
        self.git("config", "user.name", "Vendor Dev")
        self.git("config", "user.email", "dev@vendor.example")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(self.path), *args], capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    def write(self, relative: str, text: str) -> None:
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def remove(self, relative: str) -> None:
        self.git("rm", "-q", relative)

    def commit(self, message: str, files: dict[str, str] | None = None) -> str:
        """Write ``files`` (path -> text), commit everything, return the new sha."""
        for relative, text in (files or {}).items():
            self.write(relative, text)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")
