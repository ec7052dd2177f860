"""Sample files and stored tool outputs for the scanners tests (imported by tests)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scanners.base import SourceFile

SAMPLES = Path(__file__).parent / "samples"


def sample(rel: str, as_path: str | None = None) -> SourceFile:
    """A sample file as a SourceFile; ``.py.txt`` samples (kept away from ruff) become ``.py``."""
    path = as_path or rel.removesuffix(".txt")
    return SourceFile(path, (SAMPLES / rel).read_bytes())


def output(name: str) -> Any:
    """A stored raw tool output (JSON) from samples/outputs/."""
    return json.loads((SAMPLES / "outputs" / name).read_text(encoding="utf-8"))
