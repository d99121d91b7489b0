import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@rehearse/server/core';
import { isoTimeSql } from '@rehearse/server/database';

/** A privacy-log row as stored (snake_case columns; `id` a bigint sequence, as text; as read for its readers, `at` as ISO text). */
export type PrivacyLogRow = Record<string, unknown>;

/** A person's own rows (whoever looked at their data), or those about some objects of theirs. */
export interface PersonLogFilter {
  subjectId: string;
  objectIds?: readonly string[];
}

/** Which rows a listing or export covers. */
export interface PrivacyLogFilter {
  tenantId?: string;
  subjectId?: string;
  /** only the looks of this person (an investigation of one coach's reading, say) */
  actorId?: string;
  /** only the rows about these objects (an answer and its recording) */
  objectIds?: readonly string[];
  /** only the rows of a period: from this moment (inclusive) … */
  from?: Date;
  /** … to this one (exclusive). With either, rows come in the order of their time (`at`, then id). */
  before?: Date;
  /** only the looks of the operator's support staff: a superuser acting as someone, or as themselves */
  support?: boolean;
}

/** Rows of one chained INSERT: one array element per row, in chain order. */
export interface ChainedRows {
  actorId: string;
  actorRole: string;
  impersonatorId: string | null;
  at: Date;
  chainVersion: number;
  subject: string[];
  objectType: string[];
  objectId: string[];
  action: string[];
  prev: string[];
  hash: string[];
}

/**
 * The privacy log's SQL, and the only code that names its table (docs/architecture.md: the access
 * library owns `privacy_log`). Methods that write take the caller's EntityManager: a row is written
 * in the transaction of the read it records. The tenant comes first; `null` is the platform's own
 * log (superusers' reads outside any organisation).
 */
