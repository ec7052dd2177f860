"""Where mirrors live and how a central bare repository is made ready for pushes.

``<data_dir>/mirrors/<KEY>.git`` is the module's bare repository: the mirror of a vendor
remote, or the repository vendors push to. Its hooks call back into Govern
(``govern hooks pre-receive|post-receive``) so push rules live in the domain, not the web layer.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from git import Repo

from governance.config import Settings

ARCHIVE_NS = "refs/govern/archive"
INCOMING_NS = "refs/govern/incoming"
HOOKS = ("pre-receive", "post-receive")


def mirrors_root(settings: Settings) -> Path:
    return settings.data_dir / "mirrors"


def mirror_path(settings: Settings, key: str) -> Path:
    """The bare repository of module ``key`` (it may not exist yet)."""
    return mirrors_root(settings) / f"{key}.git"


def _hook_script(hook: str) -> str:
    python = shlex.quote(sys.executable)
    return (
        f"#!/bin/sh\n# Installed by Govern: push rules are checked by Govern itself.\n"
        f"exec {python} -m governance.cli.hook_entry hooks {hook}\n"
    )


def install_hooks(path: Path) -> None:
    """Write (or refresh) the hooks that call back into Govern; rewritten only when they differ."""
    hooks = path / "hooks"
    hooks.mkdir(exist_ok=True)
    for hook in HOOKS:
        target, script = hooks / hook, _hook_script(hook)
        if not target.exists() or target.read_text() != script:
            target.write_text(script)
            target.chmod(0o755)


def configure(path: Path, *, receive: bool) -> None:
    """Settings every Govern mirror has: no auto-gc during a push, no reflog expiry of archived tips."""
    repo = Repo(path)
    with repo.config_writer() as config:
        config.set_value("gc", "auto", "0")
        config.set_value("core", "logAllRefUpdates", "always")
        config.set_value("receive", "denyDeleteCurrent", "false")
        config.set_value("http", "receivepack", "true" if receive else "false")
        config.set_value("uploadpack", "allowReachableSHA1InWant", "true")
    repo.close()


def ensure_central_repo(settings: Settings, key: str, *, default_branch: str) -> Path:
    """The module's bare repository for vendor pushes, created empty (with hooks) on first use."""
    path = mirror_path(settings, key)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        Repo.init(path, bare=True, initial_branch=default_branch).close()
    configure(path, receive=True)
    install_hooks(path)
    return path
