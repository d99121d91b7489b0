#!/usr/bin/env bash
# Installs moto's server (an emulation of the S3 and KMS APIs, from the Python package index) into
# a virtual environment outside the repository, once per machine, and prints its program's path.
# The tests run the multi-host settings against it: the staged uploads' bucket (UPLOAD_STAGING=s3)
# and the key vault behind a key-management service (KEY_VAULT=kms). Production points the same
# settings at the operator's S3 service and AWS KMS (or another service with its API).
set -euo pipefail
MOTO_VERSION=5.1.22
dir="${REHEARSE_MOTO_DIR:-$HOME/.cache/rehearse/moto}"
if [ ! -x "$dir/bin/moto_server" ] || [ "$(cat "$dir/.version" 2>/dev/null)" != "$MOTO_VERSION" ]; then
  echo "[setup] moto $MOTO_VERSION (S3 and KMS emulation for the tests) into $dir" >&2
  rm -rf "$dir"
  if ! python3 -m venv "$dir" >&2; then
    # Debian and Ubuntu ship venv in a package of its own
    if [ "$(id -u)" = 0 ]; then apt-get install -y -qq python3-venv >&2; else sudo -n apt-get install -y -qq python3-venv >&2; fi
    python3 -m venv "$dir" >&2
  fi
  "$dir/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2
  echo "$MOTO_VERSION" > "$dir/.version"
fi
echo "$dir/bin/moto_server"
