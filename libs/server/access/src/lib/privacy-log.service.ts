import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, createHmac } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig, Clock } from '@rehearse/server/core';
import { Actor, actorRoleLabel } from './actor';
import { type ChainedRows, PrivacyLogRepository } from './privacy-log.repository';

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
/** How many writers' last hashes a process remembers (a guess each, checked by the database). */
const HEADS_KEPT = 10_000;

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
  /** writer (`<tenant or platform>:<actor>`) → the hash of the last row this process appended for them */
  private readonly heads = new Map<string, string>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly rows: PrivacyLogRepository,
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
   *
   * The rows are linked to the last hash this process appended for the writer (remembered, not
   * trusted): the database checks it under the writer's lock and writes them in the same round
   * trip, or answers the chain's real last hash (another process, or a read whose transaction
   * rolled back) and the rows are linked to that and appended again.
   */
  async recordMany(manager: EntityManager, actor: Actor, reads: PrivacyRead[]): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('privacy-log rows must be written in the transaction of the read');
    }
    const due = reads.filter((r) => PrivacyLogService.mustLog(actor, r.subjectId));
    const tenants = [...new Set(due.map((r) => r.tenantId))];
    for (const tenantId of tenants) {
      const writer = `${tenantId ?? 'platform'}:${actor.userId}`;
      let head = this.heads.get(writer) ?? null;
      const at = this.clock.now();
      const mine = due.filter((r) => r.tenantId === tenantId);
      // rows of one tenant, in statements of at most 5,000
      for (let from = 0; from < mine.length; from += 5000) {
        head = await this.appendChained(manager, actor, tenantId, mine.slice(from, from + 5000), head, at);
      }
      this.remember(writer, head);
    }
  }

  /**
   * `recordMany` for reads of one object by one action (the people in an archive), unless this
   * actor logged that action on that object since `since`: the continuation of a read (a range of
   * a download this person began) is not logged again.
   */
  async recordManyUnlessSince(manager: EntityManager, actor: Actor, reads: PrivacyRead[], since: Date): Promise<void> {
    const first = reads.find((r) => PrivacyLogService.mustLog(actor, r.subjectId));
    if (!first) return;
    if (
      reads.some((r) => r.objectId !== first.objectId || r.objectType !== first.objectType || r.action !== first.action)
    )
      throw new Error('recordManyUnlessSince: the reads must be of one object by one action');
    const logged = await this.rows.loggedSince(manager, first.tenantId, {
      actorId: actor.userId,
      impersonatorId: actor.impersonatorId,
      objectType: first.objectType,
      objectId: first.objectId,
      action: first.action,
      since,
    });
    if (!logged) await this.recordMany(manager, actor, reads);
  }

  /** Remembers a writer's last hash, the most recent HEADS_KEPT writers of this process. */
  private remember(writer: string, head: string | null): void {
    this.heads.delete(writer);
    if (head === null) return;
    this.heads.set(writer, head);
    if (this.heads.size > HEADS_KEPT) this.heads.delete(this.heads.keys().next().value as string);
  }

  /**
   * Appends `reads` to the writer's chain in `tenantId`, linked to `expected` (the chain's last hash
   * as this process last knew it; null: not known, asked first). Returns the hash of the last row.
   */
  private async appendChained(
    manager: EntityManager,
    actor: Actor,
    tenantId: string | null,
    reads: PrivacyRead[],
    expected: string | null,
    at: Date,
  ): Promise<string> {
    // (with no rows the database only locks and answers the last hash: never null)
    let prevHash =
      expected ?? (await this.rows.append(manager, tenantId, this.chained(actor, [], GENESIS, at))) ?? GENESIS;
    for (let attempt = 0; ; attempt++) {
      const rows = this.chained(actor, reads, prevHash, at);
      const head = await this.rows.append(manager, tenantId, rows);
      if (head === null) return rows.hash[rows.hash.length - 1];
      // the lock is held since the first attempt: the chain cannot have moved again
      if (attempt > 0) throw new Error('the privacy-log chain moved while its writer held the lock');
      prevHash = head;
    }
  }

  /** The rows of `reads` in chain order, the first linked to `prevHash`. */
  private chained(actor: Actor, reads: PrivacyRead[], prevHash: string, at: Date): ChainedRows {
    const rows: ChainedRows = {
      actorId: actor.userId,
      actorRole: actorRoleLabel(actor),
      impersonatorId: actor.impersonatorId,
      at,
      chainVersion: CHAIN_VERSION,
      subject: [],
      objectType: [],
      objectId: [],
      action: [],
      prev: [],
      hash: [],
    };
    for (const read of reads) {
      const row: ChainedRow = {
        tenantId: read.tenantId,
        actorId: actor.userId,
        actorRole: rows.actorRole,
        subjectId: read.subjectId,
        objectType: read.objectType,
        objectId: read.objectId,
        action: read.action,
        impersonatorId: actor.impersonatorId,
        at: at.toISOString(),
      };
      const hash = this.link(CHAIN_VERSION, prevHash, row);
      rows.subject.push(read.subjectId);
      rows.objectType.push(read.objectType);
      rows.objectId.push(read.objectId);
      rows.action.push(read.action);
      rows.prev.push(prevHash);
      rows.hash.push(hash);
      prevHash = hash;
    }
    return rows;
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

  /**
   * Recomputes the hash chains of one tenant (one per writer; rows written before 2026-11-30 form
   * the tenant's single unkeyed chain); returns the id of the first broken row, or null. Reads the
   * log in keyset batches and keeps only each chain's last hash.
   */
  async verifyChain(tenantId: string | null, batch = 5000): Promise<string | null> {
    return (await this.checkChain(tenantId, batch)).brokenAtId;
  }

  /**
   * `verifyChain`, with what it read: how many entries and the last of them, and what it found.
   * Given what was seen of the log before (`since`: the check before, a witness taken since; each
   * the last entry it saw and how many up to it), entries seen then that are gone now are found
   * too, at the end of a chain as well (which no hash can show). An entry in `accepted` (found
   * changed, and accepted as it is by the operator) is not a finding.
   */
  async checkChain(
    tenantId: string | null,
    batch = 5000,
    since: ChainAnchor | readonly ChainAnchor[] = [],
    accepted: ReadonlySet<string> = new Set(),
  ): Promise<ChainCheck> {
    const heads = new Map<string, string>();
    let after = '0';
    let entriesChecked = 0;
    // for each anchor, the entries up to the last one it saw (more, not fewer: an entry that took its
    // id before it was seen may have been written after it)
    const anchors = (Array.isArray(since) ? since : [since]).map((a) => ({
      ...a,
      through: BigInt(a.throughId),
      readBefore: 0,
    }));
    for (;;) {
      const rows = await this.rows.chainBatch(tenantId, after, batch);
      for (const r of rows) {
        entriesChecked++;
        const id = String(r['id']);
        for (const a of anchors) if (BigInt(id) <= a.through) a.readBefore++;
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
        const intact = r['prev_hash'] === prev && r['hash'] === hash;
        // an entry the operator accepted as it is: the chain goes on from its stored hash
        if (!intact && !accepted.has(id)) return { entriesChecked, throughId: id, broken: 'changed', brokenAtId: id };
        heads.set(chain, intact ? hash : String(r['hash']));
        after = id;
      }
      if (rows.length < batch) break;
    }
    // the earliest anchor some of whose entries are gone
    const short = anchors
      .filter((a) => a.readBefore < a.entriesChecked)
      .sort((a, b) => (a.through < b.through ? -1 : a.through > b.through ? 1 : 0))[0];
    if (short)
      return {
        entriesChecked,
        throughId: after === '0' ? null : after,
        broken: 'removed',
        brokenAtId: short.throughId,
        anchor: { throughId: short.throughId, entriesChecked: short.entriesChecked },
      };
    return { entriesChecked, throughId: after === '0' ? null : after, broken: null, brokenAtId: null };
  }

  /** Every log's last entry and count, and how many are at or before `before`'s entry for it (PrivacyLogRepository.heads). */
  logHeads(before: readonly { tenantId: string | null; throughId: string }[]) {
    return this.rows.heads(before);
  }
}

/** What was seen of a log once: its last entry then, and how many entries up to it. */
export interface ChainAnchor {
  throughId: string;
  entriesChecked: number;
}

/** What a check of a privacy log's hash chains read and found. */
export interface ChainCheck {
  entriesChecked: number;
  /** the last entry read (null: none) */
  throughId: string | null;
  /** `changed`: an entry changed or missing from its chain's middle (`brokenAtId`: the first out of its chain); `removed`: entries seen before are gone (`brokenAtId`: the last entry seen then) */
  broken: 'changed' | 'removed' | null;
  brokenAtId: string | null;
  /** `removed`: what was seen before of the log that it no longer holds */
  anchor?: ChainAnchor;
}
