"""The content rules of a push: requirement references, blob sizes, committed secrets.

Everything is read from the repository as the pre-receive hook sees it (new objects still
in quarantine): new commits are those reachable from the pushed tips but from no existing
ref (``--not --all``), so nothing already accepted is checked again.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from sqlmodel import Session, col, select

from governance.mirrors.blobs import BlobReader
from governance.mirrors.gitcmd import run_git
from governance.mirrors.ingest import requirement_refs, requirement_regex
from governance.mirrors.push_rules import PushRules, RefUpdate, Violation, listed
from governance.registry.models import Module
from governance.requirements.models import Requirement
from scanners.secrets_lines import Sieve, current_sieve, scan_file
from scanners.wording import Wording, worded

_NOT_TEXT = re.compile(rb"[^\t\n\r\x20-\x7e\x80-\xff]+")


def _tips(updates: list[RefUpdate]) -> list[str]:
    return [u.new for u in updates if not u.is_delete]


def new_commits(path: Path, updates: list[RefUpdate]) -> list[tuple[str, list[str], str]]:
    """``(sha, parents, message)`` of each commit this push adds, oldest first."""
    tips = _tips(updates)
    if not tips:
        return []
    out = run_git(path, "log", "--reverse", "--format=%x1e%H%x1f%P%x1f%B", *tips, "--not", "--all")
    commits = []
    for record in out.decode("utf-8", "replace").split("\x1e"):
        if record.strip():
            sha, parents, message = record.split("\x1f", 2)
            commits.append((sha, parents.split(), message.strip()))
    return commits


def _states(session: Session, module: Module, keys: list[str]) -> dict[str, str]:
    if not keys:
        return {}
    rows = session.exec(
        select(Requirement.key, Requirement.status).where(
            Requirement.module_id == module.id, col(Requirement.key).in_(keys)
        )
    ).all()
    return {key: str(status.value if hasattr(status, "value") else status) for key, status in rows}


def _describe(keys: list[str], states: dict[str, str]) -> Wording:
    """What a commit references, each requirement with its state (a nested wording per key)."""
    if not keys:
        return worded("it references no requirement")
    return worded(
        "it references %(requirements)s",
        requirements=listed(
            [
                worded("%(key)s (%(state)s)", key=key, state=states[key])
                if key in states
                else worded("%(key)s (not registered)", key=key)
                for key in keys
            ]
        ),
    )


def merge_introduces(path: Path, sha: str) -> bool:
    """Whether a merge commit holds content that none of its parents has ("evil merge").

    ``git diff-tree --cc`` lists only the paths where the merge differs from *every*
    parent: empty for a clean merge, not for a file added or code changed in the merge.
    """
    out = run_git(path, "diff-tree", "--cc", "--no-commit-id", "--name-only", "-r", sha)
    return bool(out.strip())


def check_requirements(
    session: Session,
    *,
    module: Module,
    rules: PushRules,
    commits: list[tuple[str, list[str], str]],
    path: Path | None = None,
) -> list[Violation]:
    """Every new commit names a registered requirement in an allowed state.

    A merge is exempt only when it brings nothing of its own (given the repository ``path``):
    a merge that adds or changes content beyond its parents is checked like any commit.
    """
    if not rules.require_requirement:
        return []
    pattern, allowed, found = requirement_regex(module), set(rules.allowed_states), []
    for sha, parents, message in commits:
        if len(parents) > 1 and (path is None or not merge_introduces(path, sha)):
            continue
        keys = requirement_refs(pattern, message)
        states = _states(session, module, keys)
        if any(states.get(key) in allowed for key in keys):
            continue
        subject = message.splitlines()[0] if message else ""
        found.append(
            Violation.of(
                "requirement",
                worded('commit %(sha)s "%(subject)s"', sha=sha[:10], subject=subject[:60]),
                worded(
                    "%(references)s; each commit must reference a requirement of %(module)s "
                    "in state %(states)s",
                    references=_describe(keys, states),
                    module=module.key,
                    states=", ".join(rules.allowed_states),
                ),
                worded(
                    'reword it to start with one, e.g. git commit --amend -m "%(prefix)s-0001: '
                    '%(subject)s" (or git rebase -i for older commits), then push again',
                    prefix=module.requirement_prefix,
                    subject=subject[:40],
                ),
            )
        )
    return found


def new_blobs(path: Path, updates: list[RefUpdate]) -> list[tuple[str, str, int]]:
    """``(blob sha, path, size)`` of every blob this push adds."""
    tips = _tips(updates)
    if not tips:
        return []
    listing = run_git(path, "rev-list", "--objects", *tips, "--not", "--all").decode("utf-8", "replace")
    named: dict[str, str] = {}
    for line in listing.splitlines():
        sha, _, name = line.partition(" ")
        if name:
            named.setdefault(sha, name)
    checked = run_git(
        path,
        "cat-file",
        "--batch-check=%(objectname) %(objecttype) %(objectsize)",
        input="\n".join(named).encode(),
    ).decode()
    return [
        (sha, named[sha], int(size))
        for sha, kind, size in (line.split() for line in checked.splitlines())
        if kind == "blob"
    ]


def introduced_by(path: Path, updates: list[RefUpdate], blob: str) -> str:
    """The short sha of the new commit that added ``blob`` (for a message a vendor can act on)."""
    return str(_introducer(path, updates, blob))


def _introducer(path: Path, updates: list[RefUpdate], blob: str) -> Wording:
    """:func:`introduced_by` as a wording (``commit <sha>``, or ``a pushed commit``)."""
    out = (
        run_git(
            path,
            "log",
            "--format=%h",
            f"--find-object={blob}",
            *_tips(updates),
            "--not",
            "--all",
            check=False,
        )
        .decode()
        .split()
    )
    return worded("commit %(sha)s", sha=out[-1]) if out else worded("a pushed commit")


def check_sizes(
    path: Path, rules: PushRules, updates: list[RefUpdate], blobs: list[tuple[str, str, int]]
) -> list[Violation]:
    """No added file larger than the module's limit."""
    limit = rules.max_blob_bytes
    return [
        Violation.of(
            "file-size",
            worded("%(commit)s file %(path)s", commit=_introducer(path, updates, sha), path=name),
            worded(
                "is %(size)s MiB, over the %(limit)s MiB limit",
                size=f"{size / 1048576:.1f}",
                limit=f"{limit / 1048576:.1f}",
            ),
            worded(
                "remove it from history (git rm --cached, then git commit --amend or git rebase -i); "
                "keep large artefacts in a package repository, not in git"
            ),
        )
        for sha, name, size in blobs
        if size > limit
    ]


