"""Real SARIF from a real tool (ruff, from PyPI) run on a checkout of a vendor repository (test support)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.gitrepo import VendorRepo

BOUND_PROFILE = """id: bound
extends: default
sarif:
  - tool: ruff
    rules: ["ANN*"]
    rule: DEV-002
"""


def ruff_sarif(repo: VendorRepo, work: Path) -> bytes:
    """Check out the repository's HEAD into ``work`` and run ruff on it with SARIF output."""
    if work.exists():
        shutil.rmtree(work)
    subprocess.run(["git", "clone", "-q", str(repo.path), str(work)], check=True)
    ruff = Path(sys.executable).with_name("ruff")
    done = subprocess.run(
        [
            str(ruff),
            "check",
            "--no-cache",
            "--isolated",
            "--select",
            "ANN,D1,E,F",
            "--output-format",
            "sarif",
            ".",
        ],
        cwd=work,
        capture_output=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def results(data: bytes) -> list[dict[str, Any]]:
    return list(json.loads(data)["runs"][0]["results"])
