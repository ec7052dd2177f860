"""Mirroring over https-style remotes, using Govern's own git endpoint as the vendor's server."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.mirrors.service import sync_module
from governance.registry.service import get_module
from tests.governance.mirrors.conftest import register_module

pytestmark = pytest.mark.slow


def _credential_store(monkeypatch, tmp_path, url_with_token: str) -> Path:
    """The server's git reads the mirror's credentials from a store, never from the remote URL."""
    store = tmp_path / "git-credentials"
    store.write_text(url_with_token.rsplit("/git/", 1)[0] + "\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "credential.helper")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", f"store --file={store}")
    return store


def test_sync_over_http_then_auth_failure_is_clear_and_hides_the_token(
    server, world, vendor_repo, database, settings, monkeypatch, tmp_path
) -> None:
    repo = vendor_repo("upstream")
    repo.commit("BUD-0001: delivered by push")
    assert repo.git("push", world.url(server, "huaxin", "BUD"), "main", check=False).returncode == 0
    store = _credential_store(monkeypatch, tmp_path, world.url(server, "auditor", "BUD"))
    with database.session() as session:
        register_module(session, key="COPY", vendor="Huaxin", remote=world.url(server, None, "BUD"))
    with database.session() as session:
        outcome = sync_module(session, settings=settings, key="COPY", actor="t")
    assert outcome.ok and outcome.new_commits == 1
    store.write_text(store.read_text().replace(world.tokens["auditor"], "gvn_wrong"), encoding="utf-8")
    with database.session() as session:
        failed = sync_module(session, settings=settings, key="COPY", actor="t")
    assert not failed.ok and "authentication failed" in failed.error.message
    assert "gvn_wrong" not in failed.error.message
    with database.session() as session:
        assert "gvn_" not in (get_module(session, "COPY").last_sync_message or "")
