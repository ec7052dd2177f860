"""`govern scan-files`: run the scanners over files on disk (the engine on its own)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from governance.cli.lang import _
from governance.cli.progress import progress_bar
from governance.cli.runtime import runtime
from governance.executors.local import local_executor
from governance.scans.cache import DatabaseCache
from governance.scans.engine import Analysis, analyse
from governance.scans.files import DiskFiles
from governance.scans.planner import Planner
from scanners.registry import build_registry


def scan_files(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or directories to scan.")],
    workers: Annotated[int | None, typer.Option(min=1, help="Worker processes (default: cores).")] = None,
    json_file: Annotated[Path | None, typer.Option("--json", help="Write findings as JSON here.")] = None,
) -> None:
    """Scan files on disk with every applicable scanner, reusing the result cache."""
    rt = runtime(ctx)
    files = DiskFiles(paths)
    planner = Planner(registry=build_registry(), cache=DatabaseCache(rt.db.engine), read=files.read)
    executor = local_executor(workers or rt.settings.worker_count)
    try:
        entries = files.entries()
        with progress_bar(len(entries)) as advance:
            analysis = analyse(entries, planner, executor, advance)
    finally:
        executor.close()
    if json_file is not None:
        json_file.write_text(json.dumps(as_json(analysis), indent=2, ensure_ascii=False), encoding="utf-8")
    typer.echo(summary(analysis))


def as_json(analysis: Analysis) -> dict[str, Any]:
    """The documented `--json` shape: findings, metrics per file, skipped files."""
    return {
        "findings": [f.as_dict() for f in analysis.findings],
        "metrics": analysis.metrics,
        "skipped": [{"path": s.path, "tool": s.tool, "reason": s.reason} for s in analysis.skipped],
        "stats": {"files": analysis.files, "analysed": analysis.analysed, "from_cache": analysis.from_cache},
    }


def summary(analysis: Analysis) -> str:
    by_tool: dict[str, int] = {}
    for finding in analysis.findings:
        by_tool[finding.tool] = by_tool.get(finding.tool, 0) + 1
    tools = ", ".join(f"{tool} {count}" for tool, count in sorted(by_tool.items())) or _("none")
    return _(
        "%(files)s files: %(findings)s findings (%(tools)s); %(analysed)s analyses run, "
        "%(cached)s from cache, %(skipped)s files skipped",
        files=analysis.files,
        findings=len(analysis.findings),
        tools=tools,
        analysed=analysis.analysed,
        cached=analysis.from_cache,
        skipped=len({s.path for s in analysis.skipped}),
    )
