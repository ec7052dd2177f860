"""`govern demo` mirrors its modules; `govern serve` serves the git endpoint; push-fed re-ingest."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import httpx
import pytest

from tests.servers import free_port
from tests.waiting import HANG_GUARD, wait_for


def test_demo_mirrors_every_module_so_lines_of_code_show(govern) -> None:
    assert govern("demo").code == 0
    modules = json.loads(govern("module", "list", "--json").out)
    assert modules and all(m["lines_of_code"] > 0 for m in modules)
    # push-fed modules (one per vendor) have no remote to sync from: mirrored ones carry a sync status
    mirrored = [m for m in modules if m["remote"] != "(vendor push)"]
    assert mirrored and all(m["last_sync"] == "ok" for m in mirrored)
    assert all("Python" in m["languages"] for m in modules)
    again = govern("mirror", "sync", "--all")
    assert again.code == 0 and again.out.count(": ok: 0 new commits") == len(modules)


def _wait(port: int) -> None:
    def listening() -> bool:
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", port)) == 0

    wait_for(listening, "govern serve listens")


@pytest.mark.slow
def test_govern_serve_answers_git_requests(settings, database) -> None:
    port = free_port()
    env = {
        **os.environ,
        "GOVERN_DATA_DIR": str(settings.data_dir),
        **({"GOVERN_DATABASE_URL": settings.database_url} if settings.database_url else {}),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "governance.cli.app", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(port)
        response = httpx.get(
            f"http://127.0.0.1:{port}/git/BUD.git/info/refs?service=git-upload-pack", timeout=HANG_GUARD
        )
        assert response.status_code == 401 and "Basic" in response.headers["www-authenticate"]
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_hook_outside_the_http_endpoint_is_refused(govern) -> None:
    result = govern("hooks", "pre-receive", input="")
    assert result.code == 2 and "go through its HTTP endpoint" in result.err
