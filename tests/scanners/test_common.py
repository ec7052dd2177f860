"""Shared guards and fingerprinting: hostile files, option checking, stability."""

from __future__ import annotations

import threading

import pytest

from scanners._common import Draft, build_options, finalise, gate, scan_each, time_limit
from scanners.base import SourceFile
from scanners.errors import ScannerConfigError, ScanTimeout
from scanners.radon_scanner import RadonOptions


@pytest.mark.parametrize(
    ("path", "content", "reason"),
    [
        ("a.py", b"x = 1\n" * 10, None),
        ("a.py", b"\x00\x01\x02", "binary file"),
        ("a.py", "caf\u00e9 = 1\n".encode("latin-1"), "not UTF-8 text (byte 3)"),
        ("a.py", b"x" * 101, "too large: 101 bytes > 100"),
        ("../etc/passwd", b"x", "unsafe path"),
        ("/abs.py", b"x", "unsafe path"),
    ],
)
def test_gate(path: str, content: bytes, reason: str | None) -> None:
    skip = gate(SourceFile(path, content), "t", max_bytes=100)
    assert (skip.reason if skip else None) == reason


def _draft(line: int, path: str = "a.py") -> Draft:
    return Draft("t:R1", "t", "R1", "minor", path, line, line, "msg")


def test_fingerprint_survives_lines_inserted_above() -> None:
    before = SourceFile("a.py", b"import os\nvalue = 1\n")
    after = SourceFile("a.py", b'"""doc."""\n\n\nimport os\nvalue = 1\n')
    (old,) = finalise([_draft(1)], {"a.py": before})
    (new,) = finalise([_draft(4)], {"a.py": after})
    assert old.fingerprint == new.fingerprint
    assert (old.line, new.line) == (1, 4)


def test_identical_triples_get_distinct_fingerprints() -> None:
    source = SourceFile("a.py", b"x = 1\nx = 1\ny = 2\n")
    findings = finalise([_draft(2), _draft(1), _draft(3)], {"a.py": source})
    assert len({f.fingerprint for f in findings}) == 3
    # Order by position, whatever order the tool emitted them in.
    assert [f.line for f in findings] == [1, 2, 3]
    again = finalise([_draft(1), _draft(2), _draft(3)], {"a.py": source})
    assert [f.fingerprint for f in again] == [f.fingerprint for f in findings]


def test_unknown_option_is_refused_by_name() -> None:
    with pytest.raises(ScannerConfigError, match="min_rnak"):
        build_options(RadonOptions, {"min_rnak": "D"})


def test_bad_option_value_is_a_config_error() -> None:
    with pytest.raises(ScannerConfigError, match="ranks"):
        build_options(RadonOptions, {"min_rank": "Z"})


# A hang that ends by itself only after this long, so a broken time limit fails the test
# (no ScanTimeout) instead of hanging the run; the limits under test are a fraction of a second.
HANG = 600.0


def _hang() -> None:
    threading.Event().wait(HANG)


def test_time_limit_interrupts_a_hang() -> None:
    with pytest.raises(ScanTimeout), time_limit(0.2):
        _hang()


def test_scan_each_turns_crash_and_hang_into_skips_and_goes_on() -> None:
    def analyse(source: SourceFile) -> tuple[list[Draft], dict[str, float]]:
        if source.path == "crash.py":
            raise RuntimeError("tool bug")
        if source.path == "hang.py":
            _hang()
        return [_draft(1, source.path)], {"n": 1.0}

    files = [SourceFile(p, b"x = 1\n") for p in ("crash.py", "hang.py", "ok.py")]
    result = scan_each(files, "t", 1000, 0.2, analyse)
    assert [f.path for f in result.findings] == ["ok.py"]
    assert {s.path: s.reason.split(":")[0] for s in result.skipped} == {
        "crash.py": "crash",
        "hang.py": "timeout",
    }
    assert dict(result.metrics) == {"ok.py": {"n": 1.0}}
