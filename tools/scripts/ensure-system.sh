#!/usr/bin/env bash
# Makes sure the machine has what Rehearse needs: system packages (Debian/apt), PostgreSQL and
# Redis running. Safe to run again; it only acts on what is missing.
set -euo pipefail

need_apt=()
command -v pg_isready >/dev/null || need_apt+=(postgresql)
command -v redis-server >/dev/null || need_apt+=(redis-server)
# media and the offline speech recognizer used when no Whisper model is installed
command -v ffmpeg >/dev/null || need_apt+=(ffmpeg)
command -v pocketsphinx_continuous >/dev/null || need_apt+=(pocketsphinx)
[ -d /usr/share/pocketsphinx/model/en-us ] || need_apt+=(pocketsphinx-en-us)
if [ "${REHEARSE_WITH_BROWSER:-0}" = "1" ]; then
  # tests: Debian's Chromium (never a downloaded browser) and espeak-ng for speech fixtures
  [ -x /usr/bin/chromium ] || need_apt+=(chromium)
  command -v espeak-ng >/dev/null || need_apt+=(espeak-ng)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "[setup] installing ${need_apt[*]} from apt"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "[setup] missing system packages: ${need_apt[*]} (install them, e.g. sudo apt-get install ${need_apt[*]})" >&2
    exit 1
  fi
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  echo "[setup] starting PostgreSQL"
  if command -v pg_ctlcluster >/dev/null; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
  else
    echo "[setup] PostgreSQL is not running on 127.0.0.1:5432; start it and run again" >&2
    exit 1
  fi
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "[setup] starting Redis"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir "$( [ -w /var/lib/redis ] && echo /var/lib/redis || echo /tmp )" \
    --logfile "$( [ -w /var/log/redis ] && echo /var/log/redis/rehearse.log || echo /tmp/redis.log )"
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
