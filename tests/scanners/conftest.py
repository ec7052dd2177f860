"""Fixtures for the scanners tests: sample files as batches, stored tool outputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scanners.base import Batch, SourceFile

SAMPLES = Path(__file__).parent / "samples"


def sample(rel: str, as_path: str | None = None) -> SourceFile:
    """A sample file as a SourceFile; ``.py.txt`` samples (kept away from ruff) become ``.py``."""
    path = as_path or rel.removesuffix(".txt")
    return SourceFile(path, (SAMPLES / rel).read_bytes())


def output(name: str) -> Any:
    """A stored raw tool output (JSON) from samples/outputs/."""
    return json.loads((SAMPLES / "outputs" / name).read_text(encoding="utf-8"))


@pytest.fixture
def python_batch() -> Batch:
    """The flawed sample package (flawed.py + syntax_error.py) with helpers as context."""
    return Batch(
        files=(
            sample("python/pkg/flawed.py.txt", "pkg/flawed.py"),
            sample("python/syntax_error.py.txt", "syntax_error.py"),
        ),
        context=(
            sample("python/pkg/__init__.py.txt", "pkg/__init__.py"),
            sample("python/pkg/helpers.py.txt", "pkg/helpers.py"),
        ),
    )
