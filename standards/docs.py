"""The rule catalogue as Markdown and HTML, generated from the standard files.

Like bandit's docs generated from each plugin's rationale, the catalogue a PM hands to a
vendor is rendered from the very data that judges the vendor's code, so the two cannot
drift: every rule, its rationale, its threshold and the scanner rules or facts it binds.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from standards.factchecks import FACTS
from standards.schema import (
    SEVERITY_WEIGHT,
    AttestationCheck,
    FactCheck,
    FindingsCheck,
    MetricCheck,
    RequiredFileCheck,
    Rule,
    Standard,
)
from standards.scoring import FAILING_CAP, LEVELS

LANGS = ("zh-CN", "en")


def describe_check(rule: Rule) -> str:
    """One English sentence saying what the rule measures and what passes."""
    check = rule.check
    if isinstance(check, FindingsCheck):
        text = f"at most {check.threshold} finding(s) of {', '.join(check.rules)}"
        if check.min_severity:
            text += f" with severity {check.min_severity} or worse"
        return text + _scope(check.paths, check.exclude_paths)
    if isinstance(check, MetricCheck):
        measure = (
            f"{check.metric} / {check.denominator} over all files"
            if check.aggregation == "ratio"
            else f"{check.aggregation} of {check.metric}"
        )
        return f"{measure} {check.comparison} {check.threshold:g}" + _scope(check.paths, check.exclude_paths)
    if isinstance(check, RequiredFileCheck):
        return f"at least {check.threshold} file(s) matching {', '.join(check.globs)}"
    if isinstance(check, AttestationCheck):
        return (
            f"an attestation approved by the {check.approver_role} and unexpired "
            f"(valid up to {check.validity_days} days): {check.evidence.en}"
        )
    return _describe_fact(check)


def _describe_fact(check: FactCheck) -> str:
    spec = FACTS[check.fact]
    text = f"fact {check.fact} {check.comparison} {check.threshold:g} ({spec.description})"
    if check.params:
        text += " with " + ", ".join(f"{k}={v}" for k, v in sorted(check.params.items()))
    return text


def _scope(paths: list[str], exclude: list[str]) -> str:
    text = f" in {', '.join(paths)}" if paths else ""
    return text + (f", except {', '.join(exclude)}" if exclude else "")


def bindings(rule: Rule) -> list[str]:
    """The scanner rule ids, metrics, globs or fact names a rule reads."""
    check = rule.check
    if isinstance(check, FindingsCheck):
        return list(check.rules)
    if isinstance(check, MetricCheck):
        return [m for m in (check.metric, check.denominator) if m]
    if isinstance(check, RequiredFileCheck):
        return list(check.globs)
    if isinstance(check, AttestationCheck):
        return [f"attestation:{check.approver_role}"]
    return [f"fact:{check.fact}"]


def _markdown_escape(text: str) -> str:
    """Escape what Markdown would read as emphasis or a table cell break (globs are full
    of ``*`` and ``_``)."""
    for char in ("\\", "|", "*", "_"):
        text = text.replace(char, "\\" + char)
    return text


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("standards", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(describe=describe_check, bindings=bindings)
    env.filters["md"] = _markdown_escape
    return env


def _render(template: str, catalogue: Mapping[str, Standard], langs: tuple[str, ...]) -> str:
    for lang in langs:
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}; use {', '.join(LANGS)}")
    standards = list(catalogue.values())
    return (
        _environment()
        .get_template(template)
        .render(
            standards=standards,
            langs=langs,
            total=sum(len(s.rules) for s in standards),
            levels=LEVELS,
            cap=FAILING_CAP,
            weights=SEVERITY_WEIGHT,
            facts=[FACTS[name] for name in sorted(FACTS)],
        )
    )


def render_markdown(catalogue: Mapping[str, Standard], langs: tuple[str, ...] = LANGS) -> str:
    """The catalogue as Markdown (titles and rationales in each of ``langs``)."""
    return _render("catalogue.md.j2", catalogue, langs)


def render_html(catalogue: Mapping[str, Standard], langs: tuple[str, ...] = LANGS) -> str:
    """The catalogue as one self-contained HTML page."""
    return _render("catalogue.html.j2", catalogue, langs)


def write_docs(
    out_dir: str | Path, catalogue: Mapping[str, Standard], langs: tuple[str, ...] = LANGS
) -> list[Path]:
    """Write ``standards.md`` and ``standards.html`` into ``out_dir``; return their paths."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, render in (("standards.md", render_markdown), ("standards.html", render_html)):
        target = folder / name
        target.write_text(render(catalogue, langs), encoding="utf-8")
        written.append(target)
    return written
