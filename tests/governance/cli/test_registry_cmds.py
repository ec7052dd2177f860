"""`govern vendor|module|user|token`: happy paths, JSON output, and bad input changing nothing."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from governance import audit
from governance.db import Database
from governance.registry.models import ApiToken, Module, User, Vendor
from governance.registry.service import hash_token, user_for_token


def _counts(database: Database) -> tuple[int, int, int, int, int]:
    with database.session() as session:
        return (
            len(session.exec(select(Vendor)).all()),
            len(session.exec(select(Module)).all()),
            len(session.exec(select(User)).all()),
            len(session.exec(select(ApiToken)).all()),
            audit.head(session).count,
        )


@pytest.fixture
def world(govern) -> None:
    assert govern("vendor", "add", "Acme Soft", "--contact", "pm@acme.example").code == 0
    assert govern("module", "add", "BUD", "--vendor", "Acme Soft", "--schedule", "0 2 * * *").code == 0
    assert govern("user", "add", "alice", "--role", "pm").code == 0


def test_vendor_and_module_lists(govern, world) -> None:
    vendors = json.loads(govern("vendor", "list", "--json").out)
    assert vendors == [{"name": "Acme Soft", "contact": "pm@acme.example", "modules": 1}]
    modules = json.loads(govern("module", "list", "--json").out)
    assert modules[0]["key"] == "BUD" and modules[0]["remote"] == "(vendor push)"
    assert modules[0]["schedule"] == "0 2 * * *"
    table = govern("module", "list").out
    assert "BUD" in table and "Acme Soft" in table


def test_token_is_printed_alone_and_stored_hashed(govern, world, database: Database) -> None:
    result = govern("token", "create", "alice")
    token = result.out.strip()
    assert result.code == 0 and result.out == token + "\n" and token.startswith("gvn_")
    with database.session() as session:
        stored = session.exec(select(ApiToken)).one()
        assert stored.token_hash == hash_token(token) and token not in stored.token_hash
        user = user_for_token(session, token)
        assert user is not None and user.name == "alice"
        assert user_for_token(session, token + "x") is None


BAD_INPUT = [
    (("vendor", "add", "Acme Soft"), "already exists"),
    (("vendor", "add", "<script>"), "invalid vendor name"),
    (("module", "add", "BUD", "--vendor", "Acme Soft"), "module 'BUD' already exists"),
    (("module", "add", "TAX", "--vendor", "Nobody"), "unknown vendor 'Nobody'"),
    (("module", "add", "tax", "--vendor", "Acme Soft"), "invalid module key"),
    (("module", "add", "TAX", "--vendor", "Acme Soft", "--schedule", "every day"), "invalid cron"),
    (("module", "add", "TAX", "--vendor", "Acme Soft", "--remote", "--upload-pack=x"), "invalid remote"),
    (("module", "add", "TAX", "--vendor", "Acme Soft", "--branch", "a..b"), "invalid branch"),
    (("module", "schedule", "NOPE", "0 1 * * *"), "unknown module"),
    (("user", "add", "bob", "--role", "boss"), "invalid role"),
    (("user", "add", "bob", "--role", "vendor"), "needs --vendor"),
    (("user", "add", "bob", "--role", "pm", "--vendor", "Acme Soft"), "needs --vendor"),
    (("user", "add", "alice", "--role", "pm"), "already exists"),
    (("token", "create", "nobody"), "unknown user"),
    (("audit", "log", "--since", "yesterday"), "invalid --since"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUT, ids=[" ".join(a) for a, _ in BAD_INPUT])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(govern, world, database, args, message) -> None:
    before = _counts(database)
    result = govern(*args)
    assert result.code == 2
    assert message in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert _counts(database) == before


def test_schedule_change_is_audited(govern, world, database) -> None:
    assert govern("module", "schedule", "BUD", "15 3 * * 1-5").code == 0
    log = json.loads(govern("audit", "log", "--json").out)
    assert log[-1]["action"] == "module.schedule"
    assert log[-1]["data"] == {"from": "0 2 * * *", "to": "15 3 * * 1-5"}


def test_vendor_user_is_scoped_to_its_vendor(govern, world, database) -> None:
    assert govern("user", "add", "acme-dev", "--role", "vendor", "--vendor", "Acme Soft").code == 0
    with database.session() as session:
        user = session.exec(select(User).where(User.name == "acme-dev")).one()
        vendor = session.exec(select(Vendor)).one()
    assert user.vendor_id == vendor.id


def test_password_prompt_stores_an_argon2_hash(govern, world, database) -> None:
    result = govern(
        "user", "add", "carol", "--role", "auditor", "--password", input="s3cret-pass\ns3cret-pass\n"
    )
    assert result.code == 0
    with database.session() as session:
        user = session.exec(select(User).where(User.name == "carol")).one()
    assert user.password_hash and user.password_hash.startswith("$argon2")
