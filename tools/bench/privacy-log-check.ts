/**
 * The nightly check of a privacy log at an organisation's size (`npm run bench:privacy-check`):
 * an organisation's log of `--entries` (1,000,000 by default; the scale benchmark's organisation has
 * 1.28 million) written through the application's own chain writer by 200 people, then checked by
 * PrivacyLogChecks as the worker checks it, twice (the second counts again what the first read);
 * side by side in the same run with a log a tenth of that size, so the ratio of the time per entry
 * says whether a check grows with anything but the log. Prints the time, the entries a second and
 * the process's peak memory, and the time of the witness of the logs (a count over the whole
 * table, every 15 minutes). Not a test: nothing asserts on timings.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  PrivacyLogChecks,
  PrivacyLogChecksRepository,
  type PrivacyRead,
  testAccessCore,
  testActor,
} from '@rehearse/server/access';
import { Clock } from '@rehearse/server/core';
import { createEmptyDatabase, dataSourceOptions, testRuntimeRole } from '@rehearse/server/database';
import { migrate } from '../../migrations';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);

/** The highest resident memory while `task` runs, sampled every 50 ms. */
async function peakMemory<T>(task: () => Promise<T>): Promise<{ value: T; peakMiB: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    const value = await task();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peakMiB: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

export async function benchPrivacyLogCheck(entries = 1_000_000): Promise<void> {
  const database = await createEmptyDatabase();
  const db = new DataSource(dataSourceOptions(database.url, [], false));
  try {
    await migrate(database.ownerUrl, { runtimeRole: testRuntimeRole() ?? undefined });
    await db.initialize();
    const clock = new Clock();
    const { privacy } = testAccessCore(db, clock);
    const checks = new PrivacyLogChecks(db, privacy, new PrivacyLogChecksRepository(db), clock);

    /** An organisation whose log has `size` entries: 200 people looking at 5,000 people's answers. */
    const organisation = async (size: number, name: string): Promise<string> => {
      const [{ id }] = await db.query(`INSERT INTO tenants (name, slug) VALUES ($1, $2) RETURNING id`, [
        name,
        `bench-${randomUUID().slice(0, 8)}`,
      ]);
      const lookers = Array.from({ length: 200 }, () => randomUUID());
      const people = Array.from({ length: 5000 }, () => randomUUID());
      const started = Date.now();
      // a thousand looks a transaction, as a coach's queue or an administrator's list writes many
      for (let written = 0, i = 0; written < size; i++) {
        const n = Math.min(1000, size - written);
        const reads: PrivacyRead[] = Array.from({ length: n }, (_, k) => ({
          tenantId: id,
          subjectId: people[(written + k) % people.length],
          objectType: 'answer',
          objectId: randomUUID(),
          action: 'view',
        }));
        await privacy.readWithLog(testActor(lookers[i % lookers.length], id, ['coach']), async () => ({
          value: null,
          log: reads,
        }));
        written += n;
      }
      console.log(
        `  wrote ${size.toLocaleString('en')} entries for ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      return id;
    };

    console.log(`privacy log check: an organisation of ${entries.toLocaleString('en')} entries and one of a tenth`);
    const small = await organisation(Math.round(entries / 10), 'the small organisation');
    const large = await organisation(entries, 'the large organisation');
    await db.query(`VACUUM (ANALYZE) privacy_log`).catch(() => undefined);

    const timed = async (tenantId: string) => {
      const t = process.hrtime.bigint();
      const { value, peakMiB } = await peakMemory(() => checks.check(tenantId));
      const s = Number(process.hrtime.bigint() - t) / 1e9;
      if (value.broken) throw new Error(`the check found the log ${value.broken} at ${value.brokenAtId}`);
      return { s, entries: value.entriesChecked, peakMiB };
    };
    const rows: [string, Awaited<ReturnType<typeof timed>>][] = [];
    for (const [label, tenant] of [
      ['small, first check', small],
      ['large, first check', large],
      ['small, again (counting what the first read)', small],
      ['large, again (counting what the first read)', large],
    ] as const)
      rows.push([label, await timed(tenant)]);
    for (const [label, r] of rows)
      console.log(
        `  ${label.padEnd(46)} ${r.entries.toLocaleString('en').padStart(10)} entries  ${r.s.toFixed(2).padStart(7)} s  ${Math.round(
          r.entries / r.s,
        )
          .toLocaleString('en')
          .padStart(8)} entries/s  peak ${r.peakMiB.toFixed(0)} MiB`,
      );
    // the witness of the logs (PrivacyLogWitness, every 15 minutes): each log's last entry and count,
    // and how many of what the witness before saw: one pass over the whole table
    const witness = async () => {
      const t = process.hrtime.bigint();
      await checks.logHeads([small, large].map((tenantId) => ({ tenantId, throughId: String(entries) })));
      return Number(process.hrtime.bigint() - t) / 1e6;
    };
    const witnessed = [await witness(), await witness(), await witness()].sort((a, b) => a - b);
    console.log(
      `  the witness of the logs, over all ${Math.round(entries * 1.1).toLocaleString('en')} entries: ${witnessed[1].toFixed(0)} ms (median of 3)`,
    );
    const perEntry = (r: Awaited<ReturnType<typeof timed>>) => r.s / r.entries;
    console.log(
      `  ratio of the time per entry, large / small: ${(perEntry(rows[1][1]) / perEntry(rows[0][1])).toFixed(2)}x first, ${(perEntry(rows[3][1]) / perEntry(rows[2][1])).toFixed(2)}x again`,
    );
  } finally {
    if (db.isInitialized) await db.destroy();
    await database.drop();
  }
}

if (process.argv[1] === __filename) {
  benchPrivacyLogCheck(arg('entries', 1_000_000)).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
