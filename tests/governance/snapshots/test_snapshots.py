"""Review snapshots: signed, reproducible, any changed byte fails verify, vendors only their own."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from governance.scans.models import Scan
from governance.snapshots.bundle import verify_snapshot
from tests.conftest import CliResult


def _world(govern: Callable[..., CliResult], scan_now: Callable[..., Scan], cal_module: str) -> None:
    scan_now(cal_module)
    for args in (
        ("vendor", "add", "Beta Soft"),
        ("user", "add", "acme", "--role", "vendor", "--vendor", "Acme Soft"),
        ("user", "add", "beta", "--role", "vendor", "--vendor", "Beta Soft"),
        ("module", "add", "BET", "--vendor", "Beta Soft"),
    ):
        assert govern(*args).code == 0, args


def _body(path: Path) -> dict[str, object]:
    document = json.loads(path.read_bytes())
    return {k: v for k, v in document.items() if k not in ("created_at", "signature")}


def test_snapshot_is_signed_reproducible_and_verifies(
    govern: Callable[..., CliResult], scan_now: Callable[..., Scan], cal_module: str, tmp_path: Path
) -> None:
    _world(govern, scan_now, cal_module)
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    done = govern("snapshot", "create", "--module", "CAL", "--output", str(first))
    assert done.code == 0, done.err
    seq = json.loads(first.read_bytes())["content"]["audit_head"]["seq"]
    assert (
        govern("snapshot", "create", "--module", "CAL", "--output", str(second), "--audit-seq", str(seq)).code
        == 0
    )
    assert _body(first) == _body(second)  # same inputs: identical but for time and signature
    a, b = first.read_bytes(), second.read_bytes()
    stamp = json.loads(a)
    rebuilt = json.loads(b)
    rebuilt["created_at"], rebuilt["signature"] = stamp["created_at"], stamp["signature"]
    assert (
        json.dumps(rebuilt, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode() + b"\n" == a
    )
    content = stamp["content"]["modules"][0]
    assert content["scan"]["commit"] and content["profile"]["digest"] == content["scan"]["profile_digest"]
    assert {"tool_versions", "gate", "standards", "findings"} <= set(content["scan"])
    assert [row["key"] for row in content["traceability"]] == ["CAL-1", "CAL-2", "CAL-3", "CAL-4"]
    verified = govern("snapshot", "verify", str(first))
    assert verified.code == 0 and "snapshot intact, signed by sha256:" in verified.out
    key = verified.out.strip().rsplit(" ", 1)[1]
    assert govern("snapshot", "verify", str(first), "--public-key", key).code == 0
    assert govern("snapshot", "verify", str(first), "--public-key", "sha256:" + "0" * 64).code == 1
    log = json.loads(govern("audit", "log", "--json").out)
    assert [e["action"] for e in log].count("snapshot.create") == 2


def test_any_changed_byte_fails_verify(
    govern: Callable[..., CliResult], cal_module: str, tmp_path: Path
) -> None:
    """A byte in every part of the file, and every byte of the key and the signature, whose
    base64 texts are not signed themselves (a module with requirements, not yet scanned).

    Each position is checked by the verifier the command calls; the command itself (file,
    exit codes) on a changed byte at the start, middle and end, an appended byte and a missing file.
    """
    path = tmp_path / "s.json"
    assert govern("snapshot", "create", "--module", "CAL", "--output", str(path)).code == 0
    data = path.read_bytes()
    assert verify_snapshot(data).ok

    def changed(index: int, replacement: int) -> bytes:
        return data[:index] + bytes([replacement]) + data[index + 1 :]

    document = json.loads(data)
    texts = [document[field].encode() for field in ("public_key", "signature")]
    spans = [range(data.index(text), data.index(text) + len(text)) for text in texts]
    step = max(1, len(data) // 600)
    for index in sorted({*range(0, len(data), step), len(data) - 1, *(i for span in spans for i in span)}):
        for replacement in {(data[index] + 1) % 256, ord(" ")} - {data[index]}:
            assert not verify_snapshot(changed(index, replacement)).ok, (
                index,
                data[max(0, index - 20) : index + 20],
            )
    for index in (0, len(data) // 2, len(data) - 1):
        path.write_bytes(changed(index, (data[index] + 1) % 256))
        assert govern("snapshot", "verify", str(path)).code == 1, index
    path.write_bytes(data + b"\n")
    assert govern("snapshot", "verify", str(path)).code == 1
    path.write_bytes(data)
    assert govern("snapshot", "verify", str(path)).code == 0
    assert govern("snapshot", "verify", str(tmp_path / "missing.json")).code == 2


def test_vendor_snapshots_only_its_own_modules(
    govern: Callable[..., CliResult], scan_now: Callable[..., Scan], cal_module: str, tmp_path: Path
) -> None:
    _world(govern, scan_now, cal_module)
    out = tmp_path / "v.json"
    denied = govern("snapshot", "create", "--module", "CAL", "--output", str(out), "--as", "beta")
    assert denied.code == 2 and not out.exists()
    assert govern("snapshot", "create", "--all", "--output", str(out), "--as", "beta").code == 0
    keys = [m["key"] for m in json.loads(out.read_bytes())["content"]["modules"]]
    assert keys == ["BET"]
    assert govern("snapshot", "create", "--output", str(out)).code == 2  # neither --module nor --all


def test_key_rotation_old_bundles_verify_with_the_old_pin(
    govern: Callable[..., CliResult],
    scan_now: Callable[..., Scan],
    cal_module: str,
    settings,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    scan_now(cal_module)
    old = tmp_path / "old.json"
    assert govern("snapshot", "create", "--module", "CAL", "--output", str(old)).code == 0
    old_key = govern("snapshot", "key").out.strip().splitlines()[-1]
    key_file = settings.data_dir / "keys" / "snapshot.key"
    key_file.rename(tmp_path / "retired.key")
    new = tmp_path / "new.json"
    assert govern("snapshot", "create", "--module", "CAL", "--output", str(new)).code == 0
    assert govern("snapshot", "verify", str(old), "--public-key", old_key).code == 0
    assert govern("snapshot", "verify", str(new), "--public-key", old_key).code == 1
