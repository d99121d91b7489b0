import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type {
  AdminHome,
  ImportResult,
  LicencePeriod,
  Page,
  TenantRole,
  UserDetail,
  UserSummary,
} from '@rehearse/shared/contracts';
import { LICENCE_WARNING_DAYS, type LicenceFilterName, TENANT_ROLES } from '@rehearse/shared/contracts';
import { AccessService, Actor, PrivacyLogService } from '@rehearse/server/access';
import { AppError, badRequest, Clock, conflict, notFound, containsPattern } from '@rehearse/server/core';
import { AccountActivity } from './account-activity.service';
import { InvitationsService } from './invitations.service';
import { SessionsService } from './sessions.service';
import { parseUserCsv } from './user-import';
import { InvitationsRepository } from './invitations.repository';
import { LicencesRepository } from './licences.repository';
import {
  type AdministeredUser,
  type LicenceFilter,
  UserAdministrationRepository,
} from './user-administration.repository';
import type { InviteUserDto, LicenceDto, ListUsersQuery } from './dto';

type UserRow = AdministeredUser;

function toSummary(r: UserRow): UserSummary {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    phone: r.phone,
    status: r.status as UserSummary['status'],
    roles: (r.roles ?? []) as TenantRole[],
    licence: r.starts_on && r.expires_on ? { startsOn: r.starts_on, expiresOn: r.expires_on } : null,
    createdAt: r.created_at.toISOString(),
  };
}

