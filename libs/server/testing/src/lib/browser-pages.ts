/**
 * Pages in headless Chromium, for the screenshot tour (apps/api/src/app/tour) and the pages
 * benchmark (tools/bench/pages.ts): which Chromium, when a page has settled, and what runs past
 * a screen's edge.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

/**
 * Debian's chromium-headless-shell: Chromium's own headless build, without the full browser's
 * machinery that `chromium --headless` still runs. The same pages, pictures and media; the tour
 * took 111–114 s of CPU against 137–142 s with /usr/bin/chromium (two runs each, 2026-12-03).
 * CHROME_BIN picks another Chromium (the full one works too). The program itself, not
 * /usr/bin's wrapper script, which starts the browser as its child: a browser stopped through the
 * script lives on (apps/web/karma.conf.js).
 */
const DEBIAN_HEADLESS_SHELL = '/usr/lib/chromium/chromium-headless-shell';
export const CHROMIUM =
  process.env['CHROME_BIN'] ??
  (existsSync(DEBIAN_HEADLESS_SHELL) ? DEBIAN_HEADLESS_SHELL : '/usr/bin/chromium-headless-shell');

/** Headless Chromium with the flags the tests need (no sandbox as root, media without a gesture). */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  // loaded here: the tests that import this library for anything else do not load it
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--autoplay-policy=no-user-gesture-required', ...extraArgs],
  });
}

/**
 * Counts the page's requests in flight (event streams and media, which stay open, left out), so a
 * stop can wait until its data has arrived and been drawn — instead of Playwright's "networkidle",
 * which waits a fixed half second of silence after every page.
 */
export function trackRequests(page: Page): () => Promise<void> {
  const open = new Set<unknown>();
  const lasting = (type: string) => type === 'eventsource' || type === 'media' || type === 'websocket';
  page.on('request', (r) => {
    if (!lasting(r.resourceType())) open.add(r);
  });
  page.on('requestfinished', (r) => open.delete(r));
  page.on('requestfailed', (r) => open.delete(r));
  // transitions and animations that will end (a ripple after a click, a focus ring fading in): axe
  // reads colours mid-transition (the coach's group button, just clicked, failed colour contrast in
  // some runs) and a screenshot would catch them half drawn; endless ones (a spinner) never settle.
  // One round trip to the page per look (two frames drawn, then a progress bar or anything moving),
  // not three: each call costs Playwright and Chromium CPU, and the tour looks a few thousand times
  const drawnAndStill = () =>
    page.evaluate(
      () =>
        new Promise<boolean>((done) =>
          requestAnimationFrame(() =>
            requestAnimationFrame(() =>
              done(
                document.querySelector('mat-progress-bar[mode="indeterminate"]') === null &&
                  document
                    .getAnimations()
                    .every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
              ),
            ),
          ),
        ),
    );
  return async () => {
    const deadline = Date.now() + 15_000;
    // settled: nothing in flight, no progress bar, nothing moving, and still so after two frames (a
    // response can start another request: the answer page loads its recording once the answer is there)
    for (let quiet = 0; quiet < 2 && Date.now() < deadline;) {
      const still = await drawnAndStill();
      const busy = open.size > 0 || !still;
      quiet = busy ? 0 : quiet + 1;
      if (busy) await page.waitForTimeout(20);
    }
  };
}

/**
 * The form fields' labels the page shows cut short (Material ends a label too long for its field
 * with an ellipsis: in Dutch, whose words run longer, a label that fits in English may not).
 */
export function cutOffLabels(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.mdc-floating-label'))
      .filter((el) => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
      .map((el) => (el.textContent ?? '').trim()),
  );
}

/**
 * What runs past the right edge of a screen `width` wide: the outermost elements that do (an
 * element whose parent fits), named by tag, class and the start of their text, so a failure says
 * where to look.
 */
export function pastTheEdge(page: Page, width: number): Promise<string[]> {
  return page.evaluate((w) => {
    const past = (el: Element) => el.getBoundingClientRect().right > w + 1;
    return Array.from(document.querySelectorAll('body *'))
      .filter((el) => past(el) && el.parentElement !== null && !past(el.parentElement))
      .slice(0, 3)
      .map((el) => {
        const r = el.getBoundingClientRect();
        const cls = typeof el.className === 'string' ? el.className.trim().split(/\s+/).slice(0, 2).join('.') : '';
        const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 30);
        // and the boxes around it, with their edges: which of them grew with it
        const around: string[] = [];
        for (let a = el.parentElement; a && a !== document.body && around.length < 4; a = a.parentElement) {
          const ar = a.getBoundingClientRect();
          const first = typeof a.className === 'string' ? a.className.trim().split(/\s+/)[0] : '';
          around.push(
            `${a.tagName.toLowerCase()}${first ? `.${first}` : ''} ${Math.round(ar.left)}–${Math.round(ar.right)}`,
          );
        }
        return `${el.tagName.toLowerCase()}${cls ? `.${cls}` : ''} to ${Math.round(r.right)} px ("${text}") in ${around.join(' < ')}`;
      });
  }, width);
}

/** A match in the text a page shows: the match, the text before it in its text node, the node's text trimmed. */
export interface ShownMatch {
  match: string;
  before: string;
  text: string;
}

/**
 * Every match of the regular expression `source` in the text a page shows (text nodes outside
 * scripts, styles, code and hidden elements), for the checks of how numbers and words are drawn.
 */
export function shownMatches(page: Page, source: string): Promise<ShownMatch[]> {
  return page.evaluate((src) => {
    const found: { match: string; before: string; text: string }[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('script, style, code, pre, [hidden]') || parent.offsetParent === null) continue;
      const text = node.textContent ?? '';
      for (const m of text.matchAll(new RegExp(src, 'g')))
        found.push({ match: m[0], before: text.slice(0, m.index), text: text.trim() });
    }
    return found;
  }, source);
}
