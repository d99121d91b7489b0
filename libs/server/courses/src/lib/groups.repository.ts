import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { GroupMember } from '@rehearse/shared/contracts';
import { openEnrolment } from '@rehearse/server/access';
import { lockRow, type Queryable, rows, run, typed } from '@rehearse/server/database';

const GROUP_SELECT = `
  SELECT g.id, g.name, g.description,
         (SELECT count(*)::int FROM group_members m WHERE m.group_id = g.id AND m.role = 'participant') AS participant_count,
         (SELECT count(*)::int FROM group_members m WHERE m.group_id = g.id AND m.role = 'coach') AS coach_count
    FROM groups g`;

/** A group with how many participants and coaches it has. */
export interface GroupRow {
  id: string;
  name: string;
  description: string;
  participant_count: number;
  coach_count: number;
}

/** A member of a group (their name and address are accounts' to give). */
export interface GroupMemberRow {
  user_id: string;
  role: GroupMember['role'];
}

/** An enrolment with the names of its course and group (a person's and a coach's are accounts' to give). */
export interface EnrolmentRow {
  id: string;
  course_id: string;
  course_title: string;
  group_id: string | null;
  group_name: string | null;
  user_id: string | null;
  coach_id: string | null;
  starts_on: string | null;
  due_on: string | null;
}

/**
 * The statements of courses on `groups`, `group_members` and `enrolments`, with the few reads of
 * people (names, roles) their pages show. Each method takes the tenant first.
 */
/** Which enrolments: one, of a course, of a group, of one person (their own enrolments, not their groups'). */
export interface EnrolmentsOf {
  id?: string;
  courseId?: string;
  groupId?: string;
  userId?: string;
}

/** Who joined and who left a group in one change (each person and role once). */
export interface MembersChanged {
  added: { userId: string; role: string }[];
  removed: { userId: string; role: string }[];
}

