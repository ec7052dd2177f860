"""Git smart HTTP at ``/git/<KEY>.git/...``: clone, fetch and push with a normal git client.

Each request runs ``git http-backend`` as a CGI program with request and response bodies
streamed (pushes can be large and chunked). Access is decided by :mod:`governance.access`
before git starts: 401 without valid credentials, 404 for a module that does not exist or
that belongs to another vendor (existence does not leak), 403 for a push the user may not
make. Push rules run in the repository's pre-receive hook (``govern hooks pre-receive``),
which finds this Govern through the environment set here.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import subprocess  # nosec B404 - runs git http-backend, a fixed path, without a shell
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import IO

from anyio import CapacityLimiter
from anyio.to_thread import run_sync
from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from sqlmodel import select
from starlette.requests import ClientDisconnect
from starlette.types import Receive, Scope, Send

from governance import audit
from governance.access import can_push_module, can_read_module
from governance.config import Settings
from governance.db import Database
from governance.mirrors.repo import ensure_central_repo, mirrors_root
from governance.registry.models import Module
from governance.registry.validation import redact_url
from portal.deps import SettingsDep
from portal.gitauth import basic_token, basic_user

BACKEND = "/usr/lib/git-core/git-http-backend"
SMART_PATHS = {"info/refs", "git-upload-pack", "git-receive-pack"}
_log = logging.getLogger(__name__)

router = APIRouter(tags=["git"])


@dataclass(frozen=True)
class GitAccess:
    """Who is asking for which module, after the access check passed."""

    key: str
    user: str


def wants_push(path: str, query: str) -> bool:
    return path == "git-receive-pack" or (path == "info/refs" and "service=git-receive-pack" in query)


def starts_fetch(path: str, query: str) -> bool:
    """The ref advertisement every clone, fetch and ls-remote opens with, once per operation."""
    return path == "info/refs" and "service=git-upload-pack" in query


@dataclass(frozen=True)
class GitRequest:
    """What the client asks of which repository, as the access decision needs it."""

    key: str
    token: str | None
    push: bool
    fetch: bool  # the first request of a read: audited as a source read
    address: str


def authorize(database: Database, settings: Settings, asked: GitRequest) -> GitAccess:
    """The access decision, in its own short transaction (committed before git runs, so hooks never wait).

    A read that passes is recorded as a source access of the module (who fetched what).
    """
    key, token, push = asked.key, asked.token, asked.push
    with database.session() as session:
        user = basic_user(session, token)
        module = session.exec(select(Module).where(Module.key == key)).first()
        if module is None or not can_read_module(user, module):
            raise HTTPException(404, f"no module {key}")
        if push and not can_push_module(user, module):
            raise HTTPException(403, f"{user.name} may read {key} but not push to it")
        if push and module.remote is not None:
            raise HTTPException(
                403, f"{key} is mirrored from {redact_url(module.remote)}: push there, Govern fetches it"
            )
        if module.remote is None:
            ensure_central_repo(settings, key, default_branch=module.default_branch)
        if asked.fetch:
            audit.record_read(
                session,
                reader=user.name,
                module=key,
                action="source.git_fetch",
                detail={"service": "git-upload-pack", "address": asked.address},
            )
        return GitAccess(key, user.name)


def cgi_env(request: Request, settings: Settings, access: GitAccess, path: str) -> dict[str, str]:
    """The CGI environment of git http-backend, plus what the hooks need to reach this Govern."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "GIT_PROJECT_ROOT": str(mirrors_root(settings)),
        "GIT_HTTP_EXPORT_ALL": "1",
        "PATH_INFO": f"/{access.key}.git/{path}",
        "REMOTE_USER": access.user,
        "REMOTE_ADDR": request.client.host if request.client else "",
        "REQUEST_METHOD": request.method,
        "QUERY_STRING": request.url.query,
        "CONTENT_TYPE": request.headers.get("content-type", ""),
        "GOVERN_MODULE": access.key,
        "GOVERN_PUSHER": access.user,
        "GOVERN_DATA_DIR": str(settings.data_dir),
    }
    optional = {
        "CONTENT_LENGTH": "content-length",
        "HTTP_CONTENT_ENCODING": "content-encoding",
        "GIT_PROTOCOL": "git-protocol",
    }
    env.update(
        {name: request.headers[header] for name, header in optional.items() if header in request.headers}
    )
    if settings.database_url:
        env["GOVERN_DATABASE_URL"] = settings.database_url
    if os.environ.get("PYTHONPATH"):  # the hook must import the same Govern as this server
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return env


