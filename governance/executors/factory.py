"""Choose the executor from settings: the local pool (default) or Celery workers."""

from __future__ import annotations

from governance.config import Settings
from governance.executors.base import Executor
from governance.executors.local import local_executor


def make_executor(settings: Settings, *, workers: int | None = None) -> Executor:
    """``GOVERN_EXECUTOR=local`` (process pool of ``workers`` or one per core) or ``celery``."""
    if settings.executor == "celery":
        from governance.executors.celery_app import make_celery
        from governance.executors.celery_executor import CeleryExecutor

        return CeleryExecutor(make_celery(settings))
    return local_executor(workers or settings.worker_count)
