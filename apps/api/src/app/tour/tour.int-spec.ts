/**
 * The screenshot tour (`npm run tour`; part of `npm test`): seeds the demo organisation exactly as
 * `npm start` does (a few weeks of recorded answers, feedback, peer review, waiting and overdue
 * answers, a licence ending, a keep request), lets the worker transcribe every answer, then signs
 * in as each demo role in Chromium against the real API serving the production web build, visits
 * every route that role may open and saves a full-page PNG of each under tmp/tour/ (TOUR_DIR moves
 * them), at desktop width and at 375 px. In English it goes from page to page within the app, from
 * the end of each page; in Dutch it opens each from its address. A page fails the tour on a console
 * error, a request that fails or answers 4xx/5xx, text it should show and does not, a serious or
 * critical axe-core violation of WCAG 2.2 A/AA, a form field's label cut short, being wider than
 * the screen (a phone's or a desktop's: one person's name and address are each a single long
 * word), or, followed from the end of another page, opening part way down instead of at its top
 * or without the keyboard's focus on its content.
 * A new, empty organisation is toured too: its pages show their empty states. Look at the pictures.
 *
 * axe-core checks each page of a role once: the Dutch tour shows the same templates with other
 * words (their translations' presence is npm run i18n:check's), so a page axe has seen in English
 * is not analysed again in Dutch (a page the Dutch tour alone visits is). The sign-in page, the
 * same for everyone, is analysed once per language.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { PrivacyLogChecks } from '@rehearse/server/access';
import { AccountActivity, TenantsRepository } from '@rehearse/server/accounts';
import { Client as PgClient } from 'pg';
import { UnsubscribeLinks } from '@rehearse/server/mail';
import { PrivacyLogFindings, PrivacyLogWitness, ReceiptSigner } from '@rehearse/server/privacy';
import { blobStoreFrom } from '@rehearse/server/storage';
import { Harness, PASSWORD, totpNow } from '../../test/harness';
import { launchChromium, requireBrowserPrerequisites, signInOnPage, startWebHarness } from '../../test/browser';
import {
  DEMO_DOMAIN,
  DEMO_PASSWORD,
  DEMO_SUPERUSER_EMAIL,
  DEMO_SUPERUSER_PASSWORD,
  DEMO_TOTP_SECRET,
  cutOffLabels,
  pastTheEdge,
  shownMatches,
  trackRequests,
} from '@rehearse/server/testing';

const ROOT = join(__dirname, '../../../../..');
const OUT = process.env['TOUR_DIR'] ?? join(ROOT, 'tmp/tour');

const DESKTOP = { width: 1280, height: 800 };
/**
 * Someone whose name and e-mail address are each one long word (a real surname runs to 666
 * letters): the pages that show them wrap it instead of growing wider than the screen (the
 * people list, their page and the privacy log were 2,600–5,000 px wide on a desktop).
 */
const LONG_SURNAME =
  'Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaftschaferswessenschafewarenwohlgepflege';
const LONG_LOCAL_PART = 'hubert.blaine.wolfeschlegelsteinhausenbergerdorffwelchevoraltern';
/** A course's title and a group's name that are one long word too (German runs to them). */
const LONG_WORD = 'Kundendienstmitarbeiterschulungsprogrammeinheitsverwaltungsberatungsgesprächsführungsübungen';
const PHONE = { width: 375, height: 812 };
/**
 * Other screens, checked without a picture for what runs off them: the narrowest a page must fit
 * without scrolling sideways (WCAG 1.4.10 reflow: 320 CSS px, a small phone), and tablets upright
 * and on their side, between the phone's layout and the desktop's. Upright, the people list, the
 * privacy log and the organisations ran 60–320 px past 768 px.
 */
