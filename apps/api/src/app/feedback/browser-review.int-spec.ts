/**
 * The coach's review screen and the trainee's feedback page in a real browser (Debian's Chromium
 * through playwright-core) against the real API serving the production web build, with the media
 * worker and the AI coach running on espeak-ng speech that has a known 2.5 s pause.
 *
 * Needs the built web app (`npx nx build web`; `npm test` builds it) and Chromium (/usr/bin/chromium-headless-shell, or CHROME_BIN).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Client, Harness, seedTwoTenants } from '../../test/harness';
import { AUDIO_EXERCISE, exerciseBody } from '../../test/courses';
import { uploadFile, waitForRecording } from '../../test/media';
import { spokenAnswer } from '../../test/speech';
import { launchChromium, requireBrowserPrerequisites, signInOnPage, startWebHarness, until } from '../../test/browser';

const EMPATHY = '0b6c1f38-8d3c-4c8e-9a52-2f1d2b3c4d5e';
const STRUCTURE = '1c7d2e49-9e4d-4d9f-8b63-3a2e3c4d5e6f';

describe('reviewing an answer in the browser (coach) and reading the feedback (trainee)', () => {
  let h: Harness;
  let base: string;
  let files: string;
  let browser: Browser;
  let coachPage: Page;
  let participant: Client;
  let emails: { coach: string; participant: string };
  let answerId: string;
  let words: { text: string; start: number; end: number }[];
  let segments: { text: string; start: number; end: number }[];
  let pauseStart: number;

  beforeAll(async () => {
    requireBrowserPrerequisites();
    files = await mkdtemp(join(tmpdir(), 'rehearse-review-'));
    const speech = await spokenAnswer(
      files,
      'answer',
      150,
      [
        'I understand that your order is late, and I am sorry about that.',
        'Let me check it for you right now and call you back today.',
      ],
      [2.5],
    );
    pauseStart = speech.pauseStarts[0];

    ({ h, base } = await startWebHarness());
    const world = await seedTwoTenants(h);
    emails = { coach: world.a.emails.coach, participant: world.a.emails.participant };
    const dev = await h.signIn(world.a.emails.developer);
    const admin = await h.signIn(world.a.emails.admin);
    participant = await h.signIn(world.a.emails.participant);

    const rubric = await dev.post('/api/authoring/rubrics', {
      title: 'Conversation',
      description: '',
      criteria: [
        {
          id: EMPATHY,
          title: 'Empathy',
          description: 'Acknowledges feelings',
          weight: 2,
          levels: [1, 2, 3, 4, 5].map((score) => ({ score, descriptor: `Empathy ${score}` })),
        },
        {
          id: STRUCTURE,
          title: 'Structure',
          description: 'Clear and fluent',
          weight: 1,
          levels: [1, 3, 5].map((score) => ({ score, descriptor: `Structure ${score}` })),
        },
      ],
    });
    const created = await dev.post('/api/authoring/courses', { title: 'Phone skills', language: 'en' });
    const saved = await dev.put(`/api/authoring/courses/${created.body.id}/draft`, {
      revision: created.body.draft.revision,
      content: {
        title: 'Phone skills',
        description: '',
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
                ai: {
                  language: 'en',
                  keyPhrases: [],
                  avoidPhrases: [],
                  wpmMin: 100,
                  wpmMax: 200,
                  maxFillersPerMinute: 4,
                  targetDurationSeconds: 10,
                },
              }),
            ],
          },
        ],
      },
    });
    expect(saved.status).toBe(200);
    expect(
      (await dev.post(`/api/authoring/courses/${created.body.id}/publish`, { changeSummary: 'First' })).status,
    ).toBe(200);
    const group = await admin.post('/api/admin/groups', { name: 'Phone team' });
    await admin.put(`/api/admin/groups/${group.body.id}/members`, {
      participants: [world.a.ids.participant],
      coaches: [world.a.ids.coach],
    });
    expect(
      (
        await admin.post('/api/admin/enrolments', {
          courseId: created.body.id,
          groupId: group.body.id,
          dueOn: '2027-01-31',
        })
      ).status,
    ).toBe(201);

    const answer = await participant.post(`/api/my/courses/${created.body.id}/exercises/${AUDIO_EXERCISE}/recordings`, {
      uploadId: await uploadFile(participant, speech.path),
    });
    expect(answer.status).toBe(201);
    answerId = answer.body.id;
    expect((await waitForRecording(participant, answer.body.recording.id)).body.status).toBe('transcribed');
    const transcript = await participant.get(`/api/recordings/${answer.body.recording.id}/transcript`);
    words = transcript.body.words;
    segments = transcript.body.segments;
    expect(words.length).toBeGreaterThan(5);
    expect(segments.length).toBeGreaterThan(0);

    browser = await launchChromium();
    coachPage = await (await browser.newContext({ baseURL: base })).newPage();
    await signInOnPage(h, coachPage, emails.coach);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    if (files) await rm(files, { recursive: true, force: true });
  });

  // one story: the trainee reads what the coach published
  it('the coach opens the answer from the queue, comments on the timeline, accepts an AI finding, scores, autosaves and publishes; the trainee then sees every comment on one timeline, the rubric result and the AI report', async () => {
    await coachReviews();
    await traineeReads();
  }, 180_000);

  async function coachReviews(): Promise<void> {
    const page = coachPage;
    await page.goto('/coaching/reviews');
    const row = page.getByRole('row', { name: /Participant a/ });
    await row.getByText('Phone skills — On the phone').waitFor();
    await row.getByRole('link', { name: /^Review / }).click();
    await page.waitForURL(`**/review/${answerId}`);
    await page.getByRole('heading', { name: 'Coach review: On the phone' }).waitFor();

    // the transcript beside the player, a button per passage: clicking a word seeks there and highlights it
    const transcript = page.getByLabel('Transcript');
    const wordButtons = transcript.locator('.word');
    await until(
      () => wordButtons.count(),
      (n) => n === words.length,
      'every transcript word to show',
    );
    const audio = page.getByLabel('The answer');
    await until(
      () => audio.evaluate((a: HTMLAudioElement) => a.readyState),
      (s) => s >= 1,
      'the audio metadata to load',
    );
    const index = Math.min(4, words.length - 1);
    const target = words[index];
    await wordButtons.nth(index).click();
    // clicking plays from the word: pause at once and check where it went
    await until(
      () => audio.evaluate((a: HTMLAudioElement) => a.currentTime),
      (t) => t >= target.start - 0.05,
      `the audio to seek to ${target.start} s`,
    );
    const now = await audio.evaluate((a: HTMLAudioElement) => (a.pause(), a.currentTime));
    expect(now - target.start).toBeLessThan(1.5);
    const started = words.filter((w) => w.start <= now);
    const spoken =
      started.length && now < started[started.length - 1].end + 0.05 ? started[started.length - 1] : undefined;
    if (spoken)
      await until(
        () => transcript.locator('.word.current').textContent(),
        (t) => t === spoken.text,
        `“${spoken.text}” to be highlighted`,
      );
    // by keyboard: Enter on a passage plays from the passage's start (one stop per passage, not per word)
    const passages = transcript.getByRole('button');
    expect(await passages.count()).toBeGreaterThan(0);
    expect(await passages.count()).toBeLessThanOrEqual(segments.length);
    // the last passage: the segment the last word's middle falls in
    const lastWord = words[words.length - 1];
    const last = [...segments].reverse().find((s) => s.start <= (lastWord.start + lastWord.end) / 2) ?? segments[0];
    await passages.last().focus();
    await page.keyboard.press('Enter');
    await until(
      () => audio.evaluate((a: HTMLAudioElement) => a.currentTime),
      (t) => t >= last.start - 0.05,
      `the audio to seek to the last passage, ${last.start} s`,
    );
    const fromPassage = await audio.evaluate((a: HTMLAudioElement) => (a.pause(), a.currentTime));
    expect(fromPassage - last.start).toBeLessThan(1.5);
    // a seek while paused moves the highlight to exactly that word
    await audio.evaluate((a: HTMLAudioElement, t: number) => (a.currentTime = t), target.start + 0.01);
    await until(
      () => transcript.locator('.word.current').textContent(),
      (t) => t === target.text,
      `“${target.text}” to be highlighted`,
    );

    // a comment at the current moment, with a tag, lands on the timeline
    const at = `0:${String(Math.floor(target.start + 0.01)).padStart(2, '0')}`;
    await page.getByLabel(`Comment at ${at}`).fill('Warm, clear acknowledgement');
    await page.getByRole('combobox', { name: 'Tag' }).click();
    await page.getByRole('option', { name: 'good opening' }).click();
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const timeline = page.getByRole('group', { name: 'Timeline of comments and findings' });
    await timeline.getByRole('button', { name: `${at} Warm, clear acknowledgement` }).waitFor();
    await page
      .getByRole('listitem')
      .filter({ hasText: 'Warm, clear acknowledgement' })
      .getByText('good opening')
      .waitFor();
    // a comment begun while the answer plays stops it at that moment (the comment keeps it, not the
    // moment its writing ends), and the answer plays on once the comment is added
    await audio.evaluate((a: HTMLAudioElement) => ((a.currentTime = 0), a.play()));
    await until(
      () => audio.evaluate((a: HTMLAudioElement) => (a.paused ? 0 : a.currentTime)),
      (t) => t > 0.3,
      'the audio to play',
    );
    await page.getByLabel(/^Comment at/).pressSequentially('Slow down here');
    const held = await audio.evaluate((a: HTMLAudioElement) => ({ paused: a.paused, at: a.currentTime }));
    expect(held.paused).toBe(true);
    const heldAt = `0:${String(Math.floor(Math.round(held.at * 10) / 10)).padStart(2, '0')}`;
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await timeline.getByRole('button', { name: `${heldAt} Slow down here` }).waitFor();
    await until(
      () => audio.evaluate((a: HTMLAudioElement) => !a.paused),
      (playing) => playing,
      'the audio to play on',
    );
    await audio.evaluate((a: HTMLAudioElement) => a.pause());

    // the AI found the inserted pause: a draft marker the coach accepts
    const pause = page.locator('li.ai-row').filter({ hasText: /Pause of 2(\.\d+)? s/ });
    await pause.waitFor();
    const pauseAt = Number(
      /(\d+):(\d\d)/
        .exec((await pause.getByRole('button').first().textContent()) ?? '')
        ?.slice(1)
        .reduce((m, s) => m * 60 + Number(s), 0),
    );
    expect(Math.abs(pauseAt - pauseStart)).toBeLessThanOrEqual(1);
    await pause.getByRole('button', { name: 'Accept' }).click();
    await pause.getByText('accepted').waitFor();

    // scores with the level descriptors shown; the weighted total follows
    await page.getByRole('radiogroup', { name: 'Empathy' }).getByText('Empathy 4').click();
    await page.getByRole('radiogroup', { name: 'Structure' }).getByText('Structure 5').click();
    await page.getByText('Weighted total: 4.33').waitFor();
    await page.getByLabel('Summary').fill('You acknowledged the problem straight away. Keep the pause shorter.');
    await page.getByRole('status').getByText('Draft saved').waitFor({ timeout: 10_000 });

    // the draft is on the server: a reload brings back every part of it
    await page.reload();
    await page.getByText('Weighted total: 4.33').waitFor();
    expect(await page.getByLabel('Summary').inputValue()).toBe(
      'You acknowledged the problem straight away. Keep the pause shorter.',
    );
    await page.getByRole('listitem').filter({ hasText: 'Warm, clear acknowledgement' }).waitFor();
    await page
      .locator('li.ai-row')
      .filter({ hasText: /Pause of/ })
      .getByText('accepted')
      .waitFor();

    const before = h.mailbox.messages.length;
    await page.getByRole('button', { name: 'Publish feedback' }).click();
    await page.getByRole('status').getByText('Published').waitFor();
    const mail = await h.mailbox.waitFor(emails.participant, /New feedback on “On the phone”/, 15_000, before);
    expect(mail.text).toContain(`/answers/${answerId}`);
    // published: the form is read-only and the answer left the queue
    expect(await page.getByRole('button', { name: 'Publish feedback' }).count()).toBe(0);
    // on to the next answer waiting: none here
    await page.getByText('Nothing else is waiting for your feedback.').waitFor();
    await page.goto('/coaching/reviews');
    await page.getByText(/Nothing (is )?waiting|No answers/i).waitFor();
  }

  async function traineeReads(): Promise<void> {
    const page = await (await browser.newContext({ baseURL: base })).newPage();
    await signInOnPage(h, page, emails.participant);
    await page.goto(`/answers/${answerId}`);
    await page.getByRole('heading', { name: 'Feedback: On the phone' }).waitFor();
    const timeline = page.getByRole('group', { name: 'Timeline of comments and findings' });
    await timeline.getByRole('button', { name: /Coach: Warm, clear acknowledgement/ }).waitFor();
    // and to read, beside its time: the list of comments under the answer
    const listed = page.getByRole('listitem').filter({ hasText: 'Warm, clear acknowledgement' });
    expect(await listed.textContent()).toMatch(/Coach: good opening Warm, clear acknowledgement/);
    // the accepted pause became a coach comment; the AI report's own pause marker is there too
    // (the AI report loads after the feedback, so its own marker may come a moment later)
    await until(
      () => timeline.getByRole('button', { name: /Pause of 2(\.\d+)? s/ }).count(),
      (n) => n >= 2,
      'the accepted and the reported pause on the timeline',
    );
    const rubric = page.locator('table.rubric');
    expect(await rubric.getByRole('row', { name: /Empathy/ }).textContent()).toContain('4');
    expect(await rubric.getByRole('row', { name: /Weighted total/ }).textContent()).toContain('4.33');
    await page.getByText('You acknowledged the problem straight away.').waitFor();
    await page.getByRole('heading', { name: 'AI coach' }).waitFor();
    expect(await page.locator('rh-pace-chart canvas').count()).toBe(1);
    await page.getByText('Speaking rate').first().waitFor();
  }

  it('a tab opened before an upgrade, following a link to a page whose file the server no longer has, loads that page anew instead of doing nothing', async () => {
    const page = await (await browser.newContext({ baseURL: base })).newPage();
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).waitFor();
    // from now on, the first file of the app the page asks for is gone (the version before's)
    let gone: string | undefined;
    await page.route(/\/chunk-[A-Z0-9]{8}\.js$/, (route) => {
      if (gone) return route.continue();
      gone = route.request().url();
      return route.fulfill({ status: 404, contentType: 'application/json', body: '{}' });
    });
    await page.evaluate(() => ((window as unknown as { openedBefore: boolean }).openedBefore = true));
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    expect(gone).toBeDefined();
    expect(new URL(page.url()).pathname).toBe('/password-reset');
    // loaded from the server again: the page of before is gone with its marker
    expect(await page.evaluate(() => (window as unknown as { openedBefore?: boolean }).openedBefore)).toBeUndefined();
    await page.context().close();
  });
});
