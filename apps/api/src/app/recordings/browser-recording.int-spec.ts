/**
 * The trainee's side of recording, in a real browser: Debian's Chromium driven by playwright-core,
 * with a fake camera and an espeak-ng speech file as the microphone, against the real API (serving
 * the production build of the web app) and the media worker.
 *
 * Needs the built web app (`npx nx build web`; `npm test` builds it) and Chromium (/usr/bin/chromium-headless-shell, or CHROME_BIN)
 * (tools/scripts/ensure-system.sh installs it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Client, Harness, seedTwoTenants } from '../../test/harness';
import { publishedCourse } from '../../test/courses';
import { launchChromium, requireBrowserPrerequisites, signInOnPage, startWebHarness, until } from '../../test/browser';

/** where the picture of the kept recording's offer lands, beside the tour's */
const ROOT_TMP = join(__dirname, '../../../../../tmp');

const SPOKEN =
  'Thank you for calling. I understand that your order is late, and I am sorry. Let me check it for you right now.';

/** What the page showed over time: upload progress values and processing labels, recorded in the page itself. */
const OBSERVER = `
  window.__seen = { progress: [], stages: [] };
  new MutationObserver(() => {
    const bar = document.querySelector('mat-progress-bar[aria-label="Upload progress"]');
    const v = bar && bar.getAttribute('aria-valuenow');
    const p = window.__seen.progress;
    if (v !== null && v !== undefined && v !== '' && p[p.length - 1] !== Number(v)) p.push(Number(v));
    for (const s of document.querySelectorAll('rh-recording-player [role="status"]')) {
      const t = s.textContent.trim();
      const st = window.__seen.stages;
      if (t && st[st.length - 1] !== t) st.push(t);
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
`;

/** A recording once the worker is done with it (transcribed or failed), as PostgreSQL has it. */
async function processedRecording(
  h: Harness,
  id: string,
): Promise<{ status: string; duration_seconds: number | null }> {
  const read = async () =>
    (
      (await h.db.query(`SELECT status, duration_seconds FROM recordings WHERE id = $1`, [id])) as {
        status: string;
        duration_seconds: number | null;
      }[]
    )[0];
  await until(
    async () => (await read())?.status,
    (s) => s === 'transcribed' || s === 'failed',
    `recording ${id} to be processed`,
    90_000,
  );
  return read();
}

/**
 * The answer's submission once its upload is done (an answer to the same exercise that another
 * test gave may be on the page already: its player says nothing about this one).
 */
function answerSubmitted(tab: Page) {
  return tab.waitForResponse(
    (r) =>
      r.request().method() === 'POST' &&
      /^\/api\/my\/courses\/[^/]+\/exercises\/[^/]+\/recordings$/.test(new URL(r.url()).pathname),
    { timeout: 60_000 },
  );
}

