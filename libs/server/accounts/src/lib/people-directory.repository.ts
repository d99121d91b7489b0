import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Queryable } from '@rehearse/server/database';

/** A person as other libraries show them beside their own rows. */
export interface DirectoryEntry {
  name: string;
  email: string;
}

/**
 * Who people are, for the other libraries: names and addresses by id, the roles they hold and
 * whether a licence has ended — what courses, feedback and privacy show or check beside their own
 * rows without naming accounts' tables. Each method takes the tenant first (null: a name in any
 * organisation, for an export that names a superuser) and the caller's transaction last.
 */
@Injectable()
export class PeopleDirectoryRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The people's names and addresses, by id (people not in the organisation left out). */
  async entries(
    tenantId: string | null,
    ids: readonly string[],
    m: Queryable = this.db,
  ): Promise<Map<string, DirectoryEntry>> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return new Map();
    const rows = (await m.query(
      `SELECT id, name, email FROM users WHERE id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR tenant_id = $2)`,
      [wanted, tenantId],
    )) as { id: string; name: string; email: string }[];
    return new Map(rows.map((r) => [r.id, { name: r.name, email: r.email }]));
  }

  /**
   * A page of these people, ordered by `rank` (one per id, lowest first), then by name: those
   * whose name or address matches `pattern` (a LIKE pattern of lower case), with their rank; and
   * how many match in all. The same person may be listed twice with two ranks (a coach and a
   * participant of one group). Built for lists of a few thousand at most.
   */
  async page(
    tenantId: string,
    people: { ids: readonly string[]; ranks: readonly number[] },
    pattern: string | undefined,
    page: { limit: number; offset: number },
    m: Queryable = this.db,
  ): Promise<{ total: number; rows: { id: string; name: string; email: string; rank: number }[] }> {
    if (!people.ids.length) return { total: 0, rows: [] };
    const from = `FROM unnest($2::uuid[], $3::int[]) AS p(id, rank)
                  JOIN users u ON u.id = p.id AND u.tenant_id = $1
                 WHERE ($4::text IS NULL OR lower(u.name) LIKE $4 OR lower(u.email) LIKE $4)`;
    const params = [tenantId, people.ids, people.ranks, pattern ?? null];
    const rows = (await m.query(
      `SELECT u.id, u.name, u.email, p.rank, count(*) OVER ()::int AS total ${from}
        ORDER BY p.rank, u.name COLLATE natural_order, u.id LIMIT $5 OFFSET $6`,
      [...params, page.limit, page.offset],
    )) as { id: string; name: string; email: string; rank: number; total: number }[];
    // past the last page the window counts nothing: count apart
    const total = rows.length
      ? rows[0].total
      : page.offset > 0
        ? ((await m.query(`SELECT count(*)::int AS total ${from}`, params)) as { total: number }[])[0].total
        : 0;
    return { total, rows: rows.map(({ id, name, email, rank }) => ({ id, name, email, rank })) };
  }

  /** The people's names, by id. */
  async names(tenantId: string | null, ids: readonly string[], m: Queryable = this.db): Promise<Map<string, string>> {
    return new Map([...(await this.entries(tenantId, ids, m))].map(([id, e]) => [id, e.name]));
  }

  /** Which of the people are active (signed up and not deactivated) in the organisation. */
  async active(tenantId: string, ids: readonly string[], m: Queryable = this.db): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const found = (await m.query(
      `SELECT id FROM users WHERE id = ANY($1::uuid[]) AND tenant_id = $2 AND status = 'active'`,
      [[...new Set(ids)], tenantId],
    )) as { id: string }[];
    return new Set(found.map((r) => r.id));
  }

  /** Which of the people hold which roles in the organisation and are not deactivated. */
  async activeRoles(
    tenantId: string,
    userIds: readonly string[],
    m: Queryable,
  ): Promise<{ user_id: string; role: string }[]> {
    if (!userIds.length) return [];
    return (await m.query(
      `SELECT ms.user_id, ms.role FROM memberships ms JOIN users u ON u.id = ms.user_id
        WHERE ms.tenant_id = $1 AND ms.user_id = ANY($2) AND u.status <> 'deactivated'`,
      [tenantId, userIds],
    )) as { user_id: string; role: string }[];
  }

  /**
   * Every coach who can sign in, in every organisation, with their organisation: whom the worker's
   * morning e-mail to coaches considers (one statement a day, from memberships' role and users).
   * @withoutTenant the sweep serves every organisation; each coach comes with their own
   */
  async activeCoaches(m: Queryable = this.db): Promise<{ tenant_id: string; user_id: string }[]> {
    return (await m.query(
      `SELECT ms.tenant_id, ms.user_id FROM memberships ms
         JOIN users u ON u.id = ms.user_id AND u.tenant_id = ms.tenant_id
        WHERE ms.role = 'coach' AND u.status = 'active'
        ORDER BY ms.tenant_id, ms.user_id`,
    )) as { tenant_id: string; user_id: string }[];
  }

  /** Whether the person holds the role in the organisation. */
  async hasRole(tenantId: string, userId: string, role: 'participant' | 'coach'): Promise<boolean> {
    const found = (await this.db.query(
      `SELECT 1 FROM memberships WHERE user_id = $1 AND tenant_id = $2 AND role = $3`,
      [userId, tenantId, role],
    )) as unknown[];
    return found.length > 0;
  }

  /** Which of the people's licences have ended by `today` (YYYY-MM-DD). */
  async licencesEnded(
    tenantId: string,
    userIds: readonly string[],
    today: string,
    m: Queryable = this.db,
  ): Promise<Set<string>> {
    if (!userIds.length) return new Set();
    const found = (await m.query(
      `SELECT user_id FROM licences WHERE tenant_id = $1 AND user_id = ANY($2::uuid[]) AND expires_on <= $3::date`,
      [tenantId, [...new Set(userIds)], today],
    )) as { user_id: string }[];
    return new Set(found.map((r) => r.user_id));
  }

  /** The day the person's licence ended, if it has by `today` (YYYY-MM-DD); null while it runs or without one. */
  async licenceEndedOn(
    tenantId: string,
    userId: string,
    today: string,
    m: Queryable = this.db,
  ): Promise<string | null> {
    const [row] = (await m.query(
      `SELECT to_char(expires_on, 'YYYY-MM-DD') AS expires_on FROM licences WHERE tenant_id = $1 AND user_id = $2 AND expires_on <= $3::date`,
      [tenantId, userId, today],
    )) as { expires_on: string }[];
    return row?.expires_on ?? null;
  }
}
