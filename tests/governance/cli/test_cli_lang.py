"""`govern` speaks zh-CN or English: ``--lang``, else ``GOVERN_LANG``, else the locale, else English."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer

from governance.cli.app import app
from governance.cli.lang import choose, flag_value
from tests.governance.cli.test_scan_cmds import SECRET_CODE, _module

LOCALE = ("GOVERN_LANG", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture
def no_language(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No language chosen anywhere (the `govern` fixture pins English; these tests choose)."""
    for name in LOCALE:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.slow
def test_a_failing_scan_gives_its_verdict_in_chinese(govern, settings, tmp_path: Path) -> None:
    profiles = settings.data_dir / "profiles"
    profiles.mkdir(parents=True, exist_ok=True)
    (profiles / "strict.yaml").write_text(
        "id: strict\nextends: legacy\ngate:\n  overall:\n    min_score: 99.9\n", encoding="utf-8"
    )
    _module(govern, tmp_path, "strict", {"app.py": SECRET_CODE})
    result = govern("--lang", "zh-CN", "scan", "APP", "--workers", "1", "--json", str(tmp_path / "scan.json"))
    assert result.code == 1, result.out + result.err
    assert "APP 的扫描" in result.out and "门禁未通过" in result.out
    assert "✗ overall.score [overall]：得分 = " in result.out and "须 >= 99.9" in result.out
    assert "未通过的规则" in result.out and "gate" not in result.out
    document = json.loads((tmp_path / "scan.json").read_text())
    assert document["gate"]["passed"] is False and "title" in document["standards"][0]["rules"][0]


def test_a_user_error_is_told_in_chinese_with_exit_2(govern) -> None:
    result = govern("--lang", "zh-CN", "scan", "NOPE")
    assert result.code == 2 and result.err == "错误：未知的模块 'NOPE'\n"
    assert govern("scan", "NOPE").err == "error: unknown module 'NOPE'\n"


def test_tables_and_confirmations_in_chinese(govern) -> None:
    assert govern("--lang", "zh-CN", "vendor", "add", "Acme Soft").out == "供应商 Acme Soft 已登记\n"
    table = govern("--lang", "zh-CN", "vendor", "list").out
    assert "名称" in table and "联系人" in table and "Acme Soft" in table
    assert json.loads(govern("--lang", "zh-CN", "vendor", "list", "--json").out)[0]["name"] == "Acme Soft"


def test_govern_lang_chooses_chinese_and_the_flag_wins(govern, no_language) -> None:
    no_language.setenv("GOVERN_LANG", "zh-CN")
    assert govern("vendor", "add", "Acme Soft").out == "供应商 Acme Soft 已登记\n"
    assert govern("--lang", "en", "vendor", "add", "Beta").out == "vendor Beta registered\n"


@pytest.mark.parametrize(
    ("environment", "chinese"),
    [
        ({"LANG": "zh_CN.UTF-8"}, True),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, True),
        ({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, False),
        ({"LANG": "de_DE.UTF-8"}, False),
        ({}, False),
    ],
)
def test_the_locale_chooses_when_nothing_else_does(
    govern, no_language, environment: dict[str, str], chinese: bool
) -> None:
    for name, value in environment.items():
        no_language.setenv(name, value)
    out = govern("vendor", "add", "Acme Soft").out
    assert out == ("供应商 Acme Soft 已登记\n" if chinese else "vendor Acme Soft registered\n")


def test_an_unknown_language_is_a_clear_error(govern, no_language) -> None:
    flag = govern("--lang", "xx", "vendor", "list")
    assert flag.code == 2 and "--lang" in flag.err and "'xx' is not one of 'en', 'zh-CN'" in flag.err
    no_language.setenv("GOVERN_LANG", "fr")
    env = govern("vendor", "list")
    assert env.code == 2 and env.err.startswith("error: invalid configuration: lang:")


def test_a_subcommands_own_lang_is_not_the_cli_language() -> None:
    """`govern report scan 1 --lang zh-CN` asks for a Chinese document, not a Chinese CLI."""
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    assert flag_value(["report", "scan", "1", "--lang", "zh-CN"], root) is None
    assert flag_value(["--data-dir", "--lang", "--lang=zh-CN", "scan"], root) == "zh-CN"
    assert flag_value(["--lang", "zh-CN", "report", "scan", "1", "--lang", "en"], root) == "zh-CN"
    assert choose(["report", "scan", "1", "--lang", "zh-CN"], {"GOVERN_LANG": "en"}, root) == "en"


def test_help_in_chinese(govern) -> None:
    top = govern("--lang", "zh-CN", "--help")
    assert top.code == 0
    assert "Govern：多供应商软件开发治理。" in top.out and "输出语言：en 或 zh-CN" in top.out
    assert "选项" in top.out and "命令" in top.out and "显示本帮助并退出。" in top.out
    scan = govern("--lang", "zh-CN", "scan", "--help").out
    assert "立即扫描一个模块" in scan and "忽略结果缓存。" in scan
    english = govern("scan", "--help").out
    assert "Scan a module now" in english and "Ignore the result cache." in english


def test_help_keeps_the_bracketed_environment_variables(govern) -> None:
    """typer reads help as rich markup, where "[env GOVERN_DATA_DIR]" was a tag and vanished."""
    english = " ".join(govern("--help").out.split())
    assert "Data directory [env GOVERN_DATA_DIR]." in english
    assert "[env GOVERN_USER]" in " ".join(govern("report", "scan", "--help").out.split())
    chinese = " ".join(govern("--lang", "zh-CN", "--help").out.split())
    assert "数据目录 [环境变量 GOVERN_DATA_DIR]。" in chinese


def test_a_configuration_problem_reads_in_the_chosen_language(govern, no_language) -> None:
    """pydantic's words about a GOVERN_* setting, translated like every other error."""
    no_language.setenv("GOVERN_SCAN_LEASE_SECONDS", "1")
    chinese = govern("--lang", "zh-CN", "vendor", "list")
    assert chinese.code == 2 and "scan_lease_seconds：应大于或等于 5" in chinese.err, chinese.err
    english = govern("--lang", "en", "vendor", "list")
    assert "scan_lease_seconds: Input should be greater than or equal to 5" in english.err, english.err
