#!/usr/bin/env bash
# Makes sure the machine has what Rehearse needs, on a stock Debian/Ubuntu server: system packages
# (apt), a running PostgreSQL with two roles of the project's own, and a running Redis. Safe to run
# again: it acts only on what is missing.
#
# What it changes on the machine (as root; without root it only checks and says what is missing):
# - apt installs: postgresql, redis-server, ffmpeg, pocketsphinx, pocketsphinx-en-us, espeak-ng (the
#   voices of the demo's recorded answers and the tests' speech), libopenblas-pthread-dev and pkgconf
#   (whisper.cpp's CPU program links OpenBLAS), build-essential and nasm (that program and the
#   app's ffmpeg are built here: tools/scripts/build-ffmpeg.sh), these optional (without root only
#   said),
#   and, for the tests,
#   chromium-headless-shell, pocketsphinx-testdata, sctk, nginx-light;
# - PostgreSQL: creates the cluster if apt did not, starts it (pg_ctlcluster), and creates two
#   password roles through the local peer login of the `postgres` system user:
#     rehearse      owns the databases and the schema; migrations, backups and tests' set-up run as it
#     rehearse_app  the role the API and the worker connect as: reads and writes rows, owns nothing
#   Their random passwords live in $REHEARSE_LOCAL_ENV (default ~/.config/rehearse/services.env,
#   mode 0600). pg_hba.conf is NOT changed: the roles log in over TCP with scram-sha-256, as
#   Debian's stock configuration wants.
# - Redis: starts redis-server on 127.0.0.1:6379 (append-only persistence, noeviction) when nothing
#   answers there.
# Set REHEARSE_SKIP_SERVICES=1 to leave PostgreSQL and Redis alone (your own DATABASE_URL etc.).
set -euo pipefail


pg_server_installed() { compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; }

need_apt=()
if [ "${REHEARSE_SKIP_SERVICES:-0}" != "1" ]; then
  pg_server_installed || need_apt+=(postgresql)
  command -v redis-server >/dev/null || need_apt+=(redis-server)
fi
# media and the offline speech recognizer used when no Whisper model is installed
command -v ffmpeg >/dev/null || need_apt+=(ffmpeg)
command -v pocketsphinx_continuous >/dev/null || need_apt+=(pocketsphinx)
[ -d /usr/share/pocketsphinx/model/en-us ] || need_apt+=(pocketsphinx-en-us)
# synthetic voices for the demo organisation's recorded answers (and the tests' speech)
command -v espeak-ng >/dev/null || need_apt+=(espeak-ng)
# OpenBLAS for whisper.cpp's CPU program (tools/scripts/build-whisper-cli.sh links it: about a
# third less CPU a transcription), and pkg-config, through which its build finds it. Optional:
# installed along with the rest as root; without root the program builds without it
want_apt=()
want_why=()
if ! { command -v pkg-config >/dev/null && pkg-config --exists openblas; }; then
  want_apt+=(libopenblas-pthread-dev pkgconf)
  want_why+=("whisper.cpp builds without OpenBLAS (about a third more CPU a transcription)")
fi
# nasm: the app's ffmpeg (build-ffmpeg.sh) with FFmpeg's assembly, which decodes an answer's sound
# in about half the CPU of its C alone
if ! command -v nasm >/dev/null; then
  want_apt+=(nasm)
  want_why+=("the app's ffmpeg builds without its assembly (about twice the CPU to decode an answer)")
fi
# a C compiler, make and dpkg-source: whisper.cpp's program and the app's ffmpeg (build-ffmpeg.sh,
# from Debian's source) are built on the machine. Optional too: without them npm start falls back
# to the built-in Whisper binding and the machine's ffmpeg
if ! { command -v cc && command -v make && command -v dpkg-source; } >/dev/null; then
  want_apt+=(build-essential)
  want_why+=("whisper.cpp's program and the app's lean ffmpeg cannot be built (the built-in binding and the machine's ffmpeg stand in)")
