"""What `govern` loads before it runs a command: every command and each git hook pays it."""

from __future__ import annotations

import subprocess
import sys

# Each costs a noticeable part of a second or more at import and serves only some commands
# (jsonschema builds rfc3987-syntax's grammars, about 2 s): they are imported where used.
HEAVY = ("jsonschema", "rfc3987_syntax", "uvicorn", "fastapi", "weasyprint", "celery")


def test_start_up_imports_none_of_the_heavy_libraries() -> None:
    code = f"import sys, governance.cli.app\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.split() == []
