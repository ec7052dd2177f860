"""The Celery application for the scale-out engine: Redis as broker and result store.

Built by a factory from settings (never at import time). Units are JSON (file contents
base64), acknowledged late with a prefetch of one, so a unit whose worker dies is
delivered again to another worker: a killed worker loses no unit.
"""

from __future__ import annotations

from celery import Celery

from governance.config import Settings
from governance.executors.work import run_unit_json

TASK_NAME = "govern.run_unit"


def make_celery(settings: Settings) -> Celery:
    """A Celery app for these settings, with the unit task registered."""
    app = Celery("govern", broker=settings.broker_url, backend=settings.result_backend_url)
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        result_expires=24 * 3600,
        broker_transport_options={"visibility_timeout": settings.celery_visibility_timeout},
        result_backend_transport_options={"visibility_timeout": settings.celery_visibility_timeout},
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    app.task(name=TASK_NAME)(run_unit_json)
    return app
