"""Duplicated code across modules and vendors, from the same per-blob facts index.

A scan compares its module's Python files with those of every other module as of that
module's latest complete default-branch scan (its *peer*). Both sides are per-blob facts
(:mod:`governance.scans.factstore`): each file's window steps (:mod:`scanners.dupsteps`)
say which files of the two sides can share code at all, and only those are compared on
their stripped lines. A peer costs a cache read of 8 bytes per line, and its blobs are
read only where a fact is missing. Each block of this module's code
also found in a peer is a finding on this side (``repository:cross-module-duplicate``);
the peer gets its own finding when it is scanned. The counts per pair of modules are the
portfolio figure (:mod:`governance.scans.duplication`).

Scope: a finding names a peer of the *same* vendor (module key, path, line); a peer of
another vendor is only ever "another vendor's module" — never its vendor, key, path or
code — since findings are shown to the vendor whose module was scanned.

The result depends on the scanned tree and the peers' commits only, so it is cached by
(this tree, each peer's module and commit): a rescan with nothing changed costs a lookup.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from governance.registry.models import Module
from governance.scans.cache import CacheStore
from governance.scans.factstore import FactStore
from governance.scans.models import CrossDuplication, Scan
from governance.scans.service import latest_complete
from governance.scans.source import MirrorSource
from scanners._common import Draft, finalise_with, safe_relpath
from scanners.base import Finding
from scanners.dupsteps import decode
from scanners.repository_scanner import fact_code_lines
from scanners.wording import Wording, worded

if TYPE_CHECKING:  # scanners.duplication loads pylint, so compare() imports it, not `govern` start
    from scanners.duplication import CrossCopy, StrippedLines

RULE = "repository:cross-module-duplicate"
FORMAT = "2"  # 2: findings keep their wording (a cached "1" entry is recomputed, then shown translated)


@dataclass(frozen=True)
class Peer:
    """Another module as of its latest complete default-branch scan."""

    module_id: int
    key: str
    same_vendor: bool
    commit: str
    mirror: Path


@dataclass(frozen=True)
class PairCount:
    """This module's lines (distinct) and blocks also found in one peer."""

    other_module_id: int
    other_commit: str
    lines: int
    blocks: int


@dataclass(frozen=True)
class CrossResult:
    findings: tuple[Finding, ...] = ()
    pairs: tuple[PairCount, ...] = ()


@dataclass(frozen=True)
class Settings:
    """The repository checks' settings that the comparison shares (see RepositoryOptions)."""

    min_lines: int
    max_bytes: int


def peers(session: Session, *, module: Module, mirror_of: Callable[[str], Path]) -> list[Peer]:
    """Every other module with a complete default-branch scan, by key."""
    found = []
    for other in session.exec(select(Module).where(col(Module.id) != module.id).order_by(col(Module.key))):
        scan = latest_complete(session, module_id=other.id or 0)
        if scan is not None:
            same = other.vendor_id == module.vendor_id
            found.append(Peer(other.id or 0, other.key, same, scan.commit_sha, mirror_of(other.key)))
    return found


@dataclass(frozen=True)
class Side:
    """One tree's Python files that the repository checks admit: each one's window steps
    (tree order), and its stripped lines read only for the files that share a step."""

    steps: Mapping[str, Sequence[int]]
    store: FactStore

    def lines(self, paths: Iterable[str]) -> list[tuple[str, StrippedLines]]:
        """Stripped lines of ``paths`` (all with steps, so all parsed), in tree order."""
        chosen = set(paths)
        wanted = tuple(p for p in self.steps if p in chosen)
        similar = self.store.facts("similar", wanted, {})
        return [(p, similar[p]["lines"]) for p in wanted]


def side(store: FactStore, paths: Iterable[str], settings: Settings) -> Side:
    """The admitted Python files of a tree with their steps (a file astroid cannot parse has none)."""
    python = tuple(p for p in paths if p.endswith(".py") and safe_relpath(p) is not None)
    gates = store.facts("gate", python, {"max_bytes": settings.max_bytes})
    admitted = tuple(p for p in python if not gates[p]["reason"])
    windows = store.facts("windows", admitted, {"min_lines": settings.min_lines})
    steps = {p: decode(windows[p]["steps"]) for p in admitted if windows[p]["steps"] is not None}
    return Side(steps, store)


def step_index(steps: Mapping[str, Sequence[int]]) -> dict[int, list[str]]:
    """The files of one side by step (made once a scan, then asked of every peer)."""
    index: dict[int, list[str]] = {}
    for path, file_steps in steps.items():
        for step in file_steps:
            index.setdefault(step, []).append(path)
    return index


def sharing(
    index: Mapping[int, Sequence[str]], other: Mapping[str, Sequence[int]]
) -> tuple[set[str], set[str]]:
    """The files of each side that share a step with a file of the other (``index`` is this
    side's :func:`step_index`): only those can hold a copy (see :mod:`scanners.dupsteps`),
    so only those are compared."""
    own_found: set[str] = set()
    other_found: set[str] = set()
    for path, steps in other.items():
        if index.keys().isdisjoint(steps):
            continue
        other_found.add(path)
        own_found.update(p for step in steps for p in index.get(step, ()))
    return own_found, other_found


