import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { DeletionReceipt } from '@rehearse/shared/contracts';

/** An organisation's agreement as the operator sees it. */
export interface AgreementRow {
  id: string;
  name: string;
  slug: string;
  ends_on: string | null;
  destroy_on: string | null;
  users: number;
}

/** A destruction report (kept at platform level). */
export interface DestructionReportRow {
  id: string;
  subject_id: string;
  created_at: Date;
  verified: boolean;
  counts: Record<string, number>;
  objects: DeletionReceipt['objects'];
}

/**
 * Everything of one organisation, for the end of its agreement: the agreements, what is due, the
 * ids its queued jobs could name, and the destruction itself in one transaction (every table with
 * a tenant_id, found from the schema, goes with the tenant row). Like the person's footprint, it
 * names other libraries' tables on purpose; those reads are counted in the baseline.
 */
@Injectable()
export class OrganisationFootprintRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Every organisation's agreement, by name, with how many people it has. */
  async agreements(): Promise<AgreementRow[]> {
    return (await this.db.query(
      `SELECT t.id, t.name, t.slug, to_char(t.agreement_ends_on, 'YYYY-MM-DD') AS ends_on,
              to_char(t.agreement_ends_on + t.destroy_after_days, 'YYYY-MM-DD') AS destroy_on,
              (SELECT count(*)::int FROM users u WHERE u.tenant_id = t.id) AS users
         FROM tenants t ORDER BY t.name`,
    )) as AgreementRow[];
  }

  /** Sets (or clears) the end of the organisation's agreement; whether there is such an organisation. */
  async setAgreementEnd(tenantId: string, endsOn: string | null, at: Date): Promise<boolean> {
    const [, n] = (await this.db.query(`UPDATE tenants SET agreement_ends_on = $2, updated_at = $3 WHERE id = $1`, [
      tenantId,
      endsOn,
      at,
    ])) as [unknown, number];
    return n === 1;
  }

  /** The organisations whose destruction date has come by `today`. */
  async dueForDestruction(today: string): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT id FROM tenants WHERE agreement_ends_on IS NOT NULL AND agreement_ends_on + destroy_after_days <= $1::date`,
      [today],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** The destruction reports, newest first (at most `limit`). */
  async destructionReports(limit: number): Promise<DestructionReportRow[]> {
    return (await this.db.query(
      `SELECT id, subject_id, created_at, verified, counts, objects FROM deletion_receipts
        WHERE kind = 'tenant_destruction' AND tenant_id IS NULL ORDER BY created_at DESC LIMIT $1`,
      [limit],
    )) as DestructionReportRow[];
  }

  /** The organisation's name (undefined: no such organisation). */
  async name(tenantId: string): Promise<string | undefined> {
    const [row] = (await this.db.query(`SELECT name FROM tenants WHERE id = $1`, [tenantId])) as { name: string }[];
    return row?.name;
  }

  /** The ids of the organisation's people, oldest account first. */
  async people(tenantId: string): Promise<string[]> {
    const rows = (await this.db.query(`SELECT id FROM users WHERE tenant_id = $1 ORDER BY created_at, id`, [
      tenantId,
    ])) as {
      id: string;
    }[];
    return rows.map((r) => r.id);
  }

  /** The ids a queued job of the organisation could name: its answers, recordings, reviews, codes, invitations. */
  async idsNaming(tenantId: string): Promise<string[]> {
    const ids: string[] = [];
    for (const t of ['answers', 'recordings', 'reviews', 'mfa_challenges', 'invitations']) {
      const rows = (await this.db.query(`SELECT id::text AS id FROM ${t} WHERE tenant_id = $1`, [tenantId])) as {
        id: string;
      }[];
      ids.push(...rows.map((r) => r.id));
    }
    return ids;
  }

  /**
   * Destroys the organisation in one transaction and counts what went, per table: its people's
   * sessions and its receipts go, everything else with the tenant row (ON DELETE CASCADE on every
   * tenant_id), then its privacy-log chain through the owner's audited function (the
   * application's role may not delete privacy-log rows itself).
   */
  async destroy(tenantId: string, userIds: string[]): Promise<Record<string, number>> {
    const tables = (await this.db.query(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id' AND table_name <> 'tenants' ORDER BY table_name`,
    )) as { table_name: string }[];
    return this.db.transaction(async (m) => {
      const c: Record<string, number> = {};
      for (const { table_name } of tables) {
        const [{ n }]: { n: number }[] = await m.query(
          `SELECT count(*)::int AS n FROM "${table_name}" WHERE tenant_id = $1`,
          [tenantId],
        );
        if (n) c[table_name] = n;
      }
      c['users'] = userIds.length;
      const [, sessions]: [unknown, number] = await m.query(`DELETE FROM sessions WHERE user_id = ANY($1::text[])`, [
        userIds,
      ]);
      c['sessions'] = sessions;
      await m.query(`DELETE FROM deletion_receipts WHERE tenant_id = $1`, [tenantId]);
      await m.query(`DELETE FROM tenants WHERE id = $1`, [tenantId]);
      await m.query(`SELECT destroy_tenant_privacy_log($1::uuid)`, [tenantId]);
      return c;
    });
  }

  /**
   * The organisation's own data for its export (people are in their own folders): its settings,
   * people with roles, courses with every version, rubrics, groups with members, enrolments and
   * deletion receipts.
   */
  async exportOf(tenantId: string): Promise<Record<string, unknown>> {
    const q = (sql: string) => this.db.query(sql, [tenantId]) as Promise<Record<string, unknown>[]>;
    const [tenant] =
      await q(`SELECT id, name, slug, created_at AS "createdAt", to_char(agreement_ends_on, 'YYYY-MM-DD') AS "agreementEndsOn", marker_tags AS "markerTags", filler_lists AS "fillerLists",
                                     retention_delete_after_days AS "deleteAfterDays", retention_notice_days AS "noticeDays", retention_keep_policy AS "keepPolicy" FROM tenants WHERE id = $1`);
    return {
      organisation: tenant,
      people: await q(
        `SELECT u.id, u.name, u.email, u.status, array_remove(array_agg(m.role ORDER BY m.role), NULL) AS roles FROM users u LEFT JOIN memberships m ON m.user_id = u.id WHERE u.tenant_id = $1 GROUP BY u.id ORDER BY u.name`,
      ),
      courses: await q(`SELECT c.id, c.title, c.language, c.archived_at AS "archivedAt",
                               (SELECT coalesce(json_agg(json_build_object('version', v.version, 'state', v.state, 'publishedAt', v.published_at, 'content', v.content) ORDER BY v.version), '[]') FROM course_versions v WHERE v.course_id = c.id) AS versions
                          FROM courses c WHERE c.tenant_id = $1 ORDER BY c.title`),
      rubrics: await q(`SELECT id, title, description, criteria FROM rubrics WHERE tenant_id = $1 ORDER BY title`),
      groups: await q(
        `SELECT g.id, g.name, (SELECT coalesce(json_agg(json_build_object('userId', gm.user_id, 'role', gm.role)), '[]') FROM group_members gm WHERE gm.group_id = g.id) AS members FROM groups g WHERE g.tenant_id = $1 ORDER BY g.name`,
      ),
      enrolments: await q(
        `SELECT course_id AS "courseId", group_id AS "groupId", user_id AS "userId", coach_id AS "coachId", to_char(starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(due_on, 'YYYY-MM-DD') AS "dueOn" FROM enrolments WHERE tenant_id = $1`,
      ),
      deletionReceipts: await q(
        `SELECT kind, subject_id AS "subjectId", created_at AS "createdAt", verified, counts FROM deletion_receipts WHERE tenant_id = $1 ORDER BY created_at`,
      ),
    };
  }
}
