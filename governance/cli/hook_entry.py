"""What the central repositories' git hooks run: ``python -m governance.cli.hook_entry hooks <hook>``.

Every push runs two hooks, each a new process. Through :mod:`governance.cli.app` each paid
for importing every command of ``govern`` (scans, reports, the portal's server) before
checking a single ref; this entry imports the hook commands only, and behaves as ``govern
hooks`` does (same options, same errors, same words).
"""

from __future__ import annotations

import sys

from governance.cli.entry import root_app, run
from governance.cli.hooks_cmds import hooks_app

# The hooks' own help: its words have their translations (the callback's docstring is not for people).
app = root_app(hooks_app.info.help)
app.add_typer(hooks_app, name="hooks")


def main(argv: list[str] | None = None) -> None:
    """The hooks' entry point (``argv`` lets tests run it in-process)."""
    run(app, sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    main()
