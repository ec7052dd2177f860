"""`govern hooks pre-receive|post-receive`: what the central repositories' git hooks run.

git-http-backend runs the hooks with the environment the portal set: ``GOVERN_MODULE``
(the module key), ``GOVERN_PUSHER`` (the authenticated user) and the data directory and
database, so the hook reaches the same Govern. Output goes to the pusher's terminal.
"""

from __future__ import annotations

import os
import sys

import typer

from governance.cli.lang import _
from governance.cli.runtime import runtime
from governance.errors import PermissionDenied, said
from governance.mirrors.push import post_receive, pre_receive, render_refusal
from governance.mirrors.push_rules import RefUpdate, parse_updates

hooks_app = typer.Typer(
    help="Git hooks of the central repositories (run by git, not by people).", no_args_is_help=True
)


def _context() -> tuple[str, str, list[RefUpdate]]:
    key, pusher = os.environ.get("GOVERN_MODULE"), os.environ.get("GOVERN_PUSHER")
    if not key or not pusher:
        raise said(
            PermissionDenied,
            "pushes to Govern's central repositories go through its HTTP endpoint (/git/<KEY>.git)"
            " with an API token",
        )
    return key, pusher, parse_updates(sys.stdin.read())


@hooks_app.command("pre-receive")
def hook_pre_receive(ctx: typer.Context) -> None:
    """Check the push against the module's push rules; exit 1 (refusing it) with the reasons."""
    key, pusher, updates = _context()
    rt = runtime(ctx)
    with rt.session() as session:
        violations = pre_receive(session, settings=rt.settings, key=key, pusher=pusher, updates=updates)
    if violations:
        sys.stderr.write(render_refusal(key, violations))
        raise typer.Exit(1)


@hooks_app.command("post-receive")
def hook_post_receive(ctx: typer.Context) -> None:
    """Archive rewritten tips, ingest the new commits, record the push and queue a scan."""
    key, pusher, updates = _context()
    rt = runtime(ctx)
    with rt.session() as session:
        added = post_receive(session, settings=rt.settings, key=key, pusher=pusher, updates=updates)
    typer.echo(
        _(
            "Govern: push to %(module)s accepted; %(count)s new commit(s) recorded, scan requested.",
            module=key,
            count=added,
        )
    )
