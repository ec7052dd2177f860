"""Scans: planning against the cache, execution, tracking, evaluation and atomic commit."""
