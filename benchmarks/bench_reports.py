"""Portfolio report at the reference scale: time and peak memory per format; prints one JSON document.

Builds an SQLite database with the portal benchmark's generator (``bench_portal.build``):
12 modules, 5,510 requirements and 1,000,000 findings, all in the modules' latest scans (one
scan per module), so the portfolio really holds a million findings. Then, for each format,
a fresh child process assembles the portfolio as a PM and writes it to a file; the child
reports its own wall time and peak resident memory (``ru_maxrss``).

    python -m benchmarks.bench_reports [--findings 1000000] [--formats html,pdf,xlsx,...]

Not a timed test: it reports figures (targets: HTML < 10 s, PDF < 30 s, XLSX < 30 s,
memory < 1 GiB each).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_portal import build
from governance.config import Settings

FORMATS = ("html", "pdf", "csv", "xlsx", "json", "sarif")
TARGETS = {"html": 10.0, "pdf": 30.0, "xlsx": 30.0}


def child(data_dir: Path, fmt: str, out: Path) -> dict[str, Any]:
    """Runs in its own process: assemble the portfolio as the PM and write it in ``fmt``."""
    from sqlmodel import select

    from governance.db import open_database
    from governance.registry.models import User
    from governance.reporting.assemble import portfolio_report
    from reports.documents import write_report

    started = time.perf_counter()
    database = open_database(Settings(data_dir=data_dir))
    with database.session() as session:
        user = session.exec(select(User).where(User.name == "bench-pm")).one()
        report = portfolio_report(session, factory=database.session, user=user)
        assembled = time.perf_counter() - started
        with out.open("wb") as handle:
            write_report(report, fmt, handle, lang="zh-CN")  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "assemble_seconds": round(assembled, 2),
        "cpu_seconds": round(sum(resource.getrusage(resource.RUSAGE_SELF)[:2]), 2),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "bytes": out.stat().st_size,
        "findings": report.findings.count,
    }


def run_format(data_dir: Path, fmt: str, out_dir: Path) -> dict[str, Any]:
    out = out_dir / f"portfolio.{fmt}"
    command = [
        sys.executable,
        "-m",
        "benchmarks.bench_reports",
        "--child",
        fmt,
        "--data",
        str(data_dir),
        "--out",
        str(out),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:] or ["failed"]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    out.unlink(missing_ok=True)
    if fmt in TARGETS:
        result["target_seconds"] = TARGETS[fmt]
    result["memory_ok"] = result["peak_mib"] < 1024
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--modules", type=int, default=12)
    parser.add_argument("--requirements", type=int, default=5510)
    parser.add_argument("--findings", type=int, default=1_000_000)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--child", choices=FORMATS, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.data, args.child, args.out)))
        return
    root = Path(tempfile.mkdtemp(prefix="govern-bench-reports-"))
    settings = Settings(data_dir=root / "data")
    try:
        report: dict[str, Any] = {
            "benchmark": "reports",
            "scale": {"modules": args.modules, "requirements": args.requirements, "findings": args.findings},
            "cores": os.cpu_count(),
            **build(
                settings,
                modules=args.modules,
                requirements=args.requirements,
                scans=args.modules,
                findings=args.findings,
            ),
            "load_average_before": [round(x, 2) for x in os.getloadavg()],
        }
        report["formats"] = {fmt: run_format(settings.data_dir, fmt, root) for fmt in args.formats.split(",")}
        report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        report["note"] = (
            "each format in a fresh process; seconds include assembling the report (assemble_seconds)"
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