const OTHER_SCREENS = [
  { width: 320, height: 640, name: 'small phone' },
  { width: 768, height: 1024, name: 'tablet' },
  { width: 1024, height: 768, name: 'tablet' },
];
/** WCAG 2.0, 2.1 and 2.2, levels A and AA */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe-core's serious and critical violations of WCAG A/AA on the page as it is now. */
async function accessibilityProblems(page: Page, where: string): Promise<string[]> {
  // only violations are read: axe details one example of what passed instead of every node.
  // axe.run() in the page itself: the app has no frames, and the default (a partial run in each
  // frame, finished in a new blank page that loads axe-core once more) spent two thirds of the
  // tour's axe time on that page (61.6 → 21.2 s for the whole tour, measured)
  const result = await new AxeBuilder({ page })
    .setLegacyMode()
    .withTags(WCAG_TAGS)
    .options({ resultTypes: ['violations'] })
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${where}: axe ${v.id} (${v.impact}): ${v.help} at ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}${v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ''}`,
    );
}

/**
 * Goes to `path` the way the app's own links do: its router changes the page, the app is not
 * loaded again (the router's navigation on the browser's history, as Back and Forward make it).
 * The English tours move from page to page so, as a person does; the Dutch tours load every
 * page from its address, as a link in an e-mail or a bookmark does, so a page both visit is seen
 * both ways. A page opened from its address costs the browser the whole app again: with this
 * (and one look per settle, and the sign-in page loaded once) the tour took 138–144 s of the
 * machine's CPU instead of 148–163 s (the tour alone, three runs each, 2026-12-06).
 */
async function navigateInApp(page: Page, path: string): Promise<void> {
  await page.evaluate((to) => {
    // from the end of the page, as someone who has read it through
    window.scrollTo(0, document.documentElement.scrollHeight);
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate', { state: null }));
  }, path);
  const want = new URL(path, 'http://x');
  await page.waitForURL((u) => u.pathname === want.pathname && u.search === want.search);
}

/**
 * A form field's hint or error drawn over the field below it: Material keeps one line under each
 * field for it, so a hint that wraps to two lines (on a phone) runs into the next field unless its
 * field makes room (`subscriptSizing="dynamic"`). Answers the hints' texts.
 */
function hintsOverFields(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const fields = Array.from(document.querySelectorAll<HTMLElement>('.mat-mdc-text-field-wrapper'))
      .filter((el) => el.offsetParent !== null)
      .map((el) => el.getBoundingClientRect());
    const over: string[] = [];
    for (const hint of Array.from(document.querySelectorAll<HTMLElement>('mat-hint, mat-error'))) {
      if (hint.offsetParent === null || !(hint.textContent ?? '').trim()) continue;
      // the text's own lines, not its box (a hint's box may be wider than its words)
      const range = document.createRange();
      range.selectNodeContents(hint);
      for (const line of Array.from(range.getClientRects())) {
        if (
          fields.some(
            (f) =>
              line.bottom > f.top + 1 && line.top < f.bottom - 1 && line.right > f.left + 1 && line.left < f.right - 1,
          )
        ) {
          over.push((hint.textContent ?? '').trim());
          break;
        }
      }
    }
    return over;
  });
}

/**
 * Numbers written the English way on a Dutch page: "3.33" where a Dutch reader reads "3,33" (a
 * template that shows a number without Angular's number pipe). Addresses (IP, e-mail, web) and
 * code are not numbers to format. Answers each such text with its number.
 */
async function englishDecimals(page: Page): Promise<string[]> {
  return (await shownMatches(page, String.raw`(?<![\d.@/:\w])\d+\.\d+(?![\d.@\w])`)).map(
    (m) => `${m.match} in "${m.text}"`,
  );
}

/**
 * Words run together on screen: two pieces of text from neighbouring elements drawn side by side on
 * one line with no space between, a letter or digit on each side, or a sentence's end before the
 * next ("1 passage" and "found" became "passagefound" when a template's whitespace collapsed; a
 * transcript's words were glued the same way; "of 21." and its link "All of them" read "21.All").
 * Answers each join as "end|start".
 */
function gluedWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const blockOf = (el: Element): Element => {
      for (let e: Element | null = el; e; e = e.parentElement) {
        const d = getComputedStyle(e).display;
        if (!d.startsWith('inline') && d !== 'contents') return e;
      }
      return document.body;
    };
    // a <wbr> just before the text (Angular's anchors, comments, may stand between)
    const breakOfferedBefore = (n: Node): boolean => {
      for (let s = n.previousSibling; s; s = s.previousSibling) {
        if (s.nodeName === 'WBR') return true;
        if (s.nodeType !== Node.COMMENT_NODE && !(s.nodeType === Node.TEXT_NODE && !s.textContent)) return false;
      }
      return false;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let prev: { node: Text; block: Element } | null = null;
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      const parent = node.parentElement;
      const text = node.textContent ?? '';
      if (
        !parent ||
        !text.trim() ||
        parent.closest('script, style, [hidden], .sr-only') ||
        parent.offsetParent === null
      ) {
        // whitespace between two pieces keeps them apart
        if (text && !text.trim()) prev = null;
        continue;
      }
      const block = blockOf(parent);
      if (
        prev &&
        prev.block === block &&
        // a word, or a sentence's or a clause's end after one ("of 21." and a link "All of them"),
        // where the page offers no line break between them (an address's <wbr> after its dots)
        /[\p{L}\p{N}][.!?:;,)”’]?$/u.test(prev.node.textContent ?? '') &&
        !breakOfferedBefore(node) &&
        /^[\p{L}\p{N}]/u.test(text)
      ) {
        const a = document.createRange();
        a.selectNodeContents(prev.node);
        const b = document.createRange();
        b.selectNodeContents(node);
        const ra = Array.from(a.getClientRects()).pop();
        const rb = Array.from(b.getClientRects())[0];
        // side by side on one line, touching
        if (ra && rb && Math.abs(ra.top - rb.top) < ra.height / 2 && rb.left - ra.right < 2 && rb.left >= ra.left)
          found.push(`${(prev.node.textContent ?? '').trim().slice(-20)}|${text.trim().slice(0, 20)}`);
      }
      prev = { node, block };
    }
    return found;
  });
}

/**
 * Text squeezed into a column narrower than a word: a flex item or cell given no width of its own
 * draws its words a letter or two per line ("Filler “erm”" as a column of single letters beside
 * the buttons of its row, on a phone; long names may break anywhere, so nothing stops it). A text
 * of four letters or more drawn on three lines or more, under three characters a line. Answers
 * those texts.
 */
function squeezedText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = (node.textContent ?? '').trim();
      if (!parent || text.replace(/[^\p{L}\p{N}]/gu, '').length < 4 || parent.closest('script, style, [hidden]'))
        continue;
      if (parent.offsetParent === null) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      // one rectangle per line the text is drawn on (those on one line merged)
      const tops = new Set(
        Array.from(range.getClientRects())
          .filter((r) => r.width > 0)
          .map((r) => Math.round(r.top)),
      );
      if (tops.size >= 3 && text.length / tops.size < 3) found.push(text);
    }
    return found;
  });
}

/**
 * Words broken a letter or two before their end (or after their start): a label in a phone's
 * stacked table, narrower than its word, drew "Privacylogboe" and "k" on two lines, and the people
 * list on a phone "participant@demo.rehearse.loc" and "al". A word may break where it offers to (a
 * soft hyphen, a hyphen, a slash; an address drawn by rh-address after its "@" and dots), and
 * elsewhere only with three letters or more on each line. Not checked: a link (to be copied whole,
 * it breaks where its line ends) and a word longer than a phone's line (30 letters; a name may be).
 * A stacked table's column names are checked by measuring them. Answers each such word as it is
 * drawn ("Privacylogboe|k").
 */
function brokenWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const letters = (s: string) => s.replace(/[^\p{L}\p{N}]/gu, '').length;
    const range = document.createRange();
    const tops = (from: number, to: number, node: Text) => {
      range.setStart(node, from);
      range.setEnd(node, to);
      return Array.from(range.getClientRects())
        .filter((r) => r.width > 0)
        .map((r) => Math.round(r.top));
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      const parent = node.parentElement;
      const text = node.data;
      if (!parent || letters(text) < 4 || parent.closest('script, style, [hidden]') || parent.offsetParent === null)
        continue;
      // only a text drawn on two lines or more can have a broken word
      if (new Set(tops(0, text.length, node)).size < 2) continue;
      for (const word of text.matchAll(/\S+/g)) {
        const start = word.index ?? 0;
        const end = start + word[0].length;
        const length = letters(word[0]);
        if (length < 4 || length > 30 || word[0].includes('://') || new Set(tops(start, end, node)).size < 2) continue;
        let lineTop: number | undefined;
        for (let i = start; i < end; i++) {
          const top = tops(i, i + 1, node)[0];
          if (top === undefined) continue;
          if (lineTop !== undefined && top > lineTop + 1 && !/[\u00AD\-/@.]/.test(text[i - 1])) {
            const before = text.slice(start, i);
            const after = text.slice(i, end);
            if (Math.min(letters(before), letters(after)) <= 2) found.push(`${before}|${after}`);
          }
          lineTop = top;
        }
      }
    }
    // a stacked table's column names are drawn by its style (::before, from data-label), not as
    // text: measured instead, each word (each part between soft hyphens, with its hyphen) in the
    // name's font against the name's width, and one too wide split where the browser splits it
    const probe = document.createElement('span');
    probe.style.cssText = 'position: absolute; visibility: hidden; white-space: pre; left: -10000px; top: 0';
    document.body.append(probe);
    const measure = (text: string) => {
      probe.textContent = text;
      return probe.getBoundingClientRect().width;
    };
    const labels = new Set<string>();
    for (const cell of Array.from(document.querySelectorAll<HTMLElement>('table.stacked [data-label]'))) {
      const label = cell.dataset['label'] ?? '';
      if (!label || cell.offsetParent === null) continue;
      const name = getComputedStyle(cell, '::before');
      if (name.content === 'none' || name.display === 'none') continue;
      const width = parseFloat(name.width);
      const key = `${label} ${width} ${name.fontWeight} ${name.fontSize}`;
      if (!(width > 0) || labels.has(key)) continue;
      labels.add(key);
      for (const property of ['fontFamily', 'fontSize', 'fontWeight', 'fontStyle', 'letterSpacing'] as const)
        probe.style[property] = name[property];
      for (const word of label.split(/\s+/)) {
        const parts = word.split('\u00AD');
        parts.forEach((part, i) => {
          const drawn = i < parts.length - 1 ? `${part}-` : part;
          if (measure(drawn) <= width) return;
          let fits = 1;
          while (fits < drawn.length && measure(drawn.slice(0, fits + 1)) <= width) fits++;
          const first = drawn.slice(0, fits);
          const rest = drawn.slice(fits);
          if (Math.min(letters(first), letters(rest)) <= 2) found.push(`${first}|${rest}`);
        });
      }
    }
    probe.remove();
    return found;
  });
}

/**
 * Tables that scroll sideways inside their box: on a phone a wide table hid its last columns (the
 * privacy log's "What", the queue's due date) until scrolled; a table there is a list of labelled
 * rows instead (rhStacked). Answers each such table's first column's name.
 */
function sidewaysTables(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLTableElement>('table'))
      // a table that scrolls (not one whose button's touch area sticks out of a cell: the page's
      // width, checked too, says whether anything really runs off the screen)
      .filter(
        (t) =>
          t.offsetParent !== null &&
          /auto|scroll/.test(getComputedStyle(t).overflowX) &&
          t.scrollWidth > t.clientWidth + 1,
      )
      .map((t) => (t.tHead?.rows[0]?.cells[0]?.textContent ?? t.textContent ?? '').trim().slice(0, 40)),
  );
}

/**
 * Buttons in a row of form fields (a search, a filter, a short form) sit on the fields' line: each
 * button's middle within 4 px of the middle of a field's box beside it. A field keeps room below
 * its box for a hint or an error, so a row that centres its items put the buttons about 10 px
 * below the fields. Answers the labels of the buttons that are off.
 */
function buttonsOffFields(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const middle = (r: DOMRect) => r.top + r.height / 2;
    const off: string[] = [];
    for (const row of Array.from(document.querySelectorAll('.row'))) {
      const items = Array.from(row.children) as HTMLElement[];
      const fields = items
        .map((el) => el.querySelector('.mat-mdc-text-field-wrapper')?.getBoundingClientRect())
        .filter((r): r is DOMRect => !!r && r.height > 0);
      for (const button of items.filter((el) => el.matches('.mat-mdc-button-base') && el.offsetParent !== null)) {
        const b = button.getBoundingClientRect();
        // the fields on the button's line (a row wraps on a phone)
        const beside = fields.filter((f) => f.top < b.bottom && b.top < f.bottom);
        if (beside.length && !beside.some((f) => Math.abs(middle(f) - middle(b)) <= 4))
          off.push((button.textContent ?? '').trim());
      }
    }
    return off;
  });
}

/**
 * The top bar's first line holds the brand, the person's name and the sign-out button: the name
 * gives way (shortened) before the button moves to a line of its own ("Uitloggen" did, under an
 * administrator's name).
 */
function signOutBesideBrand(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const bar = document.querySelector('[role=banner]');
    const brand = bar?.querySelector('.brand')?.getBoundingClientRect();
    const signOut = Array.from(bar?.querySelectorAll('button') ?? [])
      .pop()
      ?.getBoundingClientRect();
    return !brand || !signOut || Math.abs(brand.top + brand.height / 2 - (signOut.top + signOut.height / 2)) < 8;
  });
}

interface Stop {
  name: string;
  path: string;
  /** text the page must show once loaded (each of them) */
  shows: RegExp | RegExp[];
  /** what a person does on the page before it is checked and photographed (a form half filled) */
  act?: (page: Page) => Promise<void>;
}

/** A date as Angular writes it for Dutch readers ("30 nov 2026"). */
const DUTCH_DATE = /\b\d{1,2} (jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec)\.? \d{4}\b/;

describe('the screenshot tour: every page of every role', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  const ids: Record<string, string> = {};
  /** the pages (role and stop) axe-core has analysed in this run */
  const analysed = new Set<string>();
  const email = (who: string) => `${who}@${DEMO_DOMAIN}`;
  /**
   * Each stop starts from the languages it expects, whatever stop ran before it: no language kept
   * on these accounts, as before their first sign-in (the browser's language then decides and is kept).
   */
  const noLanguageKept = (...who: string[]) =>
    h.db.query(`UPDATE users SET locale = NULL WHERE email = ANY($1)`, [who.map(email)]);

  beforeAll(async () => {
    requireBrowserPrerequisites();
    await mkdir(OUT, { recursive: true });
    // the folder holds this run's pictures only
    for (const f of await readdir(OUT)) if (f.endsWith('.png')) await rm(join(OUT, f));
    ({ h, base } = await startWebHarness());
    // `npm run seed` as npm start runs it, in its own process, against this harness's installation
    const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' };
    for (const [k, v] of Object.entries(h.config))
      if (/^[A-Z_]+$/.test(k) && ['string', 'number', 'boolean'].includes(typeof v)) env[k] = String(v);
    // the database's owner, as npm start's local-env.cjs gives it (the seed dates the demo's account activity)
    env['DATABASE_OWNER_URL'] = h.database.ownerUrl;
    const seeded = await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'tools/scripts/ts-run.cjs'), join(ROOT, 'tools/seed.ts')],
      { cwd: ROOT, env, timeout: 300_000 },
    );
    expect(seeded.stdout).toContain("Seeded the demo's first weeks");
    const tenantId = (await h.db.query(`SELECT id FROM tenants WHERE slug = 'demo'`))[0].id as string;
    // the demo's group was set up weeks ago, and the account activity says so (not the day of the seed)
    const [grouped] = await h.db.query(
      `SELECT count(*)::int AS made, count(*) FILTER (WHERE at > now() - interval '25 days')::int AS recent
         FROM account_activity WHERE tenant_id = $1 AND action IN ('group.member_added', 'enrolment.added')`,
      [tenantId],
    );
    expect(grouped).toEqual({ made: 6, recent: 0 });
    // the worker transcribes the demo's answers and writes their AI reports
    const deadline = Date.now() + 240_000;
    for (;;) {
      const [{ waiting }] = await h.db.query(
        `SELECT count(*)::int AS waiting FROM recordings WHERE tenant_id = $1 AND purpose = 'answer' AND status NOT IN ('transcribed', 'failed')`,
        [tenantId],
      );
      if (waiting === 0) break;
      if (Date.now() > deadline) throw new Error(`${waiting} demo recordings still not transcribed`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const one = async (sql: string, params: unknown[] = []) =>
      Object.values((await h.db.query(sql, params))[0] as Record<string, string>)[0];
    const answerOf = (who: string, title: string) =>
      one(
        `SELECT a.id FROM answers a JOIN users u ON u.id = a.user_id JOIN course_versions v ON v.id = a.course_version_id
            WHERE u.email = $1 AND EXISTS (SELECT 1 FROM jsonb_array_elements(v.content->'modules') mo, jsonb_array_elements(mo->'exercises') ex WHERE ex->>'id' = a.exercise_id::text AND ex->>'title' = $2)`,
        [email(who), title],
      );
    // the worker's nightly check of the organisation's privacy log, as it would have run
    expect((await h.app.get(PrivacyLogChecks).check(tenantId)).broken).toBeNull();
    ids['course'] = await one(`SELECT id FROM courses WHERE tenant_id = $1`, [tenantId]);
    ids['group'] = await one(`SELECT id FROM groups WHERE tenant_id = $1`, [tenantId]);
    ids['pim'] = await one(`SELECT id FROM users WHERE email = $1`, [email('participant')]);
    ids['cora'] = await one(`SELECT id FROM users WHERE email = $1`, [email('coach')]);
    ids['pimFinal'] = await answerOf('participant', 'Final: the late delivery');
    ids['pimFeeling'] = await answerOf('participant', 'Name the feeling');
    ids['rikBaseline'] = await answerOf('rik', 'Baseline: the late delivery');
    ids['pimFinalRecording'] = await one(`SELECT id FROM recordings WHERE answer_id = $1`, [ids['pimFinal']]);
    ids['long'] = await h.createUser(tenantId, `Hubert ${LONG_SURNAME}`, `${LONG_LOCAL_PART}@${DEMO_DOMAIN}`, [
      'participant',
    ]);
    const developer = await h.signIn(email('developer'), DEMO_PASSWORD);
    ids['longCourse'] = (await developer.post('/api/authoring/courses', { title: LONG_WORD, language: 'en' })).body.id;
    const administrator = await h.signIn(email('admin'), DEMO_PASSWORD);
    ids['longGroup'] = (await administrator.post('/api/admin/groups', { name: `Gruppe ${LONG_WORD}` })).body.id;
    // someone invited who has not chosen a password yet: the page says when their link went
    const invited = await administrator.post('/api/admin/users', {
      name: 'Ivy Invited',
      email: `ivy.invited@${DEMO_DOMAIN}`,
      roles: ['content_developer'],
    });
    expect(invited.status).toBe(201);
    ids['invited'] = invited.body.id;
    // a second organisation with nobody but its administrator: every page in its empty state
    await h.tenants.createTenant({
      name: 'Empty Organisation',
      slug: 'empty',
      admin: { name: 'Eve Empty', email: 'admin@empty.test', password: PASSWORD },
    });
    browser = await launchChromium();
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  /** Signs in as `who` and visits each stop; returns every problem seen, page by page. */
  /** the authenticator code the last superuser sign-in used */
  let lastTotp: string | null = null;
  /** The demo superuser's sign-in on the sign-in page just loaded: password, then the authenticator app's code. */
  async function signInWithAuthenticator(
    page: Page,
    signInEmail: string,
    password: string,
    locale: 'en' | 'nl',
  ): Promise<void> {
    const w =
      locale === 'nl'
        ? {
            email: 'E-mailadres',
            password: 'Wachtwoord',
            next: 'Verdergaan',
            asks: 'Vul de 6-cijferige code uit je authenticator-app in.',
            signIn: 'Inloggen',
          }
        : {
            email: 'E-mail address',
            password: 'Password',
            next: 'Continue',
            asks: 'Enter the 6-digit code from your authenticator app.',
            signIn: 'Sign in',
          };
    await page.getByLabel(w.email).fill(signInEmail);
    await page.getByLabel(w.password).fill(password);
    await page.getByRole('button', { name: w.next, exact: true }).click();
    await page.getByText(w.asks).waitFor();
    // a code signs in once (no replay): a sign-in just before this one, in the same 30 s, waits for
    // the next code, as a person would (which tests sign the superuser in back to back depends on their order)
    let code = totpNow(h, DEMO_TOTP_SECRET);
    while (code === lastTotp) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      code = totpNow(h, DEMO_TOTP_SECRET);
    }
    lastTotp = code;
    await page.getByLabel('Code').fill(code);
    await page.getByRole('button', { name: w.signIn, exact: true }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  }

  async function tour(
    who: string,
    signInEmail: string,
    password: string,
    stops: Stop[],
    locale: 'en' | 'nl' = 'en',
    authenticator = false,
  ): Promise<string[]> {
    const role = locale === 'en' ? who : `${who}-${locale}`;
    // the browser's language: Chromium sends it as Accept-Language and reports it as navigator.languages
    const context = await browser.newContext({
      baseURL: base,
      viewport: DESKTOP,
      locale: locale === 'nl' ? 'nl-NL' : 'en-US',
    });
    const page: Page = await context.newPage();
    const settled = trackRequests(page);
    const problems: string[] = [];
    let where = 'sign-in';
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      // Chromium logs every 4xx response as a console error; the 401 of "who is signed in?" before
      // signing in is the expected answer (the response handler below checks all other statuses)
      if (where === 'sign-in' && /status of 401/.test(m.text())) return;
      problems.push(`${where}: console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${where}: uncaught: ${e.message}`));
    page.on('requestfailed', (r) => {
      // a navigation away cancels the previous page's open event stream or media: not a failure
      if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
      problems.push(`${where}: request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText})`);
    });
    page.on('response', (r) => {
      const url = new URL(r.url());
      // before signing in, the app asks who is signed in: 401 is its answer
      if (r.status() === 401 && url.pathname === '/api/auth/me' && where === 'sign-in') return;
      if (r.status() >= 400) problems.push(`${where}: ${r.request().method()} ${url.pathname} answered ${r.status()}`);
    });
    // the sign-in page itself, in the browser's language, with its language switch
    await page.goto('/login');
    await page.getByRole('navigation', { name: locale === 'nl' ? 'Taal' : 'Language' }).waitFor();
    await page.screenshot({ path: join(OUT, `${role}-sign-in.png`), fullPage: true });
    // the same page for everyone: analysed once in each language
    if (!analysed.has(`sign-in ${locale}`)) problems.push(...(await accessibilityProblems(page, `${role} sign-in`)));
    analysed.add(`sign-in ${locale}`);
    if (authenticator) await signInWithAuthenticator(page, signInEmail, password, locale);
    else await signInOnPage(h, page, signInEmail, password, locale, true);
    for (const [i, stop] of stops.entries()) {
      where = `${role} ${stop.name} (${stop.path})`;
      const inApp = locale === 'en' && i > 0;
      if (inApp) await navigateInApp(page, stop.path);
      else await page.goto(stop.path);
      await settled();
      if (inApp) {
        const [scrollY, focusInMain] = await page.evaluate(() => [
          window.scrollY,
          document.querySelector('main')?.contains(document.activeElement) ?? false,
        ]);
        // followed from the end of the page before: the new page opens at its top
        if (scrollY > 0)
          problems.push(`${where}: opened from another page's end, it shows its own part way down, not its top`);
        // and the keyboard's focus (a screen reader's place) moves to it, as on a page loaded anew
        if (!focusInMain) problems.push(`${where}: opened within the app, the focus is not on the page's content`);
      }
      if (stop.act) {
        await stop.act(page);
        await settled();
      }
      for (const shows of ([] as RegExp[]).concat(stop.shows)) {
        try {
          await page.getByText(shows).first().waitFor({ timeout: 15_000 });
        } catch {
          problems.push(`${where}: does not show ${shows}`);
        }
      }
      const lang = await page.evaluate(() => document.documentElement.lang);
      if (lang !== locale) problems.push(`${where}: the page's language is "${lang}", not "${locale}"`);
      for (const label of await cutOffLabels(page)) problems.push(`${where}: the label "${label}" is cut off`);
      for (const button of await buttonsOffFields(page))
        problems.push(`${where}: the button "${button}" is not on its form fields' line`);
      for (const hint of await hintsOverFields(page)) problems.push(`${where}: the hint "${hint}" runs into a field`);
      if (locale === 'nl')
        for (const n of await englishDecimals(page)) problems.push(`${where}: a number written the English way: ${n}`);
      for (const g of await gluedWords(page)) problems.push(`${where}: words run together: ${g}`);
      for (const t of await squeezedText(page)) problems.push(`${where}: "${t}" squeezed a letter or two to a line`);
      for (const w of await brokenWords(page)) problems.push(`${where}: the word "${w}" broken at its end`);
      await page.screenshot({ path: join(OUT, `${role}-${stop.name}.png`), fullPage: true });
      const desktopWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      if (desktopWidth > DESKTOP.width + 1)
        problems.push(`${where}: ${desktopWidth} px wide on a ${DESKTOP.width} px screen`);
      if (!analysed.has(`${who} ${stop.name}`)) problems.push(...(await accessibilityProblems(page, where)));
      analysed.add(`${who} ${stop.name}`);
      // on a small phone and a tablet: nothing wider than the screen, no table to scroll sideways
      for (const other of OTHER_SCREENS) {
        await page.setViewportSize(other);
        await settled();
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        const on = `a ${other.width} px ${other.name}`;
        if (width > other.width + 1)
          problems.push(`${where}: ${width} px wide on ${on}: ${(await pastTheEdge(page, other.width)).join('; ')}`);
        for (const t of await sidewaysTables(page))
          problems.push(`${where}: on ${on} the table of "${t}" scrolls sideways`);
        for (const t of await squeezedText(page))
          problems.push(`${where}: on ${on} "${t}" is squeezed a letter or two to a line`);
        for (const w of await brokenWords(page))
          problems.push(`${where}: on ${on} the word "${w}" is broken at its end`);
      }
      // the same page on a phone: nothing wider than the screen
      await page.setViewportSize(PHONE);
      await settled();
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      if (wide > PHONE.width + 1)
        problems.push(
          `${where}: ${wide} px wide on a ${PHONE.width} px screen: ${(await pastTheEdge(page, PHONE.width)).join('; ')}`,
        );
      for (const label of await cutOffLabels(page))
        problems.push(`${where}: on a phone the label "${label}" is cut off`);
      for (const hint of await hintsOverFields(page))
        problems.push(`${where}: on a phone the hint "${hint}" runs into a field`);
      if (!(await signOutBesideBrand(page)))
        problems.push(`${where}: on a phone the sign-out button has a line of its own`);
      for (const t of await squeezedText(page))
        problems.push(`${where}: on a phone "${t}" is squeezed a letter or two to a line`);
      for (const w of await brokenWords(page))
        problems.push(`${where}: on a phone the word "${w}" is broken at its end`);
      for (const t of await sidewaysTables(page))
        problems.push(`${where}: on a phone the table of "${t}" scrolls sideways`);
      await page.screenshot({ path: join(OUT, `${role}-${stop.name}-phone.png`), fullPage: true });
      await page.setViewportSize(DESKTOP);
    }
    await context.close();
    return problems;
  }

  it('sees what it looks for: axe-core’s serious and critical violations, a label cut short, a button below its fields, a hint over the next field, a number written the English way, words run together, text squeezed a letter to a line, a word broken at its end, a table scrolling sideways', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.setContent(`<!doctype html><html lang="en"><head><title>Faulty</title></head><body><main>
      <p style="color:#bbb;background:#fff">Grey on white: too faint to read</p>
      <button><svg width="16" height="16"></svg></button>
      <label class="mdc-floating-label" style="display:block;width:40px;overflow:hidden;white-space:nowrap">A label far too long for its field</label>
      <form class="row" style="display:flex;align-items:center;gap:12px">
        <div class="mat-mdc-form-field"><div class="mat-mdc-text-field-wrapper" style="height:56px"></div><div style="height:22px"></div></div>
        <button class="mat-mdc-button-base" style="height:40px">Search</button>
      </form>
      <div style="width:200px"><div class="mat-mdc-text-field-wrapper" style="height:56px"></div>
        <div style="height:16px"><mat-hint style="display:block;font-size:12px;line-height:16px">A hint that wraps to a second line and a third</mat-hint></div>
        <div class="mat-mdc-text-field-wrapper" style="height:56px"></div>
        <mat-hint style="display:block">A hint that fits</mat-hint></div>
      <table><tr><td>3.33</td><td>3,33</td><td>192.0.2.1</td><td>p3.5@example.test</td><td>v2</td></tr></table>
      <p><span>1 passage</span><span>found</span></p>
      <p><span>Showing 20 of 21.</span><a href="#">All of them</a></p>
      <p><span>Good</span> <span>morning</span>, <mark>order</mark>, <a href="#">Pim</a>: fine</p>
      <p><span>end of a block</span></p><p><span>start of the next</span></p>
      <div style="width:200px"><table style="display:block;overflow-x:auto"><thead><tr><th>When</th><th>Who</th></tr></thead>
        <tbody><tr><td style="white-space:nowrap">4 December 2026, 08:52:44</td><td style="white-space:nowrap">Ada Administrator</td></tr></tbody></table></div>
            <div style="display:flex;width:300px;overflow-wrap:anywhere"><span style="flex:1">Filler “erm”</span><button style="width:290px">Accept</button></div>
      <p style="width:40px;overflow-wrap:anywhere">Wolfeschlegelsteinhausenbergerdorff</p>
      <div style="font:16px monospace;overflow-wrap:anywhere">
        <p style="width:11.5ch">Overeenkomst</p>
        <p style="width:8.5ch">Privacy&shy;logboek</p>
        <p style="width:20ch">http://127.0.0.1:27639/api/auth/sso/callback</p>
        <p style="width:13.5ch">participant@<wbr>demo.<wbr>rehearse.<wbr>local</p>
      </div>
      <style>table.stacked td::before { content: attr(data-label); float: left; width: 13.5ch; font: 16px monospace; overflow-wrap: break-word }</style>
      <table class="stacked"><tbody><tr><td data-label="Privacylogboek">intact</td><td data-label="Privacy&shy;logboek">intact</td></tr></tbody></table>
      </main></body></html>`);
    const problems = await accessibilityProblems(page, 'faulty');
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^faulty: axe color-contrast \(serious\)/),
        expect.stringMatching(/^faulty: axe button-name \(critical\)/),
      ]),
    );
    expect(await cutOffLabels(page)).toEqual(['A label far too long for its field']);
    expect(await buttonsOffFields(page)).toEqual(['Search']);
    expect(await hintsOverFields(page)).toEqual(['A hint that wraps to a second line and a third']);
    expect(await englishDecimals(page)).toEqual(['3.33 in "3.33"']);
    expect(await gluedWords(page)).toEqual(['1 passage|found', 'Showing 20 of 21.|All of them']);
    expect(await squeezedText(page)).toEqual(['Filler “erm”']);
    // (the squeezed "Filler" too; not the soft hyphen's break, the link or the address broken at its <wbr>)
    expect(await brokenWords(page)).toEqual(['Fille|r', 'Overeenkoms|t', 'Privacylogboe|k']);
    expect(await sidewaysTables(page)).toEqual(['When']);
    await context.close();
  });

  it('the participant (Pim: a baseline, practice with self and peer review, a final test, feedback on each)', async () => {
    await noLanguageKept('participant');
    expect(
      await tour('participant', email('participant'), DEMO_PASSWORD, [
        { name: 'home', path: '/', shows: [/from your coach/, /^1 peer review to do$/] },
        { name: 'courses', path: '/learn', shows: /Handling complaints on the phone/ },
        { name: 'course', path: `/learn/${ids['course']}`, shows: /Baseline: the late delivery/ },
        // Pim's coach reviewed it: the answer's page says who has seen it
        {
          name: 'answer-final',
          path: `/answers/${ids['pimFinal']}`,
          shows: [/Baseline against final/, /Who has seen this answer/, /Cora Coach/],
        },
        { name: 'answer-peer', path: `/answers/${ids['pimFeeling']}`, shows: /Warm and short/ },
        {
          name: 'recording',
          path: `/recordings/${ids['pimFinalRecording']}`,
          shows: [/Transcribed on this installation/, /Your answer to “/],
        },
        // Quinn shared her answer with the group: the rotation handed it to Pim
        { name: 'peer-reviews', path: '/peer-reviews', shows: [/Peer review/i, /Quinn Participant/] },
        { name: 'my-data', path: '/my/data', shows: /Your licence runs until/ },
        // who looked at Pim's data: his coach, and his administrator once her stop has run
        // Cora opened the final answer's review three times while writing it: one line, "3 times"
        // (more once the coach's stop has opened it again)
        {
          name: 'account',
          path: '/account',
          shows: [
            /Who looked at my data/,
            /Cora Coach|Ada Administrator/,
            /^\d+ times since \d\d?:\d\d/,
            /^E-mail me 3 days before a course of mine is due/,
            // what his administrator changed in his account: the group she put him in
            /^Changes to my account$/,
            /^Added to the group Customer service team as a participant$/,
          ],
        },
      ]),
    ).toEqual([]);
  }, 240_000);

  it('the coach (Cora: answers waiting, one overdue, feedback published)', async () => {
    await noLanguageKept('coach');
    expect(
      await tour('coach', email('coach'), DEMO_PASSWORD, [
        { name: 'home', path: '/', shows: /waiting over 7 days/ },
        { name: 'groups', path: '/coaching', shows: /Customer service team/ },
        // a group opened: its courses and its participants (a page of them, each a logged look)
        {
          name: 'group-opened',
          path: '/coaching',
          act: async (page) => {
            await page.getByRole('button', { name: /Customer service team/ }).click();
          },
          shows: [/Participants \(\d+\)/, /Pim Participant/, /Handling complaints on the phone/],
        },
        {
          name: 'group-progress',
          path: `/coaching/groups/${ids['group']}/courses/${ids['course']}`,
          shows: [/as your group's trainees see it/, /^\d+ exercises · due /, /^up to \d+ attempts$/],
        },
        { name: 'queue', path: '/coaching/reviews', shows: /Rik Participant/ },
        // a course's name in the queue leads to that course's answers alone
        {
          name: 'queue-course',
          path: `/coaching/reviews?courseId=${ids['course']}`,
          shows: [
            /Only the answers to Handling complaints on the phone\./,
            /Show all courses/,
            /Rik Participant/,
            // the choice of a course, with how many wait in it
            /^Handling complaints on the phone \(3 waiting\)$/,
          ],
        },
        { name: 'review', path: `/review/${ids['rikBaseline']}`, shows: /Coach review/ },
        { name: 'review-published', path: `/review/${ids['pimFinal']}`, shows: /Exactly the opening we practised/ },
        { name: 'search', path: '/recordings/search?q=order', shows: /Pim Participant · / },
        // a search hit's recording names whose answer it is and leads to its review
        {
          name: 'recording',
          path: `/recordings/${ids['pimFinalRecording']}?t=2.0`,
          shows: [/Pim Participant’s answer to “/, /attempt \d · submitted/, /Review this answer/],
        },
        { name: 'reports', path: '/reports', shows: /Scores per criterion/ },
        // the coach's own morning e-mail, on unless turned off, with its hour in the browser's time
        {
          name: 'account',
          path: '/account',
          shows: [
            /^Morning e-mail$/,
            /E-mail me each morning how many answers wait for my feedback/,
            /It comes after \d/,
          ],
        },
      ]),
    ).toEqual([]);
  }, 240_000);

  it('the administrator (Ada: a licence ending, a keep request, someone in no group, the privacy log)', async () => {
    await noLanguageKept('admin');
    expect(
      await tour('admin', email('admin'), DEMO_PASSWORD, [
        { name: 'home', path: '/', shows: /Noor Newcomer/ },
        { name: 'users', path: '/admin/users', shows: /Pim Participant/ },
        {
          // a year's renewal: several people selected, one licence for them
          name: 'users-licences',
          path: '/admin/users',
          act: async (page) => {
            await page.getByRole('checkbox', { name: 'Select Pim Participant' }).check();
            await page.getByRole('checkbox', { name: 'Select Quinn Participant' }).check();
            await page.getByRole('button', { name: 'Give them a licence' }).click();
            await page.getByLabel('Licence from').first().fill('2027-01-01');
          },
          shows: [/^2 people selected$/, /Set the licence/],
        },
        {
          // several people into a group: who cannot join as a participant is said before
          name: 'users-group',
          path: '/admin/users',
          act: async (page) => {
            // (the stop before left its selection: the same page, opened again in the app)
            const clear = page.getByRole('button', { name: 'Clear the selection' });
            if (await clear.count()) await clear.click();
            for (const name of ['Pim Participant', 'Noor Newcomer', 'Ivy Invited'])
              await page.getByRole('checkbox', { name: `Select ${name}` }).check();
            await page.getByRole('button', { name: 'Add them to a group' }).click();
          },
          shows: [/^3 people selected$/, /left out: Ivy Invited\.$/, /Add them as participants/],
        },
        { name: 'user', path: `/admin/users/${ids['pim']}`, shows: /Pim Participant/ },
        // the licence's end chosen on the calendar (the app's words and dates, not the browser's)
        {
          name: 'user-calendar',
          path: `/admin/users/${ids['pim']}`,
          act: async (page) => {
            await page.getByRole('button', { name: 'Open calendar' }).nth(1).click();
          },
          shows: [/^october 2027$/i, /^Pim Participant$/],
        },
        { name: 'user-long-name', path: `/admin/users/${ids['long']}`, shows: /Wolfeschlegel/ },
        {
          name: 'user-invited',
          path: `/admin/users/${ids['invited']}`,
          shows: [/^Ivy Invited$/, /^Invitation e-mailed on \d{1,2} \w{3} \d{4}, .+; the link works until .+\.$/],
        },
        { name: 'groups', path: '/admin/groups', shows: [/Customer service team/, /Gruppe Kundendienst/] },
        { name: 'group-long-name', path: `/admin/groups/${ids['longGroup']}`, shows: /Gruppe Kundendienst/ },
        // its members listed by name, whoever they are; others found by a search
        {
          name: 'group',
          path: `/admin/groups/${ids['group']}`,
          shows: [/Customer service team/, /Pim Participant/, /Find a participant/, /Participants \(\d+\)/],
        },
        // changing the members: Pim unticked, Noor (in no group) found and ticked; only that is sent on saving
        {
          name: 'group-editing',
          path: `/admin/groups/${ids['group']}`,
          act: async (page) => {
            await page.getByRole('checkbox', { name: /Pim Participant/ }).uncheck();
            await page.locator('input[name=participant-search]').fill('noor');
            await page.getByRole('checkbox', { name: /Noor/ }).check();
          },
          shows: [/1 to add, 1 to remove/, /\(to add\)/, /\(to remove\)/, /No member matches “noor”/],
        },
        // checked by the worker's nightly check (run once after the seed, below): intact
        {
          name: 'privacy-log',
          path: '/admin/privacy-log',
          shows: [/Cora Coach/, /Checked for changes .*: all [\d,]+ entries written until then intact\./],
        },
        // one person's looks: Cora's, from her name in the list
        {
          name: 'privacy-log-of-one',
          path: `/admin/privacy-log?actorId=${ids['cora']}`,
          shows: [/^Only the looks by Cora Coach$/, /Show everyone's/],
        },
        // what was changed in the accounts: the demo's group made by its administrator, then one person's
        {
          name: 'activity',
          path: '/admin/activity',
          shows: [/Whose account/, /Added to the group Customer service team as a participant/],
        },
        {
          name: 'activity-of-one',
          path: `/admin/activity?subjectId=${ids['pim']}`,
          shows: [/Only the changes to Pim Participant's account/, /Show everyone's/],
        },
        { name: 'retention', path: '/admin/retention', shows: /Sanne Former/ },
        // the organisation's settings are one entry of the menu: opened, its three pages
        {
          name: 'settings-menu',
          path: '/admin/retention',
          act: (page) => page.getByRole('button', { name: 'Settings' }).click(),
          shows: [/^Feedback settings$/, /^Retention$/, /^Sign-in$/],
        },
        { name: 'sso', path: '/admin/sso', shows: /sign-on/i },
        { name: 'feedback-settings', path: '/admin/feedback-settings', shows: /Marker tags|Fillers/i },
        // the AI–coach agreement of the baseline and the final test, whose reviews the seed wrote
        // after the AI coach had assessed their answers (as in the weeks the demo pretends)
        {
          name: 'reports',
          path: '/reports',
          shows: [/Scores per criterion/, /^Within one level$/, /^Final: the late delivery$/],
        },
        // each table for Excel or as CSV, from one menu
        {
          name: 'reports-downloads',
          path: '/reports',
          act: (page) => page.getByRole('button', { name: 'Download' }).click(),
          shows: [
            /^Scores for Excel \(\.xlsx\)$/,
            /^Scores as CSV$/,
            /^AI agreement for Excel \(\.xlsx\)$/,
            /^AI agreement as CSV$/,
          ],
        },
        { name: 'search', path: '/recordings/search?q=order', shows: /Pim Participant · / },
      ]),
    ).toEqual([]);
  }, 240_000);

  it('the content developer (Dev: the published demo course and its rubric)', async () => {
    await noLanguageKept('developer');
    expect(
      await tour('developer', email('developer'), DEMO_PASSWORD, [
        { name: 'home', path: '/', shows: /Handling complaints on the phone/ },
        { name: 'courses', path: '/authoring/courses', shows: /Handling complaints on the phone/ },
        { name: 'editor', path: `/authoring/courses/${ids['course']}`, shows: /Handling complaints on the phone/ },
        {
          name: 'editor-long-title',
          path: `/authoring/courses/${ids['longCourse']}`,
          shows: /Kundendienstmitarbeiter/,
        },
        { name: 'preview', path: `/authoring/courses/${ids['course']}/preview`, shows: /Final: the late delivery/ },
        { name: 'rubrics', path: '/authoring/rubrics', shows: /Customer conversation/ },
      ]),
    ).toEqual([]);
  }, 240_000);

  it('the superuser (Sam, operator support: organisations and agreements, acting as a user, the quarterly report)', async () => {
    await h.db.query(`UPDATE users SET locale = NULL WHERE email = $1`, [DEMO_SUPERUSER_EMAIL]);
    expect(
      await tour(
        'superuser',
        DEMO_SUPERUSER_EMAIL,
        DEMO_SUPERUSER_PASSWORD,
        [
          { name: 'home', path: '/', shows: /Superuser/ },
          {
            name: 'support',
            path: '/superuser',
            shows: [
              /Organisations and agreements/,
              /Act as a user/,
              /Quarterly review/,
              /Demo Organisation/,
              // no organisation of the demo has been destroyed: the reports' card says so
              /No organisation has been destroyed\./,
              // the demo's superuser has acted as nobody: the current quarter says so
              /No impersonations in this quarter/,
            ],
          },
          {
            // registering a client organisation: the short name follows the name as it is typed
            name: 'register-organisation',
            path: '/superuser',
            shows: [/Register an organisation/, /Language of the invitation/],
            act: async (page) => {
              await page.getByRole('button', { name: 'Register an organisation' }).click();
              await page.getByLabel('Organisation’s name').fill('Zorggroep Noord-Holland B.V.');
              await page.getByLabel('Administrator’s name').fill('Lena de Vries');
              await page.getByLabel('Their e-mail address').fill('lena@zorggroep.example');
              await page.getByRole('checkbox').check();
              expect(await page.getByLabel('Short name (slug)').inputValue()).toBe('zorggroep-noord-holland-b-v');
            },
          },
          { name: 'account', path: '/account', shows: /Authenticator app/ },
        ],
        'en',
        true,
      ),
    ).toEqual([]);
  }, 240_000);

  it('in Dutch, from a Dutch browser: the participant’s pages, their dates and the AI coach’s explanations', async () => {
    await noLanguageKept('participant', 'sanne');
    expect(
      await tour(
        'participant',
        email('participant'),
        DEMO_PASSWORD,
        [
          {
            name: 'home',
            path: '/',
            shows: [/van je coach/, /Nieuwste feedback/, DUTCH_DATE, /^1 peerbeoordeling te doen$/],
          },
          { name: 'courses', path: '/learn', shows: /oefeningen beantwoord/ },
          {
            name: 'course',
            path: `/learn/${ids['course']}`,
            // who gives feedback, in Dutch to the last word (the list's "and" was English)
            shows: [
              /Feedback en voortgang/,
              /Nulmeting/,
              /feedback: je zelfbeoordeling, peers in je groep en de AI-coach/,
            ],
          },
          {
            name: 'answer-final',
            path: `/answers/${ids['pimFinal']}`,
            shows: [
              /Nulmeting tegenover eindmeting/,
              /Spreektempo/,
              /woorden per minuut|Je sprak \d+ woorden/,
              /Wie dit antwoord heeft gezien/,
            ],
          },
          {
            name: 'recording',
            path: `/recordings/${ids['pimFinalRecording']}`,
            shows: [/Op deze installatie getranscribeerd/, /Jouw antwoord op “/, /poging \d · ingediend/],
          },
          { name: 'my-data', path: '/my/data', shows: [/Je licentie loopt tot/, DUTCH_DATE] },
          {
            name: 'account',
            path: '/account',
            shows: [
              /Wie mijn gegevens heeft bekeken/,
              /Taal/,
              /^\d+ keer sinds \d\d?:\d\d/,
              /^Mail me 3 dagen voordat een cursus van mij af moet zijn/,
              /^Als deelnemer aan de groep Customer service team toegevoegd$/,
            ],
          },
        ],
        'nl',
      ),
    ).toEqual([]);
    // the first sign-in from a Dutch browser kept Dutch on the account
    expect((await h.db.query(`SELECT locale FROM users WHERE email = $1`, [email('participant')]))[0].locale).toBe(
      'nl',
    );
    // Sanne's licence ended a month ago: her deletion notice, its plural and her keep request in Dutch
    expect(
      await tour(
        'sanne',
        email('sanne'),
        DEMO_PASSWORD,
        [
          {
            name: 'my-data',
            path: '/my/data',
            shows: [/Je opname wordt op|Je \d+ opnames worden op/, /Je licentie is op .* verlopen/, /Je vroeg op/],
          },
        ],
        'nl',
      ),
    ).toEqual([]);
  }, 240_000);

  it('in Dutch: the coach’s queue, review with the AI’s findings, search and reports', async () => {
    await h.db.query(`UPDATE users SET locale = 'nl' WHERE email = $1`, [email('coach')]);
    expect(
      await tour(
        'coach',
        email('coach'),
        DEMO_PASSWORD,
        [
          { name: 'home', path: '/', shows: /wachten langer dan 7 dagen/ },
          { name: 'queue', path: '/coaching/reviews', shows: /Ingediend/ },
          {
            name: 'review',
            path: `/review/${ids['rikBaseline']}`,
            shows: [/Beoordeling door de coach/, /AI-bevindingen/, /Stopwoord|Pauze van|Kernzin/],
          },
          { name: 'search', path: '/recordings/search?q=order', shows: /gevonden/ },
          { name: 'reports', path: '/reports', shows: /Scores per criterium in de tijd/ },
          { name: 'account', path: '/account', shows: [/^Ochtendmail$/, /Hij komt na \d/] },
        ],
        'nl',
      ),
    ).toEqual([]);
  }, 240_000);

  it('in Dutch: the administrator’s, the content developer’s and the superuser’s pages', async () => {
    await h.db.query(`UPDATE users SET locale = 'nl' WHERE email = ANY($1)`, [[email('admin'), email('developer')]]);
    expect(
      await tour(
        'admin',
        email('admin'),
        DEMO_PASSWORD,
        [
          { name: 'home', path: '/', shows: [/Deelnemers zonder groep/, /Licenties die binnen 30 dagen aflopen/] },
          { name: 'users', path: '/admin/users', shows: [/Iemand uitnodigen/, /actief/] },
          {
            name: 'users-licences',
            path: '/admin/users',
            act: async (page) => {
              await page.getByRole('checkbox', { name: 'Iedereen op deze pagina selecteren' }).check();
              await page.getByRole('button', { name: 'Geef ze een licentie' }).click();
            },
            shows: [/^\d+ mensen geselecteerd$/, /Licentie instellen/],
          },
          { name: 'user', path: `/admin/users/${ids['pim']}`, shows: [/Rollen/, /Licentie/] },
          {
            name: 'user-invited',
            path: `/admin/users/${ids['invited']}`,
            shows: /^Uitnodiging gemaild op \d{1,2} \w{3} \d{4}.+; de link werkt tot .+\.$/,
          },
          {
            name: 'user-calendar',
            path: `/admin/users/${ids['pim']}`,
            act: async (page) => {
              await page.getByRole('button', { name: 'Kalender openen' }).nth(1).click();
            },
            shows: /^oktober 2027$/i,
          },
          { name: 'groups', path: '/admin/groups', shows: [/Groep maken/, /Customer service team/] },
          {
            name: 'group',
            path: `/admin/groups/${ids['group']}`,
            shows: [/De groep inschrijven/, /Deelnemer zoeken/, /Deelnemers \(\d+\)/],
          },
          // the paginator in Dutch too (Material's own words are English)
          {
            name: 'privacy-log',
            path: '/admin/privacy-log',
            shows: [
              /Wiens gegevens/,
              /Per pagina:/,
              /1 – \d+ van \d+/,
              /Op wijzigingen gecontroleerd op .*regels die er toen waren intact/,
            ],
          },
          {
            name: 'activity',
            path: '/admin/activity',
            shows: [/Wiens account/, /Als deelnemer aan de groep Customer service team toegevoegd/],
          },
          { name: 'retention', path: '/admin/retention', shows: [/Verzoeken om opnames te bewaren/, /aangevraagd/] },
          { name: 'reports', path: '/reports', shows: /Scores per criterium in de tijd/ },
        ],
        'nl',
      ),
    ).toEqual([]);
    expect(
      await tour(
        'developer',
        email('developer'),
        DEMO_PASSWORD,
        [
          { name: 'courses', path: '/authoring/courses', shows: [/Cursus maken/, /gepubliceerd/] },
          { name: 'editor', path: `/authoring/courses/${ids['course']}`, shows: [/Modules en oefeningen/, /Versies/] },
          { name: 'rubrics', path: '/authoring/rubrics', shows: /Nieuwe rubric/ },
        ],
        'nl',
      ),
    ).toEqual([]);
    await h.db.query(`UPDATE users SET locale = 'nl' WHERE email = $1`, [DEMO_SUPERUSER_EMAIL]);
    expect(
      await tour(
        'superuser',
        DEMO_SUPERUSER_EMAIL,
        DEMO_SUPERUSER_PASSWORD,
        [
          {
            name: 'support',
            path: '/superuser',
            shows: [
              /Werken als een gebruiker/,
              /Organisaties en overeenkomsten/,
              /Er is nog geen organisatie vernietigd\./,
              /Kwartaaloverzicht/,
            ],
          },
          {
            name: 'register-organisation',
            path: '/superuser',
            shows: [/Taal van de uitnodiging/, /Registreren en uitnodigen/],
            act: async (page) => {
              await page.getByRole('button', { name: 'Een organisatie registreren' }).click();
              await page.getByLabel('Naam van de organisatie').fill('Zorggroep Noord');
            },
          },
        ],
        'nl',
        true,
      ),
    ).toEqual([]);
  }, 300_000);

  it('a person switches to Nederlands on their account: the page loads again in Dutch, and stays Dutch after signing in again', async () => {
    await noLanguageKept('developer');
    const context = await browser.newContext({ baseURL: base, viewport: DESKTOP, locale: 'en-US' });
    const page = await context.newPage();
    await signInOnPage(h, page, email('developer'), DEMO_PASSWORD);
    await page.goto('/account');
    await page.getByRole('heading', { name: 'My account', exact: true }).waitFor();
    await page.getByRole('radio', { name: 'Nederlands' }).check();
    await page.getByRole('heading', { name: 'Mijn account', exact: true }).waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('nl');
    expect((await h.db.query(`SELECT locale FROM users WHERE email = $1`, [email('developer')]))[0].locale).toBe('nl');
    await page.goto('/');
    await page.getByText('Jouw cursussen').first().waitFor();
    // signed out, this browser remembers Dutch; signing in again from an English browser elsewhere shows Dutch too
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.getByRole('heading', { name: 'Inloggen' }).waitFor();
    await context.close();
    const elsewhere = await browser.newContext({ baseURL: base, viewport: DESKTOP, locale: 'en-US' });
    const other = await elsewhere.newPage();
    await signInOnPage(h, other, email('developer'), DEMO_PASSWORD);
    await other.getByText('Jouw cursussen').first().waitFor({ timeout: 15_000 });
    expect(await other.evaluate(() => document.documentElement.lang)).toBe('nl');
    await elsewhere.close();
  }, 120_000);

  it('a forgotten password: the sign-in page’s link, the request, the e-mailed link, a new password, then the sign-in code as always', async () => {
    const tenantId = (await h.db.query(`SELECT id FROM tenants WHERE slug = 'demo'`))[0].id as string;
    const forgetful = `rosa.reset@${DEMO_DOMAIN}`;
    await h.createUser(tenantId, 'Rosa Reset', forgetful, ['participant']);
    const context = await browser.newContext({ baseURL: base, viewport: DESKTOP, locale: 'en-US' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    const shoot = async (name: string) => {
      problems.push(...(await accessibilityProblems(page, `password reset ${name}`)));
      for (const label of await cutOffLabels(page))
        problems.push(`password reset ${name}: the label "${label}" is cut off`);
      await page.screenshot({ path: join(OUT, `password-reset-${name}.png`), fullPage: true });
      await page.setViewportSize(PHONE);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      if (wide > PHONE.width + 1)
        problems.push(`password reset ${name}: ${wide} px wide on a ${PHONE.width} px screen`);
      for (const hint of await hintsOverFields(page))
        problems.push(`password reset ${name}: on a phone the hint "${hint}" runs into a field`);
      await page.screenshot({ path: join(OUT, `password-reset-${name}-phone.png`), fullPage: true });
      await page.setViewportSize(DESKTOP);
    };
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).waitFor();
    await page.screenshot({ path: join(OUT, 'password-reset-sign-in.png'), fullPage: true });
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await shoot('ask');
    const before = h.mailbox.messages.length;
    await page.getByLabel('E-mail address').fill(forgetful);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page
      .getByRole('status')
      .getByText(/If this address belongs to an account/)
      .waitFor();
    await shoot('sent');
    const mail = await h.mailbox.waitFor(forgetful, /new Rehearse password/, 15_000, before);
    const link = new URL(/https?:\/\/\S+\/password-reset\/[A-Za-z0-9_-]+/.exec(mail.text)?.[0] ?? '');
    await page.goto(link.pathname);
    await page.getByText(forgetful).waitFor();
    await shoot('link');
    await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
    await page.getByLabel('Repeat the password').fill('a brand new passphrase');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await page.getByRole('heading', { name: 'Your password is changed' }).waitFor();
    await shoot('done');
    // the link is spent: the page says so and offers another
    await page.goto(link.pathname);
    await page.getByRole('heading', { name: 'This link does not work' }).waitFor();
    await shoot('spent');
    // and the new password signs in with the e-mailed code, as always
    await signInOnPage(h, page, forgetful, 'a brand new passphrase');
    await context.close();
    expect(problems).toEqual([]);
  }, 120_000);

  it('a new e-mail address: asked on the account page, waiting there, confirmed by the link mailed to it', async () => {
    const tenantId = (await h.db.query(`SELECT id FROM tenants WHERE slug = 'demo'`))[0].id as string;
    const mover = `milo.move@${DEMO_DOMAIN}`;
    const next = `milo.moved.to.a.rather.long.address@${DEMO_DOMAIN}`;
    await h.createUser(tenantId, 'Milo Move', mover, ['participant']);
    const context = await browser.newContext({ baseURL: base, viewport: DESKTOP, locale: 'en-US' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    const shoot = async (name: string) => {
      problems.push(...(await accessibilityProblems(page, `e-mail change ${name}`)));
      for (const label of await cutOffLabels(page))
        problems.push(`e-mail change ${name}: the label "${label}" is cut off`);
      await page.screenshot({ path: join(OUT, `email-change-${name}.png`), fullPage: true });
      await page.setViewportSize(PHONE);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      if (wide > PHONE.width + 1) problems.push(`e-mail change ${name}: ${wide} px wide on a ${PHONE.width} px screen`);
      for (const hint of await hintsOverFields(page))
        problems.push(`e-mail change ${name}: on a phone the hint "${hint}" runs into a field`);
      await page.screenshot({ path: join(OUT, `email-change-${name}-phone.png`), fullPage: true });
      await page.setViewportSize(DESKTOP);
    };
    await signInOnPage(h, page, mover, PASSWORD);
    // (before signing in, the app's 401 to "who is signed in?" is its expected answer)
    page.on('response', (r) => {
      if (r.status() >= 400)
        problems.push(`${r.request().method()} ${new URL(r.url()).pathname} answered ${r.status()}`);
    });
    await page.goto('/account');
    await page.getByLabel('New e-mail address').fill(next);
    await page.getByLabel('Your password, to confirm').fill(PASSWORD);
    const before = h.mailbox.messages.length;
    await page.getByRole('button', { name: 'Send a confirmation link' }).click();
    await page.getByText(/Waiting for confirmation/).waitFor();
    await page.getByRole('heading', { name: 'E-mail address' }).scrollIntoViewIfNeeded();
    await shoot('waiting');
    const mail = await h.mailbox.waitFor(next, /Confirm your new Rehearse e-mail address/, 15_000, before);
    const link = new URL(/https?:\/\/\S+\/email-change\/[A-Za-z0-9_-]+/.exec(mail.text)?.[0] ?? '');
    // opened from the mail in the same browser, where the person is signed in
    await page.goto(link.pathname);
    await page.getByRole('button', { name: 'Confirm this address' }).waitFor();
    await shoot('link');
    await page.getByRole('button', { name: 'Confirm this address' }).click();
    await page.getByRole('heading', { name: 'Your e-mail address is changed' }).waitFor();
    await shoot('done');
    await page.goto('/account');
    await page.getByText(next).first().waitFor();
    expect(await page.getByText(/Waiting for confirmation/).count()).toBe(0);
    // the old address was told
    await h.mailbox.waitFor(mover, /security notice/, 15_000, before);
    await context.close();
    // the spent link, opened again from a Dutch browser: said so in Dutch, the server's reason too
    const dutch = await browser.newContext({ baseURL: base, viewport: DESKTOP, locale: 'nl-NL' });
    const nl = await dutch.newPage();
    await nl.goto(link.pathname);
    await nl.getByRole('heading', { name: 'Deze link werkt niet' }).waitFor();
    await nl.getByText(/Deze link om een e-mailadres te bevestigen werkt niet meer/).waitFor();
    problems.push(...(await accessibilityProblems(nl, 'e-mail change spent (nl)')));
    await nl.screenshot({ path: join(OUT, 'email-change-spent-nl.png'), fullPage: true });
    await dutch.close();
    expect(problems).toEqual([]);
  }, 120_000);

  it('an e-mail’s stop link: opened without a session it asks, then stops those e-mails; one that does not work says so, in Dutch too', async () => {
    const links = h.app.get(UnsubscribeLinks);
    const [{ id }] = (await h.db.query(`SELECT id FROM users WHERE email = $1`, [email('participant')])) as {
      id: string;
    }[];
    const context = await browser.newContext({ baseURL: base, viewport: DESKTOP, locale: 'en-US' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    const shoot = async (p: Page, name: string) => {
      problems.push(...(await accessibilityProblems(p, `stop link ${name}`)));
      await p.screenshot({ path: join(OUT, `unsubscribe-${name}.png`), fullPage: true });
      await p.setViewportSize(PHONE);
      const wide = await p.evaluate(() => document.documentElement.scrollWidth);
      if (wide > PHONE.width + 1) problems.push(`stop link ${name}: ${wide} px wide on a ${PHONE.width} px screen`);
      await p.screenshot({ path: join(OUT, `unsubscribe-${name}-phone.png`), fullPage: true });
      await p.setViewportSize(DESKTOP);
    };
    try {
      // the List-Unsubscribe address opened in a browser (a GET): on to the page, nothing stopped yet
      await page.goto(`/api/mail/unsubscribe?${links.searchOf(id, 'peer_reviews')}`);
      await page.getByRole('heading', { name: 'Stop these e-mails?' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/unsubscribe');
      await page.getByText(/colleagues’ answers given to you to review/).waitFor();
      await shoot(page, 'ask');
      const chosen = async () =>
        (await h.db.query(`SELECT enabled FROM mail_preferences WHERE user_id = $1 AND topic = 'peer_reviews'`, [
          id,
        ])) as { enabled: boolean }[];
      expect(await chosen()).toEqual([]);
      await page.getByRole('button', { name: 'Stop these e-mails' }).click();
      await page.getByRole('heading', { name: 'These e-mails are stopped' }).waitFor();
      await shoot(page, 'done');
      expect(await chosen()).toEqual([{ enabled: false }]);

      // a forged link, from a Dutch browser: asked, then refused with the server's reason in Dutch
      const dutch = await browser.newContext({ baseURL: base, viewport: DESKTOP, locale: 'nl-NL' });
      const nl = await dutch.newPage();
      await nl.goto(`/unsubscribe?u=${id}&t=course_due&s=${'0'.repeat(64)}`);
      await nl.getByRole('heading', { name: 'Deze e-mails stoppen?' }).waitFor();
      await shoot(nl, 'ask-nl');
      await nl.getByRole('button', { name: 'Deze e-mails stoppen' }).click();
      await nl.getByRole('heading', { name: 'Deze link werkt niet' }).waitFor();
      await nl.getByText('Deze link is niet (meer) geldig').waitFor();
      await shoot(nl, 'invalid-nl');
      await dutch.close();
    } finally {
      // the demo's other stops find Pim's e-mails as the seed left them
      await h.db.query(`DELETE FROM mail_preferences WHERE user_id = $1`, [id]);
      await context.close();
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('a receipt checked without signing in: a genuine one says what it records, a changed one is refused, in Dutch too', async () => {
    const [{ tenant, id: sanne }] = (await h.db.query(`SELECT tenant_id AS tenant, id FROM users WHERE email = $1`, [
      email('sanne'),
    ])) as { tenant: string; id: string }[];
    const receipt = {
      id: '5d1c0e7a-3b2f-4c6d-8e9f-0a1b2c3d4e5f',
      kind: 'licence_expiry',
      subjectId: sanne,
      createdAt: '2026-12-01T03:00:00.000Z',
      verified: true,
      counts: { recordings: 3, transcripts: 3 },
      objects: [],
    };
    const token = await h.app
      .get(ReceiptSigner)
      .sign(receipt.id, sanne, { kind: 'licence_expiry', organisation: tenant, receipt });
    const [head, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    claims.receipt.verified = false;
    const changed = [head, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    const problems: string[] = [];
    for (const [locale, genuine, refused] of [
      ['en-GB', 'Genuine: signed by this installation', 'the receipt was changed after it was signed'],
      [
        'nl-NL',
        'Echt: ondertekend door deze installatie',
        'het ontvangstbewijs is gewijzigd nadat het werd ondertekend',
      ],
    ] as const) {
      const context = await browser.newContext({ baseURL: base, viewport: DESKTOP, locale });
      const page = await context.newPage();
      page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
      const tag = locale.slice(0, 2);
      await page.goto('/receipts/check');
      await page.locator('input[type=file]').setInputFiles({
        name: 'receipt.jwt',
        mimeType: 'application/jwt',
        buffer: Buffer.from(token),
      });
      await page.getByRole('status').getByText(genuine).waitFor();
      if (tag === 'en') {
        await page.getByText("A person's recordings, deleted after their licence ended").waitFor();
        await page.getByText('3 recordings, 3 transcripts').waitFor();
        problems.push(...(await accessibilityProblems(page, 'receipt check')));
      }
      await page.screenshot({ path: join(OUT, `receipt-check-${tag}.png`), fullPage: true });
      await page.locator('textarea').fill(changed);
      await page.getByRole('button', { name: tag === 'en' ? 'Check' : 'Controleren', exact: true }).click();
      await page.getByRole('alert').getByText(refused, { exact: false }).waitFor();
      await page.setViewportSize(PHONE);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      if (wide > PHONE.width + 1) problems.push(`receipt check: ${wide} px wide on a ${PHONE.width} px screen`);
      await page.screenshot({ path: join(OUT, `receipt-check-refused-${tag}-phone.png`), fullPage: true });
      await context.close();
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it("a privacy log changed outside Rehearse: the administrators' page says so; the operator's acceptance is on the account activity", async () => {
    await noLanguageKept('admin');
    const [{ tenant, entry }] = (await h.db.query(
      `SELECT l.tenant_id AS tenant, l.id::text AS entry FROM privacy_log l JOIN tenants t ON t.id = l.tenant_id
        WHERE t.slug = 'demo' ORDER BY l.id LIMIT 1 OFFSET 3`,
    )) as { tenant: string; entry: string }[];
    // an entry changed as only the schema's owner could (past the log's triggers), then the nightly check
    const owner = new PgClient({ connectionString: h.database.ownerUrl });
    await owner.connect();
    const change = (action: string) =>
      owner.query(
        `ALTER TABLE privacy_log DISABLE TRIGGER USER; UPDATE privacy_log SET action = '${action}' WHERE id = ${Number(entry)}; ALTER TABLE privacy_log ENABLE TRIGGER USER`,
      );
    const [{ action }] = (await h.db.query(`SELECT action FROM privacy_log WHERE id = $1`, [entry])) as {
      action: string;
    }[];
    const checks = h.app.get(PrivacyLogChecks);
    try {
      await change(`${action}-changed`);
      expect((await checks.check(tenant)).broken).toBe('changed');
      expect(
        await tour('log-changed', email('admin'), DEMO_PASSWORD, [
          {
            name: 'privacy-log',
            path: '/admin/privacy-log',
            shows: new RegExp(`entry ${entry} was changed outside Rehearse`),
          },
        ]),
      ).toEqual([]);
      const witness = new PrivacyLogWitness(
        blobStoreFrom(h.config),
        h.db,
        checks,
        h.app.get(TenantsRepository, { strict: false }),
        h.clock,
      );
      await new PrivacyLogFindings(h.db, checks, h.app.get(AccountActivity), witness).accept(
        tenant,
        'Looked into ticket 4711: the entry was changed by hand during a migration',
      );
      expect(
        await tour('log-accepted', email('admin'), DEMO_PASSWORD, [
          {
            name: 'activity',
            path: '/admin/activity?action=organisation.privacy_log_accepted',
            shows: [/The operator of Rehearse/, /ticket 4711/],
          },
        ]),
      ).toEqual([]);
    } finally {
      await change(action);
      await owner.end();
    }
    // the log as the other tests find it, whichever ran first: the entry as it was, and the night's
    // check (as the worker's next would) finding it whole again
    expect((await checks.check(tenant)).broken).toBeNull();
  }, 120_000);

  it('a new, empty organisation: every page says what is missing instead of showing data', async () => {
    expect(
      await tour('empty-admin', 'admin@empty.test', PASSWORD, [
        { name: 'home', path: '/', shows: /No licence ends in the next 30 days/ },
        { name: 'users', path: '/admin/users', shows: /Eve Empty/ },
        { name: 'groups', path: '/admin/groups', shows: /No groups yet/i },
        { name: 'reports', path: '/reports', shows: [/No published coach feedback yet/, /^No pairs yet\./] },
        { name: 'retention', path: '/admin/retention', shows: /No requests/i },
        { name: 'search', path: '/recordings/search?q=order', shows: /Nothing found/ },
      ]),
    ).toEqual([]);
  }, 240_000);
});
