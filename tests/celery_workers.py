"""Real Celery workers (`govern worker` processes) on a throwaway Redis, for tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path


class Workers:
    """Started worker processes, so tests can kill them."""

    def __init__(self, broker: str, log_dir: Path) -> None:
        self.broker = broker
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(
        self, name: str, concurrency: int = 1, *, extra_path: Path | None = None
    ) -> subprocess.Popen[bytes]:
        """A worker; ``extra_path`` is put on its ``PYTHONPATH`` (test scanner plugins)."""
        env = {**os.environ, "GOVERN_BROKER_URL": self.broker, "GOVERN_CELERY_VISIBILITY_TIMEOUT": "15"}
        if extra_path is not None:
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(extra_path), env.get("PYTHONPATH")]))
        log = (self.log_dir / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "governance.cli.app",
                "worker",
                "--concurrency",
                str(concurrency),
                "--name",
                f"{name}@%h",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def wait_ready(self, count: int, timeout: float = 60.0) -> None:
        """Wait until ``count`` workers answer a ping."""
        from governance.config import Settings
        from governance.executors.celery_app import make_celery

        app = make_celery(Settings(broker_url=self.broker))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            replies = app.control.ping(timeout=0.5) or []
            if len(replies) >= count:
                return
        logs = "\n".join(p.read_text(errors="replace")[-2000:] for p in self.log_dir.glob("*.log"))
        raise RuntimeError(f"workers not ready after {timeout}s:\n{logs}")

    def children(self, process: subprocess.Popen[bytes]) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True, check=False)
        return [int(pid) for pid in out.stdout.split()]

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