@Injectable()
export class PrivacyLogRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    /** whose calendar's days group a person's looks (TIME_ZONE) */
    @Optional() private readonly clock: Clock = new Clock(),
  ) {}

  /**
   * Appends rows to the writer's chain in this tenant, in one round trip (privacy_log_append,
   * migration 1764850000000): under the writer's lock, held until the transaction ends, the rows
   * are written only if the first one links to the chain's last row. Answers null when they were
   * written, or else the chain's last hash (the genesis hash for a new chain) with nothing written:
   * the rows must then be linked to it and appended again. With no rows it only takes the lock and
   * answers the last hash.
   */
  async append(m: EntityManager, tenantId: string | null, rows: ChainedRows): Promise<string | null> {
    const [{ head }] = (await m.query(
      `SELECT privacy_log_append($1::uuid, $2::uuid, $3, $4::uuid, $5::timestamptz, $6::smallint, $7::uuid[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[]) AS head`,
      [
        tenantId,
        rows.actorId,
        rows.actorRole,
        rows.impersonatorId,
        rows.at,
        rows.chainVersion,
        rows.subject,
        rows.objectType,
        rows.objectId,
        rows.action,
        rows.prev,
        rows.hash,
      ],
    )) as { head: string | null }[];
    return head;
  }

  /** Whether this actor logged this action on this object since `since` (repeated views log once). */
  async loggedSince(
    m: EntityManager,
    tenantId: string | null,
    read: {
      actorId: string;
      impersonatorId: string | null;
      objectType: string;
      objectId: string;
      action: string;
      since: Date;
    },
  ): Promise<boolean> {
    const recent: unknown[] = await m.query(
      `SELECT 1 FROM privacy_log WHERE actor_id = $1 AND object_id = $2 AND action = $3 AND object_type = $4 AND impersonator_id IS NOT DISTINCT FROM $5 AND at > $6 AND tenant_id IS NOT DISTINCT FROM $7 LIMIT 1`,
      [read.actorId, read.objectId, read.action, read.objectType, read.impersonatorId, read.since, tenantId],
    );
    return recent.length > 0;
  }

  /**
   * How many rows match, counted up to `cap + 1` (a log of millions costs more to count than to page).
   * @withoutTenant the filter names the organisation, or a person's own log across the organisations and the platform's
   */
  async countUpTo(filter: PrivacyLogFilter, cap: number): Promise<number> {
    const { clause, params } = where(filter);
    const [{ count }] = await this.db.query(
      `SELECT count(*)::int AS count FROM (SELECT 1 FROM privacy_log l ${clause} LIMIT ${cap + 1}) c`,
      params,
    );
    return count;
  }

  /**
   * One page, newest first (the readers name the people: privacy's PrivacyLogReader).
   * @withoutTenant the filter names the organisation, or a person's own log across the organisations and the platform's
   */
  async page(filter: PrivacyLogFilter, limit: number, offset: number): Promise<PrivacyLogRow[]> {
    const { clause, params } = where(filter);
    // a period is read by time (the index (tenant_id, at, id), backwards from the period's end);
    // the whole log by id, the order rows were appended in (the two differ by the milliseconds
    // between a read's time and its row's commit)
    const order = byTime(filter) ? 'l.at DESC, l.id DESC' : 'l.id DESC';
    return this.db.query(
      `SELECT ${READ} FROM privacy_log l ${clause} ORDER BY ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
  }

  /**
   * One page of a person's own log as they read it, newest first: the looks of one kind (action)
   * at one object by one person (and one supporter acting as them) on one day (the installation's calendar, TIME_ZONE) are one
   * entry, the newest look's row with how many there were (`count`) and when the first was
   * (`first_at`). A coach who opens an answer's review five times in an afternoon is one line,
   * "5 times", not five; the organisation's log (`page`) keeps every row. Reads the person's rows
   * from their index (subject_id, id): a person's log, not the organisation's.
   * @withoutTenant a person's own log across the organisations and the platform's
   */
  async looksPage(filter: PersonLogFilter, limit: number, offset: number): Promise<PrivacyLogRow[]> {
    const { clause, params } = where(filter);
    return this.db.query(
      `SELECT max(l.id) AS id, ${isoTimeSql('max(l.at)')} AS at, ${isoTimeSql('min(l.at)')} AS first_at, count(*)::int AS count, ${LOOK}
         FROM privacy_log l ${clause}
        GROUP BY (l.at AT TIME ZONE ${this.clock.sqlTimeZone})::date, ${LOOK}
        ORDER BY max(l.id) DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
  }

  /**
   * How many entries `looksPage` pages through, counted up to `cap + 1`.
   * @withoutTenant a person's own log across the organisations and the platform's
   */
  async looksCountUpTo(filter: PersonLogFilter, cap: number): Promise<number> {
    const { clause, params } = where(filter);
    const [{ count }] = await this.db.query(
      `SELECT count(*)::int AS count FROM (
         SELECT 1 FROM privacy_log l ${clause} GROUP BY (l.at AT TIME ZONE ${this.clock.sqlTimeZone})::date, ${LOOK} LIMIT ${cap + 1}) c`,
      params,
    );
    return count;
  }

  /**
   * The next `batch` rows after the row of id `after` ('0': from the first), oldest first (keyset: an
   * index range scan). Over a period, in the order of time: after that row's (at, id), read from the
   * row itself so that the comparison is of the stored value, not of its millisecond copy.
   * @withoutTenant the filter names the organisation, or a person's own log across the organisations and the platform's
   */
  async batchAfter(filter: PrivacyLogFilter, after: string, batch: number): Promise<PrivacyLogRow[]> {
    const { clause, params } = where(filter);
    if (byTime(filter)) {
      const from =
        after === '0'
          ? ''
          : `${clause ? 'AND' : 'WHERE'} (l.at, l.id) > (SELECT p.at, p.id FROM privacy_log p WHERE p.id = $${params.length + 2})`;
      return this.db.query(
        `SELECT ${READ} FROM privacy_log l ${clause} ${from} ORDER BY l.at, l.id LIMIT $${params.length + 1}`,
        after === '0' ? [...params, batch] : [...params, batch, after],
      );
    }
    return this.db.query(
      `SELECT ${READ} FROM privacy_log l ${clause ? `${clause} AND` : 'WHERE'} l.id > $${params.length + 1} ORDER BY l.id LIMIT $${params.length + 2}`,
      [...params, after, batch],
    );
  }

  /**
   * Every log's last entry and how many entries it holds (`tenantId` null: the operator's own),
   * and how many of them are at or before `before`'s entry for that log: what a witness of the logs
   * records, and what it checks the witness before against. One pass over the table.
   * @withoutTenant the witness covers every organisation's log and the operator's
   */
  async heads(
    before: readonly { tenantId: string | null; throughId: string }[],
  ): Promise<{ tenantId: string | null; throughId: string; entries: number; upToBefore: number | null }[]> {
    // the operator's log (no organisation) joined by a stand-in id, so the join can hash
    const NONE = '00000000-0000-0000-0000-000000000000';
    const rows = (await this.db.query(
      `WITH before(tenant_key, through) AS (SELECT * FROM unnest($1::uuid[], $2::bigint[]))
       SELECT l.tenant_id, max(l.id)::text AS through_id, count(*)::int AS entries,
              CASE WHEN max(b.through) IS NULL THEN NULL
                   ELSE (count(*) FILTER (WHERE l.id <= b.through))::int END AS up_to_before
         FROM privacy_log l LEFT JOIN before b ON b.tenant_key = coalesce(l.tenant_id, $3::uuid)
        GROUP BY l.tenant_id`,
      [before.map((b) => b.tenantId ?? NONE), before.map((b) => b.throughId), NONE],
    )) as { tenant_id: string | null; through_id: string; entries: number; up_to_before: number | null }[];
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      throughId: r.through_id,
      entries: r.entries,
      upToBefore: r.up_to_before,
    }));
  }

  /** One tenant's rows after id `after`, oldest first, for checking its chains. */
  async chainBatch(tenantId: string | null, after: string, batch: number): Promise<PrivacyLogRow[]> {
    return this.db.query(
      tenantId === null
        ? `SELECT * FROM privacy_log WHERE tenant_id IS NULL AND id > $1 ORDER BY id LIMIT $2`
        : `SELECT * FROM privacy_log WHERE tenant_id = $3 AND id > $1 ORDER BY id LIMIT $2`,
      tenantId === null ? [after, batch] : [after, batch, tenantId],
    );
  }

  /** The organisation's whole log for its export, oldest first. */
  tenantExport(m: EntityManager | DataSource, tenantId: string): Promise<Record<string, unknown>[]> {
    return m.query(
      `SELECT at, actor_id AS "actorId", actor_role AS "actorRole", subject_id AS "subjectId", object_type AS "objectType", object_id AS "objectId", action, impersonator_id AS "impersonatorId" FROM privacy_log WHERE tenant_id = $1 ORDER BY id`,
      [tenantId],
    );
  }

  /**
   * Every look at one person's data for their own export, oldest first — in any tenant and the
   * platform's own log (an operator's look outside the organisation counts too), hence no tenant.
   * @withoutTenant a person's own export lists every look at their data, in any organisation and the platform's own log
   */
  subjectExport(m: EntityManager, subjectId: string): Promise<Record<string, unknown>[]> {
    return m.query(
      `SELECT at, actor_role AS "role", object_type AS "objectType", object_id AS "objectId", action, impersonator_id IS NOT NULL AS "byOperatorStaff" FROM privacy_log WHERE subject_id = $1 ORDER BY id`,
      [subjectId],
    );
  }

  /**
   * The organisation's log goes with it, in the destruction's transaction: through the owner's
   * audited function (the application's role may not delete privacy-log rows itself).
   */
  async destroyTenant(m: EntityManager, tenantId: string): Promise<void> {
    await m.query(`SELECT destroy_tenant_privacy_log($1::uuid)`, [tenantId]);
  }
}

