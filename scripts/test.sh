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
exit "$status"