def _peer_side(peer: Peer, cache: CacheStore, settings: Settings) -> Side:
    with MirrorSource(peer.mirror, peer.commit) as source:
        store = FactStore(cache, {e.path: e.blob for e in source.entries}, source.read)
        return side(store, [e.path for e in source.entries], settings)


def _message(copy: CrossCopy, peer: Peer) -> Wording:
    if not peer.same_vendor:
        return worded("%(lines)s similar lines also in another vendor's module", lines=copy.lines)
    return worded(
        "%(lines)s similar lines also in module %(module)s: %(path)s:%(line)s",
        lines=copy.lines,
        module=peer.key,
        path=copy.other_path,
        line=copy.other_start,
    )


def _draft(copy: CrossCopy, peer: Peer) -> Draft:
    wording = _message(copy, peer)
    return Draft(
        RULE, "repository", "cross-module-duplicate", "minor", copy.path, copy.start, copy.end,
        str(wording), wording=wording,
    )  # fmt: skip


def _own_blocks(copies: Sequence[CrossCopy]) -> dict[tuple[str, int, int], CrossCopy]:
    """One copy per block of this side (the first place it is found in the peer)."""
    blocks: dict[tuple[str, int, int], CrossCopy] = {}
    for copy in copies:
        blocks.setdefault((copy.path, copy.start, copy.end), copy)
    return blocks


def compare(
    own: Side, peer_side: Callable[[Peer], Side], peer_list: Sequence[Peer], min_lines: int
) -> tuple[list[Draft], list[PairCount], list[tuple[str, StrippedLines]]]:
    """Drafts on this side, the count per peer, and the own files compared (pure but for the
    sides' fact reads). Each peer is compared on the files that share a step with it."""
    from scanners.duplication import cross_blocks

    drafts: list[Draft] = []
    pairs: list[PairCount] = []
    compared: dict[str, StrippedLines] = {}
    index = step_index(own.steps)
    for peer in peer_list:
        other = peer_side(peer)
        own_paths, other_paths = sharing(index, other.steps)
        if not own_paths:
            continue
        own_lines = own.lines(own_paths)
        compared.update(own_lines)
        blocks = _own_blocks(cross_blocks(own_lines, other.lines(other_paths), min_lines))
        if not blocks:
            continue
        lines = {(path, n) for path, start, end in blocks for n in range(start, end + 1)}
        pairs.append(PairCount(peer.module_id, peer.commit, len(lines), len(blocks)))
        drafts.extend(_draft(c, peer) for c in blocks.values())
    return drafts, pairs, list(compared.items())


def _key(tree: str, peer_list: Sequence[Peer], settings: Settings, version: str) -> str:
    parts = [FORMAT, version, tree, str(settings.min_lines), str(settings.max_bytes)]
    parts += [f"{p.module_id}:{p.key}:{p.same_vendor}:{p.commit}" for p in peer_list]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _to_entry(result: CrossResult) -> dict[str, Any]:
    return {
        "findings": [f.as_dict() for f in result.findings],
        "pairs": [[p.other_module_id, p.other_commit, p.lines, p.blocks] for p in result.pairs],
    }


def _from_entry(entry: Mapping[str, Any]) -> CrossResult:
    return CrossResult(
        tuple(Finding.from_dict(f) for f in entry["findings"]),
        tuple(PairCount(int(m), str(c), int(n), int(b)) for m, c, n, b in entry["pairs"]),
    )


def cross_module_duplicates(
    *,
    store: FactStore,
    paths: Sequence[str],
    tree: str,
    peer_list: Sequence[Peer],
    settings: Settings,
    version: str,
    cache: CacheStore,
    peer_cache: CacheStore,
) -> CrossResult:
    """This tree against every peer: findings on this side and counts per peer (cached).

    The peers' facts are read through ``peer_cache``: a ``--full`` scan of this module
    recomputes its own facts, not every other module's (a fact is a function of a blob).
    """
    if not peer_list:
        return CrossResult()
    key = _key(tree, peer_list, settings, version)
    cached = cache.get_many([key]).get(key)
    if cached is not None:
        return _from_entry(cached)
    drafts, pairs, compared = compare(
        side(store, paths, settings),
        lambda peer: _peer_side(peer, peer_cache, settings),
        peer_list,
        settings.min_lines,
    )
    code = fact_code_lines({}, {p: {"lines": lines} for p, lines in compared})
    findings = finalise_with(drafts, lambda path, line: code.get((path, line), ""))
    result = CrossResult(findings, tuple(pairs))
    cache.put_many({key: ("cross-module", _to_entry(result))})
    return result


def add_rows(session: Session, *, scan: Scan, pairs: Iterable[PairCount]) -> None:
    """The scan's pair counts, in the caller's (the scan's) transaction."""
    for pair in pairs:
        session.add(
            CrossDuplication(
                scan_id=scan.id or 0,
                module_id=scan.module_id,
                other_module_id=pair.other_module_id,
                other_commit=pair.other_commit,
                lines=pair.lines,
                blocks=pair.blocks,
            )
        )
