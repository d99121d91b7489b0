import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { DeletionReceipt, TenantAgreement } from '@rehearse/shared/contracts';
import { Clock, notFound } from '@rehearse/server/core';
import { BLOB_STORE, BlobStore, KeyVault, tenantKeyId, userKeyId } from '@rehearse/server/storage';
import { Shredder } from './shredder';
import { withAdvisoryLock } from '@rehearse/server/database';

/**
 * The end of an agreement: a superuser sets a tenant's end date; `destroyAfterDays` (45) later the
 * worker destroys everything of the tenant: every row (the privacy-log chain included), every
 * object, the tenant's and its users' keys, their sessions and queued jobs. The destruction report
 * is a receipt kept at platform level (no tenant id), listing what went per table and each object
 * with the store's confirmation that it is gone.
 */
@Injectable()
export class TenantDestructionService {
  private readonly logger = new Logger(TenantDestructionService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    private readonly vault: KeyVault,
    private readonly shredder: Shredder,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<TenantAgreement[]> {
    const rows: {
      id: string;
      name: string;
      slug: string;
      ends_on: string | null;
      destroy_on: string | null;
      users: number;
    }[] = await this.db.query(
      `SELECT t.id, t.name, t.slug, to_char(t.agreement_ends_on, 'YYYY-MM-DD') AS ends_on,
              to_char(t.agreement_ends_on + t.destroy_after_days, 'YYYY-MM-DD') AS destroy_on,
              (SELECT count(*)::int FROM users u WHERE u.tenant_id = t.id) AS users
         FROM tenants t ORDER BY t.name`,
    );
    return rows.map((r) => ({
      tenantId: r.id,
      name: r.name,
      slug: r.slug,
      endsOn: r.ends_on,
      destroyOn: r.destroy_on,
      users: r.users,
    }));
  }

  /** Sets (or clears) the end of the agreement. */
  async setEnd(tenantId: string, endsOn: string | null): Promise<TenantAgreement> {
    const [, n]: [unknown, number] = await this.db.query(
      `UPDATE tenants SET agreement_ends_on = $2, updated_at = $3 WHERE id = $1`,
      [tenantId, endsOn, this.clock.now()],
    );
    if (n !== 1) throw notFound('Tenant');
    return (await this.list()).find((t) => t.tenantId === tenantId) as TenantAgreement;
  }

  /** The scheduled run: destroys every tenant whose destruction date has come; returns their ids. */
  async sweep(): Promise<string[]> {
    return withAdvisoryLock(
      this.db,
      'tenant-destruction',
      async () => {
        const due: { id: string }[] = await this.db.query(
          `SELECT id FROM tenants WHERE agreement_ends_on IS NOT NULL AND agreement_ends_on + destroy_after_days <= $1::date`,
          [this.clock.today()],
        );
        const done: string[] = [];
        for (const t of due) {
          await this.destroy(t.id);
          done.push(t.id);
        }
        return done;
      },
      [],
    );
  }

  /** The destruction reports (platform level), newest first. */
  async reports(): Promise<DeletionReceipt[]> {
    const rows: {
      id: string;
      subject_id: string;
      created_at: Date;
      verified: boolean;
      counts: Record<string, number>;
      objects: DeletionReceipt['objects'];
    }[] = await this.db.query(
      `SELECT id, subject_id, created_at, verified, counts, objects FROM deletion_receipts WHERE kind = 'tenant_destruction' AND tenant_id IS NULL ORDER BY created_at DESC LIMIT 200`,
    );
    return rows.map((r) => ({
      id: r.id,
      kind: 'tenant_destruction',
      subjectId: r.subject_id,
      createdAt: r.created_at.toISOString(),
      verified: r.verified,
      counts: r.counts,
      objects: r.objects,
    }));
  }

  /** Destroys the tenant; returns the id of the destruction report. */
  async destroy(tenantId: string): Promise<string> {
    const [tenant]: { name: string }[] = await this.db.query(`SELECT name FROM tenants WHERE id = $1`, [tenantId]);
    if (!tenant) throw notFound('Tenant');
    const users: { id: string }[] = await this.db.query(`SELECT id FROM users WHERE tenant_id = $1`, [tenantId]);
    const tables: { table_name: string }[] = await this.db.query(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id' AND table_name <> 'tenants' ORDER BY table_name`,
    );
    // every id a queued job of the tenant could name
    const named = new Set<string>([tenantId, ...users.map((u) => u.id)]);
    for (const t of ['answers', 'recordings', 'reviews', 'mfa_challenges', 'invitations']) {
      for (const r of (await this.db.query(`SELECT id::text AS id FROM ${t} WHERE tenant_id = $1`, [tenantId])) as {
        id: string;
      }[])
        named.add(r.id);
    }
    const keys = await this.store.list(`tenants/${tenantId}/`);
    const counts = await this.db.transaction(async (m) => {
      const c: Record<string, number> = {};
      for (const { table_name } of tables) {
        const [{ n }]: { n: number }[] = await m.query(
          `SELECT count(*)::int AS n FROM "${table_name}" WHERE tenant_id = $1`,
          [tenantId],
        );
        if (n) c[table_name] = n;
      }
      c['users'] = users.length;
      const [, sessions]: [unknown, number] = await m.query(`DELETE FROM sessions WHERE user_id = ANY($1::text[])`, [
        users.map((u) => u.id),
      ]);
      c['sessions'] = sessions;
      await m.query(`DELETE FROM deletion_receipts WHERE tenant_id = $1`, [tenantId]);
      // everything else goes with the tenant row (ON DELETE CASCADE on every tenant_id) ...
      await m.query(`DELETE FROM tenants WHERE id = $1`, [tenantId]);
      // ... and then its privacy-log chain, through the owner's audited function (the application's
      // role may not delete privacy-log rows itself)
      await m.query(`SELECT destroy_tenant_privacy_log($1::uuid)`, [tenantId]);
      return c;
    });
    let keysDestroyed = 0;
    for (const id of [tenantKeyId(tenantId), ...users.map((u) => userKeyId(u.id))])
      if (await this.vault.destroy(id)) keysDestroyed += 1;
    const jobs = await this.shredder.dropJobsNaming(named);
    const objects = await this.shredder.deleteObjects(keys);
    const leftovers = await this.store.list(`tenants/${tenantId}/`);
    for (const key of leftovers) objects.push({ key, verified: false });
    const report = await this.shredder.receipt('tenant_destruction', null, tenantId, {
      counts: { ...counts, objects: keys.length, keysDestroyed, queuedJobs: jobs },
      objects,
    });
    this.logger.log(`tenant ${tenantId} (${tenant.name}) destroyed: report ${report}`);
    return report;
  }
}
