import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { DeletionReceipt, DestructionReport, DestructionReportSummary } from '@rehearse/shared/contracts';
import { type Queryable, rows, typed } from '@rehearse/server/database';

/** A tenant's deletion receipt with the page's total. */
export interface ReceiptRow {
  id: string;
  kind: DeletionReceipt['kind'];
  subject_id: string;
  created_at: Date;
  verified: boolean;
  counts: Record<string, number>;
  objects: DeletionReceipt['objects'];
  total: number;
}

/** A receipt as the API shows it. */
export function receiptOf(r: Omit<ReceiptRow, 'total'>): DeletionReceipt {
  return {
    id: r.id,
    kind: r.kind,
    subjectId: r.subject_id,
    createdAt: r.created_at.toISOString(),
    verified: r.verified,
    counts: r.counts,
    objects: r.objects,
  };
}

/** A destruction report as the list shows it. */
export function destructionReportSummaryOf(r: DestructionReportRow): DestructionReportSummary {
  return {
    id: r.id,
    organisationId: r.subject_id,
    organisationName: r.subject_name,
    organisationSlug: r.subject_slug,
    createdAt: r.created_at.toISOString(),
    verified: r.verified,
    counts: r.counts,
    // (only where there is one: the reports signed before it was shown stay as they were signed)
    ...(r.reason ? { reason: r.reason } : {}),
  };
}

/** A destruction report in full, as the API shows it. */
export function destructionReportOf(r: DestructionReportFullRow): DestructionReport {
  return { ...destructionReportSummaryOf(r), objects: r.objects };
}

/** Any receipt with what its signing needs: its organisation (null: a destruction report) and its signed form as kept. */
export interface SealableRow extends DestructionReportFullRow {
  tenant_id: string | null;
  kind: DeletionReceipt['kind'];
  /** the compact JWT signed when it was written or last confirmed (null: written before receipts were) */
  signed: string | null;
}

/** An object a deletion removed, and whether the store confirmed it gone. */
export interface ReceiptObject {
  key: string;
  verified: boolean;
}

/** A receipt some of whose objects the store did not confirm gone. */
export interface UnverifiedReceipt {
  id: string;
  created_at: Date;
  objects: ReceiptObject[];
}

/** A destruction report as the list shows it (kept at platform level): what went, in counts. */
export interface DestructionReportRow {
  id: string;
  subject_id: string;
  /** the organisation's name and slug when it was destroyed (null in reports written before they were kept) */
  subject_name: string | null;
  subject_slug: string | null;
  created_at: Date;
  verified: boolean;
  counts: Record<string, number>;
  /** why, where it was not the end of the agreement */
  reason: string | null;
}

/** A destruction report in full: every object, with the store's confirmation that it is gone. */
export interface DestructionReportFullRow extends DestructionReportRow {
  objects: DeletionReceipt['objects'];
}

/** The columns of a receipt to sign or to hand out signed. */
const SEALABLE = `id, tenant_id, kind, subject_id, subject_name, subject_slug, created_at, verified, counts, objects, signed, reason`;

/**
 * The statements of privacy on `deletion_receipts`: the record that someone's (or an
 * organisation's) data was shredded, with what went and whether the store confirmed it.
 */
