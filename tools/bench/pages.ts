/**
 * Pages benchmark: `npm run bench:pages [-- --sizes=small,large] [--reuse-large=<database>] [--keep] [--only=<regexp>] [--locale=nl] [--phone]`.
 * The web app at a real organisation's size, in the browser: generates the organisations of
 * `npm run bench:scale` (a demo-sized one and one of 10,000 people, 100,000 answers, 1,000,000
 * privacy-log rows), starts the API serving the production web build and the worker against each,
 * signs in one person per role and opens every page of that role in headless Chromium, side by
 * side: the time from navigation until the page has settled (its data arrived and drawn; the
 * median of three visits), how many elements it drew, how tall it is, and whatever went wrong
 * (a console error, an answer of 4xx/5xx, wider than the screen, a label cut short). A page that draws everything it
 * is given grows with the organisation: the element counts say which. Screenshots of each page at
 * each size under tmp/pages/ (BENCH_PAGES_DIR moves them): look at them. Not a test: nothing asserts
 * on timings. Needs PostgreSQL and Redis (tools/scripts/ensure-system.sh) and Chromium
 * (REHEARSE_WITH_BROWSER=1); builds the web app first where it is not built.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '@rehearse/server/core';
import { KeyRing, keyVaultFrom, LocalDiskStore, SealedObjects } from '@rehearse/server/storage';
import {
  CHROMIUM,
  cutOffLabels,
  LARGE,
  launchChromium,
  pastTheEdge,
  ScaleSizes,
  shownMatches,
  SMALL,
  trackRequests,
} from '@rehearse/server/testing';
import { printTable, root, scaleArgs, ScaleSystem, sideBySide, signIn, startScaleSystem } from './lib/scale-system';
import { speechVideo } from './lib/speech-video';

const WEB_DIST = join(root, 'dist/apps/web/browser');
const OUT = process.env['BENCH_PAGES_DIR'] ?? join(root, 'tmp/pages');
const DESKTOP = { width: 1280, height: 800 };
/** --phone: the pages on a phone's screen */
const PHONE = { width: 375, height: 812 };
/** visits per page: the first warms the API's and the browser's caches and is not counted */
const VISITS = 4;
/** a screenshot stops at this height: a page taller than this has drawn more than anyone reads */
const SHOT_MAX_HEIGHT = 12_000;

interface Ids {
  group: string;
  course: string;
  answer: string;
  recording: string;
  participantId: string;
}

type Role = 'participant' | 'coach' | 'admin' | 'developer';

interface PageStop {
  name: string;
  role: Role;
  path: (ids: Ids) => string;
}

/** Every page of every role that shows the organisation's data, as the tour visits them. */
const PAGES: PageStop[] = [
  { name: 'participant: home', role: 'participant', path: () => '/' },
  { name: 'participant: my courses', role: 'participant', path: () => '/learn' },
  { name: 'participant: a course', role: 'participant', path: (i) => `/learn/${i.course}` },
  { name: 'participant: an answer’s feedback', role: 'participant', path: (i) => `/answers/${i.answer}` },
  { name: 'participant: a recording', role: 'participant', path: (i) => `/recordings/${i.recording}` },
  { name: 'participant: peer reviews', role: 'participant', path: () => '/peer-reviews' },
  { name: 'participant: my data', role: 'participant', path: () => '/my/data' },
  { name: 'participant: account (who looked)', role: 'participant', path: () => '/account' },
  { name: 'coach: home', role: 'coach', path: () => '/' },
  { name: 'coach: groups', role: 'coach', path: () => '/coaching' },
  { name: 'coach: group progress', role: 'coach', path: (i) => `/coaching/groups/${i.group}/courses/${i.course}` },
  { name: 'coach: review queue', role: 'coach', path: () => '/coaching/reviews' },
  { name: 'coach: review', role: 'coach', path: (i) => `/review/${i.answer}` },
  { name: 'coach: search "order"', role: 'coach', path: () => '/recordings/search?q=order' },
  { name: 'coach: reports', role: 'coach', path: () => '/reports' },
  { name: 'admin: home', role: 'admin', path: () => '/' },
  { name: 'admin: people', role: 'admin', path: () => '/admin/users' },
  { name: 'admin: a person', role: 'admin', path: (i) => `/admin/users/${i.participantId}` },
  { name: 'admin: groups', role: 'admin', path: () => '/admin/groups' },
  { name: 'admin: a group', role: 'admin', path: (i) => `/admin/groups/${i.group}` },
  { name: 'admin: privacy log', role: 'admin', path: () => '/admin/privacy-log' },
  { name: 'admin: retention', role: 'admin', path: () => '/admin/retention' },
  { name: 'admin: reports', role: 'admin', path: () => '/reports' },
  { name: 'admin: search "order"', role: 'admin', path: () => '/recordings/search?q=order' },
  { name: 'developer: home', role: 'developer', path: () => '/' },
  { name: 'developer: courses', role: 'developer', path: () => '/authoring/courses' },
  { name: 'developer: a course', role: 'developer', path: (i) => `/authoring/courses/${i.course}` },
  { name: 'developer: rubrics', role: 'developer', path: () => '/authoring/rubrics' },
];

