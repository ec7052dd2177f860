"""What `govern` loads before it runs a command: every command and each git hook pays it.

A scan with nothing to re-scan must cost little more than this start-up (issue 14), so the
libraries only some commands need are imported by those commands, never at start.
"""

from __future__ import annotations

import subprocess
import sys

# Each costs a noticeable part of a second or more at import and serves only some commands
# (jsonschema builds rfc3987-syntax's grammars, about 2 s; openpyxl brings numpy and PIL;
# authlib and joserfc bring cryptography): they are imported where used.
HEAVY = (
    "jsonschema",
    "rfc3987_syntax",
    "uvicorn",
    "fastapi",
    "weasyprint",
    "celery",
    "pylint",
    "astroid",
    "bandit",
    "detect_secrets",
    "requests",
    "ldap3",
    "authlib",
    "joserfc",
    "cryptography",
    "openpyxl",
    "numpy",
    "PIL",
    "cyclonedx",
    "sarif_pydantic",
    "pygount",
    "httpx",
)

_REPORT_LOADED = "import sys\n{run}\nprint('loaded:', *(m for m in {heavy!r} if m in sys.modules))\n"


def _loaded_after(run: str) -> list[str]:
    """The heavy libraries in ``sys.modules`` of a fresh interpreter after ``run``."""
    code = _REPORT_LOADED.format(run=run, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    last = done.stdout.splitlines()[-1].split()
    assert last[0] == "loaded:", done.stdout
    return last[1:]


def test_start_up_imports_none_of_the_heavy_libraries() -> None:
    assert _loaded_after("import governance.cli.app") == []


def test_help_works_and_imports_none_of_the_heavy_libraries() -> None:
    run = (
        "from governance.cli.app import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, None), exc.code\n"
    )
    assert _loaded_after(run) == []


def test_help_lists_the_commands() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "governance.cli.app", "--help"], capture_output=True, text=True, check=True
    )
    assert "scan" in done.stdout
    assert "report" in done.stdout


# Modules of other commands: a git hook (two new processes on every push) needs none of them.
OTHER_COMMANDS = (
    "governance.cli.scan_cmds",
    "governance.cli.report_cmds",
    "governance.cli.serve_cmd",
    "governance.cli.demo_cmd",
    "governance.scans.run",
)


def test_the_git_hooks_load_none_of_the_other_commands() -> None:
    from governance.mirrors.repo import HOOKS, _hook_script

    for hook in HOOKS:
        command = _hook_script(hook).splitlines()[-1].split()
        module = command[command.index("-m") + 1]
        assert command[-2:] == ["hooks", hook]
        code = _REPORT_LOADED.format(run=f"import {module}", heavy=OTHER_COMMANDS + HEAVY)
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert done.stdout.split() == ["loaded:"], (hook, done.stdout)


def test_a_command_runs_with_start_up_frozen_and_gives_it_back() -> None:
    """A no-change scan's full collections walked every module and class (4.95 -> 4.0 CPU-s on
    Django's `django/` when frozen); a process that runs several commands must not keep each
    one's leftovers for ever."""
    import gc

    import typer

    from governance.cli.clickwords import WordedGroup
    from governance.cli.entry import configure, run

    app = typer.Typer(cls=WordedGroup)
    app.callback()(configure)
    seen: list[int] = []

    @app.command()
    def probe() -> None:
        seen.append(gc.get_freeze_count())

    try:
        run(app, ["probe"])
    except SystemExit as exc:
        assert exc.code in (0, None)
    assert seen and seen[0] > 10_000
    assert gc.get_freeze_count() == 0
