import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { DeletionReceipt } from '@rehearse/shared/contracts';
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

/** A destruction report (kept at platform level). */
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

export interface DestructionReportRow {
  id: string;
  subject_id: string;
  created_at: Date;
  verified: boolean;
  counts: Record<string, number>;
  objects: DeletionReceipt['objects'];
}

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
   * The destruction reports, newest first (at most `limit`).
   * @withoutTenant the platform's own record: the organisations they are about no longer exist
   */
  async destructionReports(limit: number): Promise<DestructionReportRow[]> {
    return (await this.db.query(
      `SELECT id, subject_id, created_at, verified, counts, objects FROM deletion_receipts
        WHERE kind = 'tenant_destruction' AND tenant_id IS NULL ORDER BY created_at DESC LIMIT $1`,
      [limit],
    )) as DestructionReportRow[];
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
