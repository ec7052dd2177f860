"""Path globs with ``**``, compiled once and matched against repository paths.

``fnmatch`` lets ``*`` cross ``/``, which makes ``docs/*.md`` match ``docs/a/b.md`` and
rules about "files in this folder" mean something else than they say. Here ``*`` stays
within one path segment and ``**/`` spans any number of folders (including none), as in
gitignore and most CI tools. Matching is memoised per path because findings repeat the
same paths many times.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache


def _translate(glob: str) -> str:
    """Regex source for one glob; raises ``ValueError`` on an unclosed ``[``."""
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        else:
            i = _translate_one(glob, i, out)
    return "".join(out)


def _translate_one(glob: str, i: int, out: list[str]) -> int:
    """Translate the single glob token at ``i``; return the index after it."""
    char = glob[i]
    if char == "*":
        out.append("[^/]*")
    elif char == "?":
        out.append("[^/]")
    elif char == "[":
        end = glob.find("]", i + 2)
        if end < 0:
            raise ValueError(f"unclosed '[' in glob {glob!r}")
        body = glob[i + 1 : end]
        if body.startswith("!"):
            body = "^" + body[1:]
        out.append(f"[{body}]")
        return end + 1
    else:
        out.append(re.escape(char))
    return i + 1


@lru_cache(maxsize=1024)
def compile_globs(globs: tuple[str, ...]) -> re.Pattern[str]:
    """One regex matching a path if any glob matches it (the whole path)."""
    if not globs:
        return re.compile(r"(?!)")
    return re.compile("|".join(f"(?:{_translate(g)})" for g in globs) + r"\Z")


def check_glob(glob: str) -> str | None:
    """Why ``glob`` is not usable, or ``None`` when it is (for schema validation)."""
    if not glob.strip():
        return "empty glob"
    try:
        re.compile(_translate(glob))
    except (ValueError, re.error) as exc:
        return str(exc)
    return None


class PathFilter:
    """Include/exclude globs over paths, with a per-path memo for the hot path."""

    __slots__ = ("_cache", "_exclude", "_include")

    def __init__(self, include: Iterable[str] = (), exclude: Iterable[str] = ()) -> None:
        inc, exc = tuple(include), tuple(exclude)
        self._include = compile_globs(inc) if inc else None
        self._exclude = compile_globs(exc) if exc else None
        self._cache: dict[str, bool] = {}

    @property
    def trivial(self) -> bool:
        """True when the filter accepts every path (callers then skip it entirely)."""
        return self._include is None and self._exclude is None

    def __call__(self, path: str) -> bool:
        hit = self._cache.get(path)
        if hit is None:
            hit = (self._include is None or self._include.match(path) is not None) and (
                self._exclude is None or self._exclude.match(path) is None
            )
            self._cache[path] = hit
        return hit
