"""Running git on a mirror: one place that sets a safe environment and turns failures into GovernErrors.

Hot paths (log, ls-tree, cat-file) run git directly as one process each, so a whole
history is read in one pass; GitPython is used where its convenience helps (init, fetch).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from governance.errors import GitFailure, said

GIT = "git"
ZERO_SHA = "0" * 40


def git_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment in which git never prompts (a sync must fail, not hang, on a password prompt)."""
    env = dict(os.environ)
    env.update(
        {
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_ASKPASS": "true",
            "SSH_ASKPASS": "true",
            "GIT_SSH_COMMAND": env.get("GIT_SSH_COMMAND", "ssh -o BatchMode=yes -o ConnectTimeout=20"),
            "LC_ALL": "C",
        }
    )
    env.update(extra or {})
    return env


def run_git(repo: Path, *args: str, input: bytes | None = None, check: bool = True) -> bytes:
    """Run ``git -C repo args``; return stdout, or raise :class:`GitFailure` naming the command."""
    result = subprocess.run(
        [GIT, "-C", str(repo), *args], input=input, capture_output=True, env=git_env(), check=False
    )
    if check and result.returncode != 0:
        reason = result.stderr.decode(errors="replace").strip() or f"exit {result.returncode}"
        raise said(
            GitFailure,
            "git %(command)s failed in %(repo)s: %(reason)s",
            command=args[0],
            repo=str(repo.name),
            reason=reason,
        )
    return result.stdout


def read_refs(repo: Path, *namespaces: str) -> dict[str, str]:
    """``{ref name: sha}`` for the refs under the given namespaces (all refs when none given)."""
    out = run_git(repo, "for-each-ref", "--format=%(objectname) %(refname)", *namespaces)
    refs: dict[str, str] = {}
    for line in out.decode().splitlines():
        sha, _, name = line.partition(" ")
        refs[name] = sha
    return refs


def is_ancestor(repo: Path, old: str, new: str) -> bool:
    """True when ``new`` contains ``old`` (a fast-forward), False for a rewrite."""
    result = subprocess.run(
        [GIT, "-C", str(repo), "merge-base", "--is-ancestor", old, new],
        capture_output=True,
        env=git_env(),
        check=False,
    )
    return result.returncode == 0


def update_refs(repo: Path, commands: list[str]) -> None:
    """Apply ``update-ref --stdin`` commands in one atomic transaction: all move, or none."""
    if commands:
        run_git(repo, "update-ref", "--stdin", input=("\n".join(commands) + "\n").encode())