/** Administration of a tenant's people. Every query is scoped by the actor's tenant. */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
    private readonly invitations: InvitationsService,
    private readonly sessions: SessionsService,
    private readonly users: UserAdministrationRepository,
    private readonly licences: LicencesRepository,
    private readonly invitationRows: InvitationsRepository,
    private readonly activity: AccountActivity,
  ) {}

  async list(actor: Actor, q: ListUsersQuery): Promise<Page<UserSummary>> {
    const tenantId = this.access.tenantOf(actor);
    // the list shows what the profile view shows (e-mail, phone, roles, licence): each person
    // listed is a privacy-logged read, like opening their profile
    return this.privacy.readWithLog(actor, async (m) => {
      const { total, people: rows } = await this.users.administeredPage(
        tenantId,
        {
          ...(q.q ? { pattern: containsPattern(q.q) } : {}),
          ...(q.role ? { role: q.role } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.licence ? { licence: this.licenceFilter(q.licence) } : {}),
          ...(q.group === 'none' ? { withoutGroup: true } : {}),
        },
        { limit: q.pageSize, offset: (q.page - 1) * q.pageSize },
        m,
      );
      return {
        value: { items: rows.map(toSummary), total, page: q.page, pageSize: q.pageSize },
        log: rows.map((r) => ({
          subjectId: r.id,
          tenantId,
          objectType: 'user_profile',
          objectId: r.id,
          action: 'list',
        })),
      };
    });
  }

  private licenceFilter(name: LicenceFilterName): LicenceFilter {
    const today = this.clock.today();
    if (name === 'ending') return { is: 'ending', today, days: LICENCE_WARNING_DAYS };
    return name === 'ended' ? { is: 'ended', today } : { is: 'none' };
  }

  /**
   * The administrator's home page: licences ending within LICENCE_WARNING_DAYS, keep requests
   * awaiting a decision, and participants in no group (the agreement's end: privacy's
   * TenantDestructionService). People named are logged like the list.
   */
  async adminHome(actor: Actor): Promise<Omit<AdminHome, 'agreement'>> {
    const tenantId = this.access.tenantOf(actor);
    return this.privacy.readWithLog(actor, async (m) => {
      const today = this.clock.today();
      const expiring = await this.licences.endingSoon(tenantId, today, LICENCE_WARNING_DAYS, 5, m);
      const pending = await this.licences.pendingKeepRequests(tenantId, m);
      const alone = await this.users.participantsWithoutGroup(tenantId, 5, m);
      const named = [...new Set([...expiring.map((r) => r.id), ...alone.map((r) => r.id)])];
      return {
        value: {
          expiring: expiring.map((r) => ({ userId: r.id, name: r.name, expiresOn: r.expires_on })),
          expiringTotal: expiring[0]?.total ?? 0,
          pendingKeepRequests: pending,
          withoutGroup: alone.map((r) => ({ userId: r.id, name: r.name })),
          withoutGroupTotal: alone[0]?.total ?? 0,
        },
        log: named.map((id) => ({
          subjectId: id,
          tenantId,
          objectType: 'user_profile',
          objectId: id,
          action: 'list' as const,
        })),
      };
    });
  }

  private async load(m: EntityManager, tenantId: string, id: string): Promise<UserRow> {
    const row = await this.users.administered(tenantId, id, m);
    if (!row) throw notFound('User');
    return row;
  }

  /** The person, locked until the transaction ends: one change to them at a time. */
  private async loadForChange(m: EntityManager, tenantId: string, id: string): Promise<UserRow> {
    if (!(await this.users.lockForChange(tenantId, id, m))) throw notFound('User');
    return this.load(m, tenantId, id);
  }

  /** Opening another person's profile is a privacy-logged read. */
  async get(actor: Actor, id: string): Promise<UserDetail> {
    const tenantId = this.access.tenantOf(actor, 'User');
    return this.privacy.readWithLog(actor, async (m) => {
      const r = await this.load(m, tenantId, id);
      const open = r.status === 'invited' ? await this.invitationRows.openOf(tenantId, r.id, m) : undefined;
      return {
        value: {
          ...toSummary(r),
          lastSignInAt: r.last_sign_in_at?.toISOString() ?? null,
          totpEnabled: !!r.totp_enabled,
          invitation: open
            ? { sentAt: open.mailed_at?.toISOString() ?? null, expiresAt: open.expires_at.toISOString() }
            : null,
        },
        log: { subjectId: r.id, tenantId, objectType: 'user_profile', objectId: r.id, action: 'view' },
      };
    });
  }

  async invite(actor: Actor, dto: InviteUserDto): Promise<UserSummary> {
    const tenantId = this.access.tenantOf(actor);
    const email = dto.email.toLowerCase();
    const taken = () => conflict('A user with this e-mail address already exists in your organisation');
    const { userId, invitationId } = await this.db
      .transaction(async (m) => {
        // addresses are unique per organisation: whether someone has an account elsewhere is never told
        if ((await this.users.emailsTaken(tenantId, [email], m)).has(email)) throw taken();
        const id = await this.users.insertInvited(
          tenantId,
          { email, name: dto.name, phone: dto.phone ?? null },
          actor.userId,
          m,
        );
        await this.setRolesIn(m, tenantId, id, dto.roles);
        if (dto.licence) await this.setLicenceIn(m, tenantId, id, dto.licence);
        const inv = await this.invitations.create(m, tenantId, id, actor.userId);
        await this.activity.record(m, actor, tenantId, [
          {
            action: 'user.invited',
            subjectId: id,
            details: { roles: inOrder(dto.roles), licence: licencePeriod(dto.licence) },
          },
        ]);
        return { userId: id, invitationId: inv.id };
      })
      .catch((e: unknown) => {
        // the same address invited by another request since the check
        throw (e as { driverError?: { constraint?: string } }).driverError?.constraint === 'users_tenant_email'
          ? taken()
          : e;
      });
    await this.invitations.enqueue(invitationId);
    return toSummary(await this.load(this.db.manager, tenantId, userId));
  }

  async resendInvitation(actor: Actor, id: string): Promise<void> {
    const tenantId = this.access.tenantOf(actor, 'User');
    const invitationId = await this.db.transaction(async (m) => {
      const u = await this.loadForChange(m, tenantId, id);
      if (u.status !== 'invited') throw conflict('This user has already accepted the invitation');
      const created = await this.invitations.create(m, tenantId, id, actor.userId);
      await this.activity.record(m, actor, tenantId, [{ action: 'user.invitation_sent', subjectId: id }]);
      return created.id;
    });
    await this.invitations.enqueue(invitationId);
  }

  async setRoles(actor: Actor, id: string, roles: TenantRole[]): Promise<UserSummary> {
    const tenantId = this.access.tenantOf(actor, 'User');
    await this.db.transaction(async (m) => {
      const u = await this.loadForChange(m, tenantId, id);
      if (id === actor.userId && !roles.includes('administrator')) {
        throw new AppError(HttpStatus.CONFLICT, 'conflict', 'You cannot remove your own administrator role');
      }
      if (!roles.includes('administrator')) await this.keepAnAdministrator(m, tenantId, u);
      await this.setRolesIn(m, tenantId, id, roles);
      const [before, after] = [inOrder((u.roles ?? []) as TenantRole[]), inOrder(roles)];
      if (before.join() !== after.join())
        await this.activity.record(m, actor, tenantId, [
          { action: 'user.roles_changed', subjectId: id, details: { previousRoles: before, roles: after } },
        ]);
    });
    return toSummary(await this.load(this.db.manager, tenantId, id));
  }

  /**
   * An organisation keeps an active administrator: two administrators taking the role from each
   * other (or deactivating each other) at once both passed the guard, and left none. The
   * administrators are locked, so the second change sees what the first left.
   */
  private async keepAnAdministrator(m: EntityManager, tenantId: string, losing: UserRow): Promise<void> {
    // (read after the person's lock: someone who is no administrator loses none)
    if (!losing.roles?.includes('administrator')) return;
    const admins = await this.users.lockActiveAdministrators(tenantId, m);
    if (admins.includes(losing.id) && admins.length === 1)
      throw conflict('The organisation needs at least one active administrator');
  }

  async setLicence(actor: Actor, id: string, licence: LicenceDto): Promise<UserSummary> {
    const tenantId = this.access.tenantOf(actor, 'User');
    await this.db.transaction(async (m) => {
      const u = await this.loadForChange(m, tenantId, id);
      await this.setLicenceIn(m, tenantId, id, licence);
      const before = u.starts_on && u.expires_on ? { startsOn: u.starts_on, expiresOn: u.expires_on } : null;
      const after = licencePeriod(licence);
      if (before?.startsOn !== after.startsOn || before?.expiresOn !== after.expiresOn)
        await this.activity.record(m, actor, tenantId, [
          { action: 'user.licence_changed', subjectId: id, details: { previousLicence: before, licence: after } },
        ]);
    });
    return toSummary(await this.load(this.db.manager, tenantId, id));
  }

  /** Deactivation ends every session of the user at once. */
  async setActive(actor: Actor, id: string, active: boolean): Promise<UserSummary> {
    const tenantId = this.access.tenantOf(actor, 'User');
    await this.db.transaction(async (m) => {
      const u = await this.loadForChange(m, tenantId, id);
      // (reactivating oneself, signed in and so active, changes nothing)
      if (!active && id === actor.userId) throw conflict('You cannot deactivate yourself');
      if (active) {
        if (u.status === 'deactivated') {
          await this.users.reactivate(tenantId, id, m);
          await this.activity.record(m, actor, tenantId, [{ action: 'user.reactivated', subjectId: id }]);
        }
      } else if (u.status !== 'deactivated') {
        await this.keepAnAdministrator(m, tenantId, u);
        await this.users.deactivate(tenantId, id, m);
        await this.invitationRows.useOpen(tenantId, id, this.clock.now(), m);
        await this.sessions.endAllForUser(id, undefined, m);
        await this.activity.record(m, actor, tenantId, [{ action: 'user.deactivated', subjectId: id }]);
      }
    });
    return toSummary(await this.load(this.db.manager, tenantId, id));
  }

  /** All rows valid, or nothing is written. */
  async importCsv(actor: Actor, csv: string): Promise<ImportResult> {
    const tenantId = this.access.tenantOf(actor);
    const { rows, errors } = parseUserCsv(csv);
    if (errors.length) return { created: 0, errors };
    const taken = await this.users.emailsTaken(
      tenantId,
      rows.map((r) => r.email),
    );
    const dupErrors = rows
      .filter((r) => taken.has(r.email))
      .map((r) => ({ row: r.row, field: 'email', message: `${r.email} already has an account in your organisation` }));
    if (dupErrors.length) return { created: 0, errors: dupErrors };
    let invitationIds: string[] = [];
    try {
      // one statement per table, whatever the file's size (5,000 people took 11 s one by one)
      invitationIds = await this.db.transaction(async (m) => {
        const ids = await this.users.insertInvitedMany(
          tenantId,
          rows.map((r) => ({ email: r.email, name: r.name, phone: r.phone })),
          actor.userId,
          m,
        );
        const userIds = rows.map((r) => ids.get(r.email) as string);
        await this.users.addRolesOfNew(
          tenantId,
          rows.flatMap((r, i) => r.roles.map((role) => ({ userId: userIds[i], role }))),
          m,
        );
        await this.activity.record(
          m,
          actor,
          tenantId,
          rows.map((r, i) => ({
            action: 'user.imported',
            subjectId: userIds[i],
            details: { roles: inOrder(r.roles) },
          })),
        );
        return this.invitations.createForNew(m, tenantId, userIds, actor.userId);
      });
    } catch (e) {
      if ((e as { code?: string }).code === '23505') {
        return {
          created: 0,
          errors: [
            {
              row: 0,
              field: 'email',
              message: 'An e-mail address in the file was registered meanwhile; nothing was imported',
            },
          ],
        };
      }
      throw e;
    }
    await this.invitations.enqueue(...invitationIds);
    return { created: rows.length, errors: [] };
  }

  private async setRolesIn(m: EntityManager, tenantId: string, userId: string, roles: TenantRole[]): Promise<void> {
    if (!roles.length) throw badRequest('validation_failed', 'At least one role is required');
    await this.users.setRoles(tenantId, userId, roles, m);
  }

  private async setLicenceIn(m: EntityManager, tenantId: string, userId: string, l: LicenceDto): Promise<void> {
    if (l.expiresOn < l.startsOn) {
      throw badRequest('validation_failed', 'The licence cannot expire before it starts', [
        { field: 'licence.expiresOn', messages: ['must not be before startsOn'] },
      ]);
    }
    await this.licences.upsert(tenantId, userId, l.startsOn, l.expiresOn, m);
  }
}

/** Roles in the one order they are listed everywhere, each once. */
function inOrder(roles: readonly TenantRole[]): TenantRole[] {
  return TENANT_ROLES.filter((r) => roles.includes(r));
}

function licencePeriod(l: LicenceDto): LicencePeriod;
function licencePeriod(l: LicenceDto | undefined): LicencePeriod | null;
function licencePeriod(l: LicenceDto | undefined): LicencePeriod | null {
  return l ? { startsOn: l.startsOn, expiresOn: l.expiresOn } : null;
}
