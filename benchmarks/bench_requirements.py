"""Benchmark: import 5,510 requirements from XLSX and build the traceability matrix over 20,000 commits.

Plain script printing JSON (run by ``nox -s bench``; not a timed test)::

    python benchmarks/bench_requirements.py [--database-url URL] [--requirements N] [--commits N]

Targets (DESIGN.md scale): import < 5 s, full matrix < 2 s. Peak memory is reported as the
process's peak RSS and, per phase, the Python heap peak (tracemalloc, in a separate run so
that it does not slow the timed one).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from governance import audit
from governance.config import Settings
from governance.db import Database, open_database
from governance.mirrors.models import Commit
from governance.registry import service as registry
from governance.registry.models import Module
from governance.requirements.links import refresh_links
from governance.requirements.matrix import build_matrix
from governance.requirements.matrix_io import render_matrix
from governance.requirements.spreadsheets import import_requirements
from governance.requirements.tables import write_xlsx
from governance.requirements.vocabulary import COLUMNS

STATUSES = ["已提出", "已批准", "开发中", "已实现", "已验证", "已关闭", "已拒绝", "已变更"]
WEIGHTS = [10, 20, 25, 20, 15, 5, 3, 2]


def make_sheet(path: Path, count: int, rng: random.Random, *, prefix: str = "BUD") -> Path:
    """A Chinese-header register of ``count`` requirements (``<prefix>-0001`` on), as a PM would keep it."""
    header = [column.zh for column in COLUMNS]
    rows = [
        [
            f"{prefix}-{n:04d}",
            f"预算功能 {n}：按科目登记与查询",
            f"第 {n} 项需求的详细说明。\n包含多行文本。",
            rng.choice(["高", "中", "低"]),
            rng.choices(STATUSES, WEIGHTS)[0],
            f"验收：功能 {n} 通过测试。",
            rng.choice(["张三", "李四", "王五", ""]),
        ]
        for n in range(1, count + 1)
    ]
    path.write_bytes(write_xlsx("需求", header, rows))
    return path


def insert_commits(db: Database, module_id: int, count: int, keys: int, rng: random.Random) -> None:
    """Bulk-insert commits: most reference 1-2 requirements, some none, a few unknown keys, some merges."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    rows = []
    for n in range(count):
        roll = rng.random()
        refs = (
            [] if roll < 0.15 else [f"BUD-{rng.randint(1, keys):04d}" for _ in range(rng.choice([1, 1, 2]))]
        )
        refs = [*refs, "BUD-9999"] if 0.15 <= roll < 0.16 else refs
        at = start + timedelta(minutes=37 * n)
        rows.append(
            {
                "module_id": module_id,
                "sha": f"{n:040x}",
                "author_name": "dev",
                "author_email": "d@x",
                "authored_at": at,
                "committed_at": at,
                "message": f"{' '.join(refs)} change {n}",
                "parents": ["a", "b"] if roll > 0.97 else ["a"],
                "files_changed": 3,
                "lines_added": 40,
                "lines_removed": 5,
                "requirement_refs": refs,
                "ingested_at": at,
            }
        )
    with db.session() as session:
        session.execute(sa.insert(Commit), rows)


def make_files(count: int, keys: int, rng: random.Random) -> list[tuple[str, str]]:
    """Source and test files with markers, as read from a mirror."""
    files = []
    for n in range(count):
        key = f"BUD-{rng.randint(1, keys):04d}"
        body = "\n".join(f"def f{i}(x):\n    return x + {i}\n" for i in range(20))
        files.append((f"src/budget/mod{n}.py", f"# REQ: {key}\n{body}"))
        if n % 2 == 0:
            files.append(
                (
                    f"tests/test_mod{n}.py",
                    f'import pytest\n\n\n@pytest.mark.requirement("{key}")\ndef test_f{n}():\n    pass\n',
                )
            )
    return files


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return round(time.perf_counter() - started, 3), result


def heap_peak(action: Callable[[], Any]) -> float:
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return round(peak / 2**20, 1)


