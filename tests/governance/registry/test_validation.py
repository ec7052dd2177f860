"""Names are validated whole and unique regardless of case (issue 15, row 12)."""

from __future__ import annotations

import pytest

from governance.errors import AlreadyExists, InvalidInput
from governance.registry import service as registry
from governance.registry import validation


@pytest.mark.parametrize("name", ["ghost\n", "ghost\r\n", "gh\nost"])
def test_user_names_with_newlines_are_refused(name: str) -> None:
    with pytest.raises(InvalidInput):
        validation.username(name)


def test_module_keys_with_a_trailing_newline_are_refused() -> None:
    with pytest.raises(InvalidInput):
        validation.module_key("BUD\n")


def test_vendor_names_are_unique_regardless_of_case(session) -> None:
    registry.create_vendor(session, name="Acme Soft", actor="t")
    with pytest.raises(AlreadyExists):
        registry.create_vendor(session, name="ACME soft", actor="t")


def test_user_names_are_unique_regardless_of_case(session) -> None:
    registry.create_user(session, name="alice", role="pm", actor="t")
    with pytest.raises(AlreadyExists):
        registry.create_user(session, name="Alice", role="pm", actor="t")
