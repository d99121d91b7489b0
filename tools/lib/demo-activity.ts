/**
 * The demo organisation's first weeks, for `npm start`: participants who recorded answers (speech
 * made with espeak-ng, a different voice per person, turned into video answers with ffmpeg), their
 * coach's published feedback with time-coded comments, self-assessments, a peer review, a baseline
 * and a final test, answers still waiting (one of them overdue), a licence about to end, and a
 * former participant whose licence ended a month ago, who got the deletion notice and asked to
 * keep their recordings. Everything goes through the product's own services (upload staging,
 * sealing, answer and review rules, the privacy log); afterwards the dates are moved back so the
 * organisation looks a few weeks old. The worker transcribes the answers and writes the AI
 * reports once `npm start` has started it. Runs once: skipped when the demo has any answer.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Upload } from '@tus/utils';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AccessModule, type Actor } from '@rehearse/server/access';
import { AccountsModule, TenantsService } from '@rehearse/server/accounts';
import { APP_CONFIG, type AppConfig, CoreModule, loadConfig } from '@rehearse/server/core';
import { CoursesModule, GroupsService, LearningService } from '@rehearse/server/courses';
import { DatabaseModule } from '@rehearse/server/database';
import {
  AnswerSharing,
  CoachQueueService,
  DomainPortsModule,
  FeedbackModule,
  ReviewDraftsService,
} from '@rehearse/server/feedback';
import { QueueModule } from '@rehearse/server/mail';
import { LicenceExpiryDeletions, PrivacyModule, RetentionService } from '@rehearse/server/privacy';
import {
  RecordingIntakeService,
  RecordingsModule,
  SPEECH_ENGINE,
  TranscriptionModule,
  TranscriptionPipeline,
  UploadStaging,
} from '@rehearse/server/recordings';
import type { SpeechEngine } from '@rehearse/server/speech';
import { StorageModule } from '@rehearse/server/storage';
import { permissionsFor, type TenantRole } from '@rehearse/shared/contracts';

const DAY_MS = 86_400_000;
const EX = {
  baseline: '0d9c8b7a-6f5e-4d3c-8b2a-190817161511',
  feeling: '0d9c8b7a-6f5e-4d3c-8b2a-190817161521',
  opening: '0d9c8b7a-6f5e-4d3c-8b2a-190817161522',
  final: '0d9c8b7a-6f5e-4d3c-8b2a-190817161531',
};
const C = {
  empathy: '6f6b3c1e-1a2b-4c3d-8e4f-5a6b7c8d9e01',
  clarity: '6f6b3c1e-1a2b-4c3d-8e4f-5a6b7c8d9e02',
  ownership: '6f6b3c1e-1a2b-4c3d-8e4f-5a6b7c8d9e03',
};

@Module({})
class DemoModule {}

/** The services the demo seed uses (the API's own, without HTTP), for `config`'s database, Redis and storage. */
export async function demoContext(config: AppConfig = loadConfig()): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(
    {
      module: DemoModule,
      imports: [
        CoreModule.forRoot(config),
        DatabaseModule.forRoot(),
        QueueModule,
        AccessModule,
        AccountsModule,
        CoursesModule,
        DomainPortsModule,
        StorageModule,
        RecordingsModule,
        FeedbackModule,
        PrivacyModule,
      ],
    },
    { logger: ['error', 'warn'] },
  );
}

@Module({})
class DemoTranscriptionModule {}

/**
 * The worker's transcription pipeline in this process, with the engine the worker would choose
 * (TranscriptionModule, without the media queue's consumer): the seed transcribes the answers its
 * coach reviews before the review, as the worker had done in the weeks the demo pretends, so the
 * review keeps the AI's proposed scores beside the coach's (the reports' AI–coach agreement).
 * Null, with a warning, where no engine starts here (SPEECH_ENGINE=whisper without its model):
 * the worker transcribes those answers once it runs, and the agreement has no pairs from them.
 */
