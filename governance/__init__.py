"""Govern's domain: registry, mirrors, scans, requirements, audit and their services.

The CLI (:mod:`governance.cli`) is the composition root; nothing else here imports the
web portal or the report writers.
"""

__version__ = "0.1.0"