interface PageResult {
  /** median time from navigation until settled (ms) */
  ms: number;
  elements: number;
  height: number;
  problems: string[];
}

/**
 * Numbers of thousands drawn without their digits grouped ("1018 waiting" where the reader's way is
 * "1,018", "1.018" in Dutch): only a large organisation has them, so only this benchmark sees them.
 * Years (1900–2099), times, dates, addresses, code and the generated people's names are not counts.
 * Answers each such text.
 */
async function ungroupedNumbers(page: Page): Promise<string[]> {
  return (await shownMatches(page, String.raw`(?<![\d.,:/@\w-])\d{4,}(?![\d.,:/@\w-])`))
    .filter((m) => {
      const n = Number(m.match);
      if (m.match.length === 4 && n >= 1900 && n < 2100) return false;
      // the generated people's names ("Participant 6351") are names, not counts
      return !/(Participant|Coach|Admin|Developer) $/.test(m.before);
    })
    .map((m) => `${m.match} in "${m.text.slice(0, 60)}"`);
}

/**
 * On a Dutch page, decimals written the English way ("3.33" where a Dutch reader reads "3,33"): a
 * point before one, two or four digits and more. A point before exactly three digits is how Dutch
 * groups thousands ("10.035"), which only a large organisation's pages show. Answers each such text.
 */
async function englishDecimals(page: Page): Promise<string[]> {
  return (await shownMatches(page, String.raw`(?<![\d.@/:\w])\d+(?:\.\d{3})*\.(?:\d{1,2}|\d{4,})(?![\d.@\w])`)).map(
    (m) => `${m.match} in "${m.text.slice(0, 60)}"`,
  );
}

/** Opens `path` VISITS times; the median time to settled of all but the first, and what the page drew. */
async function visit(
  page: Page,
  settled: () => Promise<void>,
  path: string,
  problems: string[],
  locale: 'en' | 'nl',
  screen: { width: number },
): Promise<PageResult> {
  const times: number[] = [];
  const seen = problems.length;
  for (let i = 0; i < VISITS; i++) {
    const t0 = Date.now();
    await page.goto(path);
    await settled();
    if (i > 0) times.push(Date.now() - t0);
  }
  times.sort((a, b) => a - b);
  const drawn = await page.evaluate(() => ({
    elements: document.querySelectorAll('*').length,
    height: document.documentElement.scrollHeight,
    width: document.documentElement.scrollWidth,
  }));
  const found = problems.splice(seen);
  for (const n of await ungroupedNumbers(page)) found.push(`a number of thousands written without grouping: ${n}`);
  if (locale === 'nl')
    for (const n of await englishDecimals(page)) found.push(`a number written the English way: ${n}`);
  const lang = await page.evaluate(() => document.documentElement.lang);
  if (lang !== locale) found.push(`the page's language is "${lang}", not "${locale}"`);
  for (const label of await cutOffLabels(page)) found.push(`the label "${label}" is cut off`);
  if (drawn.width > screen.width + 1)
    found.push(`${drawn.width} px wide: ${(await pastTheEdge(page, screen.width)).join('; ')}`);
  return {
    ms: times[Math.floor(times.length / 2)],
    elements: drawn.elements,
    height: drawn.height,
    problems: [...new Set(found)],
  };
}

