import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, createHmac } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { Page, PrivacyLogEntry } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, Clock } from '@rehearse/server/core';
import { Actor, actorRoleLabel } from './actor';

export interface PrivacyRead {
  subjectId: string;
  tenantId: string | null;
  objectType: string;
  objectId: string;
  action: string;
}

const GENESIS = '0'.repeat(64);
/** Version 1 rows (before 2026-11-30) were chained with plain SHA-256; version 2 with an HMAC. */
const CHAIN_VERSION = 2;

interface ChainedRow {
  tenantId: unknown;
  actorId: unknown;
  actorRole: unknown;
  subjectId: unknown;
  objectType: unknown;
  objectId: unknown;
  action: unknown;
  impersonatorId: unknown;
  at: string;
}

/**
 * The privacy log: one append-only, hash-chained row for every look at another person's data,
 * written with the same EntityManager (transaction) as the read itself.
 */
@Injectable()
export class PrivacyLogService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The link of one row to its predecessor: an HMAC keyed by a secret that is not in the database
   * (PRIVACY_LOG_KEY), so whoever can write the table cannot re-chain edited rows.
   */
  private link(version: number, prevHash: string, row: ChainedRow): string {
    const h = version >= 2 ? createHmac('sha256', this.config.privacyLogKey) : createHash('sha256');
    return h.update(prevHash).update(JSON.stringify(row)).digest('hex');
  }

  /** True when this read concerns someone else (or happens under impersonation) and must be logged. */
  static mustLog(actor: Actor, subjectId: string): boolean {
    return actor.userId !== subjectId || actor.impersonatorId !== null;
  }

  /** Records the read inside the caller's transaction. No-op for one's own data. */
  async record(manager: EntityManager, actor: Actor, read: PrivacyRead): Promise<void> {
    await this.recordMany(manager, actor, [read]);
  }

  /**
   * Records several reads of one request inside the caller's transaction, in one INSERT.
   *
   * There is one chain per writer (the actor) within a tenant: a row links to that actor's previous
   * row. Appends by different people never wait for each other, so an organisation's logged reads
   * run in parallel; only one person's own simultaneous reads take turns (an advisory lock per
   * tenant and actor, held until the read commits).
   */
  async recordMany(manager: EntityManager, actor: Actor, reads: PrivacyRead[]): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('privacy-log rows must be written in the transaction of the read');
    }
    const due = reads.filter((r) => PrivacyLogService.mustLog(actor, r.subjectId));
    const tenants = [...new Set(due.map((r) => r.tenantId))];
    for (const tenantId of tenants) {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('privacy_log:' || $1 || ':' || $2))`, [
        tenantId ?? 'platform',
        actor.userId,
      ]);
      const last: { hash: string }[] = await manager.query(
        tenantId === null
          ? `SELECT hash FROM privacy_log WHERE tenant_id IS NULL AND actor_id = $1 ORDER BY id DESC LIMIT 1`
          : `SELECT hash FROM privacy_log WHERE tenant_id = $2 AND actor_id = $1 ORDER BY id DESC LIMIT 1`,
        tenantId === null ? [actor.userId] : [actor.userId, tenantId],
      );
      let prevHash = last[0]?.hash ?? GENESIS;
      const at = this.clock.now();
      const mine = due.filter((r) => r.tenantId === tenantId);
      // rows of one tenant, in statements of at most 5,000
      for (let from = 0; from < mine.length; from += 5000) {
        prevHash = await this.insertChained(manager, actor, mine.slice(from, from + 5000), prevHash, at);
      }
    }
  }

  private async insertChained(
    manager: EntityManager,
    actor: Actor,
    reads: PrivacyRead[],
    prevHash: string,
    at: Date,
  ): Promise<string> {
    const columns = {
      subject: [] as string[],
      objectType: [] as string[],
      objectId: [] as string[],
      action: [] as string[],
      prev: [] as string[],
      hash: [] as string[],
    };
    const tenantId = reads[0]?.tenantId ?? null;
    for (const read of reads) {
      const row: ChainedRow = {
        tenantId: read.tenantId,
        actorId: actor.userId,
        actorRole: actorRoleLabel(actor),
        subjectId: read.subjectId,
        objectType: read.objectType,
        objectId: read.objectId,
        action: read.action,
        impersonatorId: actor.impersonatorId,
        at: at.toISOString(),
      };
      const hash = this.link(CHAIN_VERSION, prevHash, row);
      columns.subject.push(read.subjectId);
      columns.objectType.push(read.objectType);
      columns.objectId.push(read.objectId);
      columns.action.push(read.action);
      columns.prev.push(prevHash);
      columns.hash.push(hash);
      prevHash = hash;
    }
    // one row per array element, in chain order (so the ids, a sequence, follow the chain): twelve
    // parameters whatever the number of rows, where a VALUES list took twelve per row
    await manager.query(
      `INSERT INTO privacy_log (tenant_id, actor_id, actor_role, subject_id, object_type, object_id, action, impersonator_id, at, prev_hash, hash, chain_version)
       SELECT $1::uuid, $2::uuid, $3, x.subject, x.object_type, x.object_id, x.action, $4::uuid, $5::timestamptz, x.prev, x.hash, $6
         FROM unnest($7::uuid[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[]) WITH ORDINALITY AS x(subject, object_type, object_id, action, prev, hash, n)
        ORDER BY x.n`,
      [
        tenantId,
        actor.userId,
        actorRoleLabel(actor),
        actor.impersonatorId,
        at,
        CHAIN_VERSION,
        columns.subject,
        columns.objectType,
        columns.objectId,
        columns.action,
        columns.prev,
        columns.hash,
      ],
    );
    return prevHash;
  }

  /** Runs a read and its privacy-log row in one transaction. */
  async readWithLog<T>(
    actor: Actor,
    read: (m: EntityManager) => Promise<{ value: T; log: PrivacyRead | PrivacyRead[] }>,
  ): Promise<T> {
    return this.db.transaction(async (m) => {
      const { value, log } = await read(m);
      await this.recordMany(m, actor, Array.isArray(log) ? log : [log]);
      return value;
    });
  }

  async list(
    filter: { tenantId?: string; subjectId?: string },
    page: number,
    pageSize: number,
  ): Promise<Page<PrivacyLogEntry>> {
    const { clause, params } = logFilter(filter);
    // counting a log of millions of rows costs more than the page itself: the total is exact up to
    // COUNT_CAP and a lower bound (marked) beyond it
    const [{ count }] = await this.db.query(
      `SELECT count(*)::int AS count FROM (SELECT 1 FROM privacy_log l ${clause} LIMIT ${COUNT_CAP + 1}) c`,
      params,
    );
    const rows = await this.db.query(
      `${SELECT_ENTRIES} ${clause} ORDER BY l.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    const capped = count > COUNT_CAP;
    return {
      items: rows.map(toEntry),
      total: capped ? COUNT_CAP : count,
      page,
      pageSize,
      ...(capped ? { totalIsLowerBound: true } : {}),
    };
  }

  /**
   * Every entry matching the filter, oldest first, in batches of `batch` rows by id (keyset: each
   * batch is an index range scan), so a CSV export of millions of rows holds one batch in memory.
   */
  async *stream(filter: { tenantId?: string; subjectId?: string }, batch = 2000): AsyncGenerator<PrivacyLogEntry> {
    const { clause, params } = logFilter(filter);
    let after = '0';
    for (;;) {
      const rows: Record<string, unknown>[] = await this.db.query(
        `SELECT l.* FROM privacy_log l ${clause ? `${clause} AND` : 'WHERE'} l.id > $${params.length + 1} ORDER BY l.id LIMIT $${params.length + 2}`,
        [...params, after, batch],
      );
      // the batch's names in one indexed look-up (a join would read every account for a large batch)
      const ids = [
        ...new Set(
          rows
            .flatMap((r) => [r['actor_id'], r['subject_id'], r['impersonator_id']])
            .filter((x): x is string => typeof x === 'string'),
        ),
      ];
      const names = new Map(
        ids.length
          ? (
              (await this.db.query(`SELECT id, name FROM users WHERE id = ANY($1::uuid[])`, [ids])) as {
                id: string;
                name: string;
              }[]
            ).map((u) => [u.id, u.name])
          : [],
      );
      for (const r of rows) {
        yield toEntry({
          ...r,
          actor_name: names.get(r['actor_id'] as string) ?? null,
          subject_name: names.get(r['subject_id'] as string) ?? null,
          impersonator_name: names.get(r['impersonator_id'] as string) ?? null,
        });
      }
      if (rows.length < batch) return;
      after = String(rows[rows.length - 1]['id']);
    }
  }

  /**
   * Recomputes the hash chains of one tenant (one per writer; rows written before 2026-11-30 form
   * the tenant's single unkeyed chain); returns the id of the first broken row, or null. Reads the
   * log in keyset batches and keeps only each chain's last hash.
   */
  async verifyChain(tenantId: string | null, batch = 5000): Promise<string | null> {
    const heads = new Map<string, string>();
    let after = '0';
    for (;;) {
      const rows: Record<string, unknown>[] = await this.db.query(
        tenantId === null
          ? `SELECT * FROM privacy_log WHERE tenant_id IS NULL AND id > $1 ORDER BY id LIMIT $2`
          : `SELECT * FROM privacy_log WHERE tenant_id = $3 AND id > $1 ORDER BY id LIMIT $2`,
        tenantId === null ? [after, batch] : [after, batch, tenantId],
      );
      for (const r of rows) {
        const chain = Number(r['chain_version']) >= 2 ? `actor:${String(r['actor_id'])}` : 'tenant';
        const prev = heads.get(chain) ?? GENESIS;
        const row: ChainedRow = {
          tenantId: r['tenant_id'],
          actorId: r['actor_id'],
          actorRole: r['actor_role'],
          subjectId: r['subject_id'],
          objectType: r['object_type'],
          objectId: r['object_id'],
          action: r['action'],
          impersonatorId: r['impersonator_id'],
          at: (r['at'] as Date).toISOString(),
        };
        const hash = this.link(Number(r['chain_version']), prev, row);
        if (r['prev_hash'] !== prev || r['hash'] !== hash) return String(r['id']);
        heads.set(chain, hash);
      }
      if (rows.length < batch) return null;
      after = String(rows[rows.length - 1]['id']);
    }
  }
}

