"""A realistic vendor repository for the pipeline benchmarks: a real sdist as the Python
part, plus generated Java services and SQL migrations, committed with git; then changes
committed on top (deliveries, the nightly 1%)."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

JAVA = """package gov.finance.{pkg};

import java.util.ArrayList;
import java.util.List;

/** {name} service generated for the benchmark: branching business rules. */
public class {name} {{
    private final List<String> audit = new ArrayList<>();

{methods}
}}
"""

METHOD = """    public int rule{n}(int amount, String kind, boolean urgent) {{
        audit.add("rule{n}");
        if (amount > {a}) {{
            if ("capital".equals(kind) && urgent) {{ return {a} % 7; }}
            else if ("operating".equals(kind)) {{ return amount / 3; }}
        }} else if (amount < {b}) {{
            for (int i = 0; i < amount % 5; i++) {{ amount += i; }}
            return amount;
        }}
        return urgent ? 1 : 0;
    }}

"""

SQL = """-- migration {n}
CREATE TABLE {table}_{n} (
    id BIGINT PRIMARY KEY,
    account VARCHAR(20) NOT NULL,
    amount_cents BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ix_{table}_{n}_account ON {table}_{n} (account);
SELECT account, SUM(amount_cents) FROM {table}_{n} GROUP BY account;
"""


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


#: What a change appends to a file, by suffix (``{seed}`` keeps repeated changes distinct).
APPENDED = {
    ".py": "\n\ndef _nightly_change_{seed}(value):\n    return value * 2 if value else None\n",
    ".java": "\n// change {seed}\n",
    ".sql": "\n-- change {seed}\n",
}


def build(
    repo: Path,
    python_source: Path,
    *,
    java_files: int,
    sql_files: int,
    seed: int = 3,
    table: str = "ledger",
    message: str = "BEN-1: delivery",
) -> None:
    """Create ``repo`` with the Python tree under ``src/`` and generated Java and SQL.

    Repositories meant to sit side by side (several modules) take their own ``seed`` and
    ``table``, so that no two share a generated file (the scan cache is keyed by blob).
    """
    rng = random.Random(seed)
    shutil.copytree(python_source, repo / "src" / python_source.name)
    for number in range(java_files):
        methods = "".join(
            METHOD.format(n=m, a=rng.randint(100, 9999), b=rng.randint(1, 99)) for m in range(12)
        )
        target = repo / "java" / f"pkg{number % 20}" / f"Service{number}.java"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(JAVA.format(pkg=f"pkg{number % 20}", name=f"Service{number}", methods=methods))
    for number in range(sql_files):
        target = repo / "migrations" / f"V{number:04d}__ledger_{number}.sql"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(SQL.format(n=number, table=table))
    (repo / "README.md").write_text("# Benchmark module\n")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "-c", "user.name=Bench", "-c", "user.email=b@example", "add", "-A")
    _git(repo, "-c", "user.name=Bench", "-c", "user.email=b@example", "commit", "-q", "-m", message)


def change_one_percent(
    repo: Path,
    seed: int = 11,
    *,
    suffixes: tuple[str, ...] = (".py",),
    message: str = "BEN-2: nightly change",
) -> int:
    """Edit 1% of the files with these suffixes (the Python files by default), spread
    across the tree, and commit with ``message``; returns how many."""
    tracked = _git(repo, "ls-files", "-z").split("\0")
    paths = sorted(repo / name for name in tracked if name.endswith(suffixes))
    chosen = random.Random(seed).sample(paths, max(1, len(paths) // 100))
    for path in chosen:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(APPENDED[path.suffix].format(seed=seed))
    _git(repo, "-c", "user.name=Bench", "-c", "user.email=b@example", "commit", "-qam", message)
    return len(chosen)
