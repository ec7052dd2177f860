"""The rule catalogue documents every rule with its rationale, threshold and bindings."""

from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import escape

from standards.docs import bindings, describe_check, render_html, render_markdown, write_docs
from standards.schema import Standard


def test_markdown_and_html_list_every_rule_with_rationale_and_bindings(
    catalogue: dict[str, Standard],
) -> None:
    markdown, page = render_markdown(catalogue), render_html(catalogue)
    for standard in catalogue.values():
        assert standard.title.en in markdown and standard.title.get("zh-CN") in page
        for rule in standard.rules:
            assert f"### {rule.id} — " in markdown
            assert rule.rationale.en in markdown and rule.rationale.get("zh-CN") in markdown
            assert f'<tr id="{rule.id}">' in page
            assert str(escape(rule.rationale.en)) in page
            for bound in bindings(rule):
                assert f"`{bound}`" in markdown
                assert f"<code>{escape(bound)}</code>" in page


def test_descriptions_state_thresholds(catalogue: dict[str, Standard]) -> None:
    rules = {r.id: r for s in catalogue.values() for r in s.rules}
    assert describe_check(rules["DEV-004"]) == "min of radon.mi >= 10"
    assert describe_check(rules["DEV-005"]) == (
        "at most 0 finding(s) of bandit:* with severity critical or worse"
    )
    assert describe_check(rules["REQ-001"]).startswith("fact commits_without_requirement <= 0")
    assert describe_check(rules["DEV-012"]) == "comments / sloc over all files >= 0.05"
    assert "except **/tests/**" in describe_check(rules["OPS-003"])


def test_single_language_and_unknown_language(catalogue: dict[str, Standard]) -> None:
    english = render_markdown(catalogue, ("en",))
    assert "Application design" in english and "应用设计 /" not in english
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        render_markdown(catalogue, ("fr",))


def test_write_docs_writes_both_files(tmp_path: Path, catalogue: dict[str, Standard]) -> None:
    written = write_docs(tmp_path / "out", catalogue)
    assert [p.name for p in written] == ["standards.md", "standards.html"]
    assert "DAT-010" in written[0].read_text(encoding="utf-8")
    assert written[1].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_catalogue_explains_scoring_and_every_fact(catalogue: dict[str, Standard]) -> None:
    from standards.factchecks import FACTS

    markdown, page = render_markdown(catalogue), render_html(catalogue)
    assert "**A** ≥ 90.0, **B** ≥ 75.0, **C** ≥ 60.0, **D** ≥ 40.0, **E** below" in markdown
    assert "<strong>A</strong> ≥ 90.0" in page
    for name in FACTS:
        assert f"| `{name}` |" in markdown
        assert f'<tr id="fact-{name}">' in page
