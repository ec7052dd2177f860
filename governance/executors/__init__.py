"""Executors run work units: a local process pool (embedded default) or Celery workers."""
