/**
 * Two journeys people make without a desktop and a mouse, in Debian's Chromium with a fake camera
 * and an espeak-ng microphone, against the real API (production web build) and the media worker:
 * - on a phone-sized screen (375 × 812, touch): a trainee prepares, records, reviews and submits a
 *   video answer, and the page is never wider than the screen;
 * - by keyboard alone: a trainee records and submits, then a coach scores and publishes feedback,
 *   with Tab, Space, arrow keys and Enter only; every element reached shows visible focus.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { Harness, seedTwoTenants } from '../../test/harness';
import { publishedCourse, VIDEO_EXERCISE } from '../../test/courses';
import { launchChromium, requireBrowserPrerequisites, signInOnPage, startWebHarness } from '../../test/browser';

const SPOKEN = 'Good morning. I understand that your order is late, and I am sorry. I will check it for you right now.';

/** Presses Tab until the focused element's text or label matches `name`; fails after `max` presses. */
async function tabTo(page: Page, name: RegExp, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body || el === document.documentElement) return { label: '', visible: false };
      const label =
        `${el.getAttribute('aria-label') ?? ''} ${el.innerText ?? ''} ${(el as HTMLInputElement).labels?.[0]?.innerText ?? ''}`.trim();
      // focus a keyboard user can see: the browser's :focus-visible, drawn as an outline, a ring,
      // Angular Material's strong focus indicator or a focused form field
      const style = getComputedStyle(el);
      const indicator =
        el.querySelector('.mat-mdc-focus-indicator, .mat-focus-indicator') ?? el.closest('.mat-mdc-focus-indicator');
      const ring = style.outlineStyle !== 'none' && style.outlineWidth !== '0px';
      const before = indicator ? getComputedStyle(indicator, '::before') : null;
      const materialRing =
        before !== null &&
        before.content !== 'none' &&
        before.borderTopWidth !== '0px' &&
        before.borderTopStyle !== 'none';
      // a focused form field draws its outline or underline thicker, in the primary colour
      const field = el.closest('.mat-mdc-form-field.mat-focused') !== null;
      return {
        label,
        visible: el.matches(':focus-visible') && (ring || materialRing || field || style.boxShadow !== 'none'),
      };
    });
    if (name.test(focused.label)) {
      if (!focused.visible) throw new Error(`focus on "${focused.label}" is not visible`);
      return;
    }
  }
  throw new Error(`Tab never reached ${name}`);
}

