import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type ChainAnchor, PrivacyLogChecks } from '@rehearse/server/access';
import { TenantsRepository } from '@rehearse/server/accounts';
import { Clock } from '@rehearse/server/core';
import { withAdvisoryLock } from '@rehearse/server/database';
import { BLOB_STORE, type BlobStore, LIVE_PREFIX } from '@rehearse/server/storage';

/**
 * Where the witness is kept: the installation's object storage, beside the recordings, among the
 * objects backups leave out (a witness restored beside an older database would find the entries
 * written since that backup gone; after a restore the next witness starts afresh).
 */
export const WITNESS_KEY = `${LIVE_PREFIX}privacy-log-witness.json`;

/** The witness as stored: when it was taken, and what it saw of each log. */
interface WitnessFile {
  takenAt: string;
  /** tenantId null: the operator's own log */
  logs: ({ tenantId: string | null } & ChainAnchor)[];
  /** the logs it found holding fewer entries than a witness before saw (until accepted as they are) */
  short?: (string | null)[];
}

/**
 * A witness of the privacy logs kept outside the database. The nightly check (PrivacyLogChecks)
 * finds entries removed from a log's end only if it saw them before: entries written after one
 * night's check and removed before the next would leave a shorter chain that is whole. So every 15
 * minutes the worker records in the object store each log's last entry and how many entries it
 * holds up to it, and the nightly check counts those again too: someone who can change the
 * database but not the object store (its owner's role, a restore gone wrong) cannot remove an entry
 * older than 15 minutes unseen.
 *
 * Each new witness checks the one before: a log that holds fewer of the entries the witness before
 * saw than it saw keeps that record (so the nightly check finds it), and is an error in the worker's
 * log at once. A log the operator accepted as it is (`reset`) is recorded as it is.
 */
@Injectable()
export class PrivacyLogWitness {
  private readonly logger = new Logger(PrivacyLogWitness.name);

  constructor(
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    @InjectDataSource() private readonly db: DataSource,
    private readonly checks: PrivacyLogChecks,
    private readonly tenants: TenantsRepository,
    private readonly clock: Clock,
  ) {}

  /** What the last witness saw of each log (tenant null: the operator's); empty before the first. */
  async read(): Promise<Map<string | null, ChainAnchor>> {
    const file = await this.file();
    return new Map(
      (file?.logs ?? []).map(
        (l) => [l.tenantId, { throughId: l.throughId, entriesChecked: l.entriesChecked }] as const,
      ),
    );
  }

  /** When the last witness was taken (null: none yet) and how many logs it found short: what the metrics page says. */
  async summary(): Promise<{ takenAt: Date | null; short: number }> {
    const file = await this.file();
    return { takenAt: file ? new Date(file.takenAt) : null, short: file?.short?.length ?? 0 };
  }

  /**
   * The witness as stored (null: none yet). One that does not read as a witness (cut short,
   * overwritten) is an error in the log and counts as none: the next witness starts afresh, as it
   * does when the object is deleted (either takes access to the object store).
   */
  private async file(): Promise<WitnessFile | null> {
    if (!(await this.store.stat(WITNESS_KEY))) return null;
    const raw = await text(await this.store.get(WITNESS_KEY));
    try {
      const file = JSON.parse(raw) as WitnessFile;
      const valid =
        typeof file?.takenAt === 'string' &&
        !Number.isNaN(Date.parse(file.takenAt)) &&
        Array.isArray(file.logs) &&
        file.logs.every(
          (l) =>
            (l?.tenantId === null || typeof l?.tenantId === 'string') &&
            typeof l.throughId === 'string' &&
            /^\d+$/.test(l.throughId) &&
            Number.isInteger(l.entriesChecked),
        );
      if (valid) return file;
    } catch {
      // not JSON: as below
    }
    this.logger.error(`the witness of the privacy logs (${WITNESS_KEY}) does not read as one: taken afresh`);
    return null;
  }

  /**
   * Records each log's last entry and count now. Returns the logs found holding fewer of the
   * entries the witness before saw. One witness at a time (a PostgreSQL advisory lock): while
   * another worker takes one, a round's witness is skipped (`null`); `reset`, the log (tenant
   * null: the operator's) accepted as it is and recorded as it is now, waits for it (up to 30 s).
   */
  async take(reset?: { tenantId: string | null }): Promise<(string | null)[] | null> {
    for (let tries = reset ? 60 : 1; tries > 0; tries--) {
      const short = await withAdvisoryLock(this.db, 'privacy-log-witness', () => this.record(reset), null);
      if (short) return short;
      if (tries > 1) await new Promise((r) => setTimeout(r, 500));
    }
    if (reset) throw new Error('another witness of the privacy logs has been taken for 30 s; try again');
    return null;
  }

  private async record(reset?: { tenantId: string | null }): Promise<(string | null)[]> {
    const before = await this.read();
    const now = await this.checks.logHeads([...before].map(([tenantId, a]) => ({ tenantId, throughId: a.throughId })));
    const exists = new Set<string | null>([null, ...(await this.tenants.ids())]);
    const logs = new Map<string | null, ChainAnchor>(
      now.map((h) => [h.tenantId, { throughId: h.throughId, entriesChecked: h.entries }]),
    );
    const held = new Map(now.map((h) => [h.tenantId, h.upToBefore ?? 0]));
    const short: (string | null)[] = [];
    for (const [tenantId, seen] of before) {
      if (!exists.has(tenantId) || (reset && reset.tenantId === tenantId)) continue;
      if ((held.get(tenantId) ?? 0) < seen.entriesChecked) {
        logs.set(tenantId, seen);
        short.push(tenantId);
      }
    }
    // a destroyed organisation's log went with it
    for (const tenantId of [...logs.keys()]) if (!exists.has(tenantId)) logs.delete(tenantId);
    const file: WitnessFile = {
      takenAt: this.clock.now().toISOString(),
      logs: [...logs].map(([tenantId, a]) => ({ tenantId, ...a })),
      short,
    };
    const body = Buffer.from(JSON.stringify(file));
    await this.store.put(WITNESS_KEY, Readable.from([body]), body.length);
    for (const tenantId of short)
      this.logger.error(
        { tenantId, seen: before.get(tenantId) },
        'privacy log entries gone: fewer than the witness of the logs saw (kept outside the database)',
      );
    return short;
  }
}
