"""Scanner engine figures on a real corpus: in-process batches vs. the raw tools.

Usage: ``python benchmarks/scanners_bench.py CORPUS_DIR [--per-file-sample N]``
(e.g. an extracted sdist). Prints one line per measurement as JSON. Ratios, not absolute
times, are what matter: they are measured in one run on the same files.

Measured, per tool: Govern in-process over planned batches; the CLI once over all files;
the CLI once per file (what a naive engine would do), extrapolated from a sample.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from scanners.bandit_scanner import BanditScanner
from scanners.base import ScanResult
from scanners.batching import make_batch, plan_batches
from scanners.imports import ImportGraph
from scanners.pylint_scanner import PylintScanner
from scanners.radon_scanner import RadonScanner
from scanners.secrets_scanner import SecretsScanner

CLI = {  # what each scanner computes, as CLI commands
    "pylint": [["pylint", "--persistent=n", "--disable=duplicate-code,cyclic-import"]],
    "bandit": [["bandit", "-q", "-f", "json"]],
    "radon": [["radon", "cc", "-j"], ["radon", "mi", "-j"], ["radon", "raw", "-j"]],
    "secrets": [["detect_secrets", "scan", "-n"]],  # -n: no network verification, as Govern
}


def _cli_seconds(root: Path, tool: str, files: list[str]) -> float:
    started = time.perf_counter()
    for command in CLI[tool]:
        subprocess.run([sys.executable, "-m", *command, *files], cwd=root, capture_output=True, check=False)
    return time.perf_counter() - started


def _govern_seconds(root: Path, files: list[str], scanner: object) -> float:
    started = time.perf_counter()
    contents = {p: (root / p).read_bytes() for p in files}
    graph = ImportGraph.build(contents) if scanner.cache_scope == "closure" else None  # type: ignore[attr-defined]
    sizes = {p: len(c) for p, c in contents.items()}
    batches = [make_batch(b, contents.__getitem__, graph) for b in plan_batches(sizes, graph=graph)]
    ScanResult.merge(scanner.scan(b) for b in batches)  # type: ignore[attr-defined]
    return time.perf_counter() - started


def main() -> None:
    """Run every measurement and print JSON lines."""
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--per-file-sample", type=int, default=8)
    args = parser.parse_args()
    root: Path = args.corpus
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*.py"))
    lines = sum(len((root / p).read_bytes().splitlines()) for p in files)
    print(json.dumps({"corpus": str(root), "files": len(files), "lines": lines}))
    for scanner in (PylintScanner(), BanditScanner(), RadonScanner(), SecretsScanner()):
        govern = _govern_seconds(root, files, scanner)
        whole = _cli_seconds(root, scanner.name, files)
        sample = files[: args.per_file_sample]
        per_file = sum(_cli_seconds(root, scanner.name, [f]) for f in sample)
        per_file_all = per_file / max(len(sample), 1) * len(files)
        print(
            json.dumps(
                {
                    "tool": scanner.name,
                    "govern_s": round(govern, 2),
                    "cli_one_run_s": round(whole, 2),
                    "cli_per_file_s_extrapolated": round(per_file_all, 2),
                    "speedup_vs_cli_per_file": round(per_file_all / govern, 1),
                }
            )
        )


if __name__ == "__main__":
    main()
