#!/usr/bin/env bash
# Install what is missing, then open Orientation on its bundled catalogue.
# Extra arguments go to the `orientation` command (e.g. --db /chemin/base.sqlite).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/orientation "$@"
