import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import type { RubricSnapshot } from '@rehearse/shared/contracts';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

/** A rubric of the library as stored (`used_by`: in how many live course versions, where counted). */
export interface RubricRow {
  id: string;
  title: string;
  description: string;
  criteria: RubricSnapshot['criteria'];
  revision: number;
  archived_at: Date | null;
  updated_at: Date;
  used_by?: number;
}

const COLUMNS = ['id', 'title', 'description', 'criteria', 'revision', 'archived_at', 'updated_at'] as const;

/** A row as read, its criteria (JSON) typed as the library's criteria. */
function rubricRow<R extends { criteria: unknown }>(r: R): Omit<R, 'criteria'> & Pick<RubricRow, 'criteria'> {
  return { ...r, criteria: r.criteria as RubricSnapshot['criteria'] };
}

/** The statements of courses on `rubrics`, an organisation's rubric library. Each method takes the tenant first. */
@Injectable()
export class RubricsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The library's rubrics whose title contains `pattern` (a LIKE pattern, lower case), live ones
   * first, by title, a page at a time, each with how many live course versions use it.
   */
  async page(
    tenantId: string,
    pattern: string | null,
    page: { limit: number; offset: number },
  ): Promise<{ total: number; rubrics: RubricRow[] }> {
    let base = typed.selectFrom('rubrics as r').where('r.tenant_id', '=', tenantId);
    if (pattern !== null) base = base.where(sql`lower(r.title)`, 'like', pattern);
    const [{ total }] = await rows(this.db, base.select(sql<number>`count(*)::int`.as('total')));
    const found = await rows(
      this.db,
      base
        .select([
          'r.id',
          'r.title',
          'r.description',
          'r.criteria',
          'r.revision',
          'r.archived_at',
          'r.updated_at',
          // the published and draft course versions naming it (its id appears in their content)
          sql<number>`(SELECT count(*) FROM course_versions v WHERE v.tenant_id = r.tenant_id AND v.state <> 'superseded'
                         AND v.content::text LIKE '%' || r.id::text || '%')`.as('used_by'),
        ])
        .orderBy(sql`r.archived_at NULLS FIRST`)
        .orderBy(sql`r.title COLLATE natural_order`)
        .limit(page.limit)
        .offset(page.offset),
    );
    return { total, rubrics: found.map(rubricRow) };
  }

  /** One rubric of the library. */
  async get(tenantId: string, id: string): Promise<RubricRow | undefined> {
    const [row] = await rows(
      this.db,
      typed.selectFrom('rubrics').select(COLUMNS).where('tenant_id', '=', tenantId).where('id', '=', id),
    );
    return row && rubricRow(row);
  }

  /** Those of `ids` in the organisation's library. */
  async many(tenantId: string, ids: string[], m: Queryable = this.db): Promise<RubricRow[]> {
    if (!ids.length) return [];
    const found = await rows(
      m,
      typed.selectFrom('rubrics').select(COLUMNS).where('tenant_id', '=', tenantId).where('id', 'in', ids),
    );
    return found.map(rubricRow);
  }

  /** A new rubric in the library. */
  async insert(
    tenantId: string,
    r: { title: string; description: string; criteria: RubricSnapshot['criteria']; createdBy: string },
    m: Queryable = this.db,
  ): Promise<RubricRow> {
    const [row] = await rows(
      m,
      typed
        .insertInto('rubrics')
        .values({
          tenant_id: tenantId,
          title: r.title,
          description: r.description,
          criteria: JSON.stringify(r.criteria),
          created_by: r.createdBy,
        })
        .returning(COLUMNS),
    );
    return rubricRow(row);
  }

  /** Changes a rubric if it is still at `revision` (its revision goes up); undefined when it is not (or is gone). */
  async update(
    tenantId: string,
    id: string,
    r: { title: string; description: string; criteria: RubricSnapshot['criteria'] },
    revision: number,
  ): Promise<RubricRow | undefined> {
    const { rows: changed } = await run(
      this.db,
      typed
        .updateTable('rubrics')
        .set({
          title: r.title,
          description: r.description,
          criteria: JSON.stringify(r.criteria),
          revision: sql<number>`revision + 1`,
          updated_at: sql<Date>`now()`,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('revision', '=', revision)
        .returning(COLUMNS),
    );
    return changed[0] && rubricRow(changed[0]);
  }

  /** Archives a rubric (or brings it back); undefined when there is no such rubric. */
  async setArchived(tenantId: string, id: string, archived: boolean): Promise<RubricRow | undefined> {
    const { rows: changed } = await run(
      this.db,
      typed
        .updateTable('rubrics')
        .set({ archived_at: archived ? sql<Date>`now()` : null, updated_at: sql<Date>`now()` })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .returning(COLUMNS),
    );
    return changed[0] && rubricRow(changed[0]);
  }

  /** Every rubric of the organisation's library (ids and criteria: what course content may refer to). */
  async all(tenantId: string, m: Queryable = this.db): Promise<Pick<RubricRow, 'id' | 'criteria'>[]> {
    const found = await rows(
      m,
      typed.selectFrom('rubrics').select(['id', 'criteria']).where('tenant_id', '=', tenantId),
    );
    return found.map(rubricRow);
  }
}
