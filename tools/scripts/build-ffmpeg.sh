#!/usr/bin/env bash
# Builds the ffmpeg and ffprobe that the API and the worker run (FFMPEG_PATH, FFPROBE_PATH): from
# Debian's own source package of ffmpeg (its security fixes included), with only what Rehearse
# reads: the five containers it accepts (Matroska/WebM, MP4/MOV, WAV, MP3, Ogg), the audio codecs
# found in them, the file and pipe protocols, and the writers its remuxing, 16 kHz extraction and
# length measurement use. Linked statically against FFmpeg's own libraries (libc and libm only).
#
# Why: Debian's ffmpeg links 216 shared libraries, bound at start, so each run spends about 75 ms
# of CPU in the dynamic loader before it reads a byte (`perf`: two thirds in symbol lookup). The
# worker's pipeline runs it for every answer, and the API runs ffprobe and ffmpeg up to three times
# for an upload; this build starts in about 2 ms and decodes the same samples. It is also far
# less to attack: no network protocols, no playlist, image or device readers, no video decoders
# at all (a recording's picture is only copied, never decoded), where Debian's reads hundreds of
# formats. Pass any of that to this ffmpeg and it refuses.
#
# The source: `apt-get source ffmpeg` through private package lists (the machine's own Debian or
# Ubuntu sources, as deb-src), checked by apt against the archive's signing keys as any package
# is: the version of the installed ffmpeg package where its source is still published, else the
# newest. Built again when that version changes (an `apt upgrade` that brings a security fix) or
# this script's configuration does. About 40 s on 2 cores; needs gcc, make and dpkg-dev
# (build-essential) and no root. Idempotent; one build at a time (a lock). Prints the folder that
# holds ffmpeg and ffprobe.
#   REHEARSE_FFMPEG_DIR   where to put them (default ~/.cache/rehearse/ffmpeg: once per machine;
#                         tmp/ffmpeg in the repository where there is no HOME)
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${REHEARSE_FFMPEG_DIR:-${HOME:+$HOME/.cache/rehearse/ffmpeg}}"
out="${out:-$PWD/tmp/ffmpeg}"
mkdir -p "$out"
exec 9>"$out/.lock"
flock 9

configure=(
  --disable-everything --disable-autodetect --disable-network --disable-doc --disable-debug
  --disable-shared --enable-static --toolchain=hardened
  --disable-ffplay --disable-avdevice --disable-swscale --disable-postproc
  --enable-protocol=file,pipe
  --enable-demuxer=matroska,mov,wav,mp3,ogg
  --enable-muxer=webm,mp4,wav,mp3,ogg,pcm_f32le,null
  --enable-decoder='aac,aac_latm,ac3,eac3,alac,amrnb,amrwb,flac,gsm_ms,mp2,mp2float,mp3,mp3float,opus,vorbis,pcm_*,adpcm_ima_wav,adpcm_ms'
  --enable-encoder=pcm_f32le
  --enable-parser=aac,aac_latm,ac3,flac,mpegaudio,opus,vorbis,h264,hevc,vp8,vp9,av1
  --enable-bsfs
  --enable-filter=aresample,aformat,anull,atrim,format,null,trim
  --enable-swresample
)
# FFmpeg's hand-written assembly (its decoders' and resampler's SIMD: about half the CPU of an
# answer's decoding) where nasm is installed (ensure-system.sh installs it); C alone without
command -v nasm >/dev/null || configure+=(--disable-x86asm)
config_key=$(printf '%s\n' "${configure[@]}" | sha256sum | cut -c1-12)

# private package lists: the machine's sources as deb-src (deb822 and one-line files alike)
lists="$out/apt"
rm -rf "$lists"
mkdir -p "$lists/etc" "$lists/lists/partial" "$lists/cache/archives/partial"
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] && sed 's/^Types:.*/Types: deb-src/' "$f" >"$lists/etc/$(basename "$f")"
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [ -f "$f" ] && sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f" >"$lists/etc/$(basename "$f").list"
done
apt_opts=(
  -o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$lists/etc"
  -o "Dir::State::Lists=$lists/lists" -o "Dir::Cache=$lists/cache" -o Debug::NoLocking=1
  -o APT::Sandbox::User="$(id -un)"
)
cleanup() { rm -rf "$lists" "${work:-}"; }
trap cleanup EXIT
# a source list that offers no sources (a third-party repository) fails alone; the others are read
apt-get "${apt_opts[@]}" -qq update >"$lists/update.log" 2>&1 || true
installed=$(dpkg-query -W -f='${Version}' ffmpeg 2>/dev/null || true)
newest=$(apt-cache "${apt_opts[@]}" showsrc ffmpeg 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -n 1)
version="$newest"
if [ -n "$installed" ] && apt-cache "${apt_opts[@]}" showsrc ffmpeg 2>/dev/null | grep -qx "Version: $installed"; then
  version="$installed"
fi
if [ -z "$version" ] && [ -x "$out/ffmpeg" ] && [ -x "$out/ffprobe" ]; then
  # offline, or the sources moved: the build there stands (it says which version it is)
  echo "build-ffmpeg: no source package of ffmpeg to be seen; keeping the build of $(cat "$out/.source" 2>/dev/null)" >&2
  echo "$out"
  exit 0
fi
if [ -z "$version" ]; then
  cat "$lists/update.log" >&2
  echo "build-ffmpeg: no source package of ffmpeg in this machine's apt sources" >&2
  exit 1
fi
build="ffmpeg $version, configuration $config_key"

if [ ! -x "$out/ffmpeg" ] || [ ! -x "$out/ffprobe" ] || [ "$(cat "$out/.source" 2>/dev/null)" != "$build" ]; then
  work="$(mktemp -d "${TMPDIR:-/tmp}/ffmpeg-build.XXXXXX")"
  (cd "$work" && apt-get "${apt_opts[@]}" -qq source "ffmpeg=$version" >"$work/source.log" 2>&1) ||
    { tail -n 20 "$work/source.log" >&2; echo "build-ffmpeg: apt-get source ffmpeg=$version failed" >&2; exit 1; }
  src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'ffmpeg-*' | head -n 1)
  (cd "$src" && ./configure "${configure[@]}" >"$work/configure.log" 2>&1) ||
    { tail -n 30 "$work/configure.log" >&2; exit 1; }
  make -C "$src" -j"$(nproc)" ffmpeg ffprobe >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; exit 1; }
  install -m 0755 "$src/ffmpeg" "$out/ffmpeg.new"
  install -m 0755 "$src/ffprobe" "$out/ffprobe.new"
  mv "$out/ffmpeg.new" "$out/ffmpeg"
  mv "$out/ffprobe.new" "$out/ffprobe"
  echo "$build" >"$out/.source"
fi
echo "$out"
