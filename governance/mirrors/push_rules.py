"""Push rules, checked by the central repository's pre-receive hook before any ref moves.

Settings come from ``Module.settings["push_rules"]`` (the standards profile takes over
later); every key is optional:

=============================  ===========================================  ==========================
key                            meaning                                      default
=============================  ===========================================  ==========================
``require_requirement``        each new non-merge commit names a            ``true``
                               registered requirement of the module
``allowed_states``             requirement states a commit may reference    approved, in_progress,
                                                                            implemented
``max_blob_bytes``             largest file a push may add                  5 MiB (5242880)
``detect_secrets``             refuse blobs where detect-secrets finds a    ``true``
                               secret
``protected_branches``         fnmatch patterns of branches that may not    ``["{default}",
                               be force-pushed or deleted                   "release/*"]``
=============================  ===========================================  ==========================

Whatever the settings, only branches and tags may be pushed: Govern's own refs (the
archive namespace) are out of a vendor's reach. Merge commits are exempt from the
requirement rule (their content comes from commits that were checked on their own).
Each rule yields :class:`Violation` values that say which commit broke what and how to
fix it; the hook prints them into the vendor's ``git push``.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from governance.errors import InvalidInput, said
from governance.invalid_input import problem
from governance.mirrors.gitcmd import ZERO_SHA, is_ancestor
from governance.registry.models import Module
from scanners.wording import Wording, nested, worded

DEFAULTS: dict[str, Any] = {
    "require_requirement": True,
    "allowed_states": ["approved", "in_progress", "implemented"],
    "max_blob_bytes": 5 * 1024 * 1024,
    "detect_secrets": True,
    "protected_branches": ["{default}", "release/*"],
}


@dataclass(frozen=True)
class RefUpdate:
    """One line of a pre/post-receive hook's stdin."""

    old: str
    new: str
    ref: str

    @property
    def is_delete(self) -> bool:
        return self.new == ZERO_SHA

    @property
    def is_create(self) -> bool:
        return self.old == ZERO_SHA


@dataclass(frozen=True)
class PushRules:
    """The effective rules of one module."""

    require_requirement: bool
    allowed_states: tuple[str, ...]
    max_blob_bytes: int
    detect_secrets: bool
    protected_branches: tuple[str, ...]


@dataclass(frozen=True)
class Violation:
    """A broken rule: which rule, where (commit or ref), what is wrong, and how to fix it.

    ``where``, ``problem`` and ``fix`` are the English the hook prints into ``git push`` and
    the push log keeps; the ``*_wording`` fields (set by :meth:`of`) are the same text as
    :class:`~scanners.wording.Wording` values, so the portal's push log page shows it in the
    reader's language. A violation built from plain strings has no wordings and is shown as
    written.
    """

    rule: str
    where: str
    problem: str
    fix: str
    where_wording: Wording | None = None
    problem_wording: Wording | None = None
    fix_wording: Wording | None = None

    @classmethod
    def of(cls, rule: str, where: Wording, problem: Wording, fix: Wording) -> Violation:
        """A violation whose English is its wordings' English (one source for both)."""
        return cls(rule, str(where), str(problem), str(fix), where, problem, fix)

    def render(self) -> str:
        return f"[{self.rule}] {self.where}: {self.problem}\n    how to fix: {self.fix}"

    def as_record(self) -> dict[str, object]:
        """The push log's stored form: the English keys as ever, each wording's JSON beside its text."""
        record: dict[str, object] = {
            "rule": self.rule,
            "where": self.where,
            "problem": self.problem,
            "fix": self.fix,
        }
        for name, wording in (
            ("where_wording", self.where_wording),
            ("problem_wording", self.problem_wording),
            ("fix_wording", self.fix_wording),
        ):
            if wording is not None:
                record[name] = wording.as_json()
        return record


def listed(items: list[Wording]) -> Wording:
    """Items joined with ", " as one wording (nested, so each item and the separator translate)."""
    return nested(
        items, lambda item, rest: worded("%(item)s, %(rest)s", item=item, rest=rest), Wording.verbatim("")
    )


