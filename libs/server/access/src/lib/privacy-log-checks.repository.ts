import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { sql } from 'kysely';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

/** A check as its repository reads it (every read goes through `checkOf`). */
const SELECT_CHECKS = `SELECT tenant_id, checked_at, entries_checked::float8 AS entries_checked, through_id::text AS through_id,
       broken, broken_at_id::text AS broken_at_id FROM privacy_log_checks`;

/** The last check of one privacy log (an organisation's, or the operator's: tenant null). */
export interface PrivacyLogCheck {
  tenantId: string | null;
  checkedAt: Date;
  entriesChecked: number;
  /** the last entry read (null: none) */
  throughId: string | null;
  /** what was found: an entry changed (`brokenAtId`: the first), or entries read before gone (`brokenAtId`: the last read then) */
  broken: 'changed' | 'removed' | null;
  brokenAtId: string | null;
}

/**
 * Every statement on `privacy_log_checks` and `privacy_log_accepted_entries` (owned by access, with
 * `privacy_log`): the latest check of each log's hash chains, one row per organisation and one for
 * the operator's own log, and the entries found changed that the operator accepted as they are.
 */
@Injectable()
export class PrivacyLogChecksRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Keeps `check` as the latest of the organisation's log (null: the operator's), in the caller's transaction; the one before goes. */
  async record(tenantId: string | null, check: Omit<PrivacyLogCheck, 'tenantId'>, m: Queryable): Promise<void> {
    await m.query(`DELETE FROM privacy_log_checks WHERE tenant_id IS NOT DISTINCT FROM $1`, [tenantId]);
    await m.query(
      `INSERT INTO privacy_log_checks (tenant_id, checked_at, entries_checked, through_id, broken, broken_at_id)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [tenantId, check.checkedAt, check.entriesChecked, check.throughId, check.broken, check.brokenAtId],
    );
  }

  /** The latest check of the organisation's log (null: the operator's; undefined: never checked). */
  async latest(tenantId: string | null): Promise<PrivacyLogCheck | undefined> {
    const [row] = (await this.db.query(`${SELECT_CHECKS} WHERE tenant_id IS NOT DISTINCT FROM $1`, [
      tenantId,
    ])) as CheckRow[];
    return row && checkOf(row);
  }

  /**
   * The latest checks of these organisations' logs, by organisation (none: never checked).
   * @withoutTenant the operator's page of organisations shows each one's last check
   */
  async latestOf(tenantIds: readonly string[]): Promise<Map<string, PrivacyLogCheck>> {
    if (!tenantIds.length) return new Map();
    const found = (await this.db.query(`${SELECT_CHECKS} WHERE tenant_id = ANY($1::uuid[])`, [
      tenantIds,
    ])) as CheckRow[];
    return new Map(found.map((r) => [r.tenant_id as string, checkOf(r)]));
  }

  /** Forgets the organisation's log's checks (null: the operator's), in `m`; whether there was one. */
  async forget(tenantId: string | null, m: Queryable = this.db): Promise<boolean> {
    const { count } = await run(
      m,
      typed.deleteFrom('privacy_log_checks').where('tenant_id', 'is not distinct from', tenantId),
    );
    return count > 0;
  }

  /** Keeps an entry found changed as accepted (the checks after go on from its stored hash), in `m`. */
  async accept(tenantId: string | null, entryId: string, at: Date, m: Queryable): Promise<void> {
    await run(
      m,
      typed
        .insertInto('privacy_log_accepted_entries')
        .values({ entry_id: entryId, tenant_id: tenantId, accepted_at: at })
        .onConflict((c) => c.column('entry_id').doNothing()),
    );
  }

  /** The entries of the organisation's log (null: the operator's) accepted as they are. */
  async acceptedEntries(tenantId: string | null): Promise<Set<string>> {
    const found = await rows(
      this.db,
      typed
        .selectFrom('privacy_log_accepted_entries')
        .select(sql<string>`entry_id::text`.as('id'))
        .where('tenant_id', 'is not distinct from', tenantId),
    );
    return new Set(found.map((r) => r.id));
  }

  /**
   * Every log's latest check.
   * @withoutTenant the worker's metrics count the broken logs of every organisation
   */
  async all(): Promise<PrivacyLogCheck[]> {
    const rows = (await this.db.query(SELECT_CHECKS)) as CheckRow[];
    return rows.map(checkOf);
  }
}

interface CheckRow {
  tenant_id: string | null;
  checked_at: Date;
  entries_checked: number;
  through_id: string | null;
  broken: 'changed' | 'removed' | null;
  broken_at_id: string | null;
}

function checkOf(r: CheckRow): PrivacyLogCheck {
  return {
    tenantId: r.tenant_id,
    checkedAt: r.checked_at,
    entriesChecked: r.entries_checked,
    throughId: r.through_id,
    broken: r.broken,
    brokenAtId: r.broken_at_id,
  };
}
