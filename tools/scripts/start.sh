#!/usr/bin/env bash
# npm start: install what is missing, migrate, seed the demo tenant, build the web app, and run
# API + worker + web + a local mail server. The app is at http://localhost:3000.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/scripts/ensure-system.sh
bash tools/scripts/ensure-deps.sh
# the local PostgreSQL roles (app and owner) unless DATABASE_URL etc. are set already
eval "$(node tools/scripts/local-env.cjs)"
# the app's ffmpeg and ffprobe (tools/scripts/build-ffmpeg.sh: Debian's source, only the formats
# Rehearse reads; they start in 2 ms, not 75) unless FFMPEG_PATH names others; else the machine's
if [ -z "${FFMPEG_PATH:-}" ]; then
  if ffmpeg_dir=$(bash tools/scripts/build-ffmpeg.sh); then
    export FFMPEG_PATH="$ffmpeg_dir/ffmpeg" FFPROBE_PATH="$ffmpeg_dir/ffprobe"
  else
    echo "[start] the app's ffmpeg could not be built here (above); the machine's ffmpeg reads the media" >&2
  fi
fi
# the better speech engine where it can be had (Whisper; else PocketSphinx, said in one line)
eval "$(bash tools/scripts/ensure-whisper.sh)"
npm run -s migration:run
npm run -s seed
if [ ! -f dist/apps/web/browser/index.html ] || [ -n "$(find apps/web libs/web libs/shared -newer dist/apps/web/browser/index.html -type f 2>/dev/null | head -n 1)" ]; then
  echo "[start] building the web app"
  npx nx build web --skip-nx-cache
fi
exec node tools/scripts/ts-run.cjs tools/dev.ts