/**
 * The generated organisation's recordings have rows but no media (bulk SQL writes no objects):
 * the recordings the pages play get a real clip, sealed into the API's store as an upload is (with
 * their owner's key), so their players load it instead of answering an error.
 */
async function giveMedia(system: ScaleSystem, recordings: string[]): Promise<void> {
  const config = loadConfig(system.env);
  const sealed = new SealedObjects(
    new LocalDiskStore(config.STORAGE_DIR),
    new KeyRing(config.storageMasterKey, keyVaultFrom(config)),
  );
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-pages-'));
  try {
    const clip = speechVideo(dir);
    const size = (await stat(clip.path)).size;
    for (const id of new Set(recordings)) {
      const [r] = (await system.db.query(`SELECT tenant_id, owner_id, object_key FROM recordings WHERE id = $1`, [id]))
        .rows as { tenant_id: string; owner_id: string; object_key: string }[];
      const envelope = await sealed.put(
        { tenantId: r.tenant_id, key: r.object_key, ownerId: r.owner_id },
        createReadStream(clip.path),
        size,
      );
      await system.db.query(
        `UPDATE recordings SET envelope = $2, container = 'mp4', content_type = 'video/mp4', size_bytes = $3, duration_seconds = $4 WHERE id = $1`,
        [id, envelope, size, clip.seconds],
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function run(
  label: string,
  sizes: ScaleSizes,
  browser: Browser,
  {
    keep,
    reuse,
    only,
    locale,
    screen,
  }: { keep: boolean; reuse?: string; only?: RegExp; locale: 'en' | 'nl'; screen: { width: number; height: number } },
): Promise<Map<string, PageResult>> {
  const system = await startScaleSystem(label, sizes, { keep, reuse, webDist: WEB_DIST });
  const { base, db, mailbox, world } = system;
  try {
    // the ids each role's pages name: a coach's group, course and an answer of someone they coach;
    // the participant's own course, answer and recording
    const idsOf = async (sql: string, email: string) => (await db.query(sql, [email])).rows[0] as Ids;
    const coached = await idsOf(
      `SELECT gm.group_id AS "group", a.course_id AS course, a.id AS answer, r.id AS recording, a.user_id AS "participantId"
         FROM users c JOIN group_members gc ON gc.user_id = c.id AND gc.role = 'coach'
         JOIN group_members gm ON gm.group_id = gc.group_id AND gm.role = 'participant'
         JOIN answers a ON a.user_id = gm.user_id JOIN recordings r ON r.answer_id = a.id
        WHERE c.email = $1 ORDER BY a.id LIMIT 1`,
      world.coach,
    );
    const own = await idsOf(
      `SELECT gm.group_id AS "group", a.course_id AS course, a.id AS answer, r.id AS recording, a.user_id AS "participantId"
         FROM users p JOIN group_members gm ON gm.user_id = p.id AND gm.role = 'participant'
         JOIN answers a ON a.user_id = p.id JOIN recordings r ON r.answer_id = a.id
        WHERE p.email = $1 ORDER BY a.id LIMIT 1`,
      world.participant,
    );
    const ids: Record<Role, Ids> = { participant: own, coach: coached, admin: coached, developer: coached };
    // the participant's course page has a player for each of their answers
    const theirs = (
      (
        await db.query(`SELECT r.id FROM recordings r JOIN users u ON u.id = r.owner_id WHERE u.email = $1`, [
          world.participant,
        ])
      ).rows as { id: string }[]
    ).map((r) => r.id);
    await giveMedia(system, [...theirs, coached.recording]);
    const dir = join(
      OUT,
      [label, ...(locale === 'en' ? [] : [locale]), ...(screen === PHONE ? ['phone'] : [])].join('-'),
    );
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const results = new Map<string, PageResult>();
    for (const role of ['participant', 'coach', 'admin', 'developer'] as const) {
      const stops = PAGES.filter((p) => p.role === role && (!only || only.test(p.name)));
      if (!stops.length) continue;
      const session = await signIn(base, mailbox, world[role]);
      // the app speaks the browser's language to someone who chose none (the generated people)
      const context = await browser.newContext({
        baseURL: base,
        viewport: screen,
        locale: locale === 'nl' ? 'nl-NL' : 'en-US',
      });
      await context.addCookies(
        session.cookie.split('; ').map((pair) => {
          const i = pair.indexOf('=');
          return { name: pair.slice(0, i), value: pair.slice(i + 1), url: base };
        }),
      );
      const page = await context.newPage();
      const settled = trackRequests(page);
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
      page.on('response', (r) => {
        if (r.status() >= 400)
          problems.push(`${r.request().method()} ${new URL(r.url()).pathname} answered ${r.status()}`);
      });
      for (const stop of stops) {
        const result = await visit(page, settled, stop.path(ids[role]), problems, locale, screen);
        results.set(stop.name, result);
        const file = join(dir, `${stop.name.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/-+$/, '')}.png`);
        const tall = result.height > SHOT_MAX_HEIGHT;
        await page.screenshot({
          path: file,
          fullPage: true,
          ...(tall ? { clip: { x: 0, y: 0, width: screen.width, height: SHOT_MAX_HEIGHT } } : {}),
        });
        console.log(
          `  ${label.padEnd(6)} ${stop.name.padEnd(38)} ${String(result.ms).padStart(6)} ms · ${String(result.elements).padStart(6)} elements · ${String(result.height).padStart(6)} px tall${result.problems.length ? ` · ${result.problems.join(' | ')}` : ''}`,
        );
      }
      await context.close();
    }
    return results;
  } finally {
    await system.stop();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const { sizes, keep, reuseLarge, only } = scaleArgs(args);
  // --locale=nl: the pages in Dutch, from a Dutch browser
  const locale = args.includes('--locale=nl') ? 'nl' : 'en';
  // --phone: on a phone's screen (375 px) instead of a desktop's
  const screen = args.includes('--phone') ? PHONE : DESKTOP;
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    // a clean clone has no build yet (npm test makes one): the production build, as npm start serves it
    console.log(`building the web app (${WEB_DIST}) …`);
    execFileSync('npx', ['nx', 'run', 'web:build', '--output-style=static'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NX_DAEMON: 'false' },
    });
  }
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}: run REHEARSE_WITH_BROWSER=1 bash tools/scripts/ensure-system.sh`,
    );
  console.log(`pages benchmark on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}\n`);
  const browser = await launchChromium();
  try {
    const small = sizes.includes('small') ? await run('small', SMALL, browser, { keep, only, locale, screen }) : null;
    const large = sizes.includes('large')
      ? await run('large', LARGE, browser, { keep, reuse: reuseLarge, only, locale, screen })
      : null;
    if (!small || !large) return;
    printTable(
      [
        'page',
        'small: settled',
        'large: settled',
        'ratio',
        'small → large: elements',
        'large: height',
        'large: problems',
      ],
      sideBySide(
        PAGES.map((p) => p.name),
        small,
        large,
        (name, s, l) => [
          name,
          `${s.ms} ms`,
          `${l.ms} ms`,
          `${(l.ms / Math.max(1, s.ms)).toFixed(2)}×`,
          `${s.elements} → ${l.elements}`,
          `${l.height} px`,
          l.problems.join('; ') || '–',
        ],
      ),
    );
    const suffix = `${locale === 'en' ? '' : `-${locale}`}${screen === PHONE ? '-phone' : ''}`;
    console.log(`\nscreenshots: ${OUT}/small${suffix} and ${OUT}/large${suffix}`);
  } finally {
    await browser.close();
  }
}

main()
  .then(() => process.exit(0))
  .catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
