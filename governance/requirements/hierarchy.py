"""Which requirement sits under which: the checks every write of a parent goes through.

Decisions:

* A parent is a requirement of the **same module**. A module's verification is decided by
  one scan of one commit (:mod:`standards.verification` rolls a child's verdict up to its
  parents from that scan's evidence); a parent in another module would be judged by another
  commit's tests, and its page would show children that a reader of one module may not be
  allowed to see. Keys carry the module's prefix, so the parent's key says it is local.
* The parent must exist (in the database or in the same import), may not be the
  requirement itself, and may not make a cycle. Every problem is a plain sentence naming
  the keys, fit to show next to a spreadsheet row or a form.

The checks are pure over a ``key → parent`` map, so the service (one requirement) and the
import (a whole file, against the register as the file would leave it) share them.
"""

from __future__ import annotations

from collections.abc import Mapping

from scanners.wording import Wording, worded


def parent_problem(key: str, parent: str | None, parents: Mapping[str, str | None]) -> Wording | None:
    """Why ``key`` may not have ``parent`` given the module's ``parents`` (after the change), or None.

    ``parents`` holds every key of the module, each with the parent it will have.
    """
    if parent is None:
        return None
    if parent == key:
        return worded("requirement %(key)s cannot be its own parent", key=key)
    if parent not in parents:
        return worded("unknown parent %(parent)r: no requirement of this module has that key", parent=parent)
    chain = [key, parent]
    above = parents.get(parent)
    while above is not None and above not in chain:
        chain.append(above)
        above = parents.get(above)
    if above == key:
        return worded(
            "parent %(parent)s makes a cycle: %(cycle)s", parent=parent, cycle=" → ".join([*chain, key])
        )
    return None
