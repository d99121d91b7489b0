import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ExportState } from '@rehearse/shared/contracts';
import { lockUntilCommit, type Queryable, rows, typed } from '@rehearse/server/database';
import type { Envelope } from '@rehearse/server/storage';

export interface ExportRow {
  id: string;
  tenant_id: string;
  scope: 'user' | 'tenant';
  subject_id: string | null;
  requested_by: string | null;
  state: ExportState;
  progress: number;
  object_key: string | null;
  envelope: Envelope | null;
  size_bytes: string | null;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
  expires_at: Date | null;
}

const EXPORT_ROW = `SELECT e.* FROM data_exports e`;

/** Why an organisation's export was withdrawn before its time by an erasure (kept as its `error`). */
export const WITHDRAWN_BY_ERASURE = 'Withdrawn: a person in it was erased. Export the organisation again.';
/** Why an export was withdrawn before its time by a licence's end (kept as its `error`). */
export const WITHDRAWN_BY_LICENCE =
  'Withdrawn: a licence ended since it was made, hiding answers it holds. Make a new export: it leaves them out.';

/**
 * The statements of privacy on `data_exports`, each with the tenant first but the worker's: its
 * start-up sweep and the expiry sweep look across organisations (they serve them all), and a build
 * loads its export by id, then acts within the export's tenant.
 */
