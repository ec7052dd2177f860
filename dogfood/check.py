"""Scan Govern's own repository with Govern, under ``dogfood/govern-self.yaml``.

Run as ``python -m dogfood.check`` (``nox -s dogfood``); the test suite runs it too, so a
change that breaks Govern's own standards fails CI. Exit status 1 when the gate fails.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from governance.config import Settings
from governance.db import open_database
from governance.executors.local import local_executor
from governance.registry import service as registry
from governance.scans.run import run_scan
from governance.scans.service import request_scan
from reports.scan_json import scan_document

ROOT = Path(__file__).resolve().parents[1]
PROFILE = Path(__file__).with_name("govern-self.yaml")


def _branch(repo: Path) -> str:
    out = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--abbrev-ref", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def scan_self(repo: Path = ROOT, *, data_dir: Path, workers: int = 2) -> dict[str, Any]:
    """Register the repository as a module of a fresh Govern and scan its committed HEAD."""
    settings = Settings(data_dir=data_dir)
    (data_dir / "profiles").mkdir(parents=True, exist_ok=True)
    shutil.copy(PROFILE, data_dir / "profiles" / PROFILE.name)
    database = open_database(settings)
    with database.session() as session:
        registry.create_vendor(session, name="Govern", actor="dogfood")
        module = registry.create_module(
            session,
            key="GOV",
            vendor="Govern",
            remote=str(repo),
            branch=_branch(repo),
            profile="govern-self",
            actor="dogfood",
        )
        scan, _ = request_scan(session, module=module, trigger="manual", actor="dogfood")
    executor = local_executor(workers)
    try:
        done = run_scan(database, settings, scan.id, executor=executor, actor="dogfood")
        with database.session() as session:
            return scan_document(session, scan_id=done.id)
    finally:
        executor.close()
        database.dispose()


def problems(document: dict[str, Any]) -> list[str]:
    """Failing rules and the findings that fail the gate, one line each."""
    lines = [
        f"{s['id']}: {r['rule']} failed ({r.get('count')} / measured {r.get('measured')})"
        for s in document["standards"]
        for r in s["rules"]
        if r["status"] == "fail"
    ]
    gating = {
        r["rule"]
        for s in document["standards"]
        for r in s["rules"]
        if r["severity"] in ("blocker", "critical", "major")
    }
    lines += [
        f"  {f['standard_rule']} {f['rule']} {f['path']}:{f['line']} {f['message'][:90]}"
        for f in document["findings"]
        if f["standard_rule"] in gating and not f["waived"]
    ]
    return lines


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="govern-dogfood-") as folder:
        document = scan_self(data_dir=Path(folder))
    summary = {
        "gate": document["gate"],
        "findings": document["summary"],
        "standards": {s["id"]: [s["score"], s["level"]] for s in document["standards"]},
    }
    sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    for line in problems(document):
        sys.stdout.write(line + "\n")
    return 0 if document["gate"]["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
