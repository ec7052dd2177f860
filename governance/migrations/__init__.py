"""Alembic migrations for Govern's schema (run to head by :func:`governance.db.migrate`)."""
