"""`govern scan`, `govern worker`, `govern scheduler`: run scans here, on workers, on a schedule."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from governance.cli.jobs import scheduler_jobs
from governance.cli.lang import _
from governance.cli.progress import progress_bar
from governance.cli.runtime import Runtime, actor, runtime
from governance.cli.verdict import verdict_lines
from governance.modeltypes import row_id
from governance.registry import validation
from governance.registry.service import get_module
from governance.scans import service
from governance.scans.models import Scan, ScanStatus
from governance.scans.run import run_scan
from governance.scheduling.loop import Scheduler, scans_ran
from reports.scan_json import scan_head, write_scan_json


def run_queued_scan(
    rt: Runtime,
    scan_id: int,
    *,
    workers: int | None = None,
    show_progress: bool = False,
    use_cache: bool = True,
) -> Scan:
    """Run one queued scan with the configured executor (shared by scan, scheduler and serve)."""
    if not show_progress:
        return run_scan(rt.db, rt.settings, scan_id, workers=workers, actor=actor(), use_cache=use_cache)
    with progress_bar(None) as advance:
        return run_scan(
            rt.db, rt.settings, scan_id, workers=workers, progress=advance, actor=actor(), use_cache=use_cache
        )


def scan(
    ctx: typer.Context,
    key: str,
    commit: Annotated[str | None, typer.Option(help="Commit, branch or tag (default: branch tip).")] = None,
    branch: Annotated[
        str | None,
        typer.Option(help="Branch scanned and tracked (default: the module's default branch)."),
    ] = None,
    full: Annotated[bool, typer.Option("--full", help="Ignore the result cache.")] = False,
    workers: Annotated[int | None, typer.Option(min=1, help="Local worker processes.")] = None,
    json_file: Annotated[
        Path | None, typer.Option("--json", help="Write the scan result (JSON) here.")
    ] = None,
) -> None:
    """Scan a module now: mirror, analyse, judge by its standards profile, record.

    Exits 0 when the gate passed, 1 when it failed (the failing conditions are printed),
    2 on a user error.
    """
    rt = runtime(ctx)
    with rt.session() as session:
        module = get_module(session, key)
        queued, created = service.request_scan(
            session,
            module=module,
            trigger="manual",
            actor=actor(),
            commit=commit,
            branch=validation.branch(branch) if branch is not None else None,
        )
    if not created and queued.status != ScanStatus.queued:
        typer.echo(
            _("scan %(id)s of %(module)s is already running; this request joins it", id=queued.id, module=key)
        )
        return
    done = run_queued_scan(rt, row_id(queued), workers=workers, show_progress=True, use_cache=not full)
    with rt.session() as session:
        if json_file is None:
            document = scan_head(session, scan_id=row_id(done))
        else:  # streamed, one finding per line: a large scan's findings are never all in memory
            with json_file.open("w", encoding="utf-8") as out:
                document = write_scan_json(session, out, scan_id=row_id(done))
    typer.echo(
        _(
            "scan %(id)s of %(module)s at %(commit)s (%(branch)s): score %(score)s, level %(level)s, "
            "gate %(verdict)s; %(findings)s findings (%(new)s new, %(fixed)s fixed)",
            id=done.id,
            module=key,
            commit=done.commit_sha[:12],
            branch=done.branch,
            score=done.score,
            level=done.level,
            verdict=_("PASSED") if done.gate_passed else _("FAILED"),
            findings=document["summary"]["findings"],
            new=document["summary"]["new"],
            fixed=len(document["fixed"]),
        )
    )
    for line in verdict_lines(document):
        typer.echo(line)
    if not done.gate_passed:
        raise typer.Exit(code=1)  # a failed verdict, not a user error: CI jobs gate on this


def worker(
    ctx: typer.Context,
    concurrency: Annotated[int | None, typer.Option(min=1, help="Processes (default: cores).")] = None,
    name: Annotated[str | None, typer.Option(help="Worker node name (default: govern@host).")] = None,
) -> None:
    """Start a Celery worker that runs scan work units (GOVERN_BROKER_URL)."""
    from governance.executors.celery_app import make_celery

    app = make_celery(runtime(ctx).settings)
    argv = [
        "worker",
        "--loglevel=INFO",
        "--without-mingle",
        "--without-gossip",
        f"--concurrency={concurrency or runtime(ctx).settings.worker_count}",
    ]
    if name:
        argv.append(f"--hostname={name}")
    app.worker_main(argv)


def build_scheduler(rt: Runtime, interval: float) -> Scheduler:
    """The scheduler every face runs (``govern scheduler``, ``govern serve``): queued scans run
    here, plus the runtime's periodic jobs."""
    return Scheduler(
        rt.db,
        lambda scan_id: run_queued_scan(rt, scan_id),
        interval=interval,
        extra_jobs=scheduler_jobs(rt),
    )


def scheduler(
    ctx: typer.Context,
    interval: Annotated[float, typer.Option(min=0.1, help="Seconds between passes.")] = 15.0,
    once: Annotated[bool, typer.Option("--once", help="One pass, then exit.")] = False,
) -> None:
    """Fire due schedules and run queued scans (any number of schedulers may run)."""
    loop = build_scheduler(runtime(ctx), interval)
    if once:
        outcomes = loop.tick()
        for outcome in outcomes:
            if outcome.error:
                typer.echo(
                    _("job %(name)s failed: %(error)s", name=outcome.name, error=outcome.error), err=True
                )
        typer.echo(_("scheduler pass: %(count)s scans run", count=len(scans_ran(outcomes))))
        return
    typer.echo(
        _(
            "scheduler %(name)s running every %(interval)ss (Ctrl-C stops it)",
            name=loop.name,
            interval=interval,
        )
    )
    try:
        loop.forever()
    except KeyboardInterrupt:
        loop.stop.set()
