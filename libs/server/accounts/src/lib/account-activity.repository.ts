import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import type { AccountActivityAction, AccountActivityDetails } from '@rehearse/shared/contracts';
import { type Queryable, rows, typed } from '@rehearse/server/database';

/** A change to append: what, about whom (null: the organisation's settings, or a person erased). */
export interface ActivityRow {
  action: AccountActivityAction;
  subjectId: string | null;
  details?: AccountActivityDetails;
}

/** Who made the changes of one request. */
export interface ActivityAuthor {
  /** null: the operator, with no person (a command on the server) */
  actorId: string | null;
  actorRole: string;
  impersonatorId: string | null;
}

/** A change as read, with the names of the people in it (null: not in the organisation any more). */
export interface StoredActivity {
  id: string;
  at: Date;
  action: string;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string;
  impersonator_id: string | null;
  impersonator_name: string | null;
  subject_id: string | null;
  subject_name: string | null;
  details: AccountActivityDetails;
}

export interface ActivityFilter {
  /** only the changes to this person's account */
  subjectId?: string;
  /** only these kinds of change */
  actions?: readonly AccountActivityAction[];
}

/**
 * Every statement on `account_activity` (owned by accounts): what was changed in an organisation's
 * accounts and settings, by whom. Appended in the transaction of the change and read newest first;
 * the application's role can neither change nor delete a row (runtime-role.ts): a row goes with
 * its organisation or with the person it is about (foreign keys), and the one who made a change
 * is cleared when they are erased.
 */
@Injectable()
export class AccountActivityRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Appends the changes of one request in one statement, in the caller's transaction. */
  async append(tenantId: string, author: ActivityAuthor, changes: readonly ActivityRow[], m: Queryable): Promise<void> {
    // in statements of at most 5,000 rows (an import of a large file)
    for (let from = 0; from < changes.length; from += 5000) {
      await rows(
        m,
        typed.insertInto('account_activity').values(
          changes.slice(from, from + 5000).map((c) => ({
            tenant_id: tenantId,
            actor_id: author.actorId,
            actor_role: author.actorRole,
            impersonator_id: author.impersonatorId,
            subject_id: c.subjectId,
            action: c.action,
            details: JSON.stringify(c.details ?? {}),
          })),
        ),
      );
    }
  }

  /** A page of the organisation's changes, newest first, with the people's names. */
  async page(
    tenantId: string,
    filter: ActivityFilter,
    page: { limit: number; offset: number },
    m: Queryable = this.db,
  ): Promise<StoredActivity[]> {
    return this.read(m, this.named(tenantId, filter).orderBy('a.id', 'desc').limit(page.limit).offset(page.offset));
  }

  /**
   * Up to `limit` of the filter's changes after the change `after` (an id; '0': from the first),
   * oldest first: one batch of an export, read by the primary key's order (keyset, never an offset).
   */
  async batchAfter(
    tenantId: string,
    filter: ActivityFilter,
    after: string,
    limit: number,
    m: Queryable = this.db,
  ): Promise<StoredActivity[]> {
    return this.read(m, this.named(tenantId, filter).where('a.id', '>', after).orderBy('a.id', 'asc').limit(limit));
  }

  /** How many changes the filter finds, counted up to `cap` (a bigger count is only "at least"). */
  async countUpTo(tenantId: string, filter: ActivityFilter, cap: number, m: Queryable = this.db): Promise<number> {
    const [row] = await rows(
      m,
      typed
        .selectFrom(this.filtered(tenantId, filter).select('a.id').limit(cap).as('capped'))
        .select(sql<number>`count(*)::int`.as('total')),
    );
    return row?.total ?? 0;
  }

  private async read(
    m: Queryable,
    statement: ReturnType<AccountActivityRepository['named']>,
  ): Promise<StoredActivity[]> {
    return (await rows(m, statement)).map((r) => ({ ...r, details: r.details as AccountActivityDetails }));
  }

  /** The filter's changes with the names of the people in them (the person changed: only while in the organisation). */
  private named(tenantId: string, filter: ActivityFilter) {
    return this.filtered(tenantId, filter)
      .leftJoin('users as actor', 'actor.id', 'a.actor_id')
      .leftJoin('users as support', 'support.id', 'a.impersonator_id')
      .leftJoin('users as subject', (j) =>
        j.onRef('subject.id', '=', 'a.subject_id').on('subject.tenant_id', '=', tenantId),
      )
      .select([
        sql<string>`a.id::text`.as('id'),
        'a.at',
        'a.action',
        'a.actor_id',
        'actor.name as actor_name',
        'a.actor_role',
        'a.impersonator_id',
        'support.name as impersonator_name',
        'a.subject_id',
        'subject.name as subject_name',
        'a.details',
      ]);
  }

  private filtered(tenantId: string, filter: ActivityFilter) {
    let q = typed.selectFrom('account_activity as a').where('a.tenant_id', '=', tenantId);
    if (filter.subjectId) q = q.where('a.subject_id', '=', filter.subjectId);
    if (filter.actions?.length) q = q.where('a.action', 'in', [...filter.actions]);
    return q;
  }
}
