"""Fixtures for the scanners tests: sample files as batches."""

from __future__ import annotations

import pytest

from scanners.base import Batch
from tests.scanners.scanner_samples import sample


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
