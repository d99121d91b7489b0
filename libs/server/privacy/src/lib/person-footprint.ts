import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  AccountsFootprintRepository,
  type FootprintPerson,
  PeopleDirectoryRepository,
} from '@rehearse/server/accounts';
import { CoursesFootprintRepository, type ExportedAnswer, GroupsRepository } from '@rehearse/server/courses';
import type { Queryable } from '@rehearse/server/database';
import { FeedbackFootprintRepository } from '@rehearse/server/feedback';
import { type ExportedRecording, RecordingsFootprintRepository } from '@rehearse/server/recordings';
import { DataExportsRepository, WITHDRAWN_BY_ERASURE } from './data-exports.repository';
import { DeletionReceiptsRepository } from './deletion-receipts.repository';

/** A person's data for their export, and the recordings (with transcripts) to copy into it. */
export interface PersonExport {
  data: Record<string, unknown>;
  recordings: ExportedRecording[];
}

/** Raised inside the erasure's transaction to roll it back. */
class PersonNotInOrganisation extends Error {}

/**
 * Everything of one person, for the right to be forgotten and their data export: who they are,
 * the ids their queued jobs could name, their stored objects, their data section by section, and
 * the erasure in one transaction. Each library answers for its own tables (its footprint
 * repository); privacy decides what goes in, what is hidden and in which order things go.
 */
