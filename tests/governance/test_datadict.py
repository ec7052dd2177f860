"""The committed data dictionary matches the models (regenerate: python -m governance.datadict)."""

from __future__ import annotations

from pathlib import Path

from governance.datadict import render

ROOT = Path(__file__).resolve().parents[2]


def test_data_dictionary_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == render(), "run: python -m governance.datadict > docs/data-dictionary.md"


def test_every_table_is_described() -> None:
    sections = render().split("\n## `")[1:]
    assert len(sections) >= 16
    for section in sections:
        name, _, body = section.partition("`")
        purpose = body.strip().splitlines()[0]
        assert not purpose.startswith("|"), f"table {name} has no description (give its model a docstring)"
