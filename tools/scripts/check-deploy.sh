#!/usr/bin/env bash
# Checks the deployment files the way their own tools read them:
#   - the Helm chart (docker/helm/rehearse): `helm lint` and `helm template` with example values,
#     and the rendered manifests parsed again (every document a Kubernetes object with a kind);
#   - the compose files: loaded and normalised by compose-go, the library `docker compose config`
#     itself is built on (with example values for every required setting).
# helm and compose-go are built once from the Go module proxy (pinned versions) into
# ~/.cache/rehearse/bin; without Go the check says so and stops (exit 0 unless REQUIRE_DEPLOY_CHECK=1).
set -euo pipefail
cd "$(dirname "$0")/../.."
HELM_VERSION=v3.22.0
COMPOSE_GO_VERSION=v2.9.0
bin="${REHEARSE_TOOLS_BIN:-$HOME/.cache/rehearse/bin}"
mkdir -p "$bin"

if ! command -v go >/dev/null 2>&1; then
  echo "[deploy-check] Go is not installed: the Helm chart and compose files were not checked" >&2
  [ "${REQUIRE_DEPLOY_CHECK:-0}" = 1 ] && exit 1 || exit 0
fi
export GOFLAGS=-mod=mod GOTOOLCHAIN=local
if [ ! -x "$bin/helm-$HELM_VERSION" ]; then
  echo "[deploy-check] building helm $HELM_VERSION from the Go module proxy (once)"
  GOBIN="$bin/tmp-helm" go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  mv "$bin/tmp-helm/helm" "$bin/helm-$HELM_VERSION" && rmdir "$bin/tmp-helm"
fi
if [ ! -x "$bin/compose-spec-$COMPOSE_GO_VERSION" ]; then
  echo "[deploy-check] building compose-go $COMPOSE_GO_VERSION's validator from the Go module proxy (once)"
  GOBIN="$bin/tmp-compose" go install "github.com/compose-spec/compose-go/v2/cmd@$COMPOSE_GO_VERSION"
  mv "$bin/tmp-compose/cmd" "$bin/compose-spec-$COMPOSE_GO_VERSION" && rmdir "$bin/tmp-compose"
fi
helm="$bin/helm-$HELM_VERSION"
compose="$bin/compose-spec-$COMPOSE_GO_VERSION"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== Helm chart: lint and render"
values=docker/helm/rehearse/ci-values.yaml
"$helm" lint --strict docker/helm/rehearse -f "$values"
"$helm" template rehearse docker/helm/rehearse -f "$values" --set 'workers[1].enabled=true' > "$work/rendered.yaml"
node -e '
  const yaml = require("yaml");
  const docs = yaml.parseAllDocuments(require("fs").readFileSync(process.argv[1], "utf8")).map((d) => d.toJS()).filter(Boolean);
  const kinds = docs.map((d) => { if (!d.apiVersion || !d.kind || !d.metadata?.name) throw new Error("not a Kubernetes object: " + JSON.stringify(d).slice(0, 200)); return d.kind; });
  const count = (k) => kinds.filter((x) => x === k).length;
  for (const [k, n] of [["Deployment", 4], ["HorizontalPodAutoscaler", 1], ["Job", 1], ["Secret", 1], ["PersistentVolumeClaim", 4], ["Ingress", 1]]) if (count(k) !== n) throw new Error(`expected ${n} ${k}, rendered ${count(k)}`);
  const gpu = docs.find((d) => d.kind === "Deployment" && d.metadata.name.endsWith("worker-gpu"));
  if (!gpu.spec.template.spec.nodeSelector || !gpu.spec.template.spec.containers[0].resources.limits["nvidia.com/gpu"]) throw new Error("the GPU pool is not placed on GPU nodes");
  console.log(`rendered ${docs.length} objects: ${[...new Set(kinds)].join(", ")}`);
' "$work/rendered.yaml"

echo "== compose files: loaded as docker compose config loads them"
cat > "$work/.env" <<'ENV'
REHEARSE_DOMAIN=rehearse.example.org
POSTGRES_PASSWORD=example-owner-password
POSTGRES_APP_PASSWORD=example-app-password
APP_SECRET=example-app-secret-of-at-least-32-characters
SMTP_URL=smtps://user:pass@mail.example.org:465
STORAGE_MASTER_KEY=ZXhhbXBsZS1rZXktb2YtMzItYnl0ZXMtZm9yLWNoZWNrcw==
MINIO_ROOT_PASSWORD=example-minio-password
DATABASE_URL=postgres://rehearse_app:example@10.0.0.1:5432/rehearse?sslmode=require
REDIS_URL=rediss://10.0.0.1:6380/0
S3_ENDPOINT=https://10.0.0.1:9000
S3_ACCESS_KEY=rehearse
S3_SECRET_KEY=example-minio-password
ENV
(cd docker && "$compose" -f compose.yml --env-file "$work/.env" > "$work/compose.yaml")
echo "compose.yml: $(grep -c '^  [a-z-]*:$' "$work/compose.yaml" || true) top-level entries normalised"
if [ -f docker/compose.gpu.yml ]; then
  (cd docker && "$compose" -f compose.gpu.yml --env-file "$work/.env" > "$work/compose-gpu.yaml")
  echo "compose.gpu.yml: loaded"
fi
echo "[deploy-check] ok"
