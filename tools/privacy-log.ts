/**
 * The privacy logs' checks by hand (the worker checks every log each night after
 * PRIVACY_LOG_CHECK_HOUR_UTC, keeps the finding and tells the organisation's administrators):
 *   npm run privacy-log -- status                     every log's last check
 *   npm run privacy-log -- check [<organisation>]     check now (every log, or one organisation's, by its short name),
 *                                                      recording nothing; exits 2 when one is changed or cut short
 *   npm run privacy-log -- accept <organisation|operator> --reason "<why>"
 *                                                      after looking into a finding: accept the log as it is (the
 *                                                      next check takes it so); on the organisation's account activity
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { PrivacyLogChecks, type PrivacyLogCheck } from '@rehearse/server/access';
import { AccountActivity, TenantsRepository } from '@rehearse/server/accounts';
import { NothingToAccept, PrivacyLogFindings, PrivacyLogWitness } from '@rehearse/server/privacy';
import { Clock, loadConfig } from '@rehearse/server/core';
import { blobStoreFrom } from '@rehearse/server/storage';
import { toolsContext } from './lib/app-context';

const OPERATOR = 'operator';

function describe(name: string, c: PrivacyLogCheck | undefined): string {
  if (!c) return `${name}: not checked yet`;
  const at = c.checkedAt.toISOString();
  if (c.broken === 'changed')
    return `${name}: CHANGED at entry ${c.brokenAtId} (checked ${at}, ${c.entriesChecked} entries read)`;
  if (c.broken === 'removed')
    return `${name}: ENTRIES REMOVED up to entry ${c.brokenAtId} since they were seen (by the check before or the witness of the logs; checked ${at})`;
  return `${name}: intact, ${c.entriesChecked} entries (checked ${at})`;
}

async function main(): Promise<void> {
  const [command = 'status', which] = process.argv.slice(2);
  const ctx = await toolsContext();
  try {
    const checks = ctx.get(PrivacyLogChecks);
    const tenants = ctx.get(TenantsRepository);
    // the witness of the logs in the installation's object storage, as the worker keeps it
    const witness = new PrivacyLogWitness(
      blobStoreFrom(loadConfig()),
      ctx.get(DataSource),
      checks,
      tenants,
      ctx.get(Clock),
    );
    // every organisation by its short name, and the operator's own log
    const slugs = new Map<string | null, string>([[null, OPERATOR]]);
    for (const id of await tenants.ids()) slugs.set(id, (await tenants.slugOf(id)) ?? id);
    const tenantOf = (slug: string): string | null => {
      const found = [...slugs].find(([, s]) => s === slug);
      if (!found) throw new Error(`no organisation "${slug}" (npm run privacy-log -- status lists them)`);
      return found[0];
    };
    if (command === 'status') {
      const latest = new Map((await checks.latest()).map((c) => [c.tenantId, c]));
      for (const [id, slug] of slugs) console.log(describe(slug, latest.get(id)));
      return;
    }
    if (command === 'check') {
      let broken = 0;
      const witnessed = await witness.read();
      for (const id of which ? [tenantOf(which)] : [...slugs.keys()]) {
        const c = await checks.preview(id, witnessed.get(id));
        if (c.broken) broken++;
        console.log(describe(slugs.get(id) ?? String(id), c));
      }
      if (broken) process.exitCode = 2;
      return;
    }
    if (command === 'accept') {
      const at = process.argv.indexOf('--reason');
      const reason = at > 0 ? (process.argv[at + 1] ?? '') : '';
      if (!which || which.startsWith('--') || !reason)
        throw new Error(`usage: npm run privacy-log -- accept <organisation|${OPERATOR}> --reason "<why>"`);
      const findings = new PrivacyLogFindings(ctx.get(DataSource), checks, ctx.get(AccountActivity), witness);
      try {
        await findings.accept(tenantOf(which), reason);
      } catch (e) {
        if (e instanceof NothingToAccept) throw new Error(`${which}: not accepted: ${e.message}`);
        throw e;
      }
      console.log(
        `${which}: the log is accepted as it is; the next check takes it so${which === OPERATOR ? '' : " (on the organisation's account activity)"}`,
      );
      return;
    }
    throw new Error(
      `unknown command "${command}": status, check [<organisation>] or accept <organisation|${OPERATOR}>`,
    );
  } finally {
    await ctx.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
