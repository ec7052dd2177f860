"""`govern standards list|show|check|docs`: the rule catalogue, from the standards library."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from governance.cli.lang import _, language
from governance.cli.runtime import JSON_OPTION, emit_json, emit_table
from governance.errors import NotFound, said
from scanners.registry import installed_rules
from standards import api
from standards.schema import Rule, Standard

standards_app = typer.Typer(
    help="The six standards: list, show, check a file, write the catalogue.", no_args_is_help=True
)


@standards_app.command("list")
def list_cmd(as_json: bool = JSON_OPTION) -> None:
    """The standards and how many rules each holds."""
    rows = api.list_standards()
    if as_json:
        emit_json(
            [
                {
                    "id": s.id,
                    "prefix": s.prefix,
                    "version": s.version,
                    "title": s.title_en,
                    "title_zh": s.title_zh,
                    "rules": s.rules,
                }
                for s in rows
            ]
        )
        return
    emit_table(
        _("Standards"),
        ["id", "prefix", "version", "title", "title (zh-CN)", "rules"],
        [(s.id, s.prefix, s.version, s.title_en, s.title_zh, s.rules) for s in rows],
    )


def _rule_row(rule: Rule) -> list[str]:
    return [rule.id, rule.severity, rule.title.en, rule.check.kind]


@standards_app.command("show")
def show_cmd(
    item: Annotated[str, typer.Argument(help="A standard id (development) or rule id (DEV-004).")],
    as_json: bool = JSON_OPTION,
) -> None:
    """One standard with its rules, or one rule with its rationale and binding."""
    try:
        found = api.show(item)
    except KeyError:
        raise said(
            NotFound, "no standard or rule %(item)s: see `govern standards list`", item=repr(item)
        ) from None
    if isinstance(found, Standard):
        if as_json:
            emit_json(found.model_dump(mode="json"))
            return
        emit_table(
            f"{found.id} — {found.title.get(language())}",
            ["rule", "severity", "title", "check"],
            [_rule_row(rule) for rule in found.rules],
        )
        return
    standard, rule = found
    if as_json:
        emit_json({"standard": standard.id, **rule.model_dump(mode="json")})
        return
    typer.echo(f"{rule.id} ({standard.id}, {rule.severity}): {rule.title.get(language())}")
    typer.echo(_("  rationale: %(text)s", text=rule.rationale.get(language())))
    typer.echo(_("  check: %(check)s", check=rule.check.model_dump(mode="json")))


@standards_app.command("check")
def check_cmd(path: Annotated[Path, typer.Argument(help="A standard or profile YAML file.")]) -> None:
    """Validate a standard or profile file; every problem with its line, exit 2 if any."""
    if not path.is_file():
        raise said(NotFound, "no such file: %(path)s", path=str(path))
    problems = api.check_file(path, rules=installed_rules())
    if not problems:
        typer.echo(_("%(path)s: valid", path=path))
        return
    for problem in problems:
        typer.echo(f"{problem.path}:{problem.line}: {problem.message}", err=True)
    raise typer.Exit(2)


@standards_app.command("docs")
def docs_cmd(
    out: Annotated[Path, typer.Option(help="Directory to write the catalogue into.")] = Path(
        "standards-catalogue"
    ),
) -> None:
    """Write the rule catalogue as Markdown and HTML, for PMs to hand to vendors."""
    written = api.write_catalogue(out)
    for path in written:
        typer.echo(str(path))