def setup(settings: Settings) -> Database:
    db = open_database(settings)
    with db.session() as session:
        registry.create_vendor(session, name="Bench Vendor", actor="bench")
        registry.create_module(session, key="BUD", vendor="Bench Vendor", actor="bench")
    return db


def module_of(db: Database) -> Module:
    with db.session() as session:
        return registry.get_module(session, "BUD")


def _id(module: Module) -> int:
    assert module.id is not None
    return module.id


def run(settings: Settings, requirements: int, commits: int, files: int) -> dict[str, Any]:
    rng = random.Random(42)
    db = setup(settings)
    sheet = make_sheet(settings.data_dir / "requirements.xlsx", requirements, rng)
    insert_commits(db, _id(module_of(db)), commits, requirements, rng)
    sources = make_files(files, requirements, rng)

    def do_import() -> Any:
        with db.session() as session:
            return import_requirements(session, module=module_of(db), path=sheet, actor="bench")

    def do_refresh() -> Any:
        with db.session() as session:
            return refresh_links(
                session, module=module_of(db), files=sources, commit_sha="head", actor="bench"
            )

    def do_matrix() -> Any:
        with db.session() as session:
            return build_matrix(session, module=module_of(db))

    import_s, imported = timed(do_import)
    reimport_s, again = timed(do_import)
    refresh_s, refreshed = timed(do_refresh)
    matrix_s, matrix = timed(do_matrix)
    render_s, _ = timed(lambda: render_matrix(matrix, "xlsx"))
    audit_s = per_row_audit_cost(db, requirements)
    db.dispose()
    return {
        "requirements": requirements,
        "commits": commits,
        "files": len(sources),
        "import_s": import_s,
        "import_result": imported.summary(),
        "reimport_noop_s": reimport_s,
        "reimport_result": again.summary(),
        "refresh_links_s": refresh_s,
        "links": refreshed.summary(),
        "matrix_build_s": matrix_s,
        "matrix_xlsx_render_s": render_s,
        "coverage": matrix.coverage.as_dict(),
        "per_requirement_audit_events_s": audit_s,
        "sheet_bytes": sheet.stat().st_size,
    }


def per_row_audit_cost(db: Database, count: int) -> float:
    """What one audit event per imported requirement would add (measured, then rolled back)."""
    with db.engine.connect() as connection, connection.begin() as transaction:
        from sqlmodel import Session

        session = Session(bind=connection)
        started = time.perf_counter()
        for n in range(count):
            audit.record(
                session,
                actor="bench",
                action="requirement.create",
                target_type="requirement",
                target_id=f"BUD-{n:04d}",
                data={"module": "BUD"},
            )
        elapsed = time.perf_counter() - started
        session.close()
        transaction.rollback()
    return round(elapsed, 3)


def heap_run(settings: Settings, requirements: int, commits: int) -> dict[str, float]:
    rng = random.Random(7)
    db = setup(settings)
    sheet = make_sheet(settings.data_dir / "heap.xlsx", requirements, rng)
    insert_commits(db, _id(module_of(db)), commits, requirements, rng)

    def do_import() -> None:
        with db.session() as session:
            import_requirements(session, module=module_of(db), path=sheet, actor="bench")

    def do_matrix() -> None:
        with db.session() as session:
            build_matrix(session, module=module_of(db))

    peaks = {"import_heap_peak_mib": heap_peak(do_import), "matrix_heap_peak_mib": heap_peak(do_matrix)}
    db.dispose()
    return peaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp directory")
    parser.add_argument("--requirements", type=int, default=5510)
    parser.add_argument("--commits", type=int, default=20000)
    parser.add_argument("--files", type=int, default=3000, help="source files with markers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as second:
        url = args.database_url
        result = run(
            Settings(data_dir=Path(first), database_url=url), args.requirements, args.commits, args.files
        )
        if url is None:  # a second fresh database for the heap measurement
            result.update(heap_run(Settings(data_dir=Path(second)), args.requirements, args.commits))
    result["backend"] = (
        "sqlite" if args.database_url is None else sa.make_url(args.database_url).get_backend_name()
    )
    result["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["targets"] = {"import_s": 5.0, "matrix_build_s": 2.0}
    result["python"] = sys.version.split()[0]
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
