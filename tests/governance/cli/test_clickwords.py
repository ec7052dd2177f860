"""click's own words follow `--lang`: the usage line, the help hint and every usage error (exit 2)."""

from __future__ import annotations

import re

import pytest

from governance.cli import clickwords
from governance.cli.lang import activate, translate

#: (arguments, what zh-CN says, what English says): each a different usage error of click or Typer.
USAGE_ERRORS = [
    (("requirements", "show"), "缺少参数 'key'。", "Missing argument 'key'."),
    (("webhooks", "add"), "缺少选项 '--url'。", "Missing option '--url'."),
    (("requirements", "show", "--nope"), "没有此选项：--nope", "No such option: --nope"),
    (
        ("requirments",),
        "没有此命令：'requirments'。您是否要用 'requirements'？",
        "Did you mean 'requirements'?",
    ),
    (("requirements", "show", "A", "B", "C"), "多余的参数（B C）", "Got unexpected extra argument(s) (B C)"),
    (
        ("tickets", "show", "abc"),
        "'ticket_id' 的值无效：应为整数：无法把输入解析为整数",
        "Invalid value for 'ticket_id': Input should be a valid integer",
    ),
]
ENGLISH_WORDS = ("Usage:", "Try '", "Error", "Missing", "No such", "Invalid value", "unexpected")


@pytest.mark.parametrize(("args", "chinese", "english"), USAGE_ERRORS)
def test_a_usage_error_is_told_in_chinese_with_exit_2(govern, args, chinese: str, english: str) -> None:
    said = govern("--lang", "zh-CN", *args)
    assert said.code == 2 and chinese in said.err, said.err
    assert "用法：govern " in said.err and "运行 'govern " in said.err and "错误" in said.err
    assert not [word for word in ENGLISH_WORDS if word in said.err], said.err


@pytest.mark.parametrize(("args", "chinese", "english"), USAGE_ERRORS)
def test_a_usage_error_stays_english_in_english(govern, args, chinese: str, english: str) -> None:
    said = govern("--lang", "en", *args)
    assert said.code == 2 and english in said.err, said.err
    assert "Usage: govern " in said.err and "Try 'govern " in said.err and "Error" in said.err
    assert not re.search(r"[\u4e00-\u9fff]", said.err), said.err


def test_a_bad_language_is_refused_in_the_language_of_the_environment(govern, monkeypatch) -> None:
    monkeypatch.setenv("GOVERN_LANG", "zh-CN")
    said = govern("--lang", "xx", "vendor", "list")
    assert said.code == 2 and "'--lang' 的值无效：'xx' 不是 'en', 'zh-CN' 之一。" in said.err, said.err


def test_help_says_usage_in_the_chosen_language(govern) -> None:
    chinese = govern("--lang", "zh-CN", "requirements", "show", "--help")
    assert chinese.code == 0 and "用法：govern requirements show" in chinese.out
    assert "参数" in chinese.out and "选项" in chinese.out and "Usage" not in chinese.out
    assert "govern requirements show [选项]" in chinese.out and "[OPTIONS]" not in chinese.out
    english = govern("--lang", "en", "requirements", "show", "--help").out
    assert "Usage: govern requirements show [OPTIONS]" in english and "用法" not in english
    group = govern("--lang", "zh-CN", "requirements", "--help").out
    assert "用法：govern requirements [选项] 命令 [参数]..." in group, group


def test_no_arguments_still_shows_the_help(govern) -> None:
    """A group called without arguments shows its help (click's NoArgsIsHelpError passes as is)."""
    shown = govern("--lang", "zh-CN", "requirements")
    assert "用法：govern requirements" in shown.out + shown.err and "显示一条需求" in shown.out + shown.err
    assert "错误" not in shown.err and "Usage" not in shown.out + shown.err


def test_each_message_is_read_as_its_own_msgid_and_reworded() -> None:
    """Each msgid's English (placeholders filled) is recognised as that msgid, not an earlier one,
    and comes back unchanged in English; a message click never says stays as it is."""
    try:
        for msgid in clickwords.ERRORS:
            params = {name: f"'{name}-x'" for name in re.findall(r"%\((\w+)\)s", msgid)}
            english = msgid % params
            activate("en")
            assert clickwords.reworded(english) == english
            activate("zh-CN")
            assert clickwords.reworded(english) == translate(msgid, params) != english, msgid
        assert clickwords.reworded("Something click never said.") == "Something click never said."
    finally:
        activate("en")
