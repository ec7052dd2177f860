"""The `govern` application: global options, command groups, and error presentation.

A :class:`~governance.errors.GovernError` becomes one line on stderr and exit code 2
(1 is kept for "checked and found bad", e.g. a broken audit trail); anything else is a
bug and keeps its traceback.
"""

from __future__ import annotations

import sys

import typer

from governance.cli import account_cmds
from governance.cli.audit_cmds import audit_app
from governance.cli.campaign_cmds import campaign_app
from governance.cli.demo_cmd import demo
from governance.cli.entry import root_app, run
from governance.cli.evidence_cmds import attest_app, evidence_app, vulndb_app
from governance.cli.hooks_cmds import hooks_app
from governance.cli.lang import _
from governance.cli.mirror_cmds import mirror_app
from governance.cli.registry_cmds import module_app, token_app, user_app, vendor_app
from governance.cli.report_cmds import report_app
from governance.cli.report_scorecards import add_scorecards
from governance.cli.requirements_cmds import requirements_app
from governance.cli.runtime import runtime
from governance.cli.sarif_cmds import sarif_app
from governance.cli.scan_cmds import scan, scheduler, worker
from governance.cli.scan_files_cmd import scan_files
from governance.cli.serve_cmd import serve
from governance.cli.snapshot_cmds import snapshot_app
from governance.cli.sso_cmds import sso_app
from governance.cli.standards_cmds import standards_app
from governance.cli.ticket_cmds import tickets_app
from governance.cli.waiver_cmds import waivers_app
from governance.cli.webhook_cmds import notices_app, webhooks_app

app = root_app("Govern: development governance for software built by many vendors.")
app.add_typer(vendor_app, name="vendor")
app.add_typer(module_app, name="module")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
token_app.command("list")(account_cmds.token_list)
token_app.command("revoke")(account_cmds.token_revoke)
user_app.command("set")(account_cmds.user_set)
user_app.command("reset-password")(account_cmds.user_reset_password)
module_app.command("pushes")(account_cmds.module_pushes)
app.add_typer(audit_app, name="audit")
app.add_typer(standards_app, name="standards")
app.add_typer(requirements_app, name="requirements")
app.add_typer(evidence_app, name="evidence")
app.add_typer(vulndb_app, name="vulndb")
app.add_typer(attest_app, name="attest")
app.add_typer(waivers_app, name="waivers")
app.add_typer(tickets_app, name="tickets")
app.add_typer(campaign_app, name="campaign")
add_scorecards(report_app)  # `govern report scorecard|monthly` beside the documents
app.add_typer(webhooks_app, name="webhooks")
app.add_typer(notices_app, name="notices")
app.add_typer(sso_app, name="sso")
app.add_typer(sarif_app, name="sarif")
app.add_typer(snapshot_app, name="snapshot")
app.add_typer(report_app, name="report")
app.command()(demo)
app.command("scan-files")(scan_files)
app.command()(scan)
app.command()(worker)
app.command()(scheduler)
app.add_typer(mirror_app, name="mirror")
app.add_typer(hooks_app, name="hooks")
app.command()(serve)


@app.command()
def init(ctx: typer.Context) -> None:
    """Create the data directory and bring the database schema to the current version."""
    rt = runtime(ctx)
    rt.settings.data_dir.mkdir(parents=True, exist_ok=True)
    with rt.session():  # opening the database migrates it to head
        pass
    typer.echo(_("Govern ready in %(directory)s", directory=rt.settings.data_dir))


def main(argv: list[str] | None = None) -> None:
    """Console entry point (``argv`` lets tests run it in-process)."""
    run(app, sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    main()
