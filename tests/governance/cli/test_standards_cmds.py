"""`govern standards`: list, show, check (located errors, exit 2), docs."""

from __future__ import annotations

import json
from pathlib import Path

from standards.loader import BUILTIN_IDS


def test_list_has_the_six_standards(govern) -> None:
    listed = json.loads(govern("standards", "list", "--json").out)
    assert [s["id"] for s in listed] == list(BUILTIN_IDS) and len(BUILTIN_IDS) == 6
    assert sum(s["rules"] for s in listed) >= 40


def test_show_rule_and_unknown_id(govern) -> None:
    rule = json.loads(govern("standards", "show", "DEV-004", "--json").out)
    assert rule["standard"] == "development" and rule["check"]["metric"] == "radon.mi"
    missing = govern("standards", "show", "NOPE-1")
    assert missing.code == 2 and "no standard or rule" in missing.err


def test_check_reports_every_problem_with_its_line(govern, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        'id: x\nprefix: X\nversion: "1"\ntitle: {zh-CN: a, en: b}\nrules:\n  - id: X-1\n    severity: huge\n',
        encoding="utf-8",
    )
    result = govern("standards", "check", str(broken))
    assert result.code == 2
    assert f"{broken}:7: rules[0].severity" in result.err and f"{broken}:2: prefix" in result.err


def test_check_accepts_a_builtin_standard(govern) -> None:
    import standards

    path = Path(standards.__file__).parent / "builtin" / "data.yaml"
    result = govern("standards", "check", str(path))
    assert result.code == 0 and "valid" in result.out


def test_docs_writes_markdown_and_html(govern, tmp_path: Path) -> None:
    result = govern("standards", "docs", "--out", str(tmp_path / "cat"))
    assert result.code == 0
    markdown = (tmp_path / "cat" / "standards.md").read_text(encoding="utf-8")
    assert "DEV-004" in markdown and "数据管理" in markdown
    assert (tmp_path / "cat" / "standards.html").read_text(encoding="utf-8").startswith("<!")
