"""The rules an installed scanner declares, kept on disk between runs of ``govern``.

Every ``govern scan`` checks its standards against the rules the scanners declare, and asking
pylint, bandit and detect-secrets for theirs imports each tool and builds its message store
(about 0.4 s of a scan that has nothing to re-analyse). What a scanner declares depends only on
what is installed and how it is configured, so the declaration is stored once per

- entry point (name and object) and its distribution's name and version,
- the scanner's ``version`` (the tools' versions) and ``config_digest`` (its settings),
- every installed distribution and its version (a tool's plugins come from other packages), and
- the size and mtime of every source file of the scanner's top-level package, so an edited
  checkout (an editable install keeps its version) declares afresh;

and read back as long as all of those are unchanged. A scanner that is not from an installed
distribution (a test's stand-in, an embedding's ``candidates``) is asked every time, as is
one whose stored declaration cannot be read. Only a declaration that passed
:func:`scanners.rules.check_declared` is stored.

Where: ``GOVERN_CACHE_DIR`` when set, else the user's cache directory (platformdirs); a
directory that cannot be written only costs the speed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

from scanners.installed import environment_digest, identity
from scanners.rules import RuleDoc, check_declared

#: Bump when the stored form or the key changes.
FORMAT = 1


def cache_dir() -> Path:
    """Where declarations are kept: ``GOVERN_CACHE_DIR``, else the user's cache directory."""
    configured = os.environ.get("GOVERN_CACHE_DIR")
    if configured:
        return Path(configured) / "rules"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("govern")) / "rules"


def declared_rules(entry_point: EntryPoint, instance: Any) -> tuple[RuleDoc, ...]:
    """``instance.rules()``, checked; from the stored declaration when nothing it depends on changed."""
    name = entry_point.name
    key = _key(entry_point, instance)
    if key is None:
        return check_declared(name, instance.rules())
    path = cache_dir() / f"{name}-{key}.json"
    stored = _read(path)
    if stored is not None:
        return stored
    docs = check_declared(name, instance.rules())
    _write(path, docs)
    return docs


def _key(entry_point: EntryPoint, instance: Any) -> str | None:
    try:
        installed = identity(entry_point.dist)  # type: ignore[arg-type]
    except AttributeError:  # no distribution, or a stand-in without metadata
        return None
    parts = [
        str(FORMAT),
        entry_point.name,
        entry_point.value,
        installed,
        str(getattr(instance, "version", "")),
        str(getattr(instance, "config_digest", "")),
        environment_digest(),  # a plugin package installed beside the tool (bandit's) adds rules
        *_source_stamps(type(instance).__module__),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _source_stamps(module_name: str) -> list[str]:
    """Size and mtime of each ``.py`` file of the module's top-level package (or the module)."""
    top = sys.modules.get(module_name.partition(".")[0])
    where = getattr(top, "__file__", None)
    if where is None:
        return []
    origin = Path(where)
    files = sorted(origin.parent.rglob("*.py")) if origin.name == "__init__.py" else [origin]
    stamps = []
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        stamps.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return stamps


def _read(path: Path) -> tuple[RuleDoc, ...] | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return tuple(
            RuleDoc(
                id=item["id"],
                severity=item["severity"],
                title=dict(item["title"]),
                rationale=dict(item["rationale"]),
                fix=dict(item["fix"]),
            )
            for item in raw
        )
    except (OSError, ValueError, KeyError, TypeError):  # absent, torn or from another format
        return None


def _write(path: Path, docs: tuple[RuleDoc, ...]) -> None:
    """Write atomically (parallel workers may store the same declaration); best effort."""
    records = [
        {
            "id": d.id,
            "severity": d.severity,
            "title": dict(d.title),
            "rationale": dict(d.rationale),
            "fix": dict(d.fix),
        }
        for d in docs
    ]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False) as handle:
            json.dump(records, handle, ensure_ascii=False)
        os.replace(handle.name, path)
    except OSError:
        return
