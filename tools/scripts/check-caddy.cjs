// Holds docker/Caddyfile (as `caddy adapt` turns it into Caddy's JSON) against what the API needs:
//   - an upload's chunk (tus-js-client's chunkSize in the web app) passes the body limit of the
//     upload routes, and a JSON body as large as the API takes (express.json's limit) passes the
//     limit of the other API routes;
//   - the proxy closes its idle connections to the API before the API closes them
//     (HTTP_KEEP_ALIVE_SECONDS' default), or it sends requests into closing connections (502s).
// Usage: node tools/scripts/check-caddy.cjs <adapted caddy.json>   (tools/scripts/check-deploy.sh)
// The test (apps/api/src/app/architecture/deploy-files.spec.ts) feeds caddyProblems violations.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const MIB = 1024 * 1024;

/** The API's side of the contract, read from its source. */
function apiLimits(root = ROOT) {
  const read = (file, re, what) => {
    const m = re.exec(readFileSync(join(root, file), 'utf8'));
    if (!m) throw new Error(`check-caddy: ${what} not found in ${file}`);
    return m[1];
  };
  const product = (expr) => expr.split('*').reduce((p, x) => p * Number(x.trim()), 1);
  const bytes = (v) => {
    const m = /^(\d+)(kb|mb)$/i.exec(v);
    if (!m) throw new Error(`check-caddy: cannot read the size ${v}`);
    return Number(m[1]) * (m[2].toLowerCase() === 'mb' ? MIB : 1024);
  };
  return {
    chunkBytes: product(
      read('libs/web/data-access/src/lib/recordings.api.ts', /chunkSize:\s*([\d\s*]+),/, 'the upload chunkSize'),
    ),
    jsonBytes: bytes(
      read('apps/api/src/app/bootstrap.ts', /express\.json\(\{\s*limit:\s*'([^']+)'/, "express.json's limit"),
    ),
    keepAliveSeconds: Number(
      read(
        'libs/server/core/src/lib/config.ts',
        /HTTP_KEEP_ALIVE_SECONDS:[^\n]*\.default\((\d+)\)/,
        'HTTP_KEEP_ALIVE_SECONDS',
      ),
    ),
  };
}

/** Caddy's path matcher: `*` matches anything (case-insensitive, as Caddy's path matcher is). */
function pathMatches(pattern, path) {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return re.test(path);
}

/** Whether a route's `match` (matcher sets, OR-ed; within a set AND-ed) lets `path` through. */
function routeMatches(match, path) {
  if (!match || match.length === 0) return true;
  return match.some((set) =>
    Object.entries(set).every(([kind, value]) => {
      if (kind === 'path') return value.some((p) => pathMatches(p, path));
      if (kind === 'not') return !value.some((inner) => routeMatches([inner], path));
      return true; // host and other matchers: the one site
    }),
  );
}

/** Every handler a request for `path` passes through, in order. */
function handlersFor(routes, path, out = []) {
  // of the routes in one group (Caddy's `handle` blocks), only the first that matches runs
  const groups = new Set();
  for (const route of routes ?? []) {
    if ((route.group && groups.has(route.group)) || !routeMatches(route.match, path)) continue;
    if (route.group) groups.add(route.group);
    for (const h of route.handle ?? []) {
      out.push(h);
      if (h.handler === 'subroute') handlersFor(h.routes, path, out);
    }
    if (route.terminal) break;
  }
  return out;
}

/** A Caddy duration (nanoseconds, or a string such as "55s", "2m") in seconds. */
function seconds(d) {
  if (typeof d === 'number') return d / 1e9;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(String(d));
  if (!m) return NaN;
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2]];
}

/** What is wrong with the adapted configuration, as sentences (none: it fits the API). */
function caddyProblems(config, api = apiLimits()) {
  const problems = [];
  const routes = Object.values(config?.apps?.http?.servers ?? {}).flatMap((s) => s.routes ?? []);
  if (!routes.length) return ['no HTTP server routes in the configuration'];
  const bodyLimit = (path) => {
    const sizes = handlersFor(routes, path)
      .filter((h) => h.handler === 'request_body' && h.max_size)
      .map((h) => h.max_size);
    return sizes.length ? Math.min(...sizes) : Infinity;
  };
  const upload = bodyLimit('/api/uploads/0f8c2a8e-1b4d-4c7e-9a55-3d2f8b6c1e90');
  if (upload < api.chunkBytes)
    problems.push(
      `an upload's chunk (${api.chunkBytes} bytes) exceeds the upload routes' body limit (${upload} bytes)`,
    );
  const json = bodyLimit('/api/courses');
  if (json < api.jsonBytes)
    problems.push(
      `a JSON body the API takes (${api.jsonBytes} bytes) exceeds the API routes' body limit (${json} bytes)`,
    );
  const proxies = handlersFor(routes, '/api/health').filter(
    (h) => h.handler === 'reverse_proxy' && (h.upstreams ?? []).some((u) => /:3000$/.test(u.dial ?? '')),
  );
  if (!proxies.length) problems.push('no reverse_proxy sends /api to the API (port 3000)');
  for (const p of proxies) {
    const idle = p.transport?.keep_alive?.idle_timeout;
    // Caddy's default when none is set: 2 minutes
    const s = idle === undefined ? 120 : seconds(idle);
    if (!(s < api.keepAliveSeconds))
      problems.push(
        `the proxy keeps idle connections to the API ${s} s, not less than the API's ${api.keepAliveSeconds} s (HTTP_KEEP_ALIVE_SECONDS)`,
      );
  }
  return problems;
}

module.exports = { apiLimits, caddyProblems };

if (require.main === module) {
  const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
  const api = apiLimits();
  const problems = caddyProblems(config, api);
  if (problems.length) {
    for (const p of problems) console.error(`[deploy-check] docker/Caddyfile: ${p}`);
    process.exit(1);
  }
  console.log(
    `Caddyfile: uploads take a ${api.chunkBytes / MIB} MiB chunk, JSON ${api.jsonBytes / MIB} MiB; idle connections to the API close before its ${api.keepAliveSeconds} s`,
  );
}
