"""What the central repositories' git hooks run: ``python -m governance.cli.hook_entry hooks <hook>``.

Every push runs two hooks, each a new process. Through :mod:`governance.cli.app` each paid
for importing every command of ``govern`` (scans, reports, the portal's server) before
checking a single ref; this entry imports the hook commands only, and behaves as ``govern
hooks`` does (same options, same errors, same words).
"""

from __future__ import annotations

import sys

import typer

from governance.cli.clickwords import WordedGroup
from governance.cli.entry import configure, run
from governance.cli.hooks_cmds import hooks_app

app = typer.Typer(
    name="govern",
    help=hooks_app.info.help,  # its words have their translations; the callback's docstring is not for people
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=WordedGroup,
)
app.callback()(configure)
app.add_typer(hooks_app, name="hooks")


def main(argv: list[str] | None = None) -> None:
    """The hooks' entry point (``argv`` lets tests run it in-process)."""
    run(app, sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    main()
