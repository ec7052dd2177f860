"""Govern judged by its own standards: the profile and the runner used by CI and nox."""
