import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Enrolment, Group, GroupDetail, GroupMember, Page } from '@rehearse/shared/contracts';
import { AccessService, Actor, PrivacyLogService } from '@rehearse/server/access';
import { AppError, badRequest, conflict, notFound, containsPattern } from '@rehearse/server/core';
import type { EnrolDto, GroupInputDto, GroupMembersDto } from './dto';

const GROUP_SELECT = `
  SELECT g.id, g.name, g.description,
         (SELECT count(*)::int FROM group_members m WHERE m.group_id = g.id AND m.role = 'participant') AS participant_count,
         (SELECT count(*)::int FROM group_members m WHERE m.group_id = g.id AND m.role = 'coach') AS coach_count
    FROM groups g`;

interface GroupRow {
  id: string;
  name: string;
  description: string;
  participant_count: number;
  coach_count: number;
}

const toGroup = (r: GroupRow): Group => ({
  id: r.id,
  name: r.name,
  description: r.description,
  participantCount: r.participant_count,
  coachCount: r.coach_count,
});

/** Groups of participants with their coaches, and enrolments of groups or people in courses. */
@Injectable()
export class GroupsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
  ) {}

  async list(
    actor: Actor,
    q: string | undefined,
    page: number,
    pageSize: number,
    coachedOnly = false,
  ): Promise<Page<Group>> {
    const tenantId = this.access.tenantOf(actor);
    const params: unknown[] = [tenantId];
    let where = 'g.tenant_id = $1';
    if (coachedOnly) {
      params.push(actor.userId);
      where += ` AND EXISTS (SELECT 1 FROM group_members c WHERE c.group_id = g.id AND c.user_id = $${params.length} AND c.role = 'coach')`;
    }
    if (q) {
      params.push(containsPattern(q));
      where += ` AND lower(g.name) LIKE $${params.length}`;
    }
    const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM groups g WHERE ${where}`, params);
    params.push(pageSize, (page - 1) * pageSize);
    const rows: GroupRow[] = await this.db.query(
      `${GROUP_SELECT} WHERE ${where} ORDER BY lower(g.name) LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return { items: rows.map(toGroup), total: count, page, pageSize };
  }

  private async exists(m: EntityManager, tenantId: string, id: string): Promise<void> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM groups WHERE id = $1 AND tenant_id = $2`, [id, tenantId]);
    if (!rows.length) throw notFound('Group');
  }

  /** The group with its members' names and e-mail addresses: each member shown is a privacy-logged read. */
  private detail(actor: Actor, tenantId: string, id: string, manager?: EntityManager): Promise<GroupDetail> {
    const read = async (m: EntityManager) => {
      const rows: GroupRow[] = await m.query(`${GROUP_SELECT} WHERE g.id = $1 AND g.tenant_id = $2`, [id, tenantId]);
      if (!rows[0]) throw notFound('Group');
      const members: { user_id: string; name: string; email: string; role: GroupMember['role'] }[] = await m.query(
        `SELECT m.user_id, u.name, u.email, m.role FROM group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = $1 ORDER BY m.role DESC, lower(u.name)`,
        [id],
      );
      return {
        value: {
          ...toGroup(rows[0]),
          members: members.map((x) => ({ userId: x.user_id, name: x.name, email: x.email, role: x.role })),
        },
        log: members.map((x) => ({
          subjectId: x.user_id,
          tenantId,
          objectType: 'group_member',
          objectId: id,
          action: 'view',
        })),
      };
    };
    if (!manager) return this.privacy.readWithLog(actor, read);
    return read(manager).then(async ({ value, log }) => {
      await this.privacy.recordMany(manager, actor, log);
      return value;
    });
  }

  get(actor: Actor, id: string): Promise<GroupDetail> {
    return this.detail(actor, this.access.tenantOf(actor, 'Group'), id);
  }

  /** A coach sees a group only when assigned to it. */
  async getCoached(actor: Actor, id: string): Promise<GroupDetail> {
    const tenantId = this.access.tenantOf(actor, 'Group');
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM group_members WHERE group_id = $1 AND user_id = $2 AND role = 'coach' AND tenant_id = $3`,
      [id, actor.userId, tenantId],
    );
    if (!rows.length) throw notFound('Group');
    return this.detail(actor, tenantId, id);
  }

  async create(actor: Actor, dto: GroupInputDto): Promise<GroupDetail> {
    const tenantId = this.access.tenantOf(actor);
    try {
      const [row]: { id: string }[] = await this.db.query(
        `INSERT INTO groups (tenant_id, name, description) VALUES ($1,$2,$3) RETURNING id`,
        [tenantId, dto.name, dto.description ?? ''],
      );
      return this.detail(actor, tenantId, row.id);
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw conflict(`A group called "${dto.name}" already exists`);
      throw e;
    }
  }

  async update(actor: Actor, id: string, dto: GroupInputDto): Promise<GroupDetail> {
    const tenantId = this.access.tenantOf(actor, 'Group');
    await this.exists(this.db.manager, tenantId, id);
    try {
      await this.db.query(
        `UPDATE groups SET name = $3, description = $4, updated_at = now() WHERE id = $1 AND tenant_id = $2`,
        [id, tenantId, dto.name, dto.description ?? ''],
      );
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw conflict(`A group called "${dto.name}" already exists`);
      throw e;
    }
    return this.detail(actor, tenantId, id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const tenantId = this.access.tenantOf(actor, 'Group');
    const [, n]: [unknown, number] = await this.db.query(`DELETE FROM groups WHERE id = $1 AND tenant_id = $2`, [
      id,
      tenantId,
    ]);
    if (n !== 1) throw notFound('Group');
  }

  /** Replaces the members; every person must belong to the tenant and hold the matching role. */
  async setMembers(actor: Actor, id: string, dto: GroupMembersDto): Promise<GroupDetail> {
    const tenantId = this.access.tenantOf(actor, 'Group');
    return this.db.transaction(async (m) => {
      await this.exists(m, tenantId, id);
      const wanted = [
        ...dto.participants.map((u) => ({ u, role: 'participant' })),
        ...dto.coaches.map((u) => ({ u, role: 'coach' })),
      ];
      const ok: { user_id: string; role: string }[] = wanted.length
        ? await m.query(
            `SELECT ms.user_id, ms.role FROM memberships ms JOIN users u ON u.id = ms.user_id
              WHERE ms.tenant_id = $1 AND ms.user_id = ANY($2) AND u.status <> 'deactivated'`,
            [tenantId, wanted.map((w) => w.u)],
          )
        : [];
      const has = new Set(ok.map((r) => `${r.user_id}:${r.role}`));
      const errors = wanted
        .map((w, i) => ({ w, i }))
        .filter(({ w }) => !has.has(`${w.u}:${w.role}`))
        .map(({ w }) => ({
          field: w.role === 'coach' ? 'coaches' : 'participants',
          messages: [`${w.u} is not an active ${w.role} of this organisation`],
        }));
      if (errors.length) throw badRequest('validation_failed', 'Some people cannot join this group', errors);
      await m.query(`DELETE FROM group_members WHERE group_id = $1`, [id]);
      for (const w of wanted)
        await m.query(`INSERT INTO group_members (tenant_id, group_id, user_id, role) VALUES ($1,$2,$3,$4)`, [
          tenantId,
          id,
          w.u,
          w.role,
        ]);
      await m.query(`UPDATE groups SET updated_at = now() WHERE id = $1`, [id]);
      return this.detail(actor, tenantId, id, m);
    });
  }

  async enrolments(actor: Actor, courseId?: string): Promise<Enrolment[]> {
    const tenantId = this.access.tenantOf(actor);
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT e.id, e.course_id, c.title AS course_title, e.group_id, g.name AS group_name, e.user_id, u.name AS user_name,
              e.coach_id, k.name AS coach_name, to_char(e.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(e.due_on, 'YYYY-MM-DD') AS due_on
         FROM enrolments e JOIN courses c ON c.id = e.course_id
         LEFT JOIN groups g ON g.id = e.group_id LEFT JOIN users u ON u.id = e.user_id LEFT JOIN users k ON k.id = e.coach_id
        WHERE e.tenant_id = $1 ${courseId ? 'AND e.course_id = $2' : ''}
        ORDER BY lower(c.title), lower(coalesce(g.name, u.name))`,
      courseId ? [tenantId, courseId] : [tenantId],
    );
    return rows.map((r) => ({
      id: String(r['id']),
      courseId: String(r['course_id']),
      courseTitle: String(r['course_title']),
      groupId: (r['group_id'] as string | null) ?? null,
      groupName: (r['group_name'] as string | null) ?? null,
      userId: (r['user_id'] as string | null) ?? null,
      userName: (r['user_name'] as string | null) ?? null,
      coachId: (r['coach_id'] as string | null) ?? null,
      coachName: (r['coach_name'] as string | null) ?? null,
      startsOn: (r['starts_on'] as string | null) ?? null,
      dueOn: (r['due_on'] as string | null) ?? null,
    }));
  }

  async enrol(actor: Actor, dto: EnrolDto): Promise<Enrolment> {
    const tenantId = this.access.tenantOf(actor);
    if (!!dto.groupId === !!dto.userId)
      throw badRequest('validation_failed', 'Enrol either a group or one person', [
        { field: 'groupId', messages: ['give groupId or userId, not both'] },
      ]);
    if (dto.startsOn && dto.dueOn && dto.dueOn < dto.startsOn)
      throw badRequest('validation_failed', 'The due date is before the start', [
        { field: 'dueOn', messages: ['must not be before startsOn'] },
      ]);
    const check = async (sql: string, params: unknown[], what: string) => {
      const rows: unknown[] = await this.db.query(sql, params);
      if (!rows.length) throw notFound(what);
    };
    await check(`SELECT 1 FROM courses WHERE id = $1 AND tenant_id = $2`, [dto.courseId, tenantId], 'Course');
    if (dto.groupId)
      await check(`SELECT 1 FROM groups WHERE id = $1 AND tenant_id = $2`, [dto.groupId, tenantId], 'Group');
    if (dto.userId)
      await check(
        `SELECT 1 FROM memberships WHERE user_id = $1 AND tenant_id = $2 AND role = 'participant'`,
        [dto.userId, tenantId],
        'Participant',
      );
    if (dto.coachId)
      await check(
        `SELECT 1 FROM memberships WHERE user_id = $1 AND tenant_id = $2 AND role = 'coach'`,
        [dto.coachId, tenantId],
        'Coach',
      );
    try {
      const [row]: { id: string }[] = await this.db.query(
        `INSERT INTO enrolments (tenant_id, course_id, group_id, user_id, coach_id, starts_on, due_on) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
        [
          tenantId,
          dto.courseId,
          dto.groupId ?? null,
          dto.userId ?? null,
          dto.coachId ?? null,
          dto.startsOn ?? null,
          dto.dueOn ?? null,
        ],
      );
      return (await this.enrolments(actor)).find((e) => e.id === row.id) as Enrolment;
    } catch (e) {
      if ((e as { code?: string }).code === '23505')
        throw new AppError(HttpStatus.CONFLICT, 'conflict', 'Already enrolled in this course');
      throw e;
    }
  }

  async unenrol(actor: Actor, id: string): Promise<void> {
    const [, n]: [unknown, number] = await this.db.query(`DELETE FROM enrolments WHERE id = $1 AND tenant_id = $2`, [
      id,
      this.access.tenantOf(actor, 'Enrolment'),
    ]);
    if (n !== 1) throw notFound('Enrolment');
  }
}
