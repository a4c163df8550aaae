#!/usr/bin/env bash
# Runs every test file under test/ with node's built-in runner (Node 20 does not expand globs itself).
# The slow fault tests of test/faults run separately (scripts/test-faults.sh, from .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find test -name '*.test.ts' -not -path '*/e2e/*' -not -path '*/faults/*' | sort)
exec node --import tsx --test --test-concurrency=2 "${files[@]}" "$@"
