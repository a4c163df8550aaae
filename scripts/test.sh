#!/usr/bin/env bash
# Runs every test file under test/ with node's built-in runner (Node 20 does not expand globs itself).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find test -name '*.test.ts' -not -path '*/e2e/*' | sort)
exec node --import tsx --test --test-concurrency=2 "${files[@]}" "$@"