async function demoTranscriber(
  config: AppConfig,
): Promise<{ transcribe(recordingId: string): Promise<string>; close(): Promise<void> } | null> {
  let ctx: INestApplicationContext;
  try {
    ctx = await NestFactory.createApplicationContext(
      {
        module: DemoTranscriptionModule,
        imports: [CoreModule.forRoot(config), DatabaseModule.forRoot(), AccessModule, TranscriptionModule],
      },
      // a context that cannot start throws here (by default Nest ends the process)
      { logger: ['error', 'warn'], abortOnError: false },
    );
  } catch (e) {
    console.warn(
      `[seed] no speech engine here (${e instanceof Error ? e.message : e}): the worker transcribes the demo's answers once it runs, after their reviews, so the reports show no AI–coach agreement for them`,
    );
    return null;
  }
  const pipeline = ctx.get(TranscriptionPipeline);
  return {
    transcribe: (recordingId) => pipeline.run(recordingId),
    async close() {
      // the built-in binding's model and thread, which would keep this process from ending
      await ctx.get<SpeechEngine>(SPEECH_ENGINE, { strict: false }).close();
      await ctx.close();
    },
  };
}

/** A demo person acting through the services, as a signed-in request would make them (no superuser, no impersonation). */
export async function actorFor(db: DataSource, email: string): Promise<Actor> {
  const [u]: { id: string; tenant_id: string; name: string }[] = await db.query(
    `SELECT id, tenant_id, name FROM users WHERE email = $1`,
    [email],
  );
  const roles: TenantRole[] = (await db.query(`SELECT role FROM memberships WHERE user_id = $1`, [u.id])).map(
    (r: { role: TenantRole }) => r.role,
  );
  return {
    userId: u.id,
    tenantId: u.tenant_id,
    name: u.name,
    email,
    roles,
    isSuperuser: false,
    permissions: permissionsFor(roles, false),
    impersonatorId: null,
    impersonationId: null,
  };
}

/** Spoken text (SSML, so <break time="1500ms"/> makes a pause) as WAV; as a video answer when `video`. */
function speak(dir: string, name: string, voice: string, wpm: number, ssml: string, video: boolean): string {
  const wav = join(dir, `${name}.wav`);
  execFileSync('espeak-ng', ['-m', '-v', voice, '-s', String(wpm), '-w', wav, `<speak>${ssml}</speak>`]);
  // a little room noise under the voice, as a real microphone has
  const noisy = join(dir, `${name}-room.wav`);
  execFileSync('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-i',
    wav,
    '-f',
    'lavfi',
    '-i',
    'anoisesrc=color=pink:amplitude=0.003:sample_rate=22050',
    '-filter_complex',
    '[0:a][1:a]amix=inputs=2:duration=first:normalize=0',
    '-ar',
    '16000',
    '-ac',
    '1',
    noisy,
  ]);
  if (!video) return noisy;
  const webm = join(dir, `${name}.webm`);
  execFileSync('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'color=c=0x30475e:s=640x360:r=15',
    '-i',
    noisy,
    '-filter_complex',
    '[0:v]drawbox=x=260:y=90:w=120:h=150:color=0xf2c7a5:t=fill,drawbox=x=230:y=240:w=180:h=120:color=0x5c7a99:t=fill[v]',
    '-map',
    '[v]',
    '-map',
    '1:a',
    '-shortest',
    '-c:v',
    'libvpx',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-b:v',
    '250k',
    '-c:a',
    'libopus',
    '-b:a',
    '48k',
    webm,
  ]);
  return webm;
}