@Injectable()
export class PersonFootprint {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly accounts: AccountsFootprintRepository,
    private readonly courses: CoursesFootprintRepository,
    private readonly recordings: RecordingsFootprintRepository,
    private readonly feedback: FeedbackFootprintRepository,
    private readonly exports: DataExportsRepository,
    private readonly receipts: DeletionReceiptsRepository,
    private readonly people: PeopleDirectoryRepository,
    private readonly groups: GroupsRepository,
  ) {}

  /** The person (in the organisation, or any with `tenantId` null: a superuser's reach). */
  person(tenantId: string | null, userId: string): Promise<FootprintPerson | undefined> {
    return this.accounts.person(tenantId, userId);
  }

  /** Which of these people exist, with their organisation (any organisation's). */
  existing(userIds: string[]): Promise<{ id: string; tenant_id: string | null }[]> {
    return this.accounts.existing(userIds);
  }

  /** Every id the person's queued jobs could name: theirs, their answers, recordings, reviews, codes, invitations, exports. */
  async idsNaming(tenantId: string, userId: string): Promise<string[]> {
    const answers = await this.courses.answerIdsOf(tenantId, userId);
    return [
      userId,
      ...answers,
      ...(await this.recordings.jobIdsOf(tenantId, userId)),
      ...(await this.feedback.jobIdsOf(tenantId, userId, answers)),
      ...(await this.accounts.jobIdsOf(tenantId, userId)),
      ...(await this.exports.idsFor(tenantId, userId)),
    ];
  }

  /** The person's stored objects: answer recordings not deleted yet, and exports of their data. */
  async storedObjects(tenantId: string, userId: string): Promise<{ id: string; object_key: string }[]> {
    return [
      ...(await this.recordings.storedObjectsOf(tenantId, userId)),
      ...(await this.exports.archivesOf(tenantId, userId)),
    ];
  }

  /**
   * Erases the person in one transaction and counts what went: their prompt media stays unowned,
   * their unfinished reviews of others go, their sessions end, and the answers (with everything
   * hanging on them) and the profile (with everything hanging on it) go by cascade. Undefined when
   * the person was not in the organisation (nothing changed).
   */
  async erase(
    tenantId: string,
    userId: string,
  ): Promise<{ counts: Record<string, number>; withdrawnArchives: string[] } | undefined> {
    try {
      return await this.db.transaction(async (m) => {
        const answers = await this.courses.answerIdsOf(tenantId, userId, m);
        const media = await this.recordings.countsOf(tenantId, userId, m);
        const feedback = await this.feedback.countsOf(tenantId, userId, answers, m);
        const c: Record<string, number> = {
          answers: answers.length,
          recordings: media.recordings,
          transcripts: media.transcripts,
          feedbackReceived: feedback.received,
          feedbackGivenAnonymised: feedback.givenAnonymised,
          sessions: await this.accounts.sessionCount(tenantId, userId, m),
          exports: await this.exports.countFor(tenantId, userId, m),
        };
        await this.recordings.releasePromptsOf(tenantId, userId, m);
        c['feedbackDraftsDeleted'] = await this.feedback.deleteUnpublishedBy(tenantId, userId, m);
        await this.accounts.endSessionsOf(tenantId, userId, m);
        await this.courses.deleteAnswersOf(tenantId, userId, m);
        await this.recordings.deleteOwnedBy(tenantId, userId, m);
        // the organisation's exports hold the person too: withdrawn (exported again, they leave the person out)
        const withdrawnArchives = await this.exports.withdrawOrganisationExports(tenantId, WITHDRAWN_BY_ERASURE, m);
        c['organisationExportsWithdrawn'] = withdrawnArchives.length;
        // not in the organisation: nothing of the above may stay done
        if (!(await this.accounts.deletePerson(tenantId, userId, m))) throw new PersonNotInOrganisation();
        return { counts: c, withdrawnArchives };
      });
    } catch (e) {
      if (e instanceof PersonNotInOrganisation) return undefined;
      throw e;
    }
  }

  /**
   * Everything about the person, by section (the sections `USER_DATA` names), read in the caller's
   * transaction (a REPEATABLE READ one gives one consistent picture), with their recordings to
   * copy and each one's transcript as text and captions. Answers of an expired licence (as of
   * `today`) are left out, as everywhere else. Undefined when the person is not in the organisation.
   */
  async exportOf(
    tenantId: string,
    userId: string,
    today: string,
    now: Date,
    privacyLog: unknown,
    m: Queryable,
  ): Promise<PersonExport | undefined> {
    const account = await this.accounts.exportOf(tenantId, userId, today, m);
    if (!account) return undefined;
    const { licence } = account;
    const hidden = !!licence?.hidden;
    // the answers themselves only while they are shown; their ids either way (what the person gave others excludes them)
    const own = hidden ? null : await this.courses.answersOf(tenantId, userId, m);
    const answerIds = own ? own.map((a) => a.id) : await this.courses.answerIdsOf(tenantId, userId, m);
    const received = hidden ? [] : await this.feedback.publishedOn(tenantId, answerIds, m);
    const given = await this.feedback.writtenBy(tenantId, userId, answerIds, m);
    const coaches = await this.people.names(
      null,
      received.filter((r) => r.source === 'coach' && r.reviewerId).map((r) => r.reviewerId as string),
      m,
    );
    const data = {
      exportedAt: now.toISOString(),
      profile: account.profile,
      licence: licence ? { ...licence, expiresOn: licence.expires_on, expires_on: undefined, hidden: undefined } : null,
      answersHidden: hidden
        ? `Your licence expired on ${licence?.expires_on}: your answers, recordings and feedback are hidden until your administrator extends it.`
        : null,
      groups: await this.courses.groupsOf(tenantId, userId, m),
      enrolments: await this.courses.enrolmentsOf(tenantId, userId, m),
      answers: own ? await this.answers(tenantId, own, m) : [],
      // a coach's name on their feedback; a peer's stays out
      feedbackReceived: received.map(({ reviewerId, comments, ...r }) => ({
        ...r,
        coachName: r.source === 'coach' && reviewerId ? (coaches.get(reviewerId) ?? null) : null,
        comments,
      })),
      // what the person wrote of others names neither the answer nor its owner
      feedbackGiven: given.map(({ reviewerId: _r, answerId: _a, ...r }) => ({
        ...r,
        answer: "another participant's answer",
      })),
      privacyLog,
      coachDigest: await this.feedback.coachDigestOf(tenantId, userId, m),
      identities: account.identities,
      trustedDevices: account.trustedDevices,
      sessions: account.sessions,
      impersonations: account.impersonations,
      mailPreferences: account.mailPreferences,
      accountHistory: account.accountHistory,
      deletionReceipts: await this.receipts.listedFor(tenantId, userId, m),
      exports: await this.exports.listedFor(tenantId, userId, m),
    };
    return { data, recordings: hidden ? [] : await this.recordings.exportOf(tenantId, userId, m) };
  }

  /** The person's answers with their course and exercise, recording, AI report and the group they shared it with. */
  private async answers(tenantId: string, answers: ExportedAnswer[], m: Queryable): Promise<Record<string, unknown>[]> {
    const ids = answers.map((a) => a.id);
    const media = await this.recordings.factsOfAnswers(tenantId, ids, m);
    const shares = await this.feedback.sharesOf(tenantId, ids, m);
    const groups = await this.groups.names(
      null,
      [...shares.values()].map((s) => s.groupId),
      m,
    );
    return answers.map(({ course, exercise, ...a }) => {
      const share = shares.get(a.id);
      return {
        ...a,
        ...(media.get(a.id) ?? {
          recordingId: null,
          recordingStatus: null,
          durationSeconds: null,
          uploadedFileName: null,
          aiReport: null,
        }),
        sharedWith: share ? { group: groups.get(share.groupId) ?? null, sharedAt: share.sharedAt } : null,
        course,
        exercise,
      };
    });
  }
}