fi
if [ "${REHEARSE_WITH_BROWSER:-0}" = "1" ]; then
  # tests: Debian's Chromium (never a downloaded browser) as its headless shell (lighter than the
  # full browser in headless mode), real recorded speech with transcriptions, and NIST sclite for
  # word error rates
  [ -x /usr/bin/chromium-headless-shell ] || need_apt+=(chromium-headless-shell)
  [ -d /usr/share/pocketsphinx/test ] || [ -d /usr/share/doc/pocketsphinx-testdata ] || need_apt+=(pocketsphinx-testdata)
  [ -x /usr/lib/sctk/bin/sclite ] || command -v sclite >/dev/null || need_apt+=(sctk)
  # the web container's nginx configuration (docker/nginx-web.conf), served and checked by a test
  [ -x /usr/sbin/nginx ] || need_apt+=(nginx-light)
fi
all_apt=("${need_apt[@]}" "${want_apt[@]}")
if [ ${#all_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "[setup] installing ${all_apt[*]} from apt"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${all_apt[@]}" >/dev/null
  elif [ ${#need_apt[@]} -gt 0 ]; then
    echo "[setup] missing system packages: ${need_apt[*]} (install them, e.g. sudo apt-get install ${all_apt[*]})" >&2
    exit 1
  else
    for why in "${want_why[@]}"; do echo "[setup] without root: $why" >&2; done
    echo "[setup] to have them: sudo apt-get install ${want_apt[*]}" >&2
  fi
fi

[ "${REHEARSE_SKIP_SERVICES:-0}" = "1" ] && exit 0

# ---- PostgreSQL ---------------------------------------------------------------------------------
env_file="${REHEARSE_LOCAL_ENV:-$HOME/.config/rehearse/services.env}"
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  if [ "$(id -u)" != "0" ] || ! command -v pg_ctlcluster >/dev/null; then
    echo "[setup] PostgreSQL is not running on 127.0.0.1:5432; start it (or run this as root) and run again" >&2
    exit 1
  fi
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
    echo "[setup] creating the PostgreSQL $version cluster"
    pg_createcluster "$version" main >/dev/null
  fi
  echo "[setup] starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  pg_isready -h 127.0.0.1 -p 5432 -q || { echo "[setup] PostgreSQL did not come up" >&2; exit 1; }
fi

if [ "$(id -u)" = "0" ] && id postgres >/dev/null 2>&1; then
  mkdir -p "$(dirname "$env_file")"
  if [ ! -f "$env_file" ]; then
    (umask 077 && {
      echo "# written by tools/scripts/ensure-system.sh: passwords of the local PostgreSQL roles"
      echo "REHEARSE_DB_OWNER_PASSWORD=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
      echo "REHEARSE_DB_APP_PASSWORD=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    } >"$env_file")
  fi
  chmod 600 "$env_file"
  # shellcheck disable=SC1090
  . "$env_file"
  # roles are created or their passwords set to the file's (peer login as the postgres system user;
  # the passwords are hex, so they need no quoting beyond the literal)
  runuser -u postgres -- psql -qX -v ON_ERROR_STOP=1 -d postgres >/dev/null <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rehearse') THEN
    CREATE ROLE rehearse LOGIN CREATEDB;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rehearse_app') THEN
    CREATE ROLE rehearse_app LOGIN;
  END IF;
END \$\$;
ALTER ROLE rehearse WITH LOGIN CREATEDB NOSUPERUSER NOCREATEROLE PASSWORD '${REHEARSE_DB_OWNER_PASSWORD}';
ALTER ROLE rehearse_app WITH LOGIN NOCREATEDB NOSUPERUSER NOCREATEROLE PASSWORD '${REHEARSE_DB_APP_PASSWORD}';
SQL
fi

# ---- Redis --------------------------------------------------------------------------------------
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if ! command -v redis-server >/dev/null; then
    echo "[setup] Redis is not running on 127.0.0.1:6379 and redis-server is not installed" >&2
    exit 1
  fi
  echo "[setup] starting Redis"
  data_dir=/var/lib/redis
  { mkdir -p "$data_dir" 2>/dev/null && [ -w "$data_dir" ]; } || data_dir="${TMPDIR:-/tmp}/rehearse-redis"
  mkdir -p "$data_dir"
  log_file=/var/log/redis/rehearse.log
  { mkdir -p /var/log/redis 2>/dev/null && [ -w /var/log/redis ]; } || log_file="$data_dir/redis.log"
  # queues need their data kept and never evicted (SECURITY.md, job pipeline 7)
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 \
    --appendonly yes --appendfsync everysec --save "" --maxmemory-policy noeviction \
    --dir "$data_dir" --logfile "$log_file"
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { echo "[setup] Redis did not come up (log: $log_file)" >&2; exit 1; }
fi
