"""The example third-party scanner, installed for real with pip by the test setup.

It goes into a directory of its own (``pip install --target``) that only the tests using
the ``example_plugin`` fixture put on ``sys.path``: those see it through the ordinary
``govern.scanners`` entry point; every other test keeps the built-in scanners alone.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from scanners.registry import installed_rules

PACKAGE = Path(__file__).parent / "govern_example_scanner"


@pytest.fixture(scope="session")
def example_plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site directory holding the installed plugin (built and installed once per session)."""
    target = tmp_path_factory.mktemp("plugin-site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-index",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(PACKAGE),
        ],
        check=True,
        capture_output=True,
    )
    return target


@pytest.fixture
def example_plugin(example_plugin_site: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The plugin visible to this test (its scanner name); gone again afterwards."""
    monkeypatch.syspath_prepend(str(example_plugin_site))
    importlib.invalidate_caches()
    installed_rules.cache_clear()
    yield "example"
    installed_rules.cache_clear()
    sys.modules.pop("govern_example_scanner", None)
