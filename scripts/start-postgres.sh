#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster on loopback for the storage tests and prints its URL.
# Needs Debian's postgresql package (installed by .ci/run). Safe to call twice.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
DIR=${PGDATA_DIR:-/tmp/fabrique-pg}
PORT=${PGPORT_TEST:-54329}
if ! "$PGBIN/pg_isready" -h 127.0.0.1 -p "$PORT" -q; then
  rm -rf "$DIR"; mkdir -p "$DIR"; chown postgres:postgres "$DIR"
  su postgres -s /bin/sh -c "'$PGBIN/initdb' -D '$DIR/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
  su postgres -s /bin/sh -c "'$PGBIN/pg_ctl' -D '$DIR/data' -l '$DIR/log' -o '-c listen_addresses=127.0.0.1 -p $PORT -k /tmp' -w start" >/dev/null
fi
"$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='fabrique_test'" | grep -q 1 \
  || "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE DATABASE fabrique_test" >/dev/null
echo "postgres://postgres@127.0.0.1:$PORT/fabrique_test"
