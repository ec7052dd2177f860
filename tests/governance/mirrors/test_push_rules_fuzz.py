"""Hypothesis over the push-rule parser: any stored settings give rules or one clear error.

The pre-receive hook parses ``Module.settings["push_rules"]`` and git's ref-update lines on
every push; a value of the wrong type must refuse the push with a message naming the
setting (InvalidInput), never a traceback in the vendor's ``git push``.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.errors import InvalidInput
from governance.mirrors.push_rules import DEFAULTS, PushRules, parse_updates, rules_for
from governance.registry.models import Module

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)
KEYS = st.sampled_from([*DEFAULTS, "unknown", ""])
SETTINGS = st.dictionaries(KEYS, JSON, max_size=6) | JSON


def _module(push_rules: object) -> Module:
    settings_ = {"push_rules": push_rules}
    return Module(key="FUZ", name="FUZ", vendor_id=1, default_branch="main", settings=settings_)


@settings(max_examples=200, deadline=None)
@given(SETTINGS)
def test_any_settings_give_rules_or_one_clear_error(push_rules: object) -> None:
    try:
        rules = rules_for(_module(push_rules))
    except InvalidInput as exc:
        assert exc.message.startswith("module FUZ: ") and "\n" not in exc.message
        return
    assert isinstance(rules, PushRules)
    assert isinstance(rules.max_blob_bytes, int) and rules.max_blob_bytes >= 1
    assert all(isinstance(p, str) for p in (*rules.allowed_states, *rules.protected_branches))


@pytest.mark.parametrize(
    ("push_rules", "named"),
    [
        ({"max_blob_bytes": "big"}, "max_blob_bytes"),
        ({"allowed_states": 3}, "allowed_states"),
        ({"protected_branches": [1]}, "protected_branches"),
        ({"detect_secrets": "no"}, "detect_secrets"),
        (["require_requirement"], "mapping"),
    ],
)
def test_wrong_types_name_the_setting(push_rules: object, named: str) -> None:
    with pytest.raises(InvalidInput, match=named):
        rules_for(_module(push_rules))


def test_defaults_apply_when_nothing_is_set() -> None:
    rules = rules_for(_module({}))
    assert rules.max_blob_bytes == DEFAULTS["max_blob_bytes"]
    assert rules.protected_branches == ("main", "release/*")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_hook_input_parses_to_three_field_updates(text: str) -> None:
    for update in parse_updates(text):
        assert update.old and update.new and update.ref
        assert not any(c.isspace() for c in update.old + update.new + update.ref)