describe('recording and reviewing on a phone and by keyboard alone (Chromium, fake camera)', () => {
  let h: Harness;
  let base: string;
  let files: string;
  let browser: Browser;
  let course: { id: string };
  let emails: Record<string, string>;

  beforeAll(async () => {
    requireBrowserPrerequisites();
    files = await mkdtemp(join(tmpdir(), 'rehearse-phone-'));
    const speech = join(files, 'speech.wav');
    execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', join(files, 'raw.wav'), SPOKEN]);
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'anullsrc=r=22050:cl=mono',
      '-i',
      join(files, 'raw.wav'),
      '-filter_complex',
      '[0]atrim=0:1[s];[s][1]concat=n=2:v=0:a=1',
      '-ar',
      '48000',
      '-ac',
      '1',
      '-c:a',
      'pcm_s16le',
      speech,
    ]);
    ({ h, base } = await startWebHarness());
    const world = await seedTwoTenants(h);
    emails = world.a.emails;
    const developer = await h.signIn(emails.developer);
    const admin = await h.signIn(emails.admin);
    course = await publishedCourse(developer, { media: true, maxAnswerSeconds: 20 });
    const group = await admin.post('/api/admin/groups', { name: 'Phone group' });
    await admin.put(`/api/admin/groups/${group.body.id}/members`, {
      participants: [world.a.ids.participant, world.a.ids.participant2],
      coaches: [world.a.ids.coach],
    });
    expect((await admin.post('/api/admin/enrolments', { courseId: course.id, groupId: group.body.id })).status).toBe(
      201,
    );
    browser = await launchChromium([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${speech}`,
    ]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    if (files) await rm(files, { recursive: true, force: true });
  });

  async function context(
    viewport: { width: number; height: number },
    mobile: boolean,
  ): Promise<{ ctx: BrowserContext; page: Page }> {
    const ctx = await browser.newContext({
      baseURL: base,
      viewport,
      isMobile: mobile,
      hasTouch: mobile,
      permissions: ['camera', 'microphone'],
    });
    return { ctx, page: await ctx.newPage() };
  }

  it('on a 375 px phone: prepare, record, review and submit a video answer; nothing wider than the screen', async () => {
    const { ctx, page } = await context({ width: 375, height: 812 }, true);
    const widths: number[] = [];
    const measure = async () => widths.push(await page.evaluate(() => document.documentElement.scrollWidth));
    try {
      await signInOnPage(h, page, emails.participant2);
      await page.goto(`/learn/${course.id}`);
      const exercise = page.getByRole('article', { name: 'On camera' });
      await exercise.getByRole('button', { name: 'Set up camera and microphone' }).tap();
      await exercise.getByLabel('Camera preview').waitFor();
      await measure();
      await exercise.getByRole('button', { name: /^Start \(\d+ s to prepare\)$/ }).tap();
      await exercise.getByRole('button', { name: 'Start now' }).tap();
      await exercise.getByText(/Recording 0:0\d \/ 0:20/).waitFor();
      await measure();
      await page.waitForTimeout(5_000);
      await exercise.getByRole('button', { name: 'Stop' }).tap();
      await exercise.getByLabel('Review your answer').waitFor();
      await measure();
      await exercise.getByRole('button', { name: 'Submit this answer' }).tap();
      const player = exercise.locator('rh-recording-player');
      await player.getByText(/Transcribed on this installation/).waitFor({ timeout: 120_000 });
      await measure();
      await page.screenshot({ path: join(files, 'phone.png'), fullPage: true });
      expect(widths.every((w) => w <= 376)).toBe(true);
    } finally {
      await ctx.close();
    }
  }, 240_000);

  it('by keyboard alone: the trainee records and submits, the coach scores and publishes', async () => {
    const trainee = await context({ width: 1280, height: 800 }, false);
    try {
      const page = trainee.page;
      await signInOnPage(h, page, emails.participant);
      await page.goto(`/learn/${course.id}`);
      await page.locator('body').focus();
      await tabTo(page, /Set up camera and microphone/);
      await page.keyboard.press('Enter');
      const exercise: Locator = page.getByRole('article', { name: 'On camera' });
      await exercise.getByLabel('Camera preview').waitFor();
      await tabTo(page, /^Start \(\d+ s to prepare\)/);
      await page.keyboard.press('Enter');
      await tabTo(page, /Start now/, 20);
      await page.keyboard.press('Enter');
      await exercise.getByText(/Recording 0:0\d \/ 0:20/).waitFor();
      await page.waitForTimeout(5_000);
      await tabTo(page, /^Stop$/, 20);
      await page.keyboard.press('Enter');
      await exercise.getByLabel('Review your answer').waitFor();
      await tabTo(page, /Submit this answer/, 30);
      await page.keyboard.press('Enter');
      await exercise
        .locator('rh-recording-player')
        .getByText(/Transcribed on this installation/)
        .waitFor({ timeout: 120_000 });
    } finally {
      await trainee.ctx.close();
    }
    const [answer] = await h.db.query(
      `SELECT a.id FROM answers a JOIN users u ON u.id = a.user_id WHERE u.email = $1 AND a.exercise_id = $2`,
      [emails.participant, VIDEO_EXERCISE],
    );

    const coach = await context({ width: 1280, height: 800 }, false);
    try {
      const page = coach.page;
      await signInOnPage(h, page, emails.coach);
      await page.goto('/coaching/reviews');
      await page.locator('body').focus();
      // the queue's link to the answer, by keyboard
      await tabTo(page, /^Review Participant a · On camera/);
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/review/${answer.id}`);
      await page.getByRole('heading', { name: /Coach review/ }).waitFor();
      // the rubric: Tab to the criterion's radio group, the arrow key picks a level, Space confirms
      await tabTo(page, /Not yet/);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Space');
      expect(await page.getByRole('radio', { name: /Always/ }).isChecked()).toBe(true);
      await tabTo(page, /Summary/);
      await page.keyboard.type('Warm and clear; say when you will call back.');
      await tabTo(page, /Publish feedback/);
      await page.keyboard.press('Enter');
      await page
        .getByText(/Published/)
        .first()
        .waitFor({ timeout: 15_000 });
      const [published] = await h.db.query(
        `SELECT state, summary FROM reviews WHERE answer_id = $1 AND source = 'coach'`,
        [answer.id],
      );
      expect(published).toEqual({ state: 'published', summary: 'Warm and clear; say when you will call back.' });
    } finally {
      await coach.ctx.close();
    }
  }, 300_000);
});
