"""Govern's scanners: a pure library that turns source files into findings.

Nothing here touches a database, the web or git: a scanner gets file contents in a
:class:`~scanners.base.Batch` and returns a :class:`~scanners.base.ScanResult`.
"""
