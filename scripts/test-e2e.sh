#!/usr/bin/env bash
# End-to-end tests in headless Chromium against the real server (needs `npm run build:web` first).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find test/e2e -name '*.test.ts' | sort)
if [ ${#files[@]} -eq 0 ]; then echo "aucun test de bout en bout"; exit 0; fi
exec node --import tsx --test --test-concurrency=1 "${files[@]}" "$@"
