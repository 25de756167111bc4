#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL (with PostGIS) beside it:
#
#   scripts/with-postgres.sh CMD [ARGS...]
#
# starts a server in a temporary directory (Unix socket only, no TCP), exports
# KUMUH_TEST_POSTGRES=postgres://… for the command, runs it and stops the server and
# removes the directory whatever the command's outcome; the command's exit code is the
# script's. The PostGIS store tests run against it (without the variable they skip).
#
# Needs PostgreSQL 15 and PostGIS 3 (Debian: postgresql-15-postgis-3). PostgreSQL
# refuses to run as root, so as root the server runs as the `postgres` user, which
# owns the directory.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

bin="${PG_BIN:-}"
if [ -z "$bin" ]; then
  for v in 17 16 15; do
    if [ -x "/usr/lib/postgresql/$v/bin/initdb" ]; then bin="/usr/lib/postgresql/$v/bin"; break; fi
  done
fi
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "$0: PostgreSQL not found (set PG_BIN, or install postgresql-15-postgis-3)" >&2
  exit 2
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/kumuh-pg.XXXXXX")"
chmod 755 "$dir"
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir"
  as_owner=(runuser -u postgres --)
fi
# A port of our own, so that several of these can run at once (the socket lives in
# the directory, but PostgreSQL names it after the port).
port="${PG_PORT:-$((20000 + RANDOM % 20000))}"

stop() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U kumuh --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 2; }
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-k $dir -p $port -c listen_addresses='' -c fsync=off -c max_connections=200" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 2; }

export KUMUH_TEST_POSTGRES="postgres://kumuh@localhost/postgres?host=$dir&port=$port"
echo "PostgreSQL on $dir (port $port): KUMUH_TEST_POSTGRES=$KUMUH_TEST_POSTGRES" >&2

set +e
"$@"
rc=$?
set -e
exit $rc
