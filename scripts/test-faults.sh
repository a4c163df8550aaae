#!/usr/bin/env bash
# Slow fault tests (test/faults): PostgreSQL restarted under a running server on a cluster of its own
# (port 54339 and up, never the shared test server), two servers and one worker sharing one PostgreSQL
# (in a database of their own on FABRIQUE_TEST_DATABASE_URL or scripts/start-postgres.sh),
# and a large CLI import next to a running server.
# Run by .ci/run after the main suite; one file at a time, since both start child processes.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find test/faults -name '*.test.ts' | sort)
exec node --import tsx --test --test-concurrency=1 "${files[@]}" "$@"
