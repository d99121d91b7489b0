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
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('privacy-log rows must be written in the transaction of the read');
    }
    if (!PrivacyLogService.mustLog(actor, read.subjectId)) return;
    const chain = read.tenantId ?? 'platform';
    // serialise appends per tenant chain so each row links to its predecessor
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('privacy_log:' || $1))`, [chain]);
    const last: { hash: string }[] = await manager.query(
      read.tenantId
        ? `SELECT hash FROM privacy_log WHERE tenant_id = $1 ORDER BY id DESC LIMIT 1`
        : `SELECT hash FROM privacy_log WHERE tenant_id IS NULL ORDER BY id DESC LIMIT 1`,
      read.tenantId ? [read.tenantId] : [],
    );
    const prevHash = last[0]?.hash ?? GENESIS;
    const at = this.clock.now();
    const row = {
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
    await manager.query(
      `INSERT INTO privacy_log (tenant_id, actor_id, actor_role, subject_id, object_type, object_id, action, impersonator_id, at, prev_hash, hash, chain_version)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
      [row.tenantId, row.actorId, row.actorRole, row.subjectId, row.objectType, row.objectId, row.action, row.impersonatorId, at, prevHash, hash, CHAIN_VERSION],
    );
  }

  /** Runs a read and its privacy-log row in one transaction. */
  async readWithLog<T>(
    actor: Actor,
    read: (m: EntityManager) => Promise<{ value: T; log: PrivacyRead | PrivacyRead[] }>,
  ): Promise<T> {
    return this.db.transaction(async (m) => {
      const { value, log } = await read(m);
      for (const entry of Array.isArray(log) ? log : [log]) await this.record(m, actor, entry);
      return value;
    });
  }

  async list(filter: { tenantId?: string; subjectId?: string }, page: number, pageSize: number): Promise<Page<PrivacyLogEntry>> {
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
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM privacy_log l ${clause}`, params);
    params.push(pageSize, (page - 1) * pageSize);
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT l.*, a.name AS actor_name, s.name AS subject_name, i.name AS impersonator_name
         FROM privacy_log l
         LEFT JOIN users a ON a.id = l.actor_id
         LEFT JOIN users s ON s.id = l.subject_id
         LEFT JOIN users i ON i.id = l.impersonator_id
         ${clause}
        ORDER BY l.id DESC
        LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return { items: rows.map(toEntry), total: count, page, pageSize };
  }

  /** Every entry matching the filter, oldest first, for CSV export. */
  async all(filter: { tenantId?: string; subjectId?: string }): Promise<PrivacyLogEntry[]> {
    const first = await this.list(filter, 1, 1);
    const everything = await this.list(filter, 1, Math.max(1, first.total));
    return everything.items.reverse();
  }

  /** Recomputes the hash chain of one tenant; returns the id of the first broken row, or null. */
  async verifyChain(tenantId: string | null): Promise<string | null> {
    const rows: Record<string, unknown>[] = await this.db.query(
      tenantId ? `SELECT * FROM privacy_log WHERE tenant_id = $1 ORDER BY id` : `SELECT * FROM privacy_log WHERE tenant_id IS NULL ORDER BY id`,
      tenantId ? [tenantId] : [],
    );
    let prev = GENESIS;
    for (const r of rows) {
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
      prev = hash;
    }
    return null;
  }
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