@Injectable()
export class DeletionReceiptsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A new receipt (`tenantId` null: an organisation destroyed, its id the subject); its id. */
  async insert(
    tenantId: string | null,
    r: {
      kind: string;
      subjectId: string;
      requestedBy: string | null;
      reason: string | null;
      at: Date;
      verified: boolean;
      counts: unknown;
      objects: unknown;
      /** a destroyed organisation's name and slug (destruction reports only: the table refuses them on a person's receipt) */
      organisation?: { name: string; slug: string };
    },
  ): Promise<string> {
    const [row] = await rows(
      this.db,
      typed
        .insertInto('deletion_receipts')
        .values({
          tenant_id: tenantId,
          kind: r.kind,
          subject_id: r.subjectId,
          requested_by: r.requestedBy,
          reason: r.reason,
          created_at: r.at,
          verified: r.verified,
          counts: JSON.stringify(r.counts),
          objects: JSON.stringify(r.objects),
          subject_name: r.organisation?.name ?? null,
          subject_slug: r.organisation?.slug ?? null,
        })
        .returning('id'),
    );
    return row.id;
  }

  /** A page of the organisation's deletion receipts, newest first. */
  async page(tenantId: string, page: { limit: number; offset: number }): Promise<ReceiptRow[]> {
    return (await this.db.query(
      `SELECT id, kind, subject_id, created_at, verified, counts, objects, count(*) OVER ()::int AS total FROM deletion_receipts WHERE tenant_id = $1 ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
      [tenantId, page.limit, page.offset],
    )) as ReceiptRow[];
  }

  /** One of the organisation's receipts, with what its signing needs (undefined: the organisation has none of that id). */
  async receipt(tenantId: string, id: string): Promise<SealableRow | undefined> {
    const [row] = (await this.db.query(`SELECT ${SEALABLE} FROM deletion_receipts WHERE id = $1 AND tenant_id = $2`, [
      id,
      tenantId,
    ])) as SealableRow[];
    return row;
  }

  /**
   * A receipt or destruction report to sign, whichever organisation it is of (undefined: none).
   * @withoutTenant signed where it is written: a destruction report's organisation is gone, and the retry of unconfirmed deletions serves every organisation
   */
  async toSeal(id: string): Promise<SealableRow | undefined> {
    const [row] = (await this.db.query(`SELECT ${SEALABLE} FROM deletion_receipts WHERE id = $1`, [
      id,
    ])) as SealableRow[];
    return row;
  }

  /**
   * Keeps the receipt's signed form.
   * @withoutTenant signed where it is written: a destruction report's organisation is gone, and the retry of unconfirmed deletions serves every organisation
   */
  async seal(id: string, token: string): Promise<void> {
    await this.db.query(`UPDATE deletion_receipts SET signed = $2 WHERE id = $1`, [id, token]);
  }

  /** The id of the organisation's newest receipt of `kind` about the person (undefined: none). */
  async latestAbout(tenantId: string, subjectId: string, kind: DeletionReceipt['kind']): Promise<string | undefined> {
    const [row] = (await this.db.query(
      `SELECT id FROM deletion_receipts WHERE tenant_id = $1 AND subject_id = $2 AND kind = $3 ORDER BY created_at DESC, id LIMIT 1`,
      [tenantId, subjectId, kind],
    )) as { id: string }[];
    return row?.id;
  }

  /** The receipts about the person, as their export lists them (in the caller's transaction). */
  async listedFor(tenantId: string, subjectId: string, m: Queryable): Promise<Record<string, unknown>[]> {
    return (await m.query(
      `SELECT kind, created_at AS "createdAt", verified, counts FROM deletion_receipts WHERE subject_id = $1 AND tenant_id = $2 ORDER BY created_at`,
      [subjectId, tenantId],
    )) as Record<string, unknown>[];
  }

  /** The organisation's receipts, as its export lists them. */
  async listedForOrganisation(tenantId: string): Promise<Record<string, unknown>[]> {
    return (await this.db.query(
      `SELECT kind, subject_id AS "subjectId", created_at AS "createdAt", verified, counts FROM deletion_receipts WHERE tenant_id = $1 ORDER BY created_at`,
      [tenantId],
    )) as Record<string, unknown>[];
  }

  /**
   * The destruction reports (of the organisations whose name or slug matches `pattern`, a LIKE
   * pattern in lower case; all without one), newest first, a page at a time, without their objects
   * (a large organisation's run to hundreds of thousands of keys: only the report itself has them).
   * @withoutTenant the platform's own record: the organisations they are about no longer exist
   */
  async destructionReports(
    filter: { pattern: string | null },
    page: { limit: number; offset: number },
  ): Promise<{ total: number; rows: DestructionReportRow[] }> {
    const where = `kind = 'tenant_destruction' AND tenant_id IS NULL
      AND ($1::text IS NULL OR lower(subject_name) LIKE $1 OR lower(subject_slug) LIKE $1)`;
    const [{ total }] = (await this.db.query(`SELECT count(*)::int AS total FROM deletion_receipts WHERE ${where}`, [
      filter.pattern,
    ])) as { total: number }[];
    const rows = (await this.db.query(
      `SELECT id, subject_id, subject_name, subject_slug, created_at, verified, counts, reason FROM deletion_receipts
        WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
      [filter.pattern, page.limit, page.offset],
    )) as DestructionReportRow[];
    return { total, rows };
  }

  /**
   * One destruction report in full (undefined: no such report).
   * @withoutTenant the platform's own record: the organisation it is about no longer exists
   */
  async destructionReport(id: string): Promise<SealableRow | undefined> {
    const [row] = (await this.db.query(
      `SELECT ${SEALABLE} FROM deletion_receipts WHERE id = $1 AND kind = 'tenant_destruction' AND tenant_id IS NULL`,
      [id],
    )) as SealableRow[];
    return row;
  }

  /**
   * Receipts some of whose objects the store did not confirm gone, oldest first: at most `limit`,
   * those after `after`.
   * @withoutTenant the retry of unconfirmed deletions serves every organisation, destroyed ones too
   */
  async unverified(limit: number, after: { created_at: Date; id: string } | null = null): Promise<UnverifiedReceipt[]> {
    return (await this.db.query(
      `SELECT id, created_at, objects FROM deletion_receipts
        WHERE NOT verified AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid))
        ORDER BY created_at, id LIMIT $1`,
      [limit, after?.created_at ?? null, after?.id ?? null],
    )) as UnverifiedReceipt[];
  }

  /**
   * A receipt's objects as the store confirms them now; verified once every one is gone.
   * @withoutTenant the retry of unconfirmed deletions serves every organisation, destroyed ones too
   */
  async confirm(id: string, objects: ReceiptObject[]): Promise<void> {
    await this.db.query(`UPDATE deletion_receipts SET objects = $2::jsonb, verified = $3 WHERE id = $1`, [
      id,
      JSON.stringify(objects),
      objects.every((o) => o.verified),
    ]);
  }

  /** The organisation's receipts go with it (in the destruction's transaction; its report is kept at platform level). */
  async deleteOfOrganisation(tenantId: string, m: Queryable): Promise<void> {
    await m.query(`DELETE FROM deletion_receipts WHERE tenant_id = $1`, [tenantId]);
  }
}
