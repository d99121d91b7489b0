import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

/** An organisation's feedback settings as stored: its marker tags (null: the defaults) and filler words per language. */
export interface StoredFeedbackSettings {
  markerTags: string[] | null;
  fillers: Record<string, string[]>;
}

/**
 * The statements of accounts on `tenants`. Each method takes the organisation's id first, but for
 * registering a new one (its slug is what is known then).
 */
@Injectable()
export class TenantsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Every organisation's id.
   * @withoutTenant the worker's daily check of the privacy logs goes through every organisation's
   */
  async ids(): Promise<string[]> {
    return ((await this.db.query(`SELECT id FROM tenants ORDER BY id`)) as { id: string }[]).map((t) => t.id);
  }

  /**
   * Whether an organisation already has this slug (the platform's, unique).
   * @withoutTenant slugs are unique across the platform
   */
  async slugTaken(slug: string, m: Queryable = this.db): Promise<boolean> {
    return (
      (
        await rows(
          m,
          typed
            .selectFrom('tenants')
            .select(sql<number>`1`.as('one'))
            .where('slug', '=', slug),
        )
      ).length > 0
    );
  }

  /**
   * A new organisation; its id.
   * @withoutTenant it makes the organisation
   */
  async insert(
    t: { name: string; slug: string; requirePasswordComplexity: boolean },
    m: Queryable = this.db,
  ): Promise<string> {
    const [row] = await rows(
      m,
      typed
        .insertInto('tenants')
        .values({ name: t.name, slug: t.slug, require_password_complexity: t.requirePasswordComplexity })
        .returning('id'),
    );
    return row.id;
  }

  /** Whether the organisation asks for complex passwords (false for one that does not exist). */
  async requiresPasswordComplexity(tenantId: string): Promise<boolean> {
    const [row] = await rows(
      this.db,
      typed.selectFrom('tenants').select('require_password_complexity').where('id', '=', tenantId),
    );
    return row?.require_password_complexity ?? false;
  }

  /** The organisation's feedback settings as stored (undefined: no such organisation). */
  async feedbackSettings(tenantId: string, m: Queryable = this.db): Promise<StoredFeedbackSettings | undefined> {
    const [row] = await rows(
      m,
      typed.selectFrom('tenants').select(['marker_tags', 'filler_lists']).where('id', '=', tenantId),
    );
    return row
      ? {
          markerTags: row.marker_tags as string[] | null,
          fillers: (row.filler_lists ?? {}) as Record<string, string[]>,
        }
      : undefined;
  }

  /** Replaces the organisation's marker tags and filler words. */
  async saveFeedbackSettings(tenantId: string, markerTags: string[], fillers: Record<string, string[]>): Promise<void> {
    await run(
      this.db,
      typed
        .updateTable('tenants')
        .set({
          marker_tags: JSON.stringify(markerTags),
          filler_lists: JSON.stringify(fillers),
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', tenantId),
    );
  }

  /** The organisation's slug (undefined: no such organisation). */
  async slugOf(tenantId: string): Promise<string | undefined> {
    const [row] = await rows(this.db, typed.selectFrom('tenants').select('slug').where('id', '=', tenantId));
    return row?.slug;
  }

  /** The organisation's name (undefined: no such organisation). */
  async nameOf(tenantId: string): Promise<string | undefined> {
    const [row] = await rows(this.db, typed.selectFrom('tenants').select('name').where('id', '=', tenantId));
    return row?.name;
  }
}
