import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Queryable } from '@rehearse/server/database';
import type { Group, GroupMember, Page } from '@rehearse/shared/contracts';
import { AccessService, Actor, PrivacyLogService } from '@rehearse/server/access';
import { AccountActivity, PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { badRequest, conflict, notFound, containsPattern } from '@rehearse/server/core';
import type { GroupInputDto, GroupMembersChangeDto, GroupMembersDto } from './dto';
import { enrolmentActivity } from './enrolments.service';
import { type GroupRow, GroupsRepository, type MembersChanged } from './groups.repository';

const toGroup = (r: GroupRow): Group => ({
  id: r.id,
  name: r.name,
  description: r.description,
  participantCount: r.participant_count,
  coachCount: r.coach_count,
});

/** The request's list that names the people of each role (for errors that point at it). */
const REPLACED_BY: Record<GroupMember['role'], string> = { participant: 'participants', coach: 'coaches' };
const ADDED_BY: Record<GroupMember['role'], string> = { participant: 'addParticipants', coach: 'addCoaches' };

/** Groups of participants with their coaches (their enrolments in courses: EnrolmentsService). */
@Injectable()
export class GroupsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
    private readonly groups: GroupsRepository,
    private readonly people: PeopleDirectoryRepository,
    private readonly activity: AccountActivity,
  ) {}

  async list(
    actor: Actor,
    q: string | undefined,
    page: number,
    pageSize: number,
    coachedOnly = false,
  ): Promise<Page<Group>> {
    const tenantId = this.access.tenantOf(actor);
    const { total, groups } = await this.groups.page(
      tenantId,
      { ...(coachedOnly ? { coachId: actor.userId } : {}), ...(q ? { pattern: containsPattern(q) } : {}) },
      { limit: pageSize, offset: (page - 1) * pageSize },
    );
    return { items: groups.map(toGroup), total, page, pageSize };
  }

  private async exists(m: EntityManager, tenantId: string, id: string): Promise<void> {
    if (!(await this.groups.exists(tenantId, id, m))) throw notFound('Group');
  }

  /** The group, locked until the transaction ends: one change of its members at a time. */
  private async lockForChange(m: EntityManager, tenantId: string, id: string): Promise<void> {
    if (!(await this.groups.lockForChange(tenantId, id, m))) throw notFound('Group');
  }

  /** The group with its members' names and e-mail addresses: each member shown is a privacy-logged read. */
  /** The group with its counts (its members are paged apart: a group may hold thousands). */
  private async detail(tenantId: string, id: string, m: Queryable = this.db.manager): Promise<Group> {
    const group = await this.groups.group(tenantId, id, m);
    if (!group) throw notFound('Group');
    return toGroup(group);
  }

  get(actor: Actor, id: string): Promise<Group> {
    return this.detail(this.access.tenantOf(actor, 'Group'), id);
  }

  /** A coach sees a group only when assigned to it. */
  async getCoached(actor: Actor, id: string): Promise<Group> {
    const tenantId = this.access.tenantOf(actor, 'Group');
    await this.access.require(actor, 'group.coach', id);
    return this.detail(tenantId, id);
  }

  /**
   * A page of the group's members (of one role, or coaches first and then participants), by name,
   * found by name or address; each person on the page is a privacy-logged look. A coach sees only
   * the groups they coach (`coached`).
   */
  async members(
    actor: Actor,
    id: string,
    query: { role?: GroupMember['role']; q?: string; page: number; pageSize: number },
    coached = false,
  ): Promise<Page<GroupMember>> {
    const tenantId = this.access.tenantOf(actor, 'Group');
    if (coached) await this.access.require(actor, 'group.coach', id);
    const { page, pageSize } = query;
    return this.privacy.readWithLog(actor, async (m) => {
      if (!(await this.groups.exists(tenantId, id, m))) throw notFound('Group');
      const rows = await this.groups.members(tenantId, id, m, query.role);
      // the names are accounts': the members' ids go there, coaches ranked first
      const found = await this.people.page(
        tenantId,
        { ids: rows.map((r) => r.user_id), ranks: rows.map((r) => (r.role === 'coach' ? 0 : 1)) },
        query.q ? containsPattern(query.q) : undefined,
        { limit: pageSize, offset: (page - 1) * pageSize },
        m,
      );
      const items = found.rows.map((p): GroupMember => ({
        userId: p.id,
        name: p.name,
        email: p.email,
        role: p.rank === 0 ? 'coach' : 'participant',
      }));
      return {
        value: { items, total: found.total, page, pageSize },
        log: [...new Set(items.map((x) => x.userId))].map((subjectId) => ({
          subjectId,
          tenantId,
          objectType: 'group_member',
          objectId: id,
          action: 'view',
        })),
      };
    });
  }

  async create(actor: Actor, dto: GroupInputDto): Promise<Group> {
    const tenantId = this.access.tenantOf(actor);
    try {
      const id = await this.groups.insert(tenantId, dto.name, dto.description ?? '');
      return await this.detail(tenantId, id);
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw conflict(`A group called "${dto.name}" already exists`);
      throw e;
    }
  }

  async update(actor: Actor, id: string, dto: GroupInputDto): Promise<Group> {
    const tenantId = this.access.tenantOf(actor, 'Group');
    await this.exists(this.db.manager, tenantId, id);
    try {
      await this.groups.update(tenantId, id, dto.name, dto.description ?? '');
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw conflict(`A group called "${dto.name}" already exists`);
      throw e;
    }
    return this.detail(tenantId, id);
  }

  /**
   * Deletes the group; its members leave it, each on their account activity, and its enrolments
   * end with it (the database drops them with the group), each recorded as ended.
   */
  async remove(actor: Actor, id: string): Promise<void> {
    const tenantId = this.access.tenantOf(actor, 'Group');
    await this.db.transaction(async (m) => {
      await this.lockForChange(m, tenantId, id);
      const group = await this.detail(tenantId, id, m);
      // read before the group goes: its name and its courses' titles are on each row
      const ended = (await this.groups.enrolments(tenantId, { groupId: id }, m)).map((e) =>
        enrolmentActivity(e, 'enrolment.ended'),
      );
      const { removed } = await this.groups.replaceMembers(tenantId, id, [], m);
      if (!(await this.groups.delete(tenantId, id, m))) throw notFound('Group');
      await this.recordMembers(m, actor, tenantId, group, { added: [], removed });
      await this.activity.record(m, actor, tenantId, ended);
    });
  }

  /** Replaces the members; every person must belong to the tenant and hold the matching role. */
  async setMembers(actor: Actor, id: string, dto: GroupMembersDto): Promise<Group> {
    const tenantId = this.access.tenantOf(actor, 'Group');
    return this.db.transaction(async (m) => {
      await this.lockForChange(m, tenantId, id);
      const wanted = [
        ...dto.participants.map((u) => ({ userId: u, role: 'participant' as const })),
        ...dto.coaches.map((u) => ({ userId: u, role: 'coach' as const })),
      ];
      await this.mayJoin(m, tenantId, wanted, REPLACED_BY);
      const changed = await this.groups.replaceMembers(tenantId, id, wanted, m);
      return this.recorded(m, actor, tenantId, id, changed);
    });
  }

  /**
   * Adds and removes members, leaving everyone else in place (a group of thousands is changed a
   * few people at a time); whoever is added must be an active person of the organisation holding
   * the role. Nothing changes when one of them cannot join.
   */
  async changeMembers(actor: Actor, id: string, dto: GroupMembersChangeDto): Promise<Group> {
    const tenantId = this.access.tenantOf(actor, 'Group');
    const as = (role: GroupMember['role'], ids: string[] | undefined) =>
      (ids ?? []).map((userId) => ({ userId, role }));
    const add = [...as('participant', dto.addParticipants), ...as('coach', dto.addCoaches)];
    const remove = [...as('participant', dto.removeParticipants), ...as('coach', dto.removeCoaches)];
    const both = add.filter((a) => remove.some((r) => r.userId === a.userId && r.role === a.role));
    if (both.length)
      throw badRequest(
        'validation_failed',
        'A person cannot be added and removed at once',
        both.map((b) => ({
          field: ADDED_BY[b.role],
          messages: [`${b.userId} is also to be removed`],
        })),
      );
    return this.db.transaction(async (m) => {
      await this.lockForChange(m, tenantId, id);
      await this.mayJoin(m, tenantId, add, ADDED_BY);
      const changed = await this.groups.changeMembers(tenantId, id, { add, remove }, m);
      return this.recorded(m, actor, tenantId, id, changed);
    });
  }

  /** The group after a change of its members, the change recorded in each person's account activity. */
  private async recorded(
    m: EntityManager,
    actor: Actor,
    tenantId: string,
    id: string,
    changed: MembersChanged,
  ): Promise<Group> {
    const group = await this.detail(tenantId, id, m);
    await this.recordMembers(m, actor, tenantId, group, changed);
    return group;
  }

  private async recordMembers(
    m: EntityManager,
    actor: Actor,
    tenantId: string,
    group: Group,
    changed: MembersChanged,
  ): Promise<void> {
    const about = { id: group.id, name: group.name };
    const each = (action: 'group.member_added' | 'group.member_removed', x: { userId: string; role: string }) => ({
      action,
      subjectId: x.userId,
      details: { group: about, membership: x.role as GroupMember['role'] },
    });
    await this.activity.record(m, actor, tenantId, [
      ...changed.removed.map((x) => each('group.member_removed', x)),
      ...changed.added.map((x) => each('group.member_added', x)),
    ]);
  }

  /** Fails (400, naming each) unless every person is an active member of the organisation with the role. */
  private async mayJoin(
    m: EntityManager,
    tenantId: string,
    wanted: { userId: string; role: GroupMember['role'] }[],
    fields: Record<GroupMember['role'], string>,
  ): Promise<void> {
    const ok = await this.people.activeRoles(
      tenantId,
      wanted.map((w) => w.userId),
      m,
    );
    const has = new Set(ok.map((r) => `${r.user_id}:${r.role}`));
    const errors = wanted
      .filter((w) => !has.has(`${w.userId}:${w.role}`))
      .map((w) => ({
        field: fields[w.role],
        messages: [`${w.userId} is not an active ${w.role} of this organisation`],
      }));
    if (errors.length) throw badRequest('validation_failed', 'Some people cannot join this group', errors);
  }

  /** Which of these groups are in the actor's organisation (the others were deleted, or never were). */
  async existing(actor: Actor, ids: readonly string[]): Promise<Set<string>> {
    return new Set((await this.groups.names(this.access.tenantOf(actor), ids)).keys());
  }
}
