import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Page, Rubric, RubricSnapshot } from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { AppError, badRequest, notFound, containsPattern } from '@rehearse/server/core';
import type { RubricInputDto, UpdateRubricDto } from './dto';
import { rubricProblems } from './content';
import { type RubricRow, RubricsRepository } from './rubrics.repository';

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
    private readonly access: AccessService,
    private readonly rubrics: RubricsRepository,
  ) {}

  async list(actor: Actor, q: string | undefined, page: number, pageSize: number): Promise<Page<Rubric>> {
    const tenantId = this.access.tenantOf(actor);
    const { total, rubrics } = await this.rubrics.page(tenantId, q ? containsPattern(q) : null, {
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return { items: rubrics.map(toRubric), total, page, pageSize };
  }

  async get(actor: Actor, id: string): Promise<Rubric> {
    const row = await this.rubrics.get(this.access.tenantOf(actor, 'Rubric'), id);
    if (!row) throw notFound('Rubric');
    return toRubric(row);
  }

  async create(actor: Actor, dto: RubricInputDto, manager?: EntityManager): Promise<Rubric> {
    const problems = rubricProblems(dto, 'criteria');
    if (problems.length)
      throw badRequest(
        'validation_failed',
        'The rubric is not valid',
        problems.map((p) => ({ field: p.path, messages: [p.message] })),
      );
    const row = await this.rubrics.insert(
      this.access.tenantOf(actor),
      { title: dto.title, description: dto.description, criteria: dto.criteria, createdBy: actor.userId },
      manager,
    );
    return toRubric(row);
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
    const row = await this.rubrics.update(
      tenantId,
      id,
      { title: dto.title, description: dto.description, criteria: dto.criteria },
      dto.revision,
    );
    if (!row) {
      await this.get(actor, id); // 404 when it does not exist
      throw new AppError(409, 'conflict', 'Someone else changed this rubric; reload it and apply your changes again');
    }
    return toRubric(row);
  }

  async setArchived(actor: Actor, id: string, archived: boolean): Promise<Rubric> {
    const row = await this.rubrics.setArchived(this.access.tenantOf(actor, 'Rubric'), id, archived);
    if (!row) throw notFound('Rubric');
    return toRubric(row);
  }

  /** The current library version of the rubrics a tenant's content names. */
  async snapshots(tenantId: string, ids: string[], manager?: EntityManager): Promise<Map<string, RubricSnapshot>> {
    if (!ids.length) return new Map();
    const rows = await this.rubrics.many(tenantId, ids, manager);
    return new Map(
      rows.map((r) => [r.id, { id: r.id, title: r.title, description: r.description, criteria: r.criteria }]),
    );
  }
}
