#!/usr/bin/env bash
# Installs npm dependencies when node_modules is missing or older than the lockfile. One retry:
# npm occasionally fails a fresh install on these machines (a native package's postinstall dying
# with SIGBUS while its files are still being written, ENOTEMPTY on a half-removed folder).
set -euo pipefail
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] npm install"
  if ! npm install --no-audit --no-fund --loglevel=error; then
    echo "[setup] npm install failed; removing node_modules and trying once more" >&2
    rm -rf node_modules
    npm install --no-audit --no-fund --loglevel=error
  fi
fi
