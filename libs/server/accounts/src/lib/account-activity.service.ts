import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AccountActivityAction, AccountActivityEntry, Page } from '@rehearse/shared/contracts';
import { AccessService, Actor, actorRoleLabel, PrivacyLogService, type PrivacyRead } from '@rehearse/server/access';
import { notFound } from '@rehearse/server/core';
import {
  type ActivityAuthor,
  type ActivityFilter,
  AccountActivityRepository,
  type ActivityRow,
  type StoredActivity,
} from './account-activity.repository';
import { UsersRepository } from './users.repository';

/** The listing counts exactly up to this many changes ("at least" beyond). */
export const ACTIVITY_COUNT_CAP = 10_000;

/**
 * The organisation's account activity: what its administrators (or the operator's support acting
 * as one) changed in its people's accounts and its settings. Each domain records its changes here,
 * in the transaction of the change, so a change and its record stand or fall together.
 */
@Injectable()
export class AccountActivity {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly rows: AccountActivityRepository,
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
    private readonly users: UsersRepository,
  ) {}

  /** Records the actor's changes in the organisation, in the transaction `m` of the change. */
  async record(m: EntityManager, actor: Actor, tenantId: string, changes: readonly ActivityRow[]): Promise<void> {
    const author = { actorId: actor.userId, actorRole: actorRoleLabel(actor), impersonatorId: actor.impersonatorId };
    await this.append(m, tenantId, author, changes);
  }

  /**
   * Records a change a person's own sign-in made to their account (an account made at the first
   * single sign-on, as the organisation's settings allow), in the transaction `m` of the change.
   */
  async recordBySignIn(
    m: EntityManager,
    tenantId: string,
    person: { userId: string; role: string },
    changes: readonly ActivityRow[],
  ): Promise<void> {
    await this.append(m, tenantId, { actorId: person.userId, actorRole: person.role, impersonatorId: null }, changes);
  }

  /**
   * Records a change the operator made with a command on the server, as no person (`actorRole`
   * `operator`), in the transaction `m` of the change.
   */
  async recordByOperator(m: EntityManager, tenantId: string, changes: readonly ActivityRow[]): Promise<void> {
    await this.append(m, tenantId, { actorId: null, actorRole: 'operator', impersonatorId: null }, changes);
  }

  /** Appends in the transaction `m` of the change (an empty list appends nothing). */
  private async append(
    m: EntityManager,
    tenantId: string,
    author: ActivityAuthor,
    changes: readonly ActivityRow[],
  ): Promise<void> {
    if (!changes.length) return;
    if (!m.queryRunner?.isTransactionActive)
      throw new Error('account activity must be recorded in the transaction of the change');
    await this.rows.append(tenantId, author, changes, m);
  }

  /**
   * Records a change that was made in several steps of their own (an erasure): after the change,
   * in a transaction of its own.
   */
  async recordAfter(actor: Actor, tenantId: string, changes: readonly ActivityRow[]): Promise<void> {
    await this.db.transaction((m) => this.record(m, actor, tenantId, changes));
  }

  /**
   * A page of the organisation's changes, newest first: all, one person's, or of one kind. What
   * changed in people's accounts is a look at their account's history: logged for each person shown.
   */
  async list(
    actor: Actor,
    q: { subjectId?: string; action?: AccountActivityAction; page: number; pageSize: number },
  ): Promise<Page<AccountActivityEntry>> {
    const tenantId = this.access.tenantOf(actor);
    await this.ensureSubject(actor, q.subjectId);
    return this.page(actor, tenantId, { subjectId: q.subjectId, actions: q.action ? [q.action] : undefined }, q);
  }

  /**
   * Every change the filter finds, oldest first, in batches of `batch` (the CSV export): each batch
   * read with the privacy-log rows of the people in it, in a transaction of its own, so an export of
   * any length holds one batch in memory.
   */
  async *batches(
    actor: Actor,
    q: { subjectId?: string; action?: AccountActivityAction },
    batch = 2000,
  ): AsyncGenerator<AccountActivityEntry[]> {
    const tenantId = this.access.tenantOf(actor);
    const filter = { subjectId: q.subjectId, actions: q.action ? [q.action] : undefined };
    let after = '0';
    for (;;) {
      const found = await this.privacy.readWithLog(actor, async (m) => {
        const rows = await this.rows.batchAfter(tenantId, filter, after, batch, m);
        const entries = rows.map(entryOf);
        return { value: { rows, entries }, log: looksAt(tenantId, entries) };
      });
      if (found.entries.length) yield found.entries;
      if (found.rows.length < batch) return;
      after = found.rows[found.rows.length - 1].id;
    }
  }

  /** Whether the person is in the actor's organisation (an export's filter is checked before its stream begins). */
  async ensureSubject(actor: Actor, subjectId: string | undefined): Promise<void> {
    if (subjectId && !(await this.users.exists(this.access.tenantOf(actor), subjectId))) throw notFound('User');
  }

  /**
   * The changes to one's own account, newest first (the account page): who changed what. Someone in
   * no organisation (a superuser as themselves) has none. The operator's support reading it as the
   * person is a look at their data, logged as any other.
   */
  async mine(actor: Actor, q: { page: number; pageSize: number }): Promise<Page<AccountActivityEntry>> {
    if (!actor.tenantId) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
    return this.page(actor, actor.tenantId, { subjectId: actor.userId }, q);
  }

  private page(
    actor: Actor,
    tenantId: string,
    filter: ActivityFilter,
    q: { page: number; pageSize: number },
  ): Promise<Page<AccountActivityEntry>> {
    return this.privacy.readWithLog(actor, async (m) => {
      // pages reach as far as the count (the newest ACTIVITY_COUNT_CAP changes of what is asked for)
      const counted = await this.rows.countUpTo(tenantId, filter, ACTIVITY_COUNT_CAP + 1, m);
      const found =
        (q.page - 1) * q.pageSize < Math.min(counted, ACTIVITY_COUNT_CAP)
          ? await this.rows.page(tenantId, filter, { limit: q.pageSize, offset: (q.page - 1) * q.pageSize }, m)
          : [];
      const items = found.map(entryOf);
      return {
        value: {
          items,
          total: Math.min(counted, ACTIVITY_COUNT_CAP),
          page: q.page,
          pageSize: q.pageSize,
          ...(counted > ACTIVITY_COUNT_CAP ? { totalIsLowerBound: true } : {}),
        },
        // (one's own history is logged only when the operator's support reads it as the person)
        log: looksAt(tenantId, items),
      };
    });
  }
}

function entryOf(r: StoredActivity): AccountActivityEntry {
  return {
    id: r.id,
    at: r.at.toISOString(),
    action: r.action as AccountActivityAction,
    actorId: r.actor_id,
    actorName: r.actor_name,
    actorRole: r.actor_role,
    impersonatorId: r.impersonator_id,
    impersonatorName: r.impersonator_name,
    // a person no longer in the organisation is no one here
    subjectId: r.subject_name === null ? null : r.subject_id,
    subjectName: r.subject_name,
    details: r.details,
  };
}

/** The looks at people's account history that showing these changes is: one per person shown. */
function looksAt(tenantId: string, entries: AccountActivityEntry[]): PrivacyRead[] {
  return [...new Set(entries.flatMap((e) => (e.subjectId ? [e.subjectId] : [])))].map((id) => ({
    subjectId: id,
    tenantId,
    objectType: 'account_history',
    objectId: id,
    action: 'list',
  }));
}
