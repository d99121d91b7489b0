#!/usr/bin/env bash
# npm test: install what is missing, then lint (module boundaries), type-check, and run every
# test: unit, integration on real PostgreSQL and Redis, API end-to-end, web unit tests in
# headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/../.."
REHEARSE_WITH_BROWSER=1 bash tools/scripts/ensure-system.sh
bash tools/scripts/ensure-deps.sh
export CHROME_BIN="${CHROME_BIN:-/usr/bin/chromium}"
export NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true

echo "== lint"
npx nx run-many -t lint --output-style=static
echo "== type-check"
npx nx run-many -t typecheck --output-style=static
echo "== server tests (unit + integration + API end-to-end)"
# one Jest run over every server project, so the template database is built once
npx jest -c jest.config.cjs --ci
echo "== web tests (Jasmine + Karma in headless Chromium)"
npx nx run-many -t test --projects='tag:scope:web' --output-style=static
