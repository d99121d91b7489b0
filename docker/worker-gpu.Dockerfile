# syntax=docker/dockerfile:1.7
# The media worker for a host with an NVIDIA GPU: the same worker bundle as the CPU image, with
# whisper.cpp's command-line program built with CUDA (WHISPER_CLI). How a GPU host joins an
# installation: docs/gpu-worker.md.
#
#   docker build -f docker/worker-gpu.Dockerfile -t rehearse-worker-gpu .
#   docker build -f docker/worker-gpu.Dockerfile --build-arg CUDA_ARCHITECTURES=90 -t rehearse-worker-gpu .   # H100 only: faster build
#
# Needs the NVIDIA driver and the NVIDIA Container Toolkit on the host (docker run --gpus all).
ARG CUDA_VERSION=12.8.1
ARG UBUNTU=ubuntu24.04

# 1. whisper.cpp with CUDA, pinned to a release. AVX2/FMA/F16C stay on for the CPU parts
#    (mel spectrogram, sampling); GGML_NATIVE is off so the image runs on any x86-64-v3 host.
FROM nvidia/cuda:${CUDA_VERSION}-devel-${UBUNTU} AS whisper
ARG WHISPER_CPP_VERSION=v1.9.1
# 75 T4 · 80 A100 · 86 A10/RTX 30 · 89 L4/L40/RTX 40 · 90 H100/H200
ARG CUDA_ARCHITECTURES="75;80;86;89;90"
RUN apt-get update \
 && apt-get install -y --no-install-recommends git cmake build-essential ca-certificates \
 && rm -rf /var/lib/apt/lists/*
RUN git clone --depth 1 --branch "${WHISPER_CPP_VERSION}" https://github.com/ggml-org/whisper.cpp /src/whisper.cpp
WORKDIR /src/whisper.cpp
RUN cmake -B build \
      -DCMAKE_BUILD_TYPE=Release \
      -DBUILD_SHARED_LIBS=OFF \
      -DGGML_CUDA=ON \
      -DCMAKE_CUDA_ARCHITECTURES="${CUDA_ARCHITECTURES}" \
      -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
      -DWHISPER_BUILD_TESTS=OFF -DWHISPER_BUILD_SERVER=OFF \
 && cmake --build build -j"$(nproc)" --target whisper-cli \
 && install -m 0755 build/bin/whisper-cli /usr/local/bin/whisper-cli

# 2. ffmpeg and ffprobe with only the formats Rehearse reads, linked statically (as in node.Dockerfile;
#    built on Debian bookworm's C library, older than Ubuntu 24.04's, so it runs there).
FROM node:24-bookworm-slim AS ffmpeg
RUN apt-get update && apt-get install -y --no-install-recommends build-essential nasm xz-utils util-linux && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY tools/scripts/build-ffmpeg.sh tools/scripts/build-ffmpeg.sh
RUN REHEARSE_FFMPEG_DIR=/out bash tools/scripts/build-ffmpeg.sh

# 3. The worker bundle (as in node.Dockerfile).
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund --loglevel=error
COPY . .
RUN npx nx build worker --skip-nx-cache \
 && npm prune --omit=dev --no-audit --no-fund --loglevel=error

# 4. Runtime: CUDA runtime libraries (cudart, cuBLAS), Node 24 (from the build stage), ffmpeg, PocketSphinx,
#    whisper-cli and GCC's OpenMP library, which whisper.cpp's CPU threads use (GGML_OPENMP is on by
#    default, so whisper-cli links libgomp.so.1; the CPU image's whisper-cli could not start without it).
FROM nvidia/cuda:${CUDA_VERSION}-runtime-${UBUNTU} AS worker-gpu
ENV NODE_ENV=production \
    WHISPER_CLI=/usr/local/bin/whisper-cli \
    WHISPER_USE_GPU=true \
    SPEECH_ENGINE=whisper \
    WHISPER_MODELS_DIR=/app/var/models \
    MEDIA_CONCURRENCY=2 \
    FFMPEG_PATH=/usr/local/lib/rehearse/ffmpeg \
    FFPROBE_PATH=/usr/local/lib/rehearse/ffprobe \
    BACKUP_ENABLED=false
# BACKUP_ENABLED=false: the daily backup is the main host's CPU worker's (pg_dump of the database's
# major, beside the backups volume); this image has no pg_dump, and a GPU host keeps no copy of the
# database
RUN apt-get update \
 && apt-get install -y --no-install-recommends pocketsphinx pocketsphinx-en-us ca-certificates libgomp1 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/node /usr/local/bin/node
COPY --from=whisper /usr/local/bin/whisper-cli /usr/local/bin/whisper-cli
COPY --from=ffmpeg /out/ffmpeg /out/ffprobe /usr/local/lib/rehearse/
WORKDIR /app
RUN groupadd --system rehearse && useradd --system --gid rehearse --home /app rehearse \
 && mkdir -p /app/var/models /app/var/work /keys/vault && chown -R rehearse:rehearse /app/var /keys && chmod 700 /keys /app/var/work
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/dist/apps/worker ./dist/apps/worker
USER rehearse
VOLUME ["/app/var/models"]
EXPOSE 9465
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:9465/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/apps/worker/main.js"]