describe('recording an answer in the browser (Chromium, fake camera, espeak-ng microphone)', () => {
  let h: Harness;
  let base: string;
  let files: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let course: { id: string };
  let admin: Client;
  let email: string;

  beforeAll(async () => {
    requireBrowserPrerequisites();
    files = await mkdtemp(join(tmpdir(), 'rehearse-browser-'));
    // the "microphone": speech from espeak-ng, after a second of silence
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
    const developer = await h.signIn(world.a.emails.developer);
    admin = await h.signIn(world.a.emails.admin);
    course = await publishedCourse(developer, { media: true, maxAnswerSeconds: 20 });
    const group = await admin.post('/api/admin/groups', { name: 'Browser group' });
    await admin.put(`/api/admin/groups/${group.body.id}/members`, {
      participants: [world.a.ids.participant],
      coaches: [world.a.ids.coach],
    });
    expect((await admin.post('/api/admin/enrolments', { courseId: course.id, groupId: group.body.id })).status).toBe(
      201,
    );
    email = world.a.emails.participant;

    browser = await launchChromium([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${speech}`,
    ]);
    context = await browser.newContext({ baseURL: base, permissions: ['camera', 'microphone'] });
    await context.addInitScript(OBSERVER);
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    if (files) await rm(files, { recursive: true, force: true });
  });

  // one story, in the order a trainee lives it
  it('signs in through the sign-in page with the e-mailed code, records an answer, shows the upload progress and each processing stage, and plays it back with seeking', async () => {
    await signInOnPage(h, page, email);
    await page.goto(`/learn/${course.id}`);
    const exercise = page.getByRole('article', { name: 'On camera' });
    await exercise.getByRole('button', { name: 'Set up camera and microphone' }).click();
    // live preview from the fake camera, and the level meter moves with the speech file
    await exercise.getByLabel('Camera preview').waitFor();
    await until(
      () => exercise.getByRole('meter', { name: 'Microphone level' }).getAttribute('aria-valuenow').then(Number),
      (v) => v > 0,
      'the level meter to move',
    );
    await exercise.getByRole('button', { name: /^Start \(\d+ s to prepare\)$/ }).click();
    await exercise.getByText(/Recording starts in \d+ s/).waitFor();
    await exercise.getByRole('button', { name: 'Start now' }).click();
    await exercise.getByText(/Recording 0:0\d \/ 0:20/).waitFor();
    await page.waitForTimeout(7_000);
    await exercise.getByRole('button', { name: 'Stop' }).click();

    // review before submitting
    const review = exercise.getByLabel('Review your answer');
    await review.waitFor();
    expect(await review.evaluate((v: HTMLVideoElement) => v.src.startsWith('blob:'))).toBe(true);

    // a slow connection, so the progress bar has something to show; then the connection drops
    // mid-upload (the server cuts the socket) and the upload resumes where the server got to
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: 4_000_000,
      uploadThroughput: 60_000,
    });
    let firstPatch: Socket | null = null;
    const server = h.app.getHttpServer() as import('node:http').Server;
    const watch = (req: IncomingMessage) =>
      void (req.method === 'PATCH' && req.url?.startsWith('/api/uploads/') && (firstPatch ??= req.socket));
    server.on('request', watch);
    const uploads: { method: string; offset?: string }[] = [];
    page.on(
      'request',
      (r) =>
        void (
          r.url().includes('/api/uploads') && uploads.push({ method: r.method(), offset: r.headers()['upload-offset'] })
        ),
    );
    await exercise.getByRole('button', { name: 'Submit this answer' }).click();
    await exercise.getByText('Uploading your answer…').waitFor();
    await until(
      () => page.evaluate(() => (window as unknown as { __seen: { progress: number[] } }).__seen.progress),
      (p) => p.some((v) => v > 0 && v < 100),
      'upload progress between 0 and 100 %',
      20_000,
    );
    await until(
      async () => firstPatch,
      (s) => s !== null,
      'the upload to reach the server',
    );
    await new Promise((r) => setTimeout(r, 500));
    (firstPatch as Socket | null)?.destroy();
    server.off('request', watch);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });

    // the answer appears with its player, which follows processing live until the transcript shows
    const player = exercise.locator('rh-recording-player');
    await player.waitFor({ timeout: 60_000 });
    await player.getByText(/Transcribed on this installation by Whisper/).waitFor({ timeout: 90_000 });
    const seen = await page.evaluate(
      () => (window as unknown as { __seen: { progress: number[]; stages: string[] } }).__seen,
    );
    expect(seen.progress.filter((v) => v > 0 && v < 100).length).toBeGreaterThan(0);
    expect(seen.progress[seen.progress.length - 1]).toBe(100);
    // after the drop, the client asked where to continue (HEAD) and sent only the rest
    const afterDrop = uploads.slice(uploads.findIndex((u) => u.method === 'PATCH') + 1);
    expect(afterDrop.map((u) => u.method)).toEqual(['HEAD', 'PATCH']);
    expect(Number(afterDrop[1].offset)).toBeGreaterThan(0);
    expect(seen.stages.length).toBeGreaterThan(0);
    expect(
      seen.stages.every((s) =>
        /^(Waiting for the transcriber|Checking the recording|Extracting the sound|Transcribing|Indexing the transcript)…/.test(
          s,
        ),
      ),
    ).toBe(true);

    // the espeak-ng speech went through the fake microphone: the transcript has words
    const segments = player.locator('.passage[role=button]');
    expect(await segments.count()).toBeGreaterThan(0);

    // playback: ranged requests, a duration the browser knows (the WebM was remuxed), and instant seeking
    const ranges: string[] = [];
    page.on(
      'request',
      (r) => void (r.url().includes('/content') && r.headers()['range'] && ranges.push(r.headers()['range'])),
    );
    const video = player.getByLabel('Your recording');
    await page.reload();
    await video.waitFor();
    const duration = await video.evaluate(
      (v: HTMLVideoElement) =>
        new Promise<number>((resolve) =>
          v.readyState >= 1
            ? resolve(v.duration)
            : v.addEventListener('loadedmetadata', () => resolve(v.duration), { once: true }),
        ),
    );
    expect(Number.isFinite(duration)).toBe(true);
    expect(duration).toBeGreaterThan(5);
    expect(duration).toBeLessThan(12);
    const landed = await video.evaluate(
      (v: HTMLVideoElement, to: number) =>
        new Promise<{ at: number; seekableEnd: number }>((resolve) => {
          v.addEventListener(
            'seeked',
            () => resolve({ at: v.currentTime, seekableEnd: v.seekable.length ? v.seekable.end(0) : 0 }),
            { once: true },
          );
          v.currentTime = to;
        }),
      duration - 2,
    );
    expect(landed.at).toBeCloseTo(duration - 2, 0);
    expect(landed.seekableEnd).toBeGreaterThan(duration - 1);
    expect(ranges.length).toBeGreaterThan(0);
    // it plays from there
    const advanced = await video.evaluate(async (v: HTMLVideoElement) => {
      const from = v.currentTime;
      await v.play();
      await new Promise((r) => setTimeout(r, 800));
      v.pause();
      return v.currentTime - from;
    });
    expect(advanced).toBeGreaterThan(0.2);
    // clicking a passage of the transcript seeks the video to it
    const first = player.locator('.passage[role=button]').first();
    const label = (await first.getAttribute('aria-label')) ?? '';
    const start = Number(/play from ([\d.]+) seconds/.exec(label)?.[1]);
    await first.click();
    expect(Number.isFinite(start)).toBe(true);
    await until(
      () => video.evaluate((v: HTMLVideoElement) => v.currentTime),
      (t) => Math.abs(t - start) < 0.5,
      `the video to seek to ${start} s`,
      5_000,
    );
  }, 240_000);

  it('a recording interrupted by a reload is kept in the browser, offered again, reviewed and sent; sent, it is offered no more', async () => {
    const own = await browser.newContext({ baseURL: base, permissions: ['camera', 'microphone'] });
    const tab = await own.newPage();
    try {
      await signInOnPage(h, tab, email);
      await tab.goto(`/learn/${course.id}`);
      const exercise = tab.getByRole('article', { name: 'On the phone' });
      await exercise.getByRole('button', { name: 'Set up my microphone' }).click();
      await exercise.getByRole('button', { name: /^Start \(\d+ s to prepare\)$/ }).click();
      await exercise.getByRole('button', { name: 'Start now' }).click();
      await exercise.getByText(/Recording 0:0\d \/ 0:20/).waitFor();
      await tab.waitForTimeout(4_000);
      // the tab is reloaded mid-recording (a crash, a closed tab, a lost connection are alike here)
      await tab.reload();
      const kept = exercise.getByText(/Your recording of 0:0[2-9] from .+ was not sent\. This browser kept it\./);
      await kept.waitFor({ timeout: 15_000 });
      await exercise.screenshot({ path: join(ROOT_TMP, 'recording-kept.png') });
      await exercise.getByRole('button', { name: 'Review and send it' }).click();
      const review = exercise.getByLabel('Review your answer');
      await review.waitFor();
      // what was kept plays: the pieces recorded before the reload
      const seconds = await review.evaluate(
        (a: HTMLAudioElement) =>
          new Promise<number>((resolve) => {
            const end = () => resolve(a.currentTime);
            a.muted = true;
            a.addEventListener('ended', end, { once: true });
            void a.play();
            setTimeout(end, 8_000);
          }),
      );
      expect(seconds).toBeGreaterThan(1.5);
      const submitted = answerSubmitted(tab);
      await exercise.getByRole('button', { name: 'Submit this answer' }).click();
      const sent = await submitted;
      expect(sent.status()).toBe(201);
      // what was kept is a recording the worker can read: probed and transcribed
      expect((await processedRecording(h, (await sent.json()).recording.id)).status).toBe('transcribed');
      // sent: not offered again
      await tab.reload();
      await exercise.getByRole('button', { name: 'Set up my microphone' }).waitFor();
      expect(await exercise.getByText(/was not sent/).count()).toBe(0);
    } finally {
      await own.close();
    }
  }, 120_000);

  it('a file whose upload a reload cut short, chosen again, continues where the server got to', async () => {
    // 15 s of sound as WAV: about 2.9 MB, a while to send over a slow line
    const wav = join(files, 'long-answer.wav');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=15',
      '-ar',
      '48000',
      '-ac',
      '2',
      '-c:a',
      'pcm_s16le',
      wav,
    ]);
    const own = await browser.newContext({ baseURL: base, permissions: ['camera', 'microphone'] });
    await own.addInitScript(OBSERVER);
    const tab = await own.newPage();
    try {
      await signInOnPage(h, tab, email);
      await tab.goto(`/learn/${course.id}`);
      const exercise = tab.getByRole('article', { name: 'On the phone' });
      const cdp = await own.newCDPSession(tab);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 20,
        downloadThroughput: 4_000_000,
        uploadThroughput: 150_000,
      });
      // the upload's address on the server, as the page before the reload sends to it
      const sentTo: string[] = [];
      const before = (r: import('playwright-core').Request) =>
        void (r.method() === 'PATCH' && r.url().includes('/api/uploads/') && sentTo.push(new URL(r.url()).pathname));
      tab.on('request', before);
      await exercise.getByLabel('Upload a recording file').setInputFiles(wav);
      await exercise.getByText('Uploading your answer…').waitFor();
      await until(
        () => tab.evaluate(() => (window as unknown as { __seen: { progress: number[] } }).__seen.progress),
        (p) => p.some((v) => v >= 20 && v < 100),
        'a fifth of the upload sent',
        30_000,
      );
      // the tab is reloaded mid-upload; the browser remembers the upload
      await tab.reload();
      tab.off('request', before);
      expect(sentTo.length).toBeGreaterThan(0);
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
      const remembered = await tab.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tus::')));
      expect(remembered.length).toBe(1);
      const uploads: { method: string; path: string; offset?: string }[] = [];
      tab.on(
        'request',
        (r) =>
          void (
            r.url().includes('/api/uploads') &&
            uploads.push({ method: r.method(), path: new URL(r.url()).pathname, offset: r.headers()['upload-offset'] })
          ),
      );
      const submitted = answerSubmitted(tab);
      await exercise.getByLabel('Upload a recording file').setInputFiles(wav);
      const sent = await submitted;
      expect(sent.status()).toBe(201);
      // the file arrived whole: the worker probes and transcribes it (a resumed upload that lost
      // or doubled a piece fails there), 15 s long
      const processed = await processedRecording(h, (await sent.json()).recording.id);
      expect(processed.status).toBe('transcribed');
      expect(processed.duration_seconds).toBeCloseTo(15, 0);
      // asked the same upload where to continue (HEAD), made no new one, and sent only the rest
      // (nothing, when the server had it all before the tab went: a busy machine sends fast)
      expect(uploads[0]).toEqual(expect.objectContaining({ method: 'HEAD', path: sentTo[0] }));
      expect(uploads.some((u) => u.method === 'POST')).toBe(false);
      for (const patch of uploads.filter((u) => u.method === 'PATCH')) {
        expect(patch.path).toBe(sentTo[0]);
        expect(Number(patch.offset)).toBeGreaterThan(0);
      }
      // done: the browser forgets it
      expect(await tab.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tus::')))).toEqual([]);
    } finally {
      await own.close();
    }
  }, 120_000);
});
