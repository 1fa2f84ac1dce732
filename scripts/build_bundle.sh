#!/usr/bin/env bash
# Build the one-folder bundle (dist/orientation/) and smoke-test the frozen application:
# it starts offscreen on a temporary database, imports a fiche, writes a report and quits.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[build]" >/dev/null 2>&1
start=$(date +%s)
.venv/bin/pyinstaller --noconfirm --log-level WARN build.spec
echo "Construction : $(( $(date +%s) - start )) s ; taille : $(du -sh dist/orientation | cut -f1)"
work=$(mktemp -d)
t0=$(date +%s.%N)
QT_QPA_PLATFORM=offscreen ORIENTATION_DB="$work/smoke.sqlite" dist/orientation/orientation selftest --dossier "$work"
t1=$(date +%s.%N)
echo "Test de fumée réussi en $(echo "$t1 - $t0" | bc) s"
test -s "$work/bilan.pdf"
