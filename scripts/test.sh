#!/usr/bin/env bash
# The whole test suite, as CI runs it: system packages, a venv with Govern and its
# test tools, then pytest with real PostgreSQL and Redis servers (started by the tests
# on loopback, stopped at the end).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-deps.sh
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test,dev]'

# Static checks first, each fails the run: style, the layering contract, strict typing.
.venv/bin/ruff check governance scanners standards portal reports tests benchmarks dogfood noxfile.py
.venv/bin/lint-imports --no-cache
.venv/bin/mypy

export GOVERN_TEST_POSTGRES=1 GOVERN_TEST_REDIS=1 GOVERN_TEST_BROWSER=1 GOVERN_TEST_LDAP=1
exec .venv/bin/python -m pytest -n 2 --dist loadfile "$@"