def _as_text(name: str, data: bytes) -> tuple[str, bytes]:
    """A file name and content detect-secrets will read: binary-looking blobs keep their text runs.

    detect-secrets skips files it takes for binary (by extension, or a NUL byte); a key
    hidden after a NUL or in ``key.bin`` would pass. Such blobs are scanned as the text
    found inside them, under a ``.txt`` name.
    """
    from detect_secrets.filters.heuristic import IGNORED_FILE_EXTENSIONS

    base = Path(name).name
    binary = b"\0" in data[:8192] or Path(base).suffix.lower() in IGNORED_FILE_EXTENSIONS
    if not binary:
        return base, data
    return base + ".txt", _NOT_TEXT.sub(b"\n", data)


def _scan_one(target: Path, data: bytes, sieve: Sieve | None) -> list[tuple[str, int]]:
    """detect-secrets on one blob, as the secrets scanner runs it (only the lines a loaded
    plugin's own patterns match reach detect-secrets, so a large generated file costs little).

    A secret repeated in one file is reported once, at its first line, as detect-secrets'
    ``SecretsCollection`` keeps it.
    """
    target.write_bytes(data)
    first: dict[tuple[str, str], int] = {}
    for secret in scan_file(str(target), sieve):
        first.setdefault((secret.type, secret.secret_hash), secret.line_number)
    return [(kind, line) for (kind, _), line in first.items()]


def _scan(directory: Path, files: dict[str, bytes]) -> dict[str, list[tuple[str, int]]]:
    # detect-secrets (and requests behind it) is imported here, by the push hook that scans,
    # not whenever `govern` starts.
    from detect_secrets.settings import default_settings

    found: dict[str, list[tuple[str, int]]] = {}
    with default_settings():
        sieve = current_sieve()
        for index, (name, raw) in enumerate(files.items()):
            base, data = _as_text(name, raw)
            target = directory / str(index) / base
            target.parent.mkdir()
            hits = _scan_one(target, data, sieve)
            if hits:
                found[name] = sorted(hits, key=lambda hit: hit[1])
    return found


def check_secrets(
    path: Path, rules: PushRules, updates: list[RefUpdate], blobs: list[tuple[str, str, int]]
) -> list[Violation]:
    """No committed secret (private keys, passwords, tokens) in any added blob, per detect-secrets.

    Every blob within the push's size limit is read (larger ones are refused by the size
    rule), text inside binary-looking blobs included.
    """
    if not rules.detect_secrets:
        return []
    wanted = [(sha, name) for sha, name, size in blobs if size <= rules.max_blob_bytes]
    if not wanted:
        return []
    with BlobReader(path) as reader:
        contents = reader.read_many(sha for sha, _ in wanted)
    texts = {name: contents[sha] for sha, name in wanted}
    shas = {name: sha for sha, name in wanted}
    with tempfile.TemporaryDirectory(prefix="govern-secrets-") as scratch:
        found = _scan(Path(scratch), texts)
    return [
        Violation.of(
            "secret",
            worded("%(commit)s file %(path)s", commit=_introducer(path, updates, shas[name]), path=name),
            worded(
                "contains what looks like a secret: %(secrets)s",
                secrets=listed(
                    [worded("%(kind)s on line %(line)s", kind=kind, line=line) for kind, line in hits]
                ),
            ),
            worded(
                "remove the secret from history (git commit --amend or git rebase -i), rotate it, and "
                "read it from the environment; if it is not a secret, add the comment "
                "'pragma: allowlist secret'"
            ),
        )
        for name, hits in found.items()
    ]
