# syntax=docker/dockerfile:1.7
# Builds the API (with its operator commands) and the CPU worker from one workspace.
#   docker build -f docker/node.Dockerfile --target api -t rehearse-api .
#   docker build -f docker/node.Dockerfile --target worker -t rehearse-worker .
# Node 24, a long-term-support line maintained until April 2028 (Node 20's ended in April 2026).
# npm test runs the built API and worker on this major (tools/scripts/image-node.sh reads it here).
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund --loglevel=error
COPY . .
RUN npx nx run-many -t build -p api worker web --skip-nx-cache \
 && npm prune --omit=dev --no-audit --no-fund --loglevel=error

# whisper.cpp's program for the CPU worker (DTW word times, token confidence), built from the
# source smart-whisper 0.8.1 bundles, integrity-checked (tools/scripts/build-whisper-cli.sh), linked
# with OpenBLAS (its encoder in a little over half the CPU)
FROM node:24-bookworm-slim AS whisper
RUN apt-get update && apt-get install -y --no-install-recommends build-essential openssl util-linux libopenblas-pthread-dev pkgconf && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY tools/scripts/build-whisper-cli.sh tools/scripts/build-whisper-cli.sh
RUN WHISPER_CLI_DIR=/out WHISPER_CLI_PORTABLE=1 bash tools/scripts/build-whisper-cli.sh

# ffmpeg and ffprobe for the API (intake: probe, remux) and the worker (16 kHz extraction): built
# from Debian's source package with only the formats Rehearse reads, linked statically
# (tools/scripts/build-ffmpeg.sh): they start in about 2 ms, and no image carries Debian's ffmpeg
# and its 216 libraries
FROM node:24-bookworm-slim AS ffmpeg
RUN apt-get update && apt-get install -y --no-install-recommends build-essential nasm xz-utils util-linux && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY tools/scripts/build-ffmpeg.sh tools/scripts/build-ffmpeg.sh
RUN REHEARSE_FFMPEG_DIR=/out bash tools/scripts/build-ffmpeg.sh

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
RUN groupadd --system rehearse && useradd --system --gid rehearse --home /app rehearse
COPY --from=ffmpeg /out/ffmpeg /out/ffprobe /usr/local/lib/rehearse/
ENV FFMPEG_PATH=/usr/local/lib/rehearse/ffmpeg FFPROBE_PATH=/usr/local/lib/rehearse/ffprobe
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/package.json ./package.json

FROM runtime AS api
COPY --from=build /src/dist/apps/api ./dist/apps/api
# staged resumable uploads (UPLOAD_DIR) until they are checked, encrypted and stored
# the key vault lives apart from /app/var (nothing a request names can reach it)
RUN mkdir -p /app/var/uploads /app/var/work /keys/vault && chown -R rehearse:rehearse /app/var /keys && chmod 700 /keys /keys/vault /app/var/work
USER rehearse
VOLUME ["/app/var/uploads", "/keys/vault"]
EXPOSE 3000 9464
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:3000/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/apps/api/main.js"]

FROM runtime AS worker
# PocketSphinx transcribes until a Whisper model is installed in /app/var/models
# (node dist/apps/worker/models.js install base.en); a GPU host uses docker/worker-gpu.Dockerfile;
# postgresql-client (15, like the database) for the daily pg_dump; OpenBLAS and GCC's OpenMP
# library, which whisper-cli links (without libgomp1 it cannot start: the check in
# apps/api/src/app/architecture/image-libraries.spec.ts); ffmpeg is the runtime stage's own build
RUN apt-get update && apt-get install -y --no-install-recommends pocketsphinx pocketsphinx-en-us postgresql-client libopenblas0-pthread libgomp1 && rm -rf /var/lib/apt/lists/*
# (the bundle carries whisper.cpp's model headers in dist/apps/worker/assets)
COPY --from=build /src/dist/apps/worker ./dist/apps/worker
COPY --from=whisper /out/main /usr/local/bin/whisper-cli
ENV WHISPER_CLI=/usr/local/bin/whisper-cli
RUN mkdir -p /app/var/models /app/var/backups /app/var/work /keys/vault && chown -R rehearse:rehearse /app/var /keys && chmod 700 /keys /keys/vault /app/var/work
USER rehearse
VOLUME ["/app/var/models", "/keys/vault", "/app/var/backups"]
EXPOSE 9465
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:9465/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/apps/worker/main.js"]

# The web app as static files behind nginx (the proxy in front terminates TLS).
FROM nginx:1.27-alpine AS web
COPY docker/nginx-web.conf /etc/nginx/conf.d/default.conf
COPY --from=build /src/dist/apps/web/browser /usr/share/nginx/html
EXPOSE 8080
