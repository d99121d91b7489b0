import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Page, Rubric, RubricSnapshot } from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { AppError, badRequest, notFound, containsPattern } from '@rehearse/server/core';
import type { RubricInputDto, UpdateRubricDto } from './dto';
import { rubricProblems } from './content';

interface RubricRow {
  id: string;
  title: string;
  description: string;
  criteria: RubricSnapshot['criteria'];
  revision: number;
  archived_at: Date | null;
  updated_at: Date;
  used_by?: number;
}

const toRubric = (r: RubricRow): Rubric => ({
  id: r.id,
  title: r.title,
  description: r.description,
  criteria: r.criteria,
  revision: r.revision,
  archived: r.archived_at !== null,
  updatedAt: r.updated_at.toISOString(),
  usedBy: Number(r.used_by ?? 0),
});

/** A tenant's rubric library, reused across exercises; publishing a course freezes a snapshot. */
@Injectable()
export class RubricsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
  ) {}

  async list(actor: Actor, q: string | undefined, page: number, pageSize: number): Promise<Page<Rubric>> {
    const tenantId = this.access.tenantOf(actor);
    const params: unknown[] = [tenantId];
    let where = 'r.tenant_id = $1';
    if (q) {
      params.push(containsPattern(q));
      where += ` AND lower(r.title) LIKE $2`;
    }
    const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM rubrics r WHERE ${where}`, params);
    params.push(pageSize, (page - 1) * pageSize);
    const rows: RubricRow[] = await this.db.query(
      `SELECT r.*, (SELECT count(*) FROM course_versions v WHERE v.tenant_id = r.tenant_id AND v.state <> 'superseded'
                      AND v.content::text LIKE '%' || r.id::text || '%') AS used_by
         FROM rubrics r WHERE ${where} ORDER BY r.archived_at NULLS FIRST, lower(r.title) LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return { items: rows.map(toRubric), total: count, page, pageSize };
  }

  async get(actor: Actor, id: string): Promise<Rubric> {
    const rows: RubricRow[] = await this.db.query(`SELECT * FROM rubrics WHERE id = $1 AND tenant_id = $2`, [
      id,
      this.access.tenantOf(actor, 'Rubric'),
    ]);
    if (!rows[0]) throw notFound('Rubric');
    return toRubric(rows[0]);
  }

  async create(actor: Actor, dto: RubricInputDto, manager?: EntityManager): Promise<Rubric> {
    const problems = rubricProblems(dto, 'criteria');
    if (problems.length)
      throw badRequest(
        'validation_failed',
        'The rubric is not valid',
        problems.map((p) => ({ field: p.path, messages: [p.message] })),
      );
    const rows: RubricRow[] = await (manager ?? this.db.manager).query(
      `INSERT INTO rubrics (tenant_id, title, description, criteria, created_by) VALUES ($1,$2,$3,$4,$5) RETURNING *`,
      [this.access.tenantOf(actor), dto.title, dto.description, JSON.stringify(dto.criteria), actor.userId],
    );
    return toRubric(rows[0]);
  }

  async update(actor: Actor, id: string, dto: UpdateRubricDto): Promise<Rubric> {
    const problems = rubricProblems(dto, 'criteria');
    if (problems.length)
      throw badRequest(
        'validation_failed',
        'The rubric is not valid',
        problems.map((p) => ({ field: p.path, messages: [p.message] })),
      );
    const tenantId = this.access.tenantOf(actor, 'Rubric');
    const [rows]: [RubricRow[], number] = await this.db.query(
      `UPDATE rubrics SET title = $3, description = $4, criteria = $5, revision = revision + 1, updated_at = now()
        WHERE id = $1 AND tenant_id = $2 AND revision = $6 RETURNING *`,
      [id, tenantId, dto.title, dto.description, JSON.stringify(dto.criteria), dto.revision],
    );
    if (!rows[0]) {
      await this.get(actor, id); // 404 when it does not exist
      throw new AppError(409, 'conflict', 'Someone else changed this rubric; reload it and apply your changes again');
    }
    return toRubric(rows[0]);
  }

  async setArchived(actor: Actor, id: string, archived: boolean): Promise<Rubric> {
    const [rows]: [RubricRow[], number] = await this.db.query(
      `UPDATE rubrics SET archived_at = ${archived ? 'now()' : 'NULL'}, updated_at = now() WHERE id = $1 AND tenant_id = $2 RETURNING *`,
      [id, this.access.tenantOf(actor, 'Rubric')],
    );
    if (!rows[0]) throw notFound('Rubric');
    return toRubric(rows[0]);
  }

  /** The current library version of the rubrics a tenant's content names. */
  async snapshots(tenantId: string, ids: string[], manager?: EntityManager): Promise<Map<string, RubricSnapshot>> {
    if (!ids.length) return new Map();
    const rows: RubricRow[] = await (manager ?? this.db.manager).query(
      `SELECT * FROM rubrics WHERE tenant_id = $1 AND id = ANY($2)`,
      [tenantId, ids],
    );
    return new Map(
      rows.map((r) => [r.id, { id: r.id, title: r.title, description: r.description, criteria: r.criteria }]),
    );
  }
}
