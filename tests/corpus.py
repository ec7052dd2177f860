"""Real code to test against: released sdists fetched with pip (PyPI is reachable here)."""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

import pytest


def fetch_sdist(requirement: str, where: Path) -> Path:
    """Download and extract ``requirement``'s sdist; return the extracted folder.

    Without network this fails in CI (the parity tests must run there) and skips elsewhere.
    """
    from tests.servers import in_ci

    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "-q",
        "--no-deps",
        "--no-binary",
        ":all:",
        requirement,
        "-d",
        str(where),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    archives = sorted(where.glob("*.tar.gz"))
    if done.returncode != 0 or not archives:
        message = f"cannot download {requirement}: {done.stderr.strip()[-500:]}"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    with tarfile.open(archives[0]) as archive:
        archive.extractall(where, filter="data")
    return next(p for p in where.iterdir() if p.is_dir())