@dataclass
class Backend:
    """One ``git http-backend`` run, its pipes driven from threads of its own.

    Blocking reads and writes on real pipes, each in a worker thread, behave the same under
    any event loop (asyncio's subprocess transports differ: uvloop's gives the child socket
    pairs). The per-run limiter keeps one run's two blocked threads from waiting on the
    shared pool that other requests fill: a push blocked writing its body while git waits
    for its answer to be read can always get the thread that reads it.
    """

    process: subprocess.Popen[bytes]
    limiter: CapacityLimiter

    @classmethod
    async def start(cls, env: dict[str, str]) -> Backend:
        process = await run_sync(_spawn, env)
        assert process.stderr is not None
        threading.Thread(target=_log_stderr, args=(process.stderr,), daemon=True).start()
        return cls(process, CapacityLimiter(2))

    async def feed(self, request: Request) -> None:
        """Copy the request body to git's stdin, then close it (git reads to end of input)."""
        stdin = self.process.stdin
        assert stdin is not None
        try:
            async for chunk in request.stream():
                await run_sync(stdin.write, chunk, limiter=self.limiter)
            await run_sync(stdin.flush, limiter=self.limiter)
        except (BrokenPipeError, ConnectionResetError):
            _log.info("git http-backend stopped reading the request body early")
        finally:
            with contextlib.suppress(OSError):
                stdin.close()

    async def headers(self) -> tuple[int, dict[str, str]]:
        stdout = self.process.stdout
        assert stdout is not None
        status, headers = 200, {}
        while (
            line := (await run_sync(stdout.readline, limiter=self.limiter)).decode("latin-1").rstrip("\r\n")
        ):
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.split()[0])
            else:
                headers[name.strip()] = value.strip()
        return status, headers

    async def body(self, feeding: asyncio.Task[None]) -> AsyncIterator[bytes]:
        stdout = self.process.stdout
        assert isinstance(stdout, io.BufferedReader)  # the one buffer headers() read from
        try:
            while chunk := await run_sync(stdout.read1, 65536, limiter=self.limiter):
                yield chunk
            await feeding
            await run_sync(self.process.wait, limiter=self.limiter)
        finally:
            if self.process.returncode is None:
                self.process.kill()
                await run_sync(self.process.wait)
            stdout.close()


def _spawn(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # nosec B603 - a fixed program, no shell, arguments from no one
        [BACKEND], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )


def _log_stderr(stderr: IO[bytes]) -> None:
    with stderr:
        for line in stderr:
            _log.warning("git http-backend: %s", line.decode(errors="replace").rstrip())


class CgiResponse(StreamingResponse):
    """A streamed CGI response that leaves ``receive`` to the request-body feeder.

    Starlette's StreamingResponse also reads ``receive`` to notice disconnects; racing the
    feeder for the request body, it can swallow the body's last message and hang the push.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.stream_response(send)
        except OSError:
            raise ClientDisconnect() from None


@router.api_route("/git/{repo}/{path:path}", methods=["GET", "POST"], include_in_schema=False)
async def git_http(request: Request, repo: str, path: str, settings: SettingsDep) -> CgiResponse:
    """Smart HTTP only (no dumb protocol): info/refs, git-upload-pack, git-receive-pack."""
    if not repo.endswith(".git") or path not in SMART_PATHS:
        raise HTTPException(404, "not a Govern repository path")
    query = request.url.query
    asked = GitRequest(
        key=repo.removesuffix(".git"),
        token=basic_token(request),
        push=wants_push(path, query),
        fetch=starts_fetch(path, query),
        address=request.client.host if request.client else "",
    )
    access = await run_in_threadpool(authorize, request.app.state.db, settings, asked)
    backend = await Backend.start(cgi_env(request, settings, access, path))
    feeding = asyncio.create_task(backend.feed(request))
    status, headers = await backend.headers()
    return CgiResponse(backend.body(feeding), status_code=status, headers=headers)
