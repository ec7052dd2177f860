"""What every `govern` entry point shares: the global options and how errors are shown.

``govern`` itself (:mod:`governance.cli.app`) and the git hooks' lighter entry
(:mod:`governance.cli.hook_entry`) both read settings through :func:`configure` and run
through :func:`run`, so a hook speaks and fails exactly as the command does.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from governance.cli.clickwords import WordedGroup, speak
from governance.cli.lang import _, activate, choose, error_text, shown, translate_help
from governance.cli.runtime import Runtime
from governance.config import Language, load_settings
from governance.errors import GovernError
from governance.invalid_input import problems


def root_app(help_text: str | None) -> typer.Typer:
    """A top-level app reading the global options through :func:`configure`, for :func:`run`."""
    app = typer.Typer(
        name="govern",
        help=help_text,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
        cls=WordedGroup,  # click's own words (usage errors) in the chosen language: see clickwords
    )
    app.callback()(configure)
    return app


def configure(
    ctx: typer.Context,
    data_dir: Annotated[Path | None, typer.Option(help="Data directory [env GOVERN_DATA_DIR].")] = None,
    database_url: Annotated[str | None, typer.Option(help="Database URL [env GOVERN_DATABASE_URL].")] = None,
    lang: Annotated[
        Language | None, typer.Option(help="Language of the output: en or zh-CN [env GOVERN_LANG].")
    ] = None,
) -> None:
    """Read settings once; commands get them from the context.

    The language was already chosen by :func:`run` (help is rendered before this runs);
    ``--lang`` is declared here so click checks and documents it.
    """
    ctx.obj = Runtime(load_settings(data_dir=data_dir, database_url=database_url, lang=lang))
    ctx.call_on_close(ctx.obj.close)


def run(app: typer.Typer, args: list[str], prog_name: str = "govern") -> None:
    """Run ``app`` on ``args``: a Govern error is one line on stderr and exit code 2.

    The click command is built here rather than by ``app()`` so that its help texts can be put
    in the chosen language before click parses (and perhaps renders ``--help``).
    """
    command = typer.main.get_command(app)
    assert isinstance(command, WordedGroup)  # the app has a callback: always a group
    activate(choose(args, os.environ, command))
    translate_help(command)
    speak(command)
    # What start-up made (modules, classes, the click tree) lives as long as the process; out
    # of the collector's reach, the full collections a scan triggers no longer walk it. Given
    # back after the command, so a process that runs several (the tests) leaks no garbage.
    gc.freeze()
    try:
        command(args=args, prog_name=prog_name)
    except GovernError as exc:
        typer.echo(_("error: %(message)s", message=error_text(exc)), err=True)
        sys.exit(2)
    except ValidationError as exc:
        found = shown(problems(exc.errors(), limit=len(exc.errors())))
        typer.echo(_("error: invalid configuration: %(problems)s", problems=found), err=True)
        sys.exit(2)
    finally:
        gc.unfreeze()
