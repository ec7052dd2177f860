"""Govern's standards: the organisation's written rules as data, and their evaluation.

A pure library (no database, web or git). The entry points:

- ``standards.api``: ``load_catalogue``, ``load_profile_set``, ``list_standards``,
  ``show``, ``check_file``, ``write_catalogue`` (what ``govern standards`` calls).
- ``standards.loader``: ``load_standard``, ``check_standard_file``,
  ``load_builtin_standards`` (located :class:`~standards.errors.StandardError`).
- ``standards.profiles``: ``load_profile``, ``builtin_profiles``, ``effective_profile``,
  ``profile_digest``, ``check_profile_file``.
- ``standards.evaluate``: ``evaluate`` (findings + metrics + ``RepositoryFacts`` +
  waivers -> :class:`~standards.results.Evaluation`); scoring rules in
  ``standards.scoring``.
- ``standards.docs``: the rule catalogue as Markdown and HTML.
"""
