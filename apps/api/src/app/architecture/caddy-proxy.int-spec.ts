import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@rehearse/server/testing';
import { Harness, startHarness } from '../../test/harness';

/**
 * docker/Caddyfile in front of the API, with Caddy itself (the version tools/scripts/check-deploy.sh
 * builds; `npm test` runs that check before the server tests): the site over plain HTTP on a local
 * port instead of automatic HTTPS, the API's harness in place of `api:3000` and `web:8080`,
 * everything else as the file says. What reaches the API is answered by the API (its correlation
 * id on the answer); what Caddy refuses is not.
 */
const ROOT = join(__dirname, '../../../../..');
const version = /^CADDY_VERSION=(\S+)/m.exec(readFileSync(join(ROOT, 'tools/scripts/check-deploy.sh'), 'utf8'))?.[1];
const CADDY = join(process.env['REHEARSE_TOOLS_BIN'] ?? join(homedir(), '.cache/rehearse/bin'), `caddy-${version}`);
const MIB = 1024 * 1024;

type Answer = { status: number; headers: Record<string, string | string[] | undefined> };

/**
 * Sends `body` and resolves with the answer. A server may answer before it has read the whole body
 * and close the connection (Caddy's 413 once a chunk passes its limit, the API's 403 to a request
 * without a session): the client's write of the rest can then fail with EPIPE or ECONNRESET before
 * the answer is read (seen once in a clean-clone run in a slow hour). Such a request is sent once
 * more; an answer is never retried, and neither is any other failure.
 *
 * (An `Expect: 100-continue` does not help: Caddy 2.11 sends no "100 Continue" for these requests
 * and answers only once the body arrives, so a client that waits for it stalls for a minute.)
 */
async function send(
  port: number,
  method: string,
  path: string,
  body: Buffer,
  headers: Record<string, string>,
): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await new Promise<Answer>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port, method, path, headers: { ...headers, 'Content-Length': String(body.length) } },
          (res) => {
            res.resume();
            res.on('end', () => {
              resolve({ status: res.statusCode ?? 0, headers: res.headers });
              req.destroy();
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    } catch (e) {
      if (attempt > 1 || !['EPIPE', 'ECONNRESET'].includes(String((e as NodeJS.ErrnoException).code))) throw e;
    }
  }
}

/** The API answers every request with its fixed headers (Cache-Control: no-store on an API answer); Caddy's own refusals lack them. */
const answeredBy = (headers: Record<string, string | string[] | undefined>) =>
  headers['cache-control'] === 'no-store' &&
  String(headers['content-security-policy']).includes("frame-ancestors 'none'")
    ? 'api'
    : 'proxy';

describe('docker/Caddyfile in front of the API (Caddy itself)', () => {
  let h: Harness;
  let caddy: ChildProcess;
  let dir: string;
  let port: number;

  beforeAll(async () => {
    if (!existsSync(CADDY))
      throw new Error(`Caddy not found at ${CADDY}: run REQUIRE_DEPLOY_CHECK=1 bash tools/scripts/check-deploy.sh`);
    port = await freePort();
    const site = `http://127.0.0.1:${port}`;
    h = await startHarness({ PUBLIC_URL: site, TRUST_PROXY: 'loopback' }, { mediaWorker: false });
    const api = `127.0.0.1:${((h.server as unknown as Server).address() as AddressInfo).port}`;
    dir = await mkdtemp(join(tmpdir(), 'rehearse-caddy-'));
    const caddyfile = (await readFile(join(ROOT, 'docker/Caddyfile'), 'utf8'))
      .replace('reverse_proxy api:3000', `reverse_proxy ${api}`)
      .replace('reverse_proxy web:8080', `reverse_proxy ${api}`);
    expect(caddyfile).not.toMatch(/api:3000|web:8080/);
    await writeFile(join(dir, 'Caddyfile'), `{\n\tadmin off\n\tpersist_config off\n}\n${caddyfile}`);
    caddy = spawn(CADDY, ['run', '--adapter', 'caddyfile', '--config', join(dir, 'Caddyfile')], {
      env: { ...process.env, REHEARSE_DOMAIN: site, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    caddy.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    for (let i = 0; ; i++) {
      const up = await send(port, 'GET', '/api/health', Buffer.alloc(0), {}).then(
        (r) => r.status === 200,
        () => false,
      );
      if (up) break;
      if (i > 200 || caddy.exitCode !== null) throw new Error(`Caddy did not answer: ${log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    if (caddy && caddy.exitCode === null) {
      caddy.kill();
      await new Promise((r) => caddy.once('exit', r));
    }
    await h?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("passes an upload's 8 MiB chunk to the API (the first Caddyfile refused every chunk over 2 MB), and refuses more", async () => {
    const chunk = await send(
      port,
      'PATCH',
      '/api/uploads/0f8c2a8e-1b4d-4c7e-9a55-3d2f8b6c1e90',
      Buffer.alloc(8 * MIB),
      {
        'Content-Type': 'application/offset+octet-stream',
        'Tus-Resumable': '1.0.0',
        'Upload-Offset': '0',
      },
    );
    // the API's own refusal (no session, no CSRF token), not the proxy's
    expect({ status: chunk.status, answeredBy: answeredBy(chunk.headers) }).toEqual({ status: 403, answeredBy: 'api' });
    const tooLarge = await send(
      port,
      'PATCH',
      '/api/uploads/0f8c2a8e-1b4d-4c7e-9a55-3d2f8b6c1e90',
      Buffer.alloc(8 * MIB + 1),
      {
        'Content-Type': 'application/offset+octet-stream',
        'Tus-Resumable': '1.0.0',
        'Upload-Offset': '0',
      },
    );
    expect({ status: tooLarge.status, answeredBy: answeredBy(tooLarge.headers) }).toEqual({
      status: 413,
      answeredBy: 'proxy',
    });
  });

  it("passes a JSON body as large as the API's limit (2 MiB) to the API", async () => {
    const body = Buffer.from(JSON.stringify({ email: 'a@example.org', password: 'x'.repeat(2 * MIB - 100) }));
    expect(body.length).toBeGreaterThan(2_000_000);
    const res = await send(port, 'POST', '/api/auth/login', body, { 'Content-Type': 'application/json' });
    expect({ status: res.status, answeredBy: answeredBy(res.headers) }).toEqual({ status: 403, answeredBy: 'api' });
  });
});
