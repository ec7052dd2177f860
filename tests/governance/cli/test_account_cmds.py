"""`govern token list|revoke`, `govern user set|reset-password`, `govern module pushes`: the shared rules."""

from __future__ import annotations

import json

from governance.mirrors.push_log import record_refusal
from governance.mirrors.push_rules import RefUpdate, Violation
from governance.registry.service import get_module, user_for_token


def _world(govern) -> str:
    for args in (
        ("vendor", "add", "Acme Soft"),
        ("vendor", "add", "Beta"),
        ("module", "add", "BUD", "--vendor", "Acme Soft"),
        ("user", "add", "alice", "--role", "vendor", "--vendor", "Acme Soft"),
        ("user", "add", "bob", "--role", "vendor", "--vendor", "Beta"),
        ("user", "add", "root", "--role", "admin"),
    ):
        assert govern(*args).code == 0
    made = govern("token", "create", "alice", "--label", "ci", "--expires", "2099-01-31")
    assert made.code == 0
    return made.out.strip()


def test_token_list_and_revoke(govern, database) -> None:
    token = _world(govern)
    [row] = json.loads(govern("token", "list", "--json").out)
    assert row["user"] == "alice" and row["label"] == "ci" and row["state"] == "active"
    assert row["expires_at"].startswith("2099-01-31") and token not in json.dumps(row)
    assert govern("token", "revoke", str(row["id"])).code == 0
    with database.session() as session:
        assert user_for_token(session, token) is None
    again = govern("token", "revoke", str(row["id"]))
    assert again.code == 2 and "already revoked" in again.err
    assert govern("token", "revoke", "999").code == 2
    assert govern("token", "create", "alice", "--expires", "someday").code == 2


def test_user_set_applies_the_account_rules(govern) -> None:
    _world(govern)
    assert govern("user", "set", "alice", "--locale", "zh_CN").code == 0
    refused = govern("user", "set", "alice", "--role", "pm")
    assert refused.code == 2 and "take no vendor" in refused.err
    assert govern("user", "set", "alice", "--role", "pm", "--vendor", "").code == 0
    users = {u["name"]: u for u in json.loads(govern("user", "list", "--json").out)}
    assert users["alice"]["role"] == "pm" and users["alice"]["vendor_id"] is None
    last = govern("user", "deactivate", "root")
    assert last.code == 2 and "last active admin" in last.err
    password = govern("user", "reset-password", "bob")
    assert password.code == 0 and len(password.out.strip()) >= 8


def test_module_pushes_reads_as_a_user(govern, database) -> None:
    _world(govern)
    with database.session() as session:
        module = get_module(session, "BUD")
        rule = Violation("file-size", "commit abc file big.bin", "is 9.0 MiB", "remove the file")
        update = RefUpdate("0" * 40, "a" * 40, "refs/heads/main")
        record_refusal(session, module=module, pusher="alice", updates=[update], violations=[rule])
    [push] = json.loads(govern("module", "pushes", "BUD", "--as", "alice", "--json").out)
    assert push["outcome"] == "refused" and push["rules"] == ["file-size"]
    assert "refs/heads/main" in govern("module", "pushes", "BUD").out
    other = govern("module", "pushes", "BUD", "--as", "bob")
    assert other.code == 2 and "unknown module 'BUD'" in other.err
