"""pydantic's validation errors read as pydantic wrote them in English and in Chinese for zh-CN."""

from __future__ import annotations

import datetime
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from governance.invalid_input import problem, problems, what
from scanners.wording import translations


class _Form(BaseModel):
    model_config = ConfigDict(extra="forbid")

    floor: int = Field(ge=1)
    name: str = Field(max_length=3)
    state: Literal["open", "closed"]
    due: datetime.date
    count: int
    flag: bool
    needed: str


def _errors() -> list[dict[str, object]]:
    with pytest.raises(ValidationError) as caught:
        _Form.model_validate(
            {
                "floor": 0,
                "name": "abcd",
                "state": "x",
                "due": "2026-13-01",
                "count": "q",
                "flag": "maybe",
                "y": 1,
            }
        )
    return [dict(e) for e in caught.value.errors()]


def test_the_english_is_pydantics_message_word_for_word() -> None:
    errors = _errors()
    assert len(errors) == 8
    for error in errors:
        assert str(problem(error)) == f"{error['loc'][0]}: {error['msg']}"
    assert str(problems(errors, limit=2)) == "; ".join(f"{e['loc'][0]}: {e['msg']}" for e in errors[:2])


def test_each_problem_reads_in_chinese() -> None:
    zh = translations("zh_CN").gettext
    shown = [problem(error).shown(zh) for error in _errors()]
    assert shown == [
        "floor：应大于或等于 1",
        "name：最多只能有 3 个字符",
        "state：应为以下之一：'open' or 'closed'",
        "due：应为日期或日期时间（month value is outside expected range of 1-12）",
        "count：应为整数：无法把输入解析为整数",
        "flag：应为布尔值：无法解读输入",
        "needed：必填项",
        "y：不允许的额外字段",
    ]
    assert problems(_errors(), limit=2).shown(zh) == "floor：应大于或等于 1；name：最多只能有 3 个字符"


def test_a_message_no_template_gives_back_is_shown_as_written() -> None:
    custom = {"type": "no_such_type", "loc": (), "msg": "my own words", "input": 1}
    assert what(custom).shown(translations("zh_CN").gettext) == "my own words"
    changed = {"type": "missing", "loc": ("a",), "msg": "Field is missing now", "input": {}}
    assert problem(changed).shown(translations("zh_CN").gettext) == "a：Field is missing now"
