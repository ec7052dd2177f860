"""`govern webhooks add|list|remove|test` and `govern notices deliver` against real receivers."""

from __future__ import annotations

import json

from governance.cli.webhook_cmds import DELIVERY_COUNTS
from governance.webhooks.delivery import verify
from tests.governance.notices.conftest import receiver  # noqa: F401


def _setup(govern) -> None:
    assert govern("vendor", "add", "Acme Soft").code == 0
    assert govern("module", "add", "PAY", "--vendor", "Acme Soft").code == 0


def test_add_list_test_remove(govern, receiver) -> None:  # noqa: F811
    _setup(govern)
    added = govern("webhooks", "add", "--module", "PAY", "--url", receiver.url(), "--event", "gate.failed")
    assert added.code == 0, added.err
    secret = added.out.split("signing secret (shown once): ")[1].strip()
    listed = json.loads(govern("webhooks", "list", "--json").out)
    assert listed[0]["owner"] == "module PAY" and listed[0]["events"] == ["gate.failed"]
    assert secret not in json.dumps(listed) and listed[0]["secret"].endswith("******")
    tested = govern("webhooks", "test", str(listed[0]["id"]))
    assert tested.code == 0 and "delivered (HTTP 200)" in tested.out
    (ping,) = receiver.requests
    assert verify(secret, ping.body, ping.headers, now=ping.json["timestamp"])
    assert ping.json["event"] == "ping"
    receiver.statuses = [500]
    failed = govern("webhooks", "test", str(listed[0]["id"]))
    assert failed.code == 1 and "HTTP 500" in failed.err
    assert govern("webhooks", "remove", str(listed[0]["id"])).code == 0
    assert json.loads(govern("webhooks", "list", "--json").out)[0]["active"] is False


def test_bad_input_is_a_user_error(govern) -> None:
    _setup(govern)
    cases = [
        ("--module", "PAY", "--url", "ftp://x.example/hook"),
        ("--module", "PAY", "--vendor", "Acme Soft", "--url", "https://x.example/hook"),
        ("--module", "PAY", "--url", "https://x.example/hook", "--event", "ticket.eaten"),
        ("--module", "PAY", "--url", "https://user:pw@x.example/hook"),
        ("--module", "NOPE", "--url", "https://x.example/hook"),
    ]
    for args in cases:
        result = govern("webhooks", "add", *args)
        assert result.code == 2, (args, result.out, result.err)
    assert json.loads(govern("webhooks", "list", "--json").out) == []
    assert govern("webhooks", "remove", "99").code == 2


def test_notices_deliver_runs_one_pass(govern) -> None:
    _setup(govern)
    result = govern("notices", "deliver", "--json")
    assert result.code == 0 and json.loads(result.out)["fanned_out"] == 0


def test_notices_deliver_counts_in_the_chosen_language(govern) -> None:
    _setup(govern)
    counted = json.loads(govern("notices", "deliver", "--json").out)
    assert list(counted) == DELIVERY_COUNTS, "a counter the one-line summary would leave out"
    chinese = govern("--lang", "zh-CN", "notices", "deliver").out
    assert chinese == "已分发 0，已送达 0，待重试 0，失败 0，已发摘要 0，摘要发送失败 0\n"
    english = govern("--lang", "en", "notices", "deliver").out
    assert english == "fanned_out 0, delivered 0, retrying 0, failed 0, digests_sent 0, digests_failed 0\n"
