"""The environment digest reads distribution names from their directories, as their metadata says."""

from __future__ import annotations

from importlib.metadata import distributions

from scanners.installed import identity, normalised


def test_every_installed_distribution_reads_as_its_metadata_says() -> None:
    """The directory name is a shortcut: it must give what the METADATA file gives."""
    found = list(distributions())
    assert len(found) > 50
    for dist in found:
        assert identity(dist) == f"{normalised(dist.metadata['Name'])}=={dist.version}", dist


def test_names_compare_as_the_packaging_specifications_say() -> None:
    assert normalised("Boolean.py") == normalised("boolean_py") == "boolean-py"
