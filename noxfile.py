"""Developer sessions: tests, lint (ruff, import-linter, mypy --strict, pylint), dogfood, bench."""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint", "dogfood"]
nox.options.reuse_existing_virtualenvs = True

PACKAGES = ["governance", "scanners", "standards", "portal", "reports"]


@nox.session
def tests(session: nox.Session) -> None:
    """The whole suite; pass `-- -m "not slow and not postgres"` for the fast set."""
    session.install("-e", ".[test]")
    session.run(
        "pytest",
        *session.posargs,
        env={"GOVERN_TEST_POSTGRES": "1", "GOVERN_TEST_REDIS": "1", "GOVERN_TEST_LDAP": "1"},
    )


@nox.session
def lint(session: nox.Session) -> None:
    """Style, layering contract, strict typing (mypy) and Govern's own pylint settings."""
    session.install("-e", ".[test,dev]")
    session.run("ruff", "check", *PACKAGES, "tests", "benchmarks", "dogfood", "noxfile.py")
    session.run("lint-imports")
    session.run("mypy")  # --strict over the five packages, as configured in pyproject.toml
    session.run("pylint", *PACKAGES)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: each prints JSON with Govern's time against the raw tools in the same run."""
    session.install("-e", ".[test]")
    wanted = session.posargs  # e.g. `nox -s bench -- scan_engine pipeline` runs just those
    for script in sorted(Path("benchmarks").glob("bench_*.py")):
        if not wanted or script.stem.removeprefix("bench_") in wanted:
            session.run("python", "-m", f"benchmarks.{script.stem}")


@nox.session
def dogfood(session: nox.Session) -> None:
    """Govern scans its own repository under dogfood/govern-self.yaml; fails if the gate fails.

    The test extras are installed because the scan reads the tests too, and pylint resolves
    their imports (pytest, hypothesis…) in this environment; the dev extras are not needed.
    """
    session.install("-e", ".[test]")
    session.run("python", "-m", "dogfood.check")
