#!/usr/bin/env bash
# Checks the deployment files the way their own tools read them:
#   - the Helm chart (docker/helm/rehearse): `helm lint` and `helm template` with example values,
#     and the rendered manifests parsed again (every document a Kubernetes object with a kind);
#   - the compose files: loaded and normalised by compose-go, the library `docker compose config`
#     itself is built on (with example values for every required setting);
#   - the Caddyfile: validated and adapted by caddy, and its limits held against the API's (an
#     upload's chunk passes, idle connections to the API close before the API closes them).
# helm, caddy and tools/compose-check are built once from the Go module proxy (pinned versions) into
# ~/.cache/rehearse/bin; without Go the check says so and stops (exit 0 unless REQUIRE_DEPLOY_CHECK=1).
set -euo pipefail
cd "$(dirname "$0")/../.."
HELM_VERSION=v3.22.0
CADDY_VERSION=v2.11.9
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
if [ ! -x "$bin/caddy-$CADDY_VERSION" ]; then
  echo "[deploy-check] building caddy $CADDY_VERSION from the Go module proxy (once)"
  GOBIN="$bin/tmp-caddy" go install "github.com/caddyserver/caddy/v2/cmd/caddy@$CADDY_VERSION"
  mv "$bin/tmp-caddy/caddy" "$bin/caddy-$CADDY_VERSION" && rmdir "$bin/tmp-caddy"
fi
# compose-go (the library docker compose is built on) behind a small loader of ours: its own cmd
# does not apply the environment when it interpolates
compose_id="$(cat tools/compose-check/go.sum tools/compose-check/main.go | sha256sum | cut -c1-12)"
if [ ! -x "$bin/compose-check-$compose_id" ]; then
  echo "[deploy-check] building tools/compose-check (compose-go, pinned in its go.sum) once"
  (cd tools/compose-check && go build -o "$bin/compose-check-$compose_id" .)
fi
helm="$bin/helm-$HELM_VERSION"
caddy="$bin/caddy-$CADDY_VERSION"
compose="$bin/compose-check-$compose_id"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== Helm chart: lint and render"
values=docker/helm/rehearse/ci-values.yaml
"$helm" lint --strict docker/helm/rehearse -f "$values"
# the example values (both worker pools, the GPU one included), then the chart's defaults (CPU only),
# then the key vault behind a key-management service (no shared volume at all but models and backups)
"$helm" template rehearse docker/helm/rehearse -f "$values" > "$work/rendered.yaml"
"$helm" template rehearse docker/helm/rehearse -f "$values" --set-json 'workers=[{"name":"cpu","replicas":1,"image":"worker","env":{},"resources":{}}]' > "$work/rendered-cpu.yaml"
"$helm" template rehearse docker/helm/rehearse -f "$values" --set keyVault.kind=kms --set keyVault.kms.keyId=alias/rehearse > "$work/rendered-kms.yaml"
# with the Prometheus Operator's objects: the PodMonitor and the alerts of files/rehearse-alerts.yml
"$helm" template rehearse docker/helm/rehearse -f "$values" --set monitoring.podMonitor.enabled=true --set monitoring.prometheusRule.enabled=true > "$work/rendered-monitoring.yaml"
if "$helm" template rehearse docker/helm/rehearse -f "$values" --set keyVault.kind=kms > /dev/null 2>&1; then
  echo "[deploy-check] the chart rendered keyVault.kind=kms without keyVault.kms.keyId" >&2; exit 1