def parse_updates(text: str) -> list[RefUpdate]:
    """Ref updates as git hands them to a hook: ``<old> <new> <ref>`` per line."""
    updates = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3:
            updates.append(RefUpdate(*parts))
    return updates


class _Settings(BaseModel):
    """The ``push_rules`` settings as stored: strict types, so a bad value is a clear error."""

    model_config = ConfigDict(extra="forbid", strict=True)

    require_requirement: bool = DEFAULTS["require_requirement"]
    allowed_states: list[str] = Field(default_factory=lambda: list(DEFAULTS["allowed_states"]))
    max_blob_bytes: int = Field(default=DEFAULTS["max_blob_bytes"], ge=1)
    detect_secrets: bool = DEFAULTS["detect_secrets"]
    protected_branches: list[str] = Field(default_factory=lambda: list(DEFAULTS["protected_branches"]))


def rules_for(module: Module) -> PushRules:
    """The module's rules: its ``push_rules`` settings over :data:`DEFAULTS`.

    Settings that are not a mapping, unknown keys and values of the wrong type are an
    :class:`InvalidInput` naming the setting (the hook prints it), never a traceback.
    """
    given = (module.settings or {}).get("push_rules", {})
    if not isinstance(given, dict):
        raise said(
            InvalidInput, "module %(module)s: push_rules must be a mapping of settings", module=module.key
        )
    unknown = set(given) - set(DEFAULTS)
    if unknown:
        raise said(
            InvalidInput,
            "module %(module)s: unknown push_rules settings %(settings)s",
            module=module.key,
            settings=str(sorted(map(str, unknown))),
        )
    try:
        merged = _Settings.model_validate(given)
    except ValidationError as exc:
        raise said(
            InvalidInput,
            "module %(module)s: push_rules %(problem)s",
            module=module.key,
            problem=problem(exc.errors()[0]),
        ) from exc
    protected = tuple(p.replace("{default}", module.default_branch) for p in merged.protected_branches)
    return PushRules(
        merged.require_requirement,
        tuple(merged.allowed_states),
        merged.max_blob_bytes,
        merged.detect_secrets,
        protected,
    )


def check_namespace(updates: list[RefUpdate]) -> list[Violation]:
    """Vendors push branches and tags only; Govern's own refs (archives) are out of their reach."""
    return [
        Violation.of(
            "ref-namespace",
            Wording.verbatim(update.ref),
            worded("only branches (refs/heads/*) and tags (refs/tags/*) may be pushed"),
            worded("push a branch or a tag instead"),
        )
        for update in updates
        if not update.ref.startswith(("refs/heads/", "refs/tags/"))
    ]


def check_protected(path: Path, rules: PushRules, updates: list[RefUpdate]) -> list[Violation]:
    """No deletion and no force-push (non-fast-forward) of a protected branch."""
    found = []
    for update in updates:
        branch = update.ref.removeprefix("refs/heads/")
        if branch == update.ref or update.is_create:
            continue
        if not any(fnmatch.fnmatchcase(branch, pattern) for pattern in rules.protected_branches):
            continue
        if update.is_delete:
            found.append(
                Violation.of(
                    "protected-branch",
                    Wording.verbatim(update.ref),
                    worded("branch %(branch)s is protected: it may not be deleted", branch=branch),
                    worded("keep the branch; ask the PM if it must go"),
                )
            )
        elif not is_ancestor(path, update.old, update.new):
            found.append(
                Violation.of(
                    "protected-branch",
                    Wording.verbatim(update.ref),
                    worded(
                        "branch %(branch)s is protected: this push rewrites its history (force-push)",
                        branch=branch,
                    ),
                    worded(
                        "fetch and merge or rebase onto the current %(branch)s (git pull --rebase), "
                        "then push without --force",
                        branch=branch,
                    ),
                )
            )
    return found