/** What makes two rows the same look (with their day): who, in what role, for whom, at what, how. */
const LOOK =
  'l.tenant_id, l.actor_id, l.actor_role, l.subject_id, l.object_type, l.object_id, l.action, l.impersonator_id';

/**
 * The columns a reader of the log is shown (the listing, the CSV export): not the chain's hashes,
 * which only its check reads (two 64-character strings a row, more than a third of what an export
 * read from PostgreSQL and parsed).
 */
const READ = `l.id, ${isoTimeSql('l.at')} AS at, ${LOOK}`;

/** Whether the rows are of a period, hence read in the order of time. */
function byTime(filter: PrivacyLogFilter): boolean {
  return filter.from !== undefined || filter.before !== undefined;
}

function where(filter: PrivacyLogFilter): { clause: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filter.tenantId) {
    params.push(filter.tenantId);
    conditions.push(`l.tenant_id = $${params.length}`);
  }
  if (filter.subjectId) {
    params.push(filter.subjectId);
    conditions.push(`l.subject_id = $${params.length}`);
  }
  if (filter.actorId) {
    params.push(filter.actorId);
    conditions.push(`l.actor_id = $${params.length}`);
  }
  if (filter.objectIds) {
    params.push([...filter.objectIds]);
    conditions.push(`l.object_id = ANY($${params.length}::varchar[])`);
  }
  // (the predicate of the partial index privacy_log_support_idx, word for word, so the planner uses it)
  if (filter.support) conditions.push(`(l.impersonator_id IS NOT NULL OR l.actor_role = 'superuser')`);
  if (filter.from) {
    params.push(filter.from);
    conditions.push(`l.at >= $${params.length}::timestamptz`);
  }
  if (filter.before) {
    params.push(filter.before);
    conditions.push(`l.at < $${params.length}::timestamptz`);
  }
  return { clause: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}
