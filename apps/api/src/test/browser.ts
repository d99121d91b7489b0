/**
 * Helpers for the browser tests: Debian's Chromium (its headless shell) driven by playwright-core against the real API
 * serving the production build of the web app (`npx nx build web`; `npm test` builds it).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CHROMIUM, freePort, launchChromium } from '@rehearse/server/testing';
import { Harness, PASSWORD, startHarness } from './harness';

/** Where the tests find a free port and Chromium (kept here for the files that import them from the browser helpers). */
export { CHROMIUM, freePort, launchChromium };

export const WEB_DIST = join(__dirname, '../../../../dist/apps/web/browser');
/** Polls until `check` holds for what `read` returns; fails with the last value seen. */
export async function until<T>(
  read: () => Promise<T>,
  check: (v: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T = await read();
  while (!check(last)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

/** Fails early and clearly when the web build or Chromium is missing. */
export function requireBrowserPrerequisites(): void {
  if (!existsSync(join(WEB_DIST, 'index.html')))
    throw new Error(`the web app is not built (${WEB_DIST}): run npx nx build web`);
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}: run REHEARSE_WITH_BROWSER=1 bash tools/scripts/ensure-system.sh`,
    );
}

/** The API harness listening on a free local port, serving the production web build. */
export async function startWebHarness(env: Record<string, string> = {}): Promise<{ h: Harness; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const h = await startHarness({ PUBLIC_URL: base, WEB_DIST_DIR: WEB_DIST, ...env }, { listen: false });
  try {
    await h.app.listen(port, '127.0.0.1');
  } catch (e) {
    // the harness's worker and timers must not outlive a failed start
    await h.close();
    throw e;
  }
  return { h, base };
}

/** Signs in through the sign-in page with the password and the e-mailed code. */
/** The sign-in page's words in each language (the page follows the browser's language). */
const SIGN_IN_WORDS = {
  en: { email: 'E-mail address', password: 'Password', next: 'Continue', code: 'Code', signIn: 'Sign in' },
  nl: { email: 'E-mailadres', password: 'Wachtwoord', next: 'Verdergaan', code: 'Code', signIn: 'Inloggen' },
};

export async function signInOnPage(
  h: Harness,
  page: Page,
  email: string,
  password = PASSWORD,
  locale: 'en' | 'nl' = 'en',
  /** the page is the sign-in page just loaded (the tour has taken its picture): not loaded again */
  onSignInPage = false,
): Promise<void> {
  const w = SIGN_IN_WORDS[locale];
  if (!onSignInPage) await page.goto('/login');
  await page.getByLabel(w.email).fill(email);
  await page.getByLabel(w.password).fill(password);
  const before = h.mailbox.messages.length;
  // the password's answer awaited first: on a loaded machine a slow answer, or a refusal, says so
  // here rather than as a missing e-mail
  const [answer] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/login' && r.request().method() === 'POST', {
      timeout: 30_000,
    }),
    page.getByRole('button', { name: w.next, exact: true }).click(),
  ]);
  if (!answer.ok()) throw new Error(`signing in as ${email} answered ${answer.status()}: ${await answer.text()}`);
  // the code's e-mail speaks the account's language, which need not be the page's
  const mail = await h.mailbox.waitFor(email, /sign-in code|inlogcode/, 30_000, before);
  const code = /(\d{6})/.exec(mail.subject)?.[1] ?? '';
  await page.getByLabel(w.code).fill(code);
  await page.getByRole('button', { name: w.signIn, exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}