/** Returns whether it recorded anything (false: already seeded, or espeak-ng/ffmpeg missing). */
export async function seedDemoActivity(
  ctx: INestApplicationContext,
  tenantId: string,
  domain: string,
  password: string,
  ownerUrl: string,
): Promise<boolean> {
  const missing = ['espeak-ng', 'ffmpeg'].filter((tool) => {
    try {
      execFileSync(tool, [tool === 'ffmpeg' ? '-version' : '--version'], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length) {
    console.warn(
      `[seed] ${missing.join(' and ')} not found: the demo organisation gets no recorded answers (install them and run npm run seed again)`,
    );
    return false;
  }
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-demo-'));
  let transcriber: Awaited<ReturnType<typeof demoTranscriber>> | undefined;
  try {
    const db = ctx.get(DataSource);
    if ((await db.query(`SELECT 1 FROM answers WHERE tenant_id = $1 LIMIT 1`, [tenantId])).length) return false;
    const tenants = ctx.get(TenantsService);
    const groups = ctx.get(GroupsService);
    const learning = ctx.get(LearningService);
    const recordings = ctx.get(RecordingIntakeService);
    const staging = ctx.get(UploadStaging);
    const drafts = ctx.get(ReviewDraftsService);
    const sharing = ctx.get(AnswerSharing);
    const coachQueue = ctx.get(CoachQueueService);
    const retention = ctx.get(RetentionService);
    const expiries = ctx.get(LicenceExpiryDeletions);
    const now = Date.now();
    const day = (n: number) => new Date(now - n * DAY_MS).toISOString().slice(0, 10);

    const userId = async (email: string) =>
      (await db.query(`SELECT id FROM users WHERE email = $1`, [email]))[0]?.id as string | undefined;
    const actor = (email: string) => actorFor(db, email);
    // three more people: one about to lose their licence, one new and in no group yet, one who left
    for (const [name, email] of [
      ['Rik Participant', `rik@${domain}`],
      ['Noor Newcomer', `noor@${domain}`],
      ['Sanne Former', `sanne@${domain}`],
    ]) {
      if (!(await userId(email))) await tenants.createUser(tenantId, name, email, ['participant'], password);
    }
    const admin = await actor(`admin@${domain}`);
    const coach = await actor(`coach@${domain}`);
    const pim = await actor(`participant@${domain}`);
    const quinn = await actor(`participant2@${domain}`);
    const rik = await actor(`rik@${domain}`);
    const sanne = await actor(`sanne@${domain}`);
    const [group]: { id: string }[] = await db.query(
      `SELECT id FROM groups WHERE tenant_id = $1 AND name = 'Customer service team'`,
      [tenantId],
    );
    const [course]: { id: string }[] = await db.query(
      `SELECT id FROM courses WHERE tenant_id = $1 AND title = 'Handling complaints on the phone'`,
      [tenantId],
    );
    if (!group || !course) return false;
    await groups.setMembers(admin, group.id, {
      participants: [pim.userId, quinn.userId, rik.userId, sanne.userId],
      coaches: [coach.userId],
    });
    const licence = `INSERT INTO licences (tenant_id, user_id, starts_on, expires_on) VALUES ($1, $2, $3::date, $4::date)
                     ON CONFLICT (user_id) DO UPDATE SET starts_on = EXCLUDED.starts_on, expires_on = EXCLUDED.expires_on`;
    for (const who of [pim, quinn, await actor(`noor@${domain}`)])
      await db.query(licence, [tenantId, who.userId, day(60), day(-305)]);
    await db.query(licence, [tenantId, rik.userId, day(300), day(-9)]);

    /** Records an answer the way the browser does: a finished tus upload in staging, then submitted. */
    const record = async (
      who: Actor,
      exercise: string,
      name: string,
      voice: string,
      wpm: number,
      ssml: string,
      video: boolean,
    ): Promise<string> => {
      const file = speak(dir, name, voice, wpm, ssml, video);
      const id = randomBytes(16).toString('hex');
      const size = (await stat(file)).size;
      await staging.store.create(
        new Upload({
          id,
          size,
          offset: 0,
          metadata: {
            purpose: 'answer',
            filename: `${name}${video ? '.webm' : '.wav'}`,
            owner: who.userId,
            tenant: tenantId,
          },
        }),
      );
      await staging.store.write(createReadStream(file), id, 0);
      return (await recordings.submitAnswer(who, course.id, exercise, id)).id;
    };
    /**
     * The answer's recording transcribed and assessed, by a worker already at it or by the pipeline
     * here: its AI report is there once this returns, unless its recording failed (or no engine
     * starts here).
     */
    const transcribed = async (answerId: string) => {
      const state = async () =>
        (
          await db.query(
            `SELECT r.id, r.status, EXISTS (SELECT 1 FROM ai_reports x WHERE x.recording_id = r.id) AS reported
               FROM recordings r WHERE r.answer_id = $1`,
            [answerId],
          )
        )[0] as { id: string; status: string; reported: boolean } | undefined;
      // a worker running beside the seed (a test's) may be at it: its result is awaited, not made twice
      const settled = async () => {
        for (let waited = 0; waited < 120; waited++) {
          const rec = await state();
          if (!rec || rec.reported || ['queued', 'transcribed', 'failed', 'deleted'].includes(rec.status)) return rec;
          await new Promise((r) => setTimeout(r, 1000));
        }
        return state();
      };
      // (and once more where the first try left no report: a worker that took the answer meanwhile
      // and stalled, or a run that failed for a moment; the pipeline skips a finished recording)
      for (let attempt = 0; attempt < 2; attempt++) {
        const rec = await settled();
        if (!rec || rec.reported || rec.status === 'failed' || rec.status === 'deleted') return;
        transcriber ??= await demoTranscriber(ctx.get<AppConfig>(APP_CONFIG));
        if (!transcriber) return;
        await transcriber.transcribe(rec.id).catch((e: unknown) => {
          console.warn(
            `[seed] an answer was not transcribed (the worker tries again): ${e instanceof Error ? e.message : e}`,
          );
        });
      }
    };
    const review = async (
      who: Actor,
      answerId: string,
      scores: Record<string, number>,
      summary: string,
      comments: { at: number; text: string; tag: string | null }[],
      openings = 1,
    ) => {
      // the answer was transcribed days before its coach came to it: the AI's report is there
      if (who === coach) await transcribed(answerId);
      // the coach opens the review screen first (a privacy-logged look the participant sees), or
      // comes back to it while writing: the participant's log shows one line, "3 times"
      if (who === coach) for (let i = 0; i < openings; i++) await drafts.context(who, answerId);
      const draft = await drafts.saveDraft(who, answerId, {
        scores,
        summary,
        comments: comments.map((c) => ({ ...c, aiFinding: null })),
      });
      await drafts.publish(who, answerId, draft.revision);
    };
    const dates: { answerId: string; submitted: number; reviewed?: number }[] = [];

    // Pim: a hesitant baseline, then practice with a self-assessment and a peer's review, then a clearly better final test
    const pimBaseline = await record(
      pim,
      EX.baseline,
      'pim-baseline',
      'en-us+m3',
      150,
      `Um, hello. I can see that your order is late. <break time="1500ms"/> Uh, the warehouse had some problems, so it is not my fault. <break time="2200ms"/> I will, um, check it and call you back.`,
      true,
    );
    await review(
      coach,
      pimBaseline,
      { [C.empathy]: 2, [C.clarity]: 3, [C.ownership]: 2 },
      'A calm start, but the customer never hears that you understand them, and "not my fault" pushes the problem away. Name the feeling first, then commit to a time.',
      [
        {
          at: 1,
          text: 'Open with their name and acknowledge the third call before anything else.',
          tag: 'good opening',
        },
        { at: 5, text: '"Not my fault" sounds defensive; say what you will do instead.', tag: 'empathy' },
        { at: 9, text: 'Good that you promise a call back: add when.', tag: 'clear next step' },
      ],
    );
    dates.push({ answerId: pimBaseline, submitted: 21, reviewed: 19 });
    const pimFeeling = await record(
      pim,
      EX.feeling,
      'pim-feeling',
      'en-us+m3',
      155,
      `I understand, waiting forty minutes on hold is really frustrating.`,
      false,
    );
    await review(
      pim,
      pimFeeling,
      { [C.empathy]: 4, [C.clarity]: 4, [C.ownership]: 3 },
      'Better: I named the feeling. I could slow down a little.',
      [],
    );
    await sharing.share(pim, pimFeeling, group.id);
    // the rotation picks the peers; the first one assigned writes their review
    const [peer]: { email: string }[] = await db.query(
      `SELECT u.email FROM reviews r JOIN users u ON u.id = r.reviewer_id WHERE r.answer_id = $1 AND r.source = 'peer' AND r.state = 'assigned' ORDER BY u.email LIMIT 1`,
      [pimFeeling],
    );
    if (peer)
      await review(
        await actor(peer.email),
        pimFeeling,
        { [C.empathy]: 4, [C.clarity]: 5, [C.ownership]: 3 },
        'Warm and short. Maybe add what you will do next.',
        [{ at: 1, text: 'Nice: "frustrating" names how they feel.', tag: 'empathy' }],
      );
    dates.push({ answerId: pimFeeling, submitted: 16, reviewed: 14 });
    const pimOpening = (
      await learning.submitText(
        pim,
        course.id,
        EX.opening,
        'Good morning, I am sorry your order is two weeks late. I understand how frustrating that is, and I will find out today where it is.',
      )
    ).id;
    await review(
      coach,
      pimOpening,
      { [C.empathy]: 4, [C.clarity]: 4, [C.ownership]: 4 },
      'Clear and kind. Now say it out loud in the final test.',
      [],
    );
    dates.push({ answerId: pimOpening, submitted: 15, reviewed: 13 });
    const pimFinal = await record(
      pim,
      EX.final,
      'pim-final',
      'en-us+m3',
      150,
      `Good morning. I understand how frustrating this is, and I am sorry your order is late again. <break time="1200ms"/> I have checked it: the parcel left our warehouse today. I will send you the tracking number by e-mail, and you will have it by tomorrow.`,
      true,
    );
    await review(
      coach,
      pimFinal,
      { [C.empathy]: 5, [C.clarity]: 4, [C.ownership]: 5 },
      'A different call from your baseline: you acknowledge, explain and commit with a time. Well done.',
      [
        { at: 1, text: 'Exactly the opening we practised.', tag: 'good opening' },
        { at: 8, text: 'Concrete next step with a time: this is what the customer needed.', tag: 'clear next step' },
      ],
      3,
    );
    dates.push({ answerId: pimFinal, submitted: 4, reviewed: 2 });

    // Quinn: a baseline with feedback, practice, and two answers waiting for the coach
    const quinnBaseline = await record(
      quinn,
      EX.baseline,
      'quinn-baseline',
      'en-gb+f3',
      165,
      `Hello, thank you for calling. I am sorry to hear that. <break time="1000ms"/> Please calm down, I will look at your order now and, like, tell you what I find.`,
      true,
    );
    await review(
      coach,
      quinnBaseline,
      { [C.empathy]: 3, [C.clarity]: 3, [C.ownership]: 3 },
      'Friendly, but "calm down" rarely calms anyone. Reflect their frustration instead.',
      [{ at: 3, text: 'Avoid "calm down": name the feeling instead.', tag: 'empathy' }],
    );
    dates.push({ answerId: quinnBaseline, submitted: 20, reviewed: 18 });
    const quinnFeeling = await record(
      quinn,
      EX.feeling,
      'quinn-feeling',
      'en-gb+f3',
      160,
      `Forty minutes is a long time to wait. I understand that you are annoyed.`,
      false,
    );
    await review(
      quinn,
      quinnFeeling,
      { [C.empathy]: 4, [C.clarity]: 4, [C.ownership]: 2 },
      'Good acknowledgement; no next step yet.',
      [],
    );
    // shared with the group too: the rotation hands it to peers, Pim among them (his peer reviews to do)
    await sharing.share(quinn, quinnFeeling, group.id);
    dates.push({ answerId: quinnFeeling, submitted: 12, reviewed: 12 });
    dates.push({
      answerId: (
        await learning.submitText(
          quinn,
          course.id,
          EX.opening,
          'Hello, I am sorry that your order is late. Let me check where it is right now.',
        )
      ).id,
      submitted: 3,
    });
    dates.push({
      answerId: await record(
        quinn,
        EX.final,
        'quinn-final',
        'en-gb+f3',
        160,
        `Good afternoon. I understand, a third call about the same order is frustrating. <break time="1000ms"/> I will call the courier now and I will call you back before five today.`,
        true,
      ),
      submitted: 1,
    });

    // Rik: a baseline nobody has looked at for ten days (overdue on the coach's home page)
    dates.push({
      answerId: await record(
        rik,
        EX.baseline,
        'rik-baseline',
        'en-us+m7',
        140,
        `Hi. Yes, so, um, the order. <break time="2500ms"/> I do not really know where it is. I think it will come soon.`,
        true,
      ),
      submitted: 10,
    });

    // the coach looked at their queue (privacy-logged reads the participants see)
    await coachQueue.queue(coach, 1, 25);

    // the organisation a few weeks old: answers, recordings, reviews and shares dated back
    for (const d of dates) {
      const submitted = new Date(now - d.submitted * DAY_MS - 3 * 3600_000);
      await db.query(`UPDATE answers SET submitted_at = $2, created_at = $2 WHERE id = $1`, [d.answerId, submitted]);
      await db.query(`UPDATE recordings SET created_at = $2, updated_at = $2 WHERE answer_id = $1`, [
        d.answerId,
        submitted,
      ]);
      // transcribed and assessed a minute after (the answers their coach reviewed: above)
      for (const table of ['transcripts', 'ai_reports'])
        await db.query(
          `UPDATE ${table} SET created_at = $2 WHERE recording_id IN (SELECT id FROM recordings WHERE answer_id = $1)`,
          [d.answerId, new Date(submitted.getTime() + 60_000)],
        );
      await db.query(`UPDATE answer_shares SET shared_at = $2 WHERE answer_id = $1`, [
        d.answerId,
        new Date(submitted.getTime() + 3600_000),
      ]);
      await db.query(`UPDATE reviews SET assigned_at = LEAST(assigned_at, $2) WHERE answer_id = $1`, [
        d.answerId,
        submitted,
      ]);
      if (d.reviewed !== undefined) {
        const reviewed = new Date(now - d.reviewed * DAY_MS);
        await db.query(
          `UPDATE reviews SET published_at = $2, updated_at = $2 WHERE answer_id = $1 AND state = 'published'`,
          [d.answerId, reviewed],
        );
      }
    }

    // the course and its rubric were made four weeks ago, the group set up the day after
    await db.query(`UPDATE courses SET created_at = $2, updated_at = $2 WHERE id = $1`, [
      course.id,
      new Date(now - 28 * DAY_MS),
    ]);
    await db.query(
      `UPDATE course_versions SET created_at = $2::timestamptz, updated_at = $2::timestamptz, published_at = CASE WHEN published_at IS NULL THEN NULL ELSE $2::timestamptz END WHERE course_id = $1`,
      [course.id, new Date(now - 27 * DAY_MS)],
    );
    await db.query(`UPDATE rubrics SET created_at = $2, updated_at = $2 WHERE tenant_id = $1`, [
      tenantId,
      new Date(now - 28 * DAY_MS),
    ]);
    await db.query(`UPDATE groups SET created_at = $2, updated_at = $2 WHERE id = $1`, [
      group.id,
      new Date(now - 26 * DAY_MS),
    ]);
    // so were its members and its enrolment, as the account activity says; the application's role
    // may only append to that (runtime-role.ts), so the demo dates it as the database's owner
    const owner = new Client({ connectionString: ownerUrl });
    await owner.connect();
    try {
      await owner.query(
        `UPDATE account_activity SET at = $2 WHERE tenant_id = $1 AND action IN ('group.member_added', 'enrolment.added')`,
        [tenantId, new Date(now - 26 * DAY_MS)],
      );
    } catch (e) {
      // (DATABASE_OWNER_URL left out where DATABASE_URL is the application's role: dated today, said so)
      if ((e as { code?: string }).code !== '42501') throw e;
      console.warn(`[seed] the group's account activity stays dated today: DATABASE_OWNER_URL may not change it`);
    } finally {
      await owner.end();
    }

    // Sanne recorded her baseline two months ago and left a month ago: her answers are hidden, the
    // deletion notice went out, and she asked to keep her recordings
    const sanneBaseline = await record(
      sanne,
      EX.baseline,
      'sanne-baseline',
      'en-gb+f2',
      150,
      `Good morning. I am sorry about the delay. I will check the order for you straight away.`,
      true,
    );
    await db.query(`UPDATE answers SET submitted_at = $2, created_at = $2 WHERE id = $1`, [
      sanneBaseline,
      new Date(now - 60 * DAY_MS),
    ]);
    await db.query(`UPDATE recordings SET created_at = $2, updated_at = $2 WHERE answer_id = $1`, [
      sanneBaseline,
      new Date(now - 60 * DAY_MS),
    ]);
    await db.query(licence, [tenantId, sanne.userId, day(400), day(32)]);
    await expiries.sweep();
    await retention
      .askToKeep(sanne)
      .catch((e: unknown) => console.warn(`[seed] Sanne's keep request: ${e instanceof Error ? e.message : e}`));
    console.log(
      `Seeded the demo's first weeks: ${dates.length + 1} answers (recorded with espeak-ng), published feedback, a peer review and one to do, answers waiting (one overdue), a licence ending soon, a keep request.`,
    );
    return true;
  } finally {
    await transcriber?.close();
    await rm(dir, { recursive: true, force: true });
  }
}
