"""Portal latency at the reference scale: prints one JSON document.

Builds an SQLite database with 12 modules, 5,510 requirements, 200 scans and 1,000,000
findings (bulk inserts), serves the portal with uvicorn on loopback (one worker per core),
logs in, and measures p50/p95 of the dashboard, a module page, a filtered findings page and
sorted, searched findings pages
under 50 concurrent clients — with ``wrk`` when installed, else a bounded asyncio/httpx loop.

    python benchmarks/bench_portal.py [--findings 1000000] [--duration 10] [--clients 50]

Not a timed test: it reports figures (target: p95 < 200 ms, no errors, on 2 cores).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from governance.config import Settings
from governance.db import open_database
from governance.registry import service as registry
from governance.registry.models import Module
from governance.requirements.models import Requirement
from governance.scans.models import Finding, Scan, StandardResult

STANDARDS = ("design", "requirements", "development", "testing", "operations", "data")
# The one severity scale, weighted towards the lower severities as real findings are.
SEVERITY_MIX = ("blocker", "critical", "major", "major", "minor", "minor", "minor", "info")
STATES = ("new", "persisting", "persisting", "persisting", "fixed")
PASSWORD = "benchmark-password"
CHUNK = 50_000


def _insert(connection: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        connection.execute(table.insert(), rows[start : start + CHUNK])


def _registry(settings: Settings, modules: int) -> None:
    database = open_database(settings)
    with database.session() as session:
        for v in range(4):
            registry.create_vendor(session, name=f"Vendor {v + 1}", actor="bench")
        for m in range(modules):
            registry.create_module(session, key=f"M{m + 1:02d}", vendor=f"Vendor {m % 4 + 1}", actor="bench")
        registry.create_user(session, name="bench-pm", role="pm", password=PASSWORD, actor="bench")
        registry.create_user(
            session, name="bench-vendor", role="vendor", vendor="Vendor 1", password=PASSWORD, actor="bench"
        )
    database.dispose()


def build(
    settings: Settings, *, modules: int, requirements: int, scans: int, findings: int
) -> dict[str, float]:
    """Fill the database; returns how long each part took."""
    started = time.perf_counter()
    _registry(settings, modules)
    engine = sa.create_engine(settings.effective_database_url)
    rng = random.Random(42)
    now = datetime.now(UTC)
    with engine.begin() as connection:
        ids = [row[0] for row in connection.execute(sa.select(Module.id).order_by(Module.id))]
        connection.execute(sa.update(Module).values(lines_of_code=29_310_000 // modules))
        _insert(
            connection,
            Requirement.__table__,
            [  # type: ignore[arg-type]
                {
                    "key": f"M{i % modules + 1:02d}-{i // modules + 1:04d}",
                    "module_id": ids[i % modules],
                    "title": f"Requirement {i} of the reference deployment",
                    "description": "",
                    "priority": "medium",
                    "acceptance_criteria": "",
                    "status": ("approved", "in_progress", "implemented", "verified")[i % 4],
                    "created_at": now,
                }
                for i in range(requirements)
            ],
        )
        scan_rows = []
        for s in range(scans):
            when = now - timedelta(hours=(scans - s) * 6)
            scan_rows.append(
                {
                    "module_id": ids[s % modules],
                    "commit_sha": f"{s:040x}",
                    "branch": "main",
                    "trigger": "schedule",
                    "status": "complete",
                    "profile": "default",
                    "score": round(60 + rng.random() * 35, 1),
                    "level": "B",
                    "gate_passed": s % 5 != 0,
                    "new_gate_passed": True,
                    "gate": {"passed": s % 5 != 0, "new_code_passed": True, "conditions": []},
                    "metrics": {},
                    "timings": {},
                    "created_at": when,
                    "started_at": when,
                    "finished_at": when,
                }
            )
        _insert(connection, Scan.__table__, scan_rows)  # type: ignore[arg-type]
        scan_ids = [
            (row[0], row[1])
            for row in connection.execute(sa.select(Scan.id, Scan.module_id).order_by(Scan.id))
        ]
        _insert(
            connection,
            StandardResult.__table__,
            [  # type: ignore[arg-type]
                {
                    "scan_id": sid,
                    "standard": std,
                    "score": round(55 + rng.random() * 45, 1),
                    "level": "B",
                    "failed_rules": 1 if rng.random() > 0.8 else 0,
                    "rules": [{"id": f"{std[:3].upper()}-001", "passed": False}],
                }
                for sid, _ in scan_ids
                for std in STANDARDS
            ],
        )
    per_scan = findings // scans
    with engine.begin() as connection:
        batch: list[dict[str, Any]] = []
        for sid, mid in scan_ids:
            for i in range(per_scan):
                batch.append(
                    {
                        "scan_id": sid,
                        "module_id": mid,
                        "rule": f"pylint.C{i % 90:04d}",
                        "standard_rule": f"DEV-{i % 30:03d}",
                        "standard": STANDARDS[i % 6],
                        "tool": "pylint",
                        "tool_rule": f"C{i % 90:04d}",
                        "severity": SEVERITY_MIX[i % 8],
                        "path": f"src/pkg{i % 40}/mod{i % 500}.py",
                        "line": i % 900 + 1,
                        "end_line": i % 900 + 1,
                        "message": f"finding {i}",
                        "fingerprint": f"{mid:04d}{i:060d}",
                        "state": STATES[i % 5],
                        "first_seen_at": now,
                        "waived": False,
                    }
                )
                if len(batch) >= CHUNK:
                    connection.execute(Finding.__table__.insert(), batch)  # type: ignore[attr-defined]
                    batch = []
        if batch:
            connection.execute(Finding.__table__.insert(), batch)  # type: ignore[attr-defined]
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()
    return {"build_seconds": round(time.perf_counter() - started, 1)}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(settings: Settings, port: int, workers: int) -> subprocess.Popen[bytes]:
    """The product's own command: ``govern serve --workers N`` (no scheduler: nothing to run)."""
    env = {**os.environ, "GOVERN_DATA_DIR": str(settings.data_dir)}
    # No access log: in a deployment the TLS proxy in front keeps it (README, "The portal").
    command = [sys.executable, "-m", "governance.cli.app", "serve", "--no-scheduler", "--no-access-log"]
    process = subprocess.Popen(
        [*command, "--port", str(port), "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("the portal did not start")


def login(base: str, user: str) -> str:
    """Log in through the form; returns the session cookie value."""
    with httpx.Client(base_url=base) as client:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token
        response = client.post(
            "/login", data={"username": user, "password": PASSWORD, "csrf_token": token.group(1)}
        )
        if response.status_code != 303:
            raise RuntimeError(f"login failed: {response.status_code}")
        return str(client.cookies["govern_session"])


LUA = """
done = function(summary, latency, requests)
  local fmt = 'WRKJSON {"p50": %f, "p95": %f, "p99": %f, "requests": %d, "non2xx": %d, "errors": %d}\\n'
  io.write(string.format(fmt,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def load_wrk(url: str, cookie: str, clients: int, duration: int) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    result = subprocess.run(
        [
            "wrk",
            f"-t{min(2, clients)}",
            f"-c{clients}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            script.name,
            "-H",
            f"Cookie: govern_session={cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    os.unlink(script.name)
    line = next(x for x in result.stdout.splitlines() if x.startswith("WRKJSON "))
    data = json.loads(line[len("WRKJSON ") :])
    data["rps"] = round(data["requests"] / duration, 1)
    return {key: round(value, 1) if isinstance(value, float) else value for key, value in data.items()}


async def _httpx_load(url: str, cookie: str, clients: int, duration: int, cap: int) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + duration
    async with httpx.AsyncClient(
        cookies={"govern_session": cookie}, timeout=10, limits=httpx.Limits(max_connections=clients)
    ) as client:

        async def worker() -> None:
            nonlocal errors
            while time.monotonic() < deadline and len(latencies) < cap:
                start = time.perf_counter()
                response = await client.get(url)
                latencies.append((time.perf_counter() - start) * 1000)
                errors += response.status_code != 200

        await asyncio.gather(*(worker() for _ in range(clients)))
    latencies.sort()
    pick = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 1)  # noqa: E731
    return {
        "p50": pick(0.5),
        "p95": pick(0.95),
        "p99": pick(0.99),
        "requests": len(latencies),
        "non2xx": errors,
        "errors": 0,
        "rps": round(len(latencies) / duration, 1),
    }


def measure(base: str, cookie: str, paths: dict[str, str], clients: int, duration: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name, path in paths.items():
        httpx.get(base + path, cookies={"govern_session": cookie}).raise_for_status()  # warm up
        if shutil.which("wrk"):
            results[name] = load_wrk(base + path, cookie, clients, duration)
        else:
            results[name] = asyncio.run(_httpx_load(base + path, cookie, clients, duration, cap=20_000))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=12)
    parser.add_argument("--requirements", type=int, default=5510)
    parser.add_argument("--scans", type=int, default=200)
    parser.add_argument("--findings", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    parser.add_argument(
        "--reuse", type=Path, help="a directory kept by an earlier --keep run: measure it without building"
    )
    args = parser.parse_args()
    root = args.reuse or Path(tempfile.mkdtemp(prefix="govern-bench-portal-"))
    settings = Settings(data_dir=root / "data")
    report: dict[str, Any] = {
        "benchmark": "portal",
        "scale": {k: getattr(args, k) for k in ("modules", "requirements", "scans", "findings")},
        "clients": args.clients,
        "duration_s": args.duration,
        "workers": args.workers,
        "load_generator": "wrk" if shutil.which("wrk") else "httpx-asyncio",
        "cores": os.cpu_count(),
    }
    if args.reuse is None:
        report.update(
            build(
                settings,
                modules=args.modules,
                requirements=args.requirements,
                scans=args.scans,
                findings=args.findings,
            )
        )
    port = _free_port()
    server = serve(settings, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        paths = {
            "dashboard": "/",
            "module_page": "/modules/M01",
            "filtered_findings": "/modules/M01?standard=development&severity=low&path=src/pkg1&page=2",
            # triage: a text search over message/path/rule, sorted by path descending, on page 2
            "sorted_searched_findings": "/modules/M01?q=finding+1&severity=low&sort=path&desc=true&page=2",
            "sorted_by_first_seen": "/modules/M01?sort=first_seen&desc=true&page=3",
        }
        cookie = login(base, "bench-pm")
        report["load_average_before"] = [round(x, 2) for x in os.getloadavg()]
        report["pm_single_client_ms"] = measure(base, cookie, paths, 1, max(2, args.duration // 3))
        report["pm_ms"] = measure(base, cookie, paths, args.clients, args.duration)
        report["vendor_ms"] = measure(
            base, login(base, "bench-vendor"), {"dashboard": "/"}, args.clients, max(2, args.duration // 2)
        )
        report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        report["note"] = (
            "load averages above the core count mean other processes shared the CPU during the run"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not args.keep and args.reuse is None:
            shutil.rmtree(root, ignore_errors=True)
    report["data_dir"] = str(root) if args.keep or args.reuse else None
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
