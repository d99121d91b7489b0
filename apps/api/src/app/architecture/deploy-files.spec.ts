import { join } from 'node:path';

/**
 * The Caddyfile check of tools/scripts/check-deploy.sh (tools/scripts/check-caddy.cjs), fed
 * configurations in the shape `caddy adapt` writes: it passes the one docker/Caddyfile adapts to
 * and names each way a proxy in front of the API breaks it.
 */
const { apiLimits, caddyProblems } = require(join(__dirname, '../../../../../tools/scripts/check-caddy.cjs')) as {
  apiLimits(): { chunkBytes: number; jsonBytes: number; keepAliveSeconds: number };
  caddyProblems(config: unknown, api?: { chunkBytes: number; jsonBytes: number; keepAliveSeconds: number }): string[];
};

const MIB = 1024 * 1024;

/** One site as `caddy adapt` writes docker/Caddyfile: body limits, then /api to the API, the rest to the web. */
function site(opts: { upload?: number; json?: number; idle?: number | string | null; apiDial?: string }) {
  const routes: unknown[] = [];
  if (opts.upload !== undefined)
    routes.push({
      handle: [{ handler: 'request_body', max_size: opts.upload }],
      match: [{ path: ['/api/uploads*'] }],
    });
  if (opts.json !== undefined)
    routes.push({
      handle: [{ handler: 'request_body', max_size: opts.json }],
      match: [{ not: [{ path: ['/api/uploads', '/api/uploads/*'] }], path: ['/api/*'] }],
    });
  const transport =
    opts.idle === null ? undefined : { protocol: 'http', keep_alive: { idle_timeout: opts.idle ?? 55_000_000_000 } };
  routes.push(
    {
      group: 'group2',
      handle: [
        {
          handler: 'subroute',
          routes: [
            { handle: [{ handler: 'reverse_proxy', transport, upstreams: [{ dial: opts.apiDial ?? 'api:3000' }] }] },
          ],
        },
      ],
      match: [{ path: ['/api/*'] }],
    },
    {
      group: 'group2',
      handle: [
        {
          handler: 'subroute',
          routes: [{ handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: 'web:8080' }] }] }],
        },
      ],
    },
  );
  return {
    apps: {
      http: {
        servers: {
          srv0: {
            listen: [':443'],
            routes: [
              {
                match: [{ host: ['rehearse.example.org'] }],
                handle: [{ handler: 'subroute', routes }],
                terminal: true,
              },
            ],
          },
        },
      },
    },
  };
}

describe('the Caddyfile check (docker/Caddyfile against the API)', () => {
  const api = apiLimits();

  it("reads the API's side from its source: 8 MiB upload chunks, 2 MiB of JSON, idle connections kept 75 s", () => {
    expect(api).toEqual({ chunkBytes: 8 * MIB, jsonBytes: 2 * MIB, keepAliveSeconds: 75 });
  });

  it('passes what docker/Caddyfile adapts to', () => {
    expect(caddyProblems(site({ upload: 8 * MIB, json: 2 * MIB, idle: 55_000_000_000 }), api)).toEqual([]);
    // no body limit at all leaves the API's own limits; a duration may be written as text
    expect(caddyProblems(site({ idle: '55s' }), api)).toEqual([]);
  });

  it('names a body limit that refuses an upload chunk or a JSON body the API takes (the first Caddyfile: 2 MB for all of /api)', () => {
    expect(caddyProblems(site({ upload: 2_000_000, json: 2 * MIB }), api)).toEqual([
      `an upload's chunk (${8 * MIB} bytes) exceeds the upload routes' body limit (2000000 bytes)`,
    ]);
    expect(caddyProblems(site({ upload: 8 * MIB, json: 2_000_000 }), api)).toEqual([
      `a JSON body the API takes (${2 * MIB} bytes) exceeds the API routes' body limit (2000000 bytes)`,
    ]);
  });

  it("names a proxy that keeps idle connections as long as the API or longer (Caddy's default: 2 minutes)", () => {
    expect(caddyProblems(site({ upload: 8 * MIB, idle: null }), api)).toEqual([
      "the proxy keeps idle connections to the API 120 s, not less than the API's 75 s (HTTP_KEEP_ALIVE_SECONDS)",
    ]);
    expect(caddyProblems(site({ upload: 8 * MIB, idle: '75s' }), api)).toHaveLength(1);
  });

  it('names a configuration that does not send /api to the API', () => {
    expect(caddyProblems(site({ upload: 8 * MIB, apiDial: 'api:8080' }), api)).toEqual([
      'no reverse_proxy sends /api to the API (port 3000)',
    ]);
    expect(caddyProblems({}, api)).toEqual(['no HTTP server routes in the configuration']);
  });
});
