"""Govern's scanners: a pure library that turns source files into findings.

Nothing here touches a database, the web or git: a scanner gets file contents in a
:class:`~scanners.base.Batch` and returns a :class:`~scanners.base.ScanResult`.

Public API for the domain (nothing is built at import time):
- ``scanners.registry.build_registry(config=..., enabled=...)`` -> ``Registry`` of per-file
  scanners found through the ``govern.scanners`` entry points (those on by default, or
  switched on or off by a setting ``enabled: true|false``: ruff is off unless chosen);
  ``build_project_scanners`` does the same for ``govern.project_scanners``
  (``ProjectScanner.scan_tree(Tree)``).
- ``scanners.imports.ImportGraph.build({path: bytes})`` then ``closure(path)``,
  ``closure_digest(path, blobs)`` (pylint's cache key part) and ``cycles()``.
- ``scanners.batching.plan_batches(sizes, limits, graph)`` and
  ``make_batch(paths, read, graph, blobs)`` build work units.
- ``scanners.errors.ScannerError`` is the root of everything raised here.
"""
