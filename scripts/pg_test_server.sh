#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests: a cluster in a temporary folder, a free port, a
# Unix socket in that folder (no TCP), one database; removed when the command given ends.
#
# Usage: bash scripts/pg_test_server.sh COMMAND [ARG...]
#   Runs COMMAND with ORIENTATION_TEST_PG_URL set to the server's SQLAlchemy URL, then stops the
#   server and removes its folder (also on error or Ctrl-C); exits with COMMAND's status.
#   Without PostgreSQL server binaries (Debian: `apt-get install postgresql postgresql-contrib`),
#   says so and runs COMMAND without the variable: the PostgreSQL tests then skip.
# initdb refuses to run as root: as root the cluster belongs to the user "nobody" (runuser).
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage : bash scripts/pg_test_server.sh COMMANDE [ARGUMENTS...]" >&2
  exit 2
fi

find_bindir() {
  local dir best=""
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && best="$dir"
  done
  if [ -z "$best" ] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    best="$(dirname "$(command -v initdb)")"
  fi
  echo "$best"
}

bindir="$(find_bindir)"
if [ -z "$bindir" ]; then
  echo "PostgreSQL n'est pas installé (initdb, pg_ctl) : les tests PostgreSQL seront ignorés." >&2
  exec "$@"
fi

free_port() {
  "${PYTHON:-python3}" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

folder="$(mktemp -d -t orientation-pg.XXXXXX)"
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown nobody "$folder"
  as_owner=(runuser -u nobody --)
fi
port="$(free_port)"
started=""

cleanup() {
  if [ -n "$started" ]; then
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$folder/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$folder"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"${as_owner[@]}" "$bindir/initdb" -D "$folder/data" -U orientation -A trust -E UTF8 --locale=C.UTF-8 \
  >"$folder/initdb.log" 2>&1 || { cat "$folder/initdb.log" >&2; exit 1; }
# No TCP at all: the socket lives in the folder, which only this run uses.
"${as_owner[@]}" "$bindir/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
  -o "-p $port -k $folder -c listen_addresses= -c fsync=off -c full_page_writes=off" start >/dev/null \
  || { cat "$folder/server.log" >&2; exit 1; }
started=1
"${as_owner[@]}" "$bindir/createdb" -h "$folder" -p "$port" -U orientation orientation_test

export ORIENTATION_TEST_PG_URL="postgresql+psycopg://orientation@/orientation_test?host=$folder&port=$port"
echo "PostgreSQL de test : $ORIENTATION_TEST_PG_URL" >&2
status=0
"$@" || status=$?
exit "$status"
