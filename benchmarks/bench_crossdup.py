"""Cross-module duplication: one module against its peers, by window steps and by every file.

Corpus: released sdists as modules (Django's ``django/`` scanned; SQLAlchemy's ``lib/`` and
networkx's package as its peers by default). Their ``similar`` facts are computed once and
kept in memory, as a scan finds them in the cache; then, in the same run:

- ``every_file``: each peer compared with the scanned module file against file
  (:func:`scanners.duplication.cross_blocks` on both whole sides), as before window steps;
- ``by_steps``: what :func:`governance.scans.crossdup.compare` does now: the scanned side's
  step index built once, each peer's steps decoded, the files sharing a step found, and
  only those compared.

The copies found must be equal. Prints one JSON object.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks.common import emit, sdist, timed
from governance.scans.crossdup import sharing, step_index
from scanners import dupsteps
from scanners.blobfacts import similar_fact
from scanners.duplication import StrippedLines, cross_blocks

Side = list[tuple[str, StrippedLines]]


def _side(root: Path) -> Side:
    found: Side = []
    for path in sorted(root.rglob("*.py")):
        lines = similar_fact(path.read_bytes())["lines"]
        if lines is not None:
            found.append((str(path.relative_to(root)), lines))
    return found


def _steps(side: Side, min_lines: int) -> dict[str, str]:
    """The ``windows`` facts of a side, encoded as the cache holds them."""
    return {p: dupsteps.encode(dupsteps.window_steps(lines, min_lines)) for p, lines in side}


def _against(own: Side, index: dict[int, list[str]], peer: Side, min_lines: int) -> dict[str, object]:
    """One peer, both ways, timed in the same run."""
    before, every_s = timed(lambda: cross_blocks(own, peer, min_lines))
    encoded = _steps(peer, min_lines)
    decoded, decode_s = timed(lambda: {p: dupsteps.decode(s) for p, s in encoded.items()})
    (own_paths, peer_paths), share_s = timed(lambda: sharing(index, decoded))
    chosen_own = [(p, lines) for p, lines in own if p in own_paths]
    chosen_peer = [(p, lines) for p, lines in peer if p in peer_paths]
    after, compare_s = timed(lambda: cross_blocks(chosen_own, chosen_peer, min_lines))
    by_steps = decode_s + share_s + compare_s
    return {
        "files": len(peer),
        "every_file_seconds": round(every_s, 3),
        "by_steps_seconds": round(by_steps, 4),
        "decode_seconds": round(decode_s, 4),
        "sharing_seconds": round(share_s, 4),
        "compare_seconds": round(compare_s, 4),
        "files_compared": len(own_paths) + len(peer_paths),
        "copies": len(after),
        "copies_equal": after == before,
        "ratio": round(every_s / by_steps, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scanned", default="django==5.1.4:django")
    parser.add_argument("--peers", nargs="*", default=["sqlalchemy==2.0.36:lib", "networkx==3.4.2:networkx"])
    parser.add_argument("--min-lines", type=int, default=4)
    args = parser.parse_args()

    def load(spec: str) -> Side:
        requirement, part = spec.split(":")
        return _side(sdist(requirement) / part)

    own = load(args.scanned)
    own_steps = _steps(own, args.min_lines)
    index, index_s = timed(lambda: step_index({p: dupsteps.decode(s) for p, s in own_steps.items()}))
    emit(
        "crossdup",
        {
            "scanned": args.scanned,
            "scanned_files": len(own),
            "index_seconds_once_a_scan": round(index_s, 3),
            "peers": {spec: _against(own, index, load(spec), args.min_lines) for spec in args.peers},
        },
    )


if __name__ == "__main__":
    main()
