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
status=0
.venv/bin/python -m pytest -q -p no:cacheprovider "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "Aucun test n'a été exécuté : échec."
  exit 1
fi
# Second pass, on PostgreSQL, when a test server is there (scripts/pg_test_server.sh) and no test
# was named: the tests of the shared database fixtures (tests/db, tests/reports, the commands),
# each on a new database of that server; the SQLite-only ones skip with their reason
# (tests/conftest.py, ORIENTATION_TEST_ENGINE). ORIENTATION_TEST_PG_PASS=0 leaves it out.
if [ -n "${ORIENTATION_TEST_PG_URL:-}" ] && [ $# -eq 0 ] && [ "${ORIENTATION_TEST_PG_PASS:-1}" != "0" ]; then
  echo "Deuxième passage, sur PostgreSQL :"
  pg_status=0
  ORIENTATION_TEST_ENGINE=postgresql .venv/bin/python -m pytest -q -p no:cacheprovider \
    tests/db tests/reports tests/test_cli.py tests/test_cli_formations.py tests/test_cli_hostile.py \
    tests/test_cli_messages.py tests/test_cli_quick_list.py tests/test_cli_session.py || pg_status=$?
  if [ "$pg_status" -eq 5 ]; then
    echo "Aucun test n'a été exécuté sur PostgreSQL : échec."
    pg_status=1
  fi
  [ "$status" -eq 0 ] && status=$pg_status
fi
exit "$status"
