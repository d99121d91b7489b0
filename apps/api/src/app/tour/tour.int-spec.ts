/**
 * The screenshot tour (`npm run tour`; part of `npm test`): signs in as each role in Chromium
 * against the real API serving the production web build, visits every route of the web app that
 * role may open, and saves a full-page PNG of each under tmp/tour/ (TOUR_DIR moves them). A page
 * fails the tour on a console error, a request that fails or answers 4xx/5xx, or a page that
 * shows Angular's error overlay. The organisation has a published course with a rubric, a group
 * with a coach, and an answer of real speech transcribed with its AI report, so the pages have
 * something to show. Look at the pictures.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { Harness, seedTwoTenants } from '../../test/harness';
import { AUDIO_EXERCISE, exerciseBody } from '../../test/courses';
import { uploadFile, waitForRecording } from '../../test/media';
import { spokenAnswer } from '../../test/speech';
import { launchChromium, requireBrowserPrerequisites, signInOnPage, startWebHarness } from '../../test/browser';

const OUT = process.env['TOUR_DIR'] ?? join(__dirname, '../../../../../tmp/tour');

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };
/** WCAG 2.0, 2.1 and 2.2, levels A and AA */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe-core's serious and critical violations of WCAG A/AA on the page as it is now. */
async function accessibilityProblems(page: Page, where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: axe ${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}${v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ''}`);
}

interface Stop {
  name: string;
  path: string;
  /** text the page must show once loaded */
  shows: RegExp;
}

describe('the screenshot tour: every page of every role', () => {
  let h: Harness;
  let base: string;
  let files: string;
  let browser: Browser;
  let emails: Record<string, string>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    requireBrowserPrerequisites();
    await mkdir(OUT, { recursive: true });
    files = await mkdtemp(join(tmpdir(), 'rehearse-tour-'));
    const speech = await spokenAnswer(files, 'answer', 150, ['I understand that your order is late, and I am sorry about that.', 'Let me check it for you right now and call you back today.'], [1.5]);
    ({ h, base } = await startWebHarness());
    const world = await seedTwoTenants(h);
    emails = world.a.emails;
    ids['participant'] = world.a.ids.participant;
    const dev = await h.signIn(emails.developer);
    const admin = await h.signIn(emails.admin);
    const participant = await h.signIn(emails.participant);
    const rubric = await dev.post('/api/authoring/rubrics', {
      title: 'Conversation',
      description: 'How a customer conversation is scored',
      criteria: [{ id: '0b6c1f38-8d3c-4c8e-9a52-2f1d2b3c4d5e', title: 'Empathy', description: 'Acknowledges feelings', weight: 1, levels: [1, 3, 5].map((score) => ({ score, descriptor: `Empathy ${score}` })) }],
    });
    const created = await dev.post('/api/authoring/courses', { title: 'Phone skills', language: 'en' });
    ids['course'] = created.body.id;
    await dev.put(`/api/authoring/courses/${created.body.id}/draft`, {
      revision: created.body.draft.revision,
      content: {
        title: 'Phone skills',
        description: 'Answering a customer who calls with a complaint.',
        language: 'en',
        modules: [
          {
            id: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
            title: 'Calls',
            exercises: [
              exerciseBody(AUDIO_EXERCISE, rubric.body.id, {
                title: 'On the phone',
                answerType: 'audio',
                feedback: ['coach', 'ai'],
                ai: { language: 'en', keyPhrases: ['sorry'], avoidPhrases: [], wpmMin: 100, wpmMax: 200, maxFillersPerMinute: 4, targetDurationSeconds: 10 },
              }),
            ],
          },
        ],
      },
    });
    await dev.post(`/api/authoring/courses/${created.body.id}/publish`, { changeSummary: 'First version' });
    const group = await admin.post('/api/admin/groups', { name: 'Phone team' });
    ids['group'] = group.body.id;
    await admin.put(`/api/admin/groups/${group.body.id}/members`, { participants: [world.a.ids.participant], coaches: [world.a.ids.coach] });
    await admin.post('/api/admin/enrolments', { courseId: created.body.id, groupId: group.body.id, dueOn: '2027-01-31' });
    const answer = await participant.post(`/api/my/courses/${created.body.id}/exercises/${AUDIO_EXERCISE}/recordings`, { uploadId: await uploadFile(participant, speech.path) });
    ids['answer'] = answer.body.id;
    ids['recording'] = answer.body.recording.id;
    expect((await waitForRecording(participant, answer.body.recording.id)).body.status).toBe('transcribed');
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    if (files) await rm(files, { recursive: true, force: true });
  });

  /** Signs in as `role` and visits each stop; returns every problem seen, page by page. */
  async function tour(role: string, stops: Stop[]): Promise<string[]> {
    const context = await browser.newContext({ baseURL: base, viewport: DESKTOP });
    const page: Page = await context.newPage();
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
      // a navigation away cancels the previous page's open event stream: not a failure
      if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
      problems.push(`${where}: request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText})`);
    });
    page.on('response', (r) => {
      const url = new URL(r.url());
      // before signing in, the app asks who is signed in: 401 is its answer
      if (r.status() === 401 && url.pathname === '/api/auth/me' && where === 'sign-in') return;
      if (r.status() >= 400) problems.push(`${where}: ${r.request().method()} ${url.pathname} answered ${r.status()}`);
    });
    await signInOnPage(h, page, emails[role]);
    for (const stop of stops) {
      where = `${role} ${stop.name} (${stop.path})`;
      await page.goto(stop.path);
      await page.waitForLoadState('networkidle').catch(() => undefined);
      try {
        await page.getByText(stop.shows).first().waitFor({ timeout: 15_000 });
      } catch {
        problems.push(`${where}: does not show ${stop.shows}`);
      }
      await page.screenshot({ path: join(OUT, `${role}-${stop.name}.png`), fullPage: true });
      problems.push(...(await accessibilityProblems(page, where)));
      // the same page on a phone: nothing wider than the screen
      await page.setViewportSize(PHONE);
      await page.waitForTimeout(200);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      if (wide > PHONE.width + 1) problems.push(`${where}: ${wide} px wide on a ${PHONE.width} px screen`);
      await page.screenshot({ path: join(OUT, `${role}-${stop.name}-phone.png`), fullPage: true });
      await page.setViewportSize(DESKTOP);
    }
    await context.close();
    return problems;
  }

  it('the participant', async () => {
    expect(
      await tour('participant', [
        { name: 'home', path: '/', shows: /Newest feedback/ },
        { name: 'courses', path: '/learn', shows: /Phone skills/ },
        { name: 'course', path: `/learn/${ids['course']}`, shows: /On the phone/ },
        { name: 'answer', path: `/answers/${ids['answer']}`, shows: /On the phone/ },
        { name: 'recording', path: `/recordings/${ids['recording']}`, shows: /Transcribed on this installation/ },
        { name: 'peer-reviews', path: '/peer-reviews', shows: /Peer review/i },
        { name: 'my-data', path: '/my/data', shows: /data/i },
        { name: 'account', path: '/account', shows: /account/i },
      ]),
    ).toEqual([]);
  }, 180_000);

  it('the coach', async () => {
    expect(
      await tour('coach', [
        { name: 'home', path: '/', shows: /waiting for your feedback/ },
        { name: 'groups', path: '/coaching', shows: /Phone team/ },
        { name: 'group-progress', path: `/coaching/groups/${ids['group']}/courses/${ids['course']}`, shows: /Phone skills/ },
        { name: 'queue', path: '/coaching/reviews', shows: /On the phone/ },
        { name: 'review', path: `/review/${ids['answer']}`, shows: /Coach review/ },
        { name: 'search', path: '/recordings/search', shows: /Search/ },
        { name: 'reports', path: '/reports', shows: /Reports/ },
      ]),
    ).toEqual([]);
  }, 180_000);

  it('the administrator', async () => {
    expect(
      await tour('admin', [
        { name: 'home', path: '/', shows: /Participants in no group/ },
        { name: 'users', path: '/admin/users', shows: /Participant a/ },
        { name: 'user', path: `/admin/users/${ids['participant']}`, shows: /Participant a/ },
        { name: 'groups', path: '/admin/groups', shows: /Phone team/ },
        { name: 'group', path: `/admin/groups/${ids['group']}`, shows: /Phone team/ },
        { name: 'privacy-log', path: '/admin/privacy-log', shows: /Privacy log/i },
        { name: 'retention', path: '/admin/retention', shows: /Retention|deletion|licence/i },
        { name: 'sso', path: '/admin/sso', shows: /sign-on/i },
        { name: 'feedback-settings', path: '/admin/feedback-settings', shows: /Marker tags|Fillers/i },
        { name: 'reports', path: '/reports', shows: /Reports/ },
        { name: 'search', path: '/recordings/search', shows: /Search/ },
      ]),
    ).toEqual([]);
  }, 180_000);

  it('the content developer', async () => {
    expect(
      await tour('developer', [
        { name: 'home', path: '/', shows: /Recently published/ },
        { name: 'courses', path: '/authoring/courses', shows: /Phone skills/ },
        { name: 'editor', path: `/authoring/courses/${ids['course']}`, shows: /Phone skills/ },
        { name: 'preview', path: `/authoring/courses/${ids['course']}/preview`, shows: /On the phone/ },
        { name: 'rubrics', path: '/authoring/rubrics', shows: /Conversation/ },
      ]),
    ).toEqual([]);
  }, 180_000);
});
