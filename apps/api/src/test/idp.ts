import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './browser';

export interface IdpAccount {
  oid: string;
  tid: string;
  email: string;
  name: string;
}

/**
 * A real OpenID Connect provider on localhost (oidc-provider, tools/test-idp/idp.mjs) in its own
 * process, standing in for Microsoft Entra ID.
 */
export async function startIdp(
  clients: { client_id: string; client_secret: string; redirect_uris: string[] }[],
  accounts: Record<string, IdpAccount>,
): Promise<{ issuer: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, '../../../../tools/test-idp/idp.mjs')], {
    env: {
      ...process.env,
      IDP_PORT: String(port),
      IDP_CLIENTS: JSON.stringify(clients),
      IDP_ACCOUNTS: JSON.stringify(accounts),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const issuer = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the test identity provider did not start: ${out}`)), 15_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`the test identity provider exited (${code}): ${out}`)));
  });
  return {
    issuer,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * A browser at the identity provider: follows its redirects with a cookie jar, signs in as
 * `login` on the development login form, and returns the URL it finally sends the browser to
 * (our redirect URI with code, state and iss).
 */
export async function signInAtIdp(authorizationUrl: string, login: string, stopAt: string): Promise<URL> {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const remember = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  let url = new URL(authorizationUrl);
  let body: URLSearchParams | undefined;
  for (let hops = 0; hops < 20; hops++) {
    if (url.toString().startsWith(stopAt)) return url;
    const res = await fetch(url, {
      method: body ? 'POST' : 'GET',
      body,
      redirect: 'manual',
      headers: { cookie: cookieHeader(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    });
    remember(res);
    body = undefined;
    const location = res.headers.get('location');
    if (location) {
      url = new URL(location, url);
      continue;
    }
    const html = await res.text();
    if (res.status >= 400) throw new Error(`the identity provider answered ${res.status}: ${html.slice(0, 300)}`);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no form at ${url}: ${html.slice(0, 300)}`);
    url = new URL(action.replace(/&amp;/g, '&'), url);
    body = /name="prompt" value="consent"/.test(html)
      ? new URLSearchParams({ prompt: 'consent' })
      : new URLSearchParams({ prompt: 'login', login, password: 'any' });
  }
  throw new Error('too many redirects at the identity provider');
}