fi
node -e '
  const yaml = require("yaml");
  const load = (f) => yaml.parseAllDocuments(require("fs").readFileSync(f, "utf8")).map((d) => d.toJS()).filter(Boolean);
  const check = (docs, expected) => {
    const kinds = docs.map((d) => { if (!d.apiVersion || !d.kind || !d.metadata?.name) throw new Error("not a Kubernetes object: " + JSON.stringify(d).slice(0, 200)); return d.kind; });
    const count = (k) => kinds.filter((x) => x === k).length;
    for (const [k, n] of Object.entries(expected)) if (count(k) !== n) throw new Error(`expected ${n} ${k}, rendered ${count(k)}`);
    for (const d of docs.filter((x) => x.kind === "Deployment")) {
      const c = d.spec.template.spec.containers[0];
      if (!c.livenessProbe || !c.readinessProbe) throw new Error(`${d.metadata.name} has no probes`);
      if (d.spec.template.spec.securityContext && !d.spec.template.spec.securityContext.runAsNonRoot) throw new Error(`${d.metadata.name} may run as root`);
    }
    return kinds;
  };
  const all = load(process.argv[1]);
  // volumes: the key vault, the models, the backups (uploads are staged in the S3 service)
  const kinds = check(all, { Deployment: 4, Service: 2, HorizontalPodAutoscaler: 1, Job: 1, Secret: 1, PersistentVolumeClaim: 3, Ingress: 1 });
  const envOf = (docs, name) => Object.fromEntries(docs.find((d) => d.kind === "Deployment" && d.metadata.name === name).spec.template.spec.containers[0].env.map((e) => [e.name, e.value ?? "(secret)"]));
  const api = envOf(all, "rehearse-api");
  if (api.UPLOAD_STAGING !== "s3" || api.KEY_VAULT_DIR !== "/keys/vault" || api.KEY_VAULT) throw new Error("default storage settings: " + JSON.stringify(api));
  const gpu = all.find((d) => d.kind === "Deployment" && d.metadata.name.endsWith("worker-gpu"));
  if (!gpu.spec.template.spec.nodeSelector || !gpu.spec.template.spec.containers[0].resources.limits["nvidia.com/gpu"]) throw new Error("the GPU pool is not placed on GPU nodes");
  const job = all.find((d) => d.kind === "Job");
  if (!job.metadata.annotations["helm.sh/hook"].includes("pre-upgrade")) throw new Error("the migration Job does not run before upgrades");
  check(load(process.argv[2]), { Deployment: 3 });
  const kms = load(process.argv[3]);
  check(kms, { Deployment: 4, PersistentVolumeClaim: 2 });
  for (const d of kms.filter((x) => x.kind === "Deployment" && x.metadata.name !== "rehearse-web")) {
    const env = envOf(kms, d.metadata.name);
    if (env.KEY_VAULT !== "kms" || env.KMS_KEY_ID !== "alias/rehearse" || env.KEY_VAULT_DIR) throw new Error(`${d.metadata.name}: no KMS key vault in ${JSON.stringify(env)}`);
    if ((d.spec.template.spec.volumes ?? []).some((v) => v.name === "key-vault")) throw new Error(`${d.metadata.name} still mounts the key vault volume`);
  }
  const monitored = load(process.argv[4]);
  check(monitored, { Deployment: 4, PodMonitor: 1, PrometheusRule: 1 });
  const ports = monitored.find((d) => d.kind === "PodMonitor").spec.podMetricsEndpoints.map((e) => e.port).sort().join(",");
  if (ports !== "metrics,ops") throw new Error("the PodMonitor scrapes " + ports);
  const rules = yaml.parse(require("fs").readFileSync("docker/helm/rehearse/files/rehearse-alerts.yml", "utf8"));
  if (JSON.stringify(monitored.find((d) => d.kind === "PrometheusRule").spec) !== JSON.stringify(rules)) throw new Error("the PrometheusRule differs from files/rehearse-alerts.yml");
  if (all.some((d) => d.apiVersion.startsWith("monitoring.coreos.com"))) throw new Error("Prometheus Operator objects rendered without being asked for");
  console.log(`rendered ${all.length} objects: ${[...new Set(kinds)].join(", ")}; CPU-only: 3 Deployments; KMS key vault: no vault volume; monitoring: a PodMonitor and ${rules.groups[0].rules.length} alerts`);
' "$work/rendered.yaml" "$work/rendered-cpu.yaml" "$work/rendered-kms.yaml" "$work/rendered-monitoring.yaml"

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
VAULT_NFS_HOST=10.0.0.1
ENV
# (the validator reads the settings from the environment, as docker compose reads --env-file)
for file in compose.yml compose.gpu.yml; do
  (cd docker && set -a && . "$work/.env" && set +a && "$compose" "$file" > "$work/$file.normalised")
  echo "$file: $(grep -c '^    image:\|^    build:' "$work/$file.normalised" || true) services loaded and normalised"
done
echo "== Caddyfile: validated and adapted by caddy, its limits held against the API's"
REHEARSE_DOMAIN=rehearse.example.org "$caddy" validate --adapter caddyfile --config docker/Caddyfile 2> "$work/caddy.log" ||
  { cat "$work/caddy.log" >&2; exit 1; }
REHEARSE_DOMAIN=rehearse.example.org "$caddy" adapt --adapter caddyfile --config docker/Caddyfile > "$work/caddy.json" 2> "$work/caddy.log" ||
  { cat "$work/caddy.log" >&2; exit 1; }
node tools/scripts/check-caddy.cjs "$work/caddy.json"
echo "[deploy-check] ok"
