#!/usr/bin/env bash
# Prepare this machine for Orientation: system libraries Qt needs, then a virtual
# environment in .venv with the application (and, with --test, the test tools).
# Usage: bash scripts/setup.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libglib2.0-0 libfontconfig1
  libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
  libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 xvfb)

missing=()
# Debian's python3 needs python3-venv to create virtual environments.
"${PYTHON:-python3}" -c 'import ensurepip, venv' 2>/dev/null || SYSTEM_PACKAGES+=(python3-venv)
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installation des paquets système : ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "Installation des paquets système : ${missing[*]}"
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Il manque des paquets système. Lancez d'abord cette commande, puis recommencez :"
    echo "  sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
fi

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Python 3.11 ou plus récent est nécessaire (trouvé : $("$PYTHON" --version 2>&1))."
  echo "  sudo apt-get install -y python3 python3-venv"
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
extras=""
[ "${1:-}" = "--test" ] && extras="[test]"
log=.venv/pip-install.log
# Installed once per version of pyproject.toml: later starts need no network (offices often have
# none) and take a second, not eight. The stamp names what was installed ("" or "[test]").
stamp=.venv/setup-stamp
wanted="$(sha256sum pyproject.toml | cut -d' ' -f1)"
done_before=""
[ -f "$stamp" ] && done_before="$(cat "$stamp")"
if [ "$done_before" = "$wanted [test]" ] || [ "$done_before" = "$wanted ${extras}" ]; then
  exit 0
fi
if [ -n "$done_before" ]; then
  echo "pyproject.toml a changé depuis la dernière installation : mise à jour des modules Python…"
fi
if ! .venv/bin/python -m pip install --disable-pip-version-check -e ".${extras}" >"$log" 2>&1; then
  tail -n 30 "$log"
  echo "L'installation des modules Python a échoué (détail : $log)."
  echo "Sans accès à Internet, lancez cette commande une première fois sur un poste connecté."
  exit 1
fi
# Bytecode now, as an installed copy has it: otherwise (PYTHONDONTWRITEBYTECODE) every start
# would compile the sources again.
.venv/bin/python -m compileall -q db desktop reports >/dev/null
echo "$wanted ${extras}" > "$stamp"
