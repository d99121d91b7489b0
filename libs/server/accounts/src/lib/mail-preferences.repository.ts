import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import type { MailPreferences, UnsubscribeTopic } from '@rehearse/shared/contracts';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

/**
 * A kind of e-mail a person may stop, as `mail_preferences.topic` names it: those a stop link
 * names but the coach's morning e-mail (feedback's `coach_digests` keeps that choice).
 */
export type MailTopic = Exclude<UnsubscribeTopic, 'coach_digest'>;

/** Each topic's key in the API's `MailPreferences`: the one place the two names meet. */
const MAIL_TOPIC_KEYS = {
  feedback_published: 'feedbackPublished',
  peer_reviews: 'peerReviews',
  course_due: 'courseDue',
} as const satisfies Record<MailTopic, keyof MailPreferences>;

const TOPICS = Object.keys(MAIL_TOPIC_KEYS) as MailTopic[];

/** The API's changes (`feedbackPublished: false`) as topics (`feedback_published: false`). */
export function topicsOf(changes: Partial<MailPreferences>): Partial<Record<MailTopic, boolean>> {
  return Object.fromEntries(TOPICS.map((t) => [t, changes[MAIL_TOPIC_KEYS[t]]]));
}

/**
 * The e-mails a person may stop (`mail_preferences`): a row per person and topic they chose
 * about; without one the e-mail comes. The composers of those e-mails ask `wants` when they
 * write one, so a choice holds for what is already queued too.
 */
@Injectable()
export class MailPreferencesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Whether the person wants this kind of e-mail (yes until they say no). */
  async wants(tenantId: string, userId: string, topic: MailTopic, m: Queryable = this.db): Promise<boolean> {
    const [row] = await rows(
      m,
      typed
        .selectFrom('mail_preferences')
        .select('enabled')
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId)
        .where('topic', '=', topic),
    );
    return row?.enabled ?? true;
  }

  /** Of these people of the organisation, the ones who turned this kind of e-mail off. */
  async stoppedAmong(
    tenantId: string,
    userIds: readonly string[],
    topic: MailTopic,
    m: Queryable = this.db,
  ): Promise<Set<string>> {
    if (!userIds.length) return new Set();
    const found = await rows(
      m,
      typed
        .selectFrom('mail_preferences')
        .select('user_id')
        .where('tenant_id', '=', tenantId)
        .where('topic', '=', topic)
        .where('enabled', '=', false)
        .where('user_id', 'in', [...userIds]),
    );
    return new Set(found.map((r) => r.user_id));
  }

  /** The person's choices, every topic (the ones never chosen about: on). */
  async of(tenantId: string, userId: string, m: Queryable = this.db): Promise<MailPreferences> {
    const chosen = await rows(
      m,
      typed
        .selectFrom('mail_preferences')
        .select(['topic', 'enabled'])
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId),
    );
    const on = (topic: MailTopic) => chosen.find((r) => r.topic === topic)?.enabled ?? true;
    return Object.fromEntries(TOPICS.map((t) => [MAIL_TOPIC_KEYS[t], on(t)])) as unknown as MailPreferences;
  }

  /**
   * Keeps the person's choices about the topics in `changes` (the others stay as they are). Written
   * only for a person of `tenantId`: another organisation's id changes and adds nothing.
   */
  async set(
    tenantId: string,
    userId: string,
    changes: Partial<Record<MailTopic, boolean>>,
    m: Queryable = this.db,
  ): Promise<void> {
    for (const topic of TOPICS) {
      const enabled = changes[topic];
      if (enabled !== undefined) await this.choose(tenantId, userId, topic, enabled, m);
    }
  }

  /**
   * Turns one kind of e-mail off for the person a signed link from one of them names; false when
   * there is no such person (any more).
   * @withoutTenant the link names the person only; their own row gives the organisation
   */
  stopByLink(userId: string, topic: MailTopic, m: Queryable = this.db): Promise<boolean> {
    return this.choose(null, userId, topic, false, m);
  }

  /**
   * Writes one choice of the person (of `tenantId`, or of whichever organisation their row says
   * when null), taking the organisation from their row; false when there is no such person.
   */
  private async choose(
    tenantId: string | null,
    userId: string,
    topic: MailTopic,
    enabled: boolean,
    m: Queryable,
  ): Promise<boolean> {
    let person = typed
      .selectFrom('users')
      .select([
        'tenant_id',
        'id',
        sql<string>`${topic}::text`.as('topic'),
        sql<boolean>`${enabled}::boolean`.as('enabled'),
      ])
      .where('id', '=', userId);
    person = tenantId === null ? person.where('tenant_id', 'is not', null) : person.where('tenant_id', '=', tenantId);
    const { count } = await run(
      m,
      typed
        .insertInto('mail_preferences')
        .columns(['tenant_id', 'user_id', 'topic', 'enabled'])
        .expression(person)
        .onConflict((oc) =>
          oc
            .columns(['user_id', 'topic'])
            .doUpdateSet({ enabled, updated_at: sql<Date>`now()` })
            .where('mail_preferences.tenant_id', '=', sql<string>`excluded.tenant_id`),
        )
        .returning('user_id'),
    );
    return count > 0;
  }
}
