import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import request from 'supertest';
import { Harness, startHarness } from '../test/harness';

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
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
    const { port } = (h.server as unknown as Server).address() as AddressInfo;
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

  it('leaves API answers alone (live event streams and media ranges must not be buffered by a compressor)', async () => {
    const res = await request(h.server).get('/api/health').set('Accept-Encoding', 'gzip');
    expect(res.headers['content-encoding']).toBeUndefined();
  });
});
