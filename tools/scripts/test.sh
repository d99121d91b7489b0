#!/usr/bin/env bash
# npm test: install what is missing, then lint (module boundaries), type-check, and run every
# test: unit, integration on real PostgreSQL and Redis, API end-to-end, web unit tests in
# headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/../.."
STARTED=$(date +%s)
REHEARSE_WITH_BROWSER=1 bash tools/scripts/ensure-system.sh
bash tools/scripts/ensure-deps.sh
# the local PostgreSQL roles (app and owner) unless DATABASE_URL etc. are set already
eval "$(node tools/scripts/local-env.cjs)"
# (Chromium for the browser tests and Karma: CHROME_BIN if set, else Debian's headless shell, the
# program itself: apps/web/karma.conf.js and apps/api/src/test/browser.ts choose it)
export NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true

# Nx keeps its task history in SQLite (WAL mode, a memory-mapped -shm file) under .nx/workspace-data.
# On these machines an Nx process has died of SIGBUS (exit 135) twice in a clean clone with no
# test at fault; such a run is retried once with that folder removed. Any other failure stands.
nx() {
  local rc=0
  npx nx "$@" || rc=$?
  if [ "$rc" -eq 135 ]; then
    echo "[test] nx $1 died of SIGBUS (exit 135); removing .nx/workspace-data and running it once more" >&2
    rm -rf .nx/workspace-data
    rc=0
    npx nx "$@" || rc=$?
  fi
  return "$rc"
}

# each phase says when it starts (and the summary how long the whole run took), for the README's figures
phase() { echo "== $* [$(( $(date +%s) - STARTED )) s]"; }

phase "lint: module boundaries and ESLint's rules, and the format (Prettier; npm run format fixes it)"
# one ESLint process over the workspace (the same flat config and rules as each project's nx lint
# target, module boundaries included) instead of one per project, and Prettier beside it: each
# is one single-threaded process, so on 2 cores they take the time of the longer one
# @nx/enforce-module-boundaries reads Nx's project graph from its cache and skips itself (a warning,
# not an error) where there is none, as in a clean clone: compute it first
nx show projects > /dev/null
# the web tests (Jasmine + Karma in headless Chromium) run beside the lint and the type checks: a
# Karma run keeps one core busy (the specs run on the browser's one thread), and these phases leave
# part of the other idle; their result is printed after the server tests
mkdir -p tmp
nx run-many -t test --projects='tag:scope:web' --output-style=static > tmp/karma.log 2>&1 &
karma_pid=$!
# a phase that fails ends the run: the web tests with it (Nx, Karma and the browser under it)
kill_tree() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2> /dev/null); do kill_tree "$child"; done
  kill "$1" 2> /dev/null || true
}
trap 'kill_tree "$karma_pid"' EXIT
npx prettier --check . --log-level warn &
prettier_pid=$!
lint_status=0
# no warnings either: one let through is one more the next change adds beside it
npx eslint . --max-warnings=0 || lint_status=$?
wait "$prettier_pid" || lint_status=$?
[ "$lint_status" -eq 0 ] || exit "$lint_status"
phase "type-check every project, build api, worker and web (the end-to-end and browser tests run the production bundles), check the translations"
# one run, so the type checks fill the cores beside the web build; the translation check reads the
# web app's messages from that build (web:i18n depends on web:build)
nx run-many -t typecheck build i18n --output-style=static
phase "whisper.cpp's command-line program (the CPU engine; built once per machine from source, kept outside the repository)"
# built for this machine's CPU (-march=native), so kept per machine like the models below
export WHISPER_CLI_DIR="${WHISPER_CLI_DIR:-$HOME/.cache/rehearse/whisper-cli}"
bash tools/scripts/build-whisper-cli.sh
phase "ffmpeg and ffprobe for the API and the worker: from Debian's source, only the formats Rehearse reads (built once per machine, about 40 s)"
ffmpeg_dir="$(bash tools/scripts/build-ffmpeg.sh)"
# the app's programs (config; the tests' fixtures are made with the machine's full ffmpeg, on PATH)
export FFMPEG_PATH="$ffmpeg_dir/ffmpeg" FFPROBE_PATH="$ffmpeg_dir/ffprobe"
phase "Whisper models for the tests: real tiny.en and base weights, once per machine (cached outside the repository)"
export REHEARSE_WHISPER_MODELS_DIR="${REHEARSE_WHISPER_MODELS_DIR:-$HOME/.cache/rehearse/models}"
for model in tiny.en base; do
  WHISPER_MODELS_DIR="$REHEARSE_WHISPER_MODELS_DIR" node tools/scripts/ts-run.cjs tools/models.ts install "$model" --from auto
done
# the proof that the weights work: jfk.wav's known sentence, transcribed by the converted tiny.en
WHISPER_MODELS_DIR="$REHEARSE_WHISPER_MODELS_DIR" WHISPER_CLI="$(bash tools/scripts/build-whisper-cli.sh)" \
  node tools/scripts/ts-run.cjs tools/models.ts check tiny.en
phase "deployment files: the Helm chart (helm lint, helm template), the compose files (compose-go) and the Caddyfile (caddy)"
REQUIRE_DEPLOY_CHECK="${CI:+1}" bash tools/scripts/check-deploy.sh
phase "moto: the S3 and KMS APIs for the multi-host tests (staged uploads in a bucket, the KMS key vault), once per machine"
export REHEARSE_MOTO_SERVER="$(bash tools/scripts/ensure-moto.sh)"
phase "the images' Node.js (docker/node.Dockerfile's major) for the test of the built API and worker processes: from npm, once per machine"
bash tools/scripts/image-node.sh > /dev/null
phase "server tests (unit + integration + API end-to-end)"
# one Jest run over every server project, so the template database is built once (tmp/ made above)
status=0
npx jest -c jest.config.cjs --ci --json --outputFile=tmp/jest-results.json || status=$?
phase "web tests (Jasmine + Karma in headless Chromium; run beside the lint and the type checks)"
wait "$karma_pid" || status=$?
trap - EXIT
cat tmp/karma.log

# one plain summary line for people and CI
STARTED=$STARTED node -e '
  const fs = require("fs");
  let passed = 0, failed = 0;
  try { const j = JSON.parse(fs.readFileSync("tmp/jest-results.json", "utf8")); passed += j.numPassedTests; failed += j.numFailedTests; } catch { failed += 1; }
  const k = fs.readFileSync("tmp/karma.log", "utf8").replace(/\x1b\[[0-9;]*m/g, "");
  const ok = /TOTAL: (\d+) SUCCESS/.exec(k), bad = /TOTAL: (\d+) FAILED, (\d+) SUCCESS/.exec(k);
  if (bad) { failed += Number(bad[1]); passed += Number(bad[2]); } else if (ok) { passed += Number(ok[1]); } else { failed += 1; }
  console.log(`${passed} passed, ${failed} failed (npm test: ${Math.round((Date.now() / 1000 - Number(process.env.STARTED)) / 60 * 10) / 10} min)`);
'
exit $status
