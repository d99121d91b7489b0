import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { type Queryable, rows, typed } from '@rehearse/server/database';

/** The statements of courses on `courses`. Each method takes the tenant first. */
@Injectable()
export class CoursesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Whether the course belongs to the organisation (archived or not). */
  async exists(tenantId: string, courseId: string, m: Queryable = this.db): Promise<boolean> {
    const found = await rows(
      m,
      typed
        .selectFrom('courses')
        .select(sql<number>`1`.as('one'))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', courseId),
    );
    return found.length === 1;
  }
}
