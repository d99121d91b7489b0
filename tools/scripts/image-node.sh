#!/usr/bin/env bash
# Prints the path of a Node.js program of the major version the images run (docker/node.Dockerfile's
# `FROM node:<major>`), installing it from npm's `node` package into a folder outside the repository
# once per machine. The development machine may run another Node (the quick start needs 20.19 or
# later); the test of the production bundles as processes runs them on this one, so the images'
# runtime is what that test checks.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
major="$(sed -n 's/^FROM node:\([0-9][0-9]*\)-.*/\1/p' "$root/docker/node.Dockerfile" | head -1)"
if [ -z "$major" ]; then
  echo "image-node.sh: no 'FROM node:<major>-…' line in docker/node.Dockerfile" >&2
  exit 1
fi
dir="${REHEARSE_NODE_DIR:-$HOME/.cache/rehearse/node}-$major"
program="$dir/node_modules/node/bin/node"
if [ ! -x "$program" ] || ! "$program" -v | grep -q "^v$major\."; then
  echo "[setup] Node $major (the images' runtime) from npm into $dir" >&2
  rm -rf "$dir"
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "node@$major" >&2
fi
echo "$program"