@Injectable()
export class GroupsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The organisation's groups (those `coachId` coaches, when given) whose name contains `pattern`, by name, a page at a time. */
  async page(
    tenantId: string,
    filter: { coachId?: string; pattern?: string },
    page: { limit: number; offset: number },
  ): Promise<{ total: number; groups: GroupRow[] }> {
    const params: unknown[] = [tenantId];
    let where = 'g.tenant_id = $1';
    if (filter.coachId !== undefined) {
      params.push(filter.coachId);
      where += ` AND EXISTS (SELECT 1 FROM group_members c WHERE c.group_id = g.id AND c.user_id = $${params.length} AND c.role = 'coach')`;
    }
    if (filter.pattern !== undefined) {
      params.push(filter.pattern);
      where += ` AND lower(g.name) LIKE $${params.length}`;
    }
    const [{ count }] = (await this.db.query(`SELECT count(*)::int AS count FROM groups g WHERE ${where}`, params)) as {
      count: number;
    }[];
    const groups = (await this.db.query(
      `${GROUP_SELECT} WHERE ${where} ORDER BY g.name COLLATE natural_order, g.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, page.limit, page.offset],
    )) as GroupRow[];
    return { total: count, groups };
  }

  /** The group with its counts (undefined: not in the organisation). */
  async group(tenantId: string, id: string, m: Queryable = this.db): Promise<GroupRow | undefined> {
    const [row] = (await m.query(`${GROUP_SELECT} WHERE g.id = $1 AND g.tenant_id = $2`, [id, tenantId])) as GroupRow[];
    return row;
  }

  /** Groups' names by id (in the organisation; null: any, for an export), in the caller's transaction. */
  async names(tenantId: string | null, ids: readonly string[], m: Queryable = this.db): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return new Map();
    const found = (await m.query(
      `SELECT id, name FROM groups WHERE id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR tenant_id = $2)`,
      [wanted, tenantId],
    )) as { id: string; name: string }[];
    return new Map(found.map((g) => [g.id, g.name]));
  }

  /** Whether the group is in the organisation. */
  async exists(tenantId: string, id: string, m: Queryable = this.db): Promise<boolean> {
    const found = (await m.query(`SELECT 1 FROM groups WHERE id = $1 AND tenant_id = $2`, [id, tenantId])) as unknown[];
    return found.length > 0;
  }

  /**
   * Locks the group's row until the transaction `m` ends: its member changes run one after another
   * (two replacements at once both inserted the same members). False when there is no such group.
   */
  lockForChange(tenantId: string, id: string, m: Queryable): Promise<boolean> {
    return lockRow(m, 'groups', tenantId, id);
  }

  /** The group's members and their roles in it (of one role, when given). */
  async members(
    tenantId: string,
    id: string,
    m: Queryable = this.db,
    role?: GroupMember['role'],
  ): Promise<GroupMemberRow[]> {
    return (await m.query(
      `SELECT m.user_id, m.role FROM group_members m
        WHERE m.group_id = $1 AND m.tenant_id = $2 AND ($3::text IS NULL OR m.role = $3)`,
      [id, tenantId, role ?? null],
    )) as GroupMemberRow[];
  }

  /** A new group; its id (a name taken in the organisation fails with PostgreSQL's 23505). */
  async insert(tenantId: string, name: string, description: string): Promise<string> {
    const [row] = (await this.db.query(
      `INSERT INTO groups (tenant_id, name, description) VALUES ($1,$2,$3) RETURNING id`,
      [tenantId, name, description],
    )) as { id: string }[];
    return row.id;
  }

  /** Renames and describes the group (a name taken fails with 23505). */
  async update(tenantId: string, id: string, name: string, description: string): Promise<void> {
    await this.db.query(
      `UPDATE groups SET name = $3, description = $4, updated_at = now() WHERE id = $1 AND tenant_id = $2`,
      [id, tenantId, name, description],
    );
  }

  /** Deletes the group; whether there was one. */
  async delete(tenantId: string, id: string, m: Queryable = this.db): Promise<boolean> {
    return (
      (await run(m, typed.deleteFrom('groups').where('tenant_id', '=', tenantId).where('id', '=', id))).count === 1
    );
  }

  /** The group's members become exactly these. */
  async replaceMembers(
    tenantId: string,
    id: string,
    members: { userId: string; role: string }[],
    m: Queryable,
  ): Promise<MembersChanged> {
    const before = await rows(
      m,
      typed
        .deleteFrom('group_members')
        .where('tenant_id', '=', tenantId)
        .where('group_id', '=', id)
        .returning(['user_id', 'role']),
    );
    if (members.length)
      await run(
        m,
        typed
          .insertInto('group_members')
          .values(members.map((x) => ({ tenant_id: tenantId, group_id: id, user_id: x.userId, role: x.role }))),
      );
    await m.query(`UPDATE groups SET updated_at = now() WHERE id = $1 AND tenant_id = $2`, [id, tenantId]);
    const key = (x: { userId: string; role: string }) => `${x.userId}:${x.role}`;
    const was = before.map((r) => ({ userId: r.user_id, role: r.role }));
    const had = new Set(was.map(key));
    const has = new Set(members.map(key));
    return {
      added: members.filter((x, i) => !had.has(key(x)) && members.findIndex((o) => key(o) === key(x)) === i),
      removed: was.filter((x) => !has.has(key(x))),
    };
  }

  /**
   * Adds and removes members (an addition already there, or a removal of someone who is not,
   * changes nothing); everyone else keeps their place. Answers who was added and removed.
   */
  async changeMembers(
    tenantId: string,
    id: string,
    change: { add: { userId: string; role: string }[]; remove: { userId: string; role: string }[] },
    m: Queryable,
  ): Promise<MembersChanged> {
    const removed = change.remove.length
      ? (
          (await m.query(
            `DELETE FROM group_members g USING unnest($3::uuid[], $4::text[]) AS x(user_id, role)
            WHERE g.tenant_id = $1 AND g.group_id = $2 AND g.user_id = x.user_id AND g.role = x.role
           RETURNING g.user_id AS "userId", g.role`,
            [tenantId, id, change.remove.map((x) => x.userId), change.remove.map((x) => x.role)],
          )) as [{ userId: string; role: string }[], number]
        )[0]
      : [];
    const added = change.add.length
      ? ((await m.query(
          `INSERT INTO group_members (tenant_id, group_id, user_id, role)
           SELECT DISTINCT $1::uuid, $2::uuid, x.user_id, x.role FROM unnest($3::uuid[], $4::text[]) AS x(user_id, role)
           ON CONFLICT (group_id, user_id, role) DO NOTHING
           RETURNING user_id AS "userId", role`,
          [tenantId, id, change.add.map((x) => x.userId), change.add.map((x) => x.role)],
        )) as { userId: string; role: string }[])
      : [];
    await m.query(`UPDATE groups SET updated_at = now() WHERE id = $1 AND tenant_id = $2`, [id, tenantId]);
    return { added, removed };
  }

  /** The organisation's enrolments (in one course, when given). */
  async enrolments(tenantId: string, of: EnrolmentsOf = {}, m: Queryable = this.db): Promise<EnrolmentRow[]> {
    const params: unknown[] = [tenantId];
    const column = { id: 'id', courseId: 'course_id', groupId: 'group_id', userId: 'user_id' } as const;
    const where = (Object.keys(column) as (keyof typeof column)[])
      .filter((k) => of[k])
      .map((k) => `AND e.${column[k]} = $${params.push(of[k])}`)
      .join(' ');
    return (await m.query(
      `SELECT e.id, e.course_id, c.title AS course_title, e.group_id, g.name AS group_name, e.user_id,
              e.coach_id, to_char(e.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(e.due_on, 'YYYY-MM-DD') AS due_on
         FROM enrolments e JOIN courses c ON c.id = e.course_id LEFT JOIN groups g ON g.id = e.group_id
        WHERE e.tenant_id = $1 ${where}`,
      params,
    )) as EnrolmentRow[];
  }

  /** A new enrolment of a group or one person; its id (enrolled already: 23505). */
  async enrol(
    tenantId: string,
    e: {
      courseId: string;
      groupId: string | null;
      userId: string | null;
      coachId: string | null;
      startsOn: string | null;
      dueOn: string | null;
    },
    m: Queryable = this.db,
  ): Promise<string> {
    const [row] = (await m.query(
      `INSERT INTO enrolments (tenant_id, course_id, group_id, user_id, coach_id, starts_on, due_on) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
      [tenantId, e.courseId, e.groupId, e.userId, e.coachId, e.startsOn, e.dueOn],
    )) as { id: string }[];
    return row.id;
  }

  /** Ends an enrolment; whether there was one. */
  async unenrol(tenantId: string, id: string, m: Queryable = this.db): Promise<boolean> {
    return (
      (await run(m, typed.deleteFrom('enrolments').where('tenant_id', '=', tenantId).where('id', '=', id))).count === 1
    );
  }

  /** The groups the person takes part in whose enrolment in the course is open `today`, by name (where they may share an answer). */
  async shareableGroups(
    tenantId: string,
    userId: string,
    courseId: string,
    today: string,
    m: Queryable = this.db,
  ): Promise<{ id: string; name: string }[]> {
    return (await m.query(
      `SELECT g.id, g.name FROM groups g
         JOIN group_members gm ON gm.group_id = g.id AND gm.user_id = $1 AND gm.role = 'participant'
         JOIN enrolments e ON e.group_id = g.id AND e.course_id = $2 AND ${openEnrolment('e', '$3')}
        WHERE g.tenant_id = $4 ORDER BY g.name COLLATE natural_order`,
      [userId, courseId, today, tenantId],
    )) as { id: string; name: string }[];
  }

  /** The group's participants in the order they joined (the peer rotation's order). */
  async participantsByJoining(tenantId: string, groupId: string, m: Queryable = this.db): Promise<string[]> {
    const found = (await m.query(
      `SELECT gm.user_id FROM group_members gm
        WHERE gm.group_id = $1 AND gm.tenant_id = $2 AND gm.role = 'participant' ORDER BY gm.created_at, gm.user_id`,
      [groupId, tenantId],
    )) as { user_id: string }[];
    return found.map((r) => r.user_id);
  }

  /**
   * The organisation's groups a report may cover, by name: one (`groupId`) or all; those the person
   * coaches unless `admin`; those enrolled in `courseId` when given.
   */
  async inView(
    tenantId: string,
    q: { groupId: string | null; courseId: string | null; admin: boolean; personId: string },
  ): Promise<{ id: string; name: string }[]> {
    return (await this.db.query(
      `SELECT g.id, g.name FROM groups g
        WHERE g.tenant_id = $1 AND ($2::uuid IS NULL OR g.id = $2)
          AND ($3::boolean OR EXISTS (SELECT 1 FROM group_members gc WHERE gc.group_id = g.id AND gc.user_id = $4 AND gc.role = 'coach'))
          AND ($5::uuid IS NULL OR EXISTS (SELECT 1 FROM enrolments e WHERE e.group_id = g.id AND e.course_id = $5))
        ORDER BY g.name COLLATE natural_order`,
      [tenantId, q.groupId, q.admin, q.personId, q.courseId],
    )) as { id: string; name: string }[];
  }

  /** Whether the group is in the organisation and the person may report on it (an administrator, or its coach). */
  async reportable(tenantId: string, groupId: string, admin: boolean, personId: string): Promise<boolean> {
    const found = (await this.db.query(
      `SELECT 1 FROM groups g WHERE g.id = $1 AND g.tenant_id = $2 AND ($3::boolean OR EXISTS (SELECT 1 FROM group_members gc WHERE gc.group_id = g.id AND gc.user_id = $4 AND gc.role = 'coach'))`,
      [groupId, tenantId, admin, personId],
    )) as unknown[];
    return found.length > 0;
  }

  /** How many people take part in the groups. */
  async participantCount(tenantId: string, groupIds: readonly string[]): Promise<number> {
    const [{ n }] = (await this.db.query(
      `SELECT count(DISTINCT user_id)::int AS n FROM group_members WHERE tenant_id = $1 AND group_id = ANY($2::uuid[]) AND role = 'participant'`,
      [tenantId, groupIds],
    )) as { n: number }[];
    return n;
  }
}
