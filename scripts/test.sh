#!/usr/bin/env bash
# Install what is missing (test tools included), then run mypy, ruff and the whole test suite.
# Fails when a check or a test fails, and when no test ran at all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
# The house's checks first (configured in pyproject.toml): types (strict on db/ and reports/,
# default on desktop/);
# lint everywhere. Either failing fails the run.
echo "mypy (db/ et reports/ stricts, desktop/) :"
.venv/bin/mypy
echo "ruff :"
.venv/bin/ruff check db reports desktop tests bench
# The whole suite (no test named) runs on two worker processes (pytest-xdist, one per core of a
# CI machine; whole files per worker, so a module's shared database is made once):
# ORIENTATION_TEST_WORKERS=0 runs it in this process. Named tests run in this process.
workers="${ORIENTATION_TEST_WORKERS:-2}"
parallel=()
if [ $# -eq 0 ] && [ "$workers" != "0" ]; then
  parallel=(-n "$workers" --dist loadfile)
fi
status=0
.venv/bin/python -m pytest -q -p no:cacheprovider "${parallel[@]}" "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "Aucun test n'a été exécuté : échec."
  exit 1
fi
# Second pass, on PostgreSQL, when a test server is there (scripts/pg_test_server.sh) and no test
# was named: the whole of tests/ again (the window's tests and the reliability ones included),
# each test that opens a database through the shared fixtures (tests/conftest.py) doing so on a
# new database of that server; the SQLite-only ones skip with their reason, and the tests that
# open no database (parsers, PDF layout, themes…) or were written for PostgreSQL itself (they ran
# in the first pass) are deselected. ORIENTATION_TEST_PG_PASS=0 leaves it out.
if [ -n "${ORIENTATION_TEST_PG_URL:-}" ] && [ $# -eq 0 ] && [ "${ORIENTATION_TEST_PG_PASS:-1}" != "0" ]; then
  echo "Deuxième passage, sur PostgreSQL :"
  pg_status=0
  ORIENTATION_TEST_ENGINE=postgresql .venv/bin/python -m pytest -q -p no:cacheprovider "${parallel[@]}" tests \
    || pg_status=$?
  if [ "$pg_status" -eq 5 ]; then
    echo "Aucun test n'a été exécuté sur PostgreSQL : échec."
    pg_status=1
  fi
  [ "$status" -eq 0 ] && status=$pg_status
fi
exit "$status"