/** The privacy-log listing counts exactly up to this many rows. */
export const COUNT_CAP = 10_000;

const SELECT_ENTRIES = `SELECT l.*, a.name AS actor_name, s.name AS subject_name, i.name AS impersonator_name
         FROM privacy_log l
         LEFT JOIN users a ON a.id = l.actor_id
         LEFT JOIN users s ON s.id = l.subject_id
         LEFT JOIN users i ON i.id = l.impersonator_id`;

function logFilter(filter: { tenantId?: string; subjectId?: string }): { clause: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.tenantId) {
    params.push(filter.tenantId);
    where.push(`l.tenant_id = $${params.length}`);
  }
  if (filter.subjectId) {
    params.push(filter.subjectId);
    where.push(`l.subject_id = $${params.length}`);
  }
  return { clause: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

function toEntry(r: Record<string, unknown>): PrivacyLogEntry {
  return {
    id: String(r['id']),
    at: (r['at'] as Date).toISOString(),
    tenantId: (r['tenant_id'] as string | null) ?? null,
    actorId: (r['actor_id'] as string | null) ?? null,
    actorName: (r['actor_name'] as string | null) ?? null,
    actorRole: String(r['actor_role']),
    subjectId: String(r['subject_id']),
    subjectName: (r['subject_name'] as string | null) ?? null,
    objectType: String(r['object_type']),
    objectId: String(r['object_id']),
    action: String(r['action']),
    impersonatorId: (r['impersonator_id'] as string | null) ?? null,
    impersonatorName: (r['impersonator_name'] as string | null) ?? null,
  };
}
