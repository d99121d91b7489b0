import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { get, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import request from 'supertest';
import { freePort } from '@rehearse/server/testing';
import { Harness, startHarness } from '../test/harness';

const NGINX = '/usr/sbin/nginx';
const ROOT = join(__dirname, '../../../..');
/** What every answer carries whoever serves it, or what differs by server or by body: not compared. */
const NOT_COMPARED = new Set([
  'connection',
  'keep-alive',
  'date',
  'content-type',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'vary',
  'etag',
  'last-modified',
  'accept-ranges',
  'server',
  'x-request-id',
]);

/** The built web app, served by the API itself: compressed, and cached for good when named by content. */
describe('static files of the web app', () => {
  let h: Harness;
  let web: string;
  const bundle = `console.log(${JSON.stringify('rehearse '.repeat(2000))});\n`;

  beforeAll(async () => {
    web = await mkdtemp(join(tmpdir(), 'rehearse-web-'));
    await writeFile(
      join(web, 'index.html'),
      `<!doctype html><html><head><title>Rehearse</title></head><body><rh-root></rh-root>${'<!-- padding -->'.repeat(100)}<script src="main-3VBQMQND.js"></script></body></html>`,
    );
    await writeFile(join(web, 'main-3VBQMQND.js'), bundle);
    await writeFile(join(web, 'favicon.svg'), `<svg xmlns="http://www.w3.org/2000/svg">${'<g/>'.repeat(400)}</svg>`);
    h = await startHarness({ WEB_DIST_DIR: web }, { mediaWorker: false });
  });

  function rawGet(
    path: string,
    headers: Record<string, string>,
    port = ((h.server as unknown as Server).address() as AddressInfo).port,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      get({ host: '127.0.0.1', port, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      }).on('error', reject);
    });
  }
  afterAll(async () => {
    await new Promise((r) => (h?.server as unknown as Server | undefined)?.close(r) ?? r(undefined));
    await h?.close();
    await rm(web, { recursive: true, force: true });
  });

  it('compresses a bundle for a browser that accepts gzip and caches it for a year, as its name changes with its content', async () => {
    // a raw request: supertest would decompress the body before the test sees it
    const res = await rawGet('/main-3VBQMQND.js', { 'accept-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const body = res.body;
    expect(body.length).toBeLessThan(bundle.length / 10);
    expect(gunzipSync(body).toString()).toBe(bundle);
  });

  it('sends it as is to a client that does not accept compression', async () => {
    const res = await request(h.server).get('/main-3VBQMQND.js').set('Accept-Encoding', 'identity');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.text).toBe(bundle);
  });

  it('makes the browser ask again for files whose name does not change (index.html, client routes, the icon)', async () => {
    for (const path of ['/', '/courses/some-client-route', '/favicon.svg']) {
      const res = await request(h.server).get(path).set('Accept-Encoding', 'gzip');
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-encoding']).toBe('gzip');
    }
  });

  it('answers a HEAD as its GET, without the body (an uptime monitor asks so): the page, a client route, a bundle', async () => {
    for (const path of ['/', '/learn', '/coaching/groups', '/main-3VBQMQND.js', '/favicon.svg']) {
      // (uncompressed, so that both say the length)
      const [get, head] = [
        await request(h.server).get(path).set('Accept-Encoding', 'identity'),
        await request(h.server).head(path).set('Accept-Encoding', 'identity'),
      ];
      expect({ path, status: head.status, type: head.type, length: head.headers['content-length'] }).toEqual({
        path,
        status: get.status,
        type: get.type,
        length: get.headers['content-length'],
      });
      expect({ path, status: head.status }).toEqual({ path, status: 200 });
    }
  });

  it('answers 404 for a file the build does not have, not index.html as a script (a tab opened before an upgrade asks for the old files)', async () => {
    for (const path of ['/chunk-OLDVERSN.js', '/styles-OLDVERSN.css', '/media/font-OLDVERSN.woff2', '/favicon.ico'])
      expect([path, (await request(h.server).get(path)).status]).toEqual([path, 404]);
    // a client route stays the app's, a dot in it too, and one that merely starts with "api"
    for (const path of ['/coaching/groups', '/invitation/abc.def', '/apiary', '/api-keys/x'])
      expect([path, (await request(h.server).get(path)).type]).toEqual([path, 'text/html']);
  });

  it('the web container (nginx with docker/nginx-web.conf) answers with the same headers as the API, index.html and client routes included', async () => {
    if (!existsSync(NGINX))
      throw new Error(`nginx not found at ${NGINX}: run REHEARSE_WITH_BROWSER=1 bash tools/scripts/ensure-system.sh`);
    const dir = await mkdtemp(join(tmpdir(), 'rehearse-nginx-'));
    // nginx's workers drop root for an unprivileged user, who must be able to read the files
    await chmod(web, 0o755);
    const port = await freePort();
    const site = (await readFile(join(ROOT, 'docker/nginx-web.conf'), 'utf8'))
      .replace('root /usr/share/nginx/html;', `root ${web};`)
      .replace('listen 8080;', `listen 127.0.0.1:${port};`);
    await writeFile(join(dir, 'site.conf'), site);
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir};`).join(' ');
    await writeFile(
      join(dir, 'nginx.conf'),
      `daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log;\nevents {}\n` +
        `http { include /etc/nginx/mime.types; access_log off; ${temp} include ${dir}/site.conf; }\n`,
    );
    const nginx = spawn(NGINX, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
    try {
      for (let i = 0; ; i++) {
        const up = await rawGet('/', {}, port).then(
          () => true,
          () => false,
        );
        if (up) break;
        if (i > 100) throw new Error(`nginx did not answer: ${await readFile(join(dir, 'error.log'), 'utf8')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      // a missing file: 404 from both
      for (const path of ['/chunk-OLDVERSN.js', '/favicon.ico']) {
        const [api, container] = await Promise.all([rawGet(path, {}), rawGet(path, {}, port)]);
        expect({ path, api: api.status, container: container.status }).toEqual({ path, api: 404, container: 404 });
      }
      for (const path of ['/', '/courses/some-client-route', '/main-3VBQMQND.js', '/favicon.svg']) {
        const [api, container] = await Promise.all([rawGet(path, {}), rawGet(path, {}, port)]);
        expect({ path, api: api.status, container: container.status }).toEqual({ path, api: 200, container: 200 });
        const compared = (headers: Record<string, unknown>) =>
          Object.fromEntries(
            Object.entries(headers)
              // HSTS is the TLS proxy's (the Caddyfile, the Ingress); the container speaks plain HTTP to it
              .filter(([k]) => !NOT_COMPARED.has(k) && k !== 'strict-transport-security')
              .map(([k, v]) => [
                k,
                // behind TLS the container also upgrades insecure requests; this API listens on http
                k === 'content-security-policy'
                  ? String(v)
                      .split(';')
                      .filter((d) => d !== 'upgrade-insecure-requests')
                      .sort()
                  : v,
              ]),
          );
        expect({ path, ...compared(container.headers) }).toEqual({ path, ...compared(api.headers) });
        expect(String(container.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
      }
    } finally {
      nginx.kill();
      await new Promise((r) => (nginx.exitCode === null ? nginx.once('exit', r) : r(undefined)));
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves API answers alone (live event streams and media ranges must not be buffered by a compressor)', async () => {
    const res = await request(h.server).get('/api/health').set('Accept-Encoding', 'gzip');
    expect(res.headers['content-encoding']).toBeUndefined();
  });
});