@Injectable()
export class DataExportsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Finished exports whose archive the store holds, `limit` at a time after the id `after`, for the
   * storage check.
   * @withoutTenant the operator's storage check covers every organisation
   */
  async storedArchives(
    after: string | null,
    limit: number,
  ): Promise<{ id: string; tenant_id: string; object_key: string; envelope: Envelope }[]> {
    let q = typed
      .selectFrom('data_exports')
      .select(['id', 'tenant_id', 'object_key', 'envelope'])
      .where('object_key', 'is not', null)
      .where('envelope', 'is not', null)
      .orderBy('id')
      .limit(limit);
    if (after) q = q.where('id', '>', after);
    // (the query's filters leave neither null; the column's JSON is an envelope as the builder wrote it)
    return (await rows(this.db, q)).map((r) => ({
      ...r,
      object_key: r.object_key as string,
      envelope: r.envelope as unknown as Envelope,
    }));
  }

  /**
   * Exports queued or being built: those whose job a restart may have lost.
   * @withoutTenant the worker's start-up sweep serves every organisation
   */
  async unfinished(): Promise<string[]> {
    const found = await rows(
      this.db,
      typed.selectFrom('data_exports').select('id').where('state', 'in', ['queued', 'building']),
    );
    return found.map((r) => r.id);
  }

  /** One export (in the organisation; `tenantId` null: a build loading its own). */
  async row(tenantId: string | null, id: string): Promise<ExportRow | undefined> {
    const [row] = (await this.db.query(`${EXPORT_ROW} WHERE e.id = $1 AND ($2::uuid IS NULL OR e.tenant_id = $2)`, [
      id,
      tenantId,
    ])) as ExportRow[];
    return row;
  }

  /** The newest exports of the organisation (`subjectId` null: of the whole organisation), at most 20. */
  async newest(tenantId: string, subjectId: string | null): Promise<ExportRow[]> {
    return (await this.db.query(
      subjectId === null
        ? `${EXPORT_ROW} WHERE e.tenant_id = $1 AND e.scope = 'tenant' ORDER BY e.created_at DESC LIMIT 20`
        : `${EXPORT_ROW} WHERE e.subject_id = $2 AND e.tenant_id = $1 ORDER BY e.created_at DESC LIMIT 20`,
      subjectId === null ? [tenantId] : [tenantId, subjectId],
    )) as ExportRow[];
  }

  /**
   * A new export of the person (`subjectId`) or of the organisation (null), queued; undefined when
   * one is already being built (checked and made under a lock, so two requests make one export).
   */
  async start(tenantId: string, subjectId: string | null, requestedBy: string, at: Date): Promise<string | undefined> {
    return this.db.transaction(async (m: Queryable) => {
      await lockUntilCommit(m, subjectId ? `export:${subjectId}` : `export:tenant:${tenantId}`);
      const [busy] = (await m.query(
        subjectId
          ? `SELECT id FROM data_exports WHERE subject_id = $1 AND state IN ('queued','building')`
          : `SELECT id FROM data_exports WHERE tenant_id = $1 AND scope = 'tenant' AND state IN ('queued','building')`,
        [subjectId ?? tenantId],
      )) as { id: string }[];
      if (busy) return undefined;
      const [row] = (await m.query(
        `INSERT INTO data_exports (tenant_id, scope, subject_id, requested_by, state, created_at) VALUES ($1,$2,$3,$4,'queued',$5) RETURNING id`,
        [tenantId, subjectId ? 'user' : 'tenant', subjectId, requestedBy, at],
      )) as { id: string }[];
      return row.id;
    });
  }

  /** The build begins (progress 0, no error). */
  async building(tenantId: string, id: string): Promise<void> {
    await this.db.query(
      `UPDATE data_exports SET state = 'building', progress = 0, error = NULL WHERE id = $1 AND tenant_id = $2`,
      [id, tenantId],
    );
  }

  /** Back to waiting for a build (one was held back by a service that is away). */
  async waiting(tenantId: string, id: string): Promise<void> {
    await this.db.query(
      `UPDATE data_exports SET state = 'queued', progress = 0 WHERE id = $1 AND tenant_id = $2 AND state = 'building'`,
      [id, tenantId],
    );
  }

  /** How far the build is, in percent. */
  async progress(tenantId: string, id: string, percent: number): Promise<void> {
    await this.db.query(`UPDATE data_exports SET progress = $3 WHERE id = $1 AND tenant_id = $2`, [
      id,
      tenantId,
      percent,
    ]);
  }

  /**
   * Withdraws the organisation's exports that are queued, being built or ready (in the erasure's
   * transaction): a person erased must not stay in an archive of the organisation. Each becomes
   * expired, with why; one being built is not made ready afterwards (`ready` leaves an expired
   * export alone, and its builder removes what it wrote). Returns their archives to delete.
   */
  async withdrawOrganisationExports(tenantId: string, why: string, m: Queryable): Promise<string[]> {
    const rows = (await m.query(
      `WITH w AS (
         SELECT id, object_key FROM data_exports
          WHERE tenant_id = $1 AND scope = 'tenant' AND state IN ('queued', 'building', 'ready') FOR UPDATE)
       UPDATE data_exports d SET state = 'expired', object_key = NULL, envelope = NULL, error = $2,
              finished_at = coalesce(d.finished_at, now())
         FROM w WHERE d.id = w.id RETURNING w.object_key`,
      [tenantId, why],
    )) as [{ object_key: string | null }[], number];
    return rows[0].map((r) => r.object_key).filter((k): k is string => k !== null);
  }

  /**
   * Withdraws the exports, being built or ready, that hold answers the licences `hidden` hide now
   * (each ended after the day the export was asked for, or was set after it: its answers were
   * still shown then), the person's own and their organisation's: each becomes expired with `why`;
   * one being built is not made ready afterwards. Returns their archives to delete.
   * @withoutTenant the hourly retention sweep serves every organisation
   */
  async withdrawHolding(
    hidden: { tenant_id: string; user_id: string; expires_on: string; updated_at: Date }[],
    zone: string,
    why: string,
  ): Promise<{ tenant_id: string; object_key: string | null }[]> {
    if (!hidden.length) return [];
    const rows = (await this.db.query(
      `WITH e AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::timestamptz[]) AS e(tenant_id, user_id, expires_on, updated_at)),
            w AS (SELECT d.id, d.object_key FROM data_exports d
                   WHERE d.state IN ('building', 'ready')
                     AND EXISTS (SELECT 1 FROM e WHERE e.tenant_id = d.tenant_id
                                   AND (e.user_id = d.subject_id OR d.scope = 'tenant')
                                   AND ((d.created_at AT TIME ZONE $5)::date < e.expires_on OR e.updated_at > d.created_at))
                   FOR UPDATE OF d)
       UPDATE data_exports x SET state = 'expired', object_key = NULL, envelope = NULL, error = $6,
              finished_at = coalesce(x.finished_at, now())
         FROM w WHERE x.id = w.id RETURNING x.tenant_id, w.object_key`,
      [
        hidden.map((e) => e.tenant_id),
        hidden.map((e) => e.user_id),
        hidden.map((e) => e.expires_on),
        hidden.map((e) => e.updated_at),
        zone,
        why,
      ],
    )) as [{ tenant_id: string; object_key: string | null }[], number];
    return rows[0];
  }

  /** The archive is stored: ready to download until `expiresAt` (false: the export is gone or was withdrawn). */
  async ready(
    tenantId: string,
    id: string,
    archive: { key: string; envelope: Envelope; at: Date; expiresAt: Date },
    m: Queryable = this.db,
  ): Promise<boolean> {
    const [, updated] = (await m.query(
      `UPDATE data_exports SET state = 'ready', progress = 100, object_key = $3, envelope = $4, size_bytes = $5, finished_at = $6, expires_at = $7
        WHERE id = $1 AND tenant_id = $2 AND state <> 'expired'`,
      [id, tenantId, archive.key, archive.envelope, archive.envelope.size, archive.at, archive.expiresAt],
    )) as [unknown, number];
    return updated > 0;
  }

  /** The build failed, with why (an export withdrawn meanwhile stays withdrawn). */
  async failed(tenantId: string, id: string, error: string, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE data_exports SET state = 'failed', error = $3, finished_at = $4 WHERE id = $1 AND tenant_id = $2 AND state <> 'expired'`,
      [id, tenantId, error, at],
    );
  }

  /**
   * Ready exports whose download window ended by `now`, in every organisation.
   * @withoutTenant the expiry sweep serves every organisation
   */
  async pastTheirWindow(now: Date): Promise<{ id: string; tenant_id: string; object_key: string | null }[]> {
    return (await this.db.query(
      `SELECT id, tenant_id, object_key FROM data_exports WHERE state = 'ready' AND expires_at <= $1`,
      [now],
    )) as { id: string; tenant_id: string; object_key: string | null }[];
  }

  /** The export's archive is gone: expired. */
  async expired(tenantId: string, id: string): Promise<void> {
    await this.db.query(
      `UPDATE data_exports SET state = 'expired', object_key = NULL, envelope = NULL WHERE id = $1 AND tenant_id = $2`,
      [id, tenantId],
    );
  }

  /** The person's exports as their own export lists them (in the caller's transaction). */
  async listedFor(tenantId: string, subjectId: string, m: Queryable): Promise<Record<string, unknown>[]> {
    return (await m.query(
      `SELECT state, created_at AS "createdAt", finished_at AS "finishedAt" FROM data_exports WHERE subject_id = $1 AND tenant_id = $2 ORDER BY created_at`,
      [subjectId, tenantId],
    )) as Record<string, unknown>[];
  }

  /** The ids of exports of the person's data (a queued build names one). */
  async idsFor(tenantId: string, subjectId: string): Promise<string[]> {
    const found = await rows(
      this.db,
      typed
        .selectFrom('data_exports')
        .select('id')
        .where('subject_id', '=', subjectId)
        .where('tenant_id', '=', tenantId),
    );
    return found.map((r) => r.id);
  }

  /** The stored archives of the person's data: their objects to shred. */
  async archivesOf(tenantId: string, subjectId: string): Promise<{ id: string; object_key: string }[]> {
    return (await this.db.query(
      `SELECT id, object_key FROM data_exports WHERE subject_id = $1 AND tenant_id = $2 AND object_key IS NOT NULL`,
      [subjectId, tenantId],
    )) as { id: string; object_key: string }[];
  }

  /** How many exports of the person's data there are (they go with the person, by cascade). */
  async countFor(tenantId: string, subjectId: string, m: Queryable): Promise<number> {
    const [{ n }] = (await m.query(
      `SELECT count(*)::int AS n FROM data_exports WHERE subject_id = $1 AND tenant_id = $2`,
      [subjectId, tenantId],
    )) as { n: number }[];
    return n;
  }
}
