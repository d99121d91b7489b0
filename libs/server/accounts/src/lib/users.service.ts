import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AdminHome, LicencesSet, Page, TenantRole, UserDetail, UserSummary } from '@rehearse/shared/contracts';
import { LICENCE_WARNING_DAYS, type LicenceFilterName } from '@rehearse/shared/contracts';
import { AccessService, Actor, PrivacyLogService } from '@rehearse/server/access';
import { AppError, Clock, conflict, containsPattern, notFound } from '@rehearse/server/core';
import { AccountActivity } from './account-activity.service';
import { SessionsService } from './sessions.service';
import { InvitationsRepository } from './invitations.repository';
import { LicencesRepository } from './licences.repository';
import {
  type AdministeredUser,
  type LicenceFilter,
  UserAdministrationRepository,
} from './user-administration.repository';
import type { LicenceDto, ListUsersQuery } from './dto';
import {
  administered,
  checkLicence,
  inOrder,
  licencePeriod,
  lockedForChange,
  setLicenceIn,
  setRolesIn,
  toSummary,
} from './administered-users';

/**
 * Administration of a tenant's people: finding them, their profiles, roles, licences and whether
 * they may sign in (their registration: UserRegistrationService). Every query is scoped by the
 * actor's tenant.
 */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
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

  /** Opening another person's profile is a privacy-logged read. */
  async get(actor: Actor, id: string): Promise<UserDetail> {
    const tenantId = this.access.tenantOf(actor, 'User');
    return this.privacy.readWithLog(actor, async (m) => {
      const r = await administered(this.users, m, tenantId, id);
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

  async setRoles(actor: Actor, id: string, roles: TenantRole[]): Promise<UserSummary> {
    const tenantId = this.access.tenantOf(actor, 'User');
    await this.db.transaction(async (m) => {
      const u = await lockedForChange(this.users, m, tenantId, id);
      if (id === actor.userId && !roles.includes('administrator')) {
        throw new AppError(HttpStatus.CONFLICT, 'conflict', 'You cannot remove your own administrator role');
      }
      if (!roles.includes('administrator')) await this.keepAnAdministrator(m, tenantId, u);
      await setRolesIn(this.users, m, tenantId, id, roles);
      const [before, after] = [inOrder((u.roles ?? []) as TenantRole[]), inOrder(roles)];
      if (before.join() !== after.join())
        await this.activity.record(m, actor, tenantId, [
          { action: 'user.roles_changed', subjectId: id, details: { previousRoles: before, roles: after } },
        ]);
    });
    return toSummary(await administered(this.users, this.db.manager, tenantId, id));
  }

  /**
   * An organisation keeps an active administrator: two administrators taking the role from each
   * other (or deactivating each other) at once both passed the guard, and left none. The
   * administrators are locked, so the second change sees what the first left.
   */
  private async keepAnAdministrator(m: EntityManager, tenantId: string, losing: AdministeredUser): Promise<void> {
    // (read after the person's lock: someone who is no administrator loses none)
    if (!losing.roles?.includes('administrator')) return;
    const admins = await this.users.lockActiveAdministrators(tenantId, m);
    if (admins.includes(losing.id) && admins.length === 1)
      throw conflict('The organisation needs at least one active administrator');
  }

  async setLicence(actor: Actor, id: string, licence: LicenceDto): Promise<UserSummary> {
    const tenantId = this.access.tenantOf(actor, 'User');
    await this.db.transaction(async (m) => {
      const u = await lockedForChange(this.users, m, tenantId, id);
      await setLicenceIn(this.licences, m, tenantId, id, licence);
      const before = u.starts_on && u.expires_on ? { startsOn: u.starts_on, expiresOn: u.expires_on } : null;
      const after = licencePeriod(licence);
      if (before?.startsOn !== after.startsOn || before?.expiresOn !== after.expiresOn)
        await this.activity.record(m, actor, tenantId, [
          { action: 'user.licence_changed', subjectId: id, details: { previousLicence: before, licence: after } },
        ]);
    });
    return toSummary(await administered(this.users, this.db.manager, tenantId, id));
  }

  /**
   * One licence for several of the organisation's people at once (a year's renewal, a group's), in
   * one transaction: every id must be a person of the organisation, or nothing changes (404). Each
   * person whose licence changes is on the account activity, as a change one by one would be.
   */
  async setLicences(actor: Actor, userIds: readonly string[], licence: LicenceDto): Promise<LicencesSet> {
    const tenantId = this.access.tenantOf(actor, 'User');
    checkLicence(licence);
    const after = licencePeriod(licence);
    const changed = await this.db.transaction(async (m) => {
      const people = await this.users.lockManyForChange(tenantId, userIds, m);
      // another organisation's person is as unknown as nobody
      if (people.length !== new Set(userIds).size) throw notFound('User');
      const changes = people.filter((p) => p.starts_on !== after.startsOn || p.expires_on !== after.expiresOn);
      await this.licences.upsertMany(
        tenantId,
        changes.map((p) => p.id),
        after.startsOn,
        after.expiresOn,
        m,
      );
      await this.activity.record(
        m,
        actor,
        tenantId,
        changes.map((p) => ({
          action: 'user.licence_changed' as const,
          subjectId: p.id,
          details: {
            previousLicence: p.starts_on && p.expires_on ? { startsOn: p.starts_on, expiresOn: p.expires_on } : null,
            licence: after,
          },
        })),
      );
      return changes.length;
    });
    return { changed };
  }

  /** Deactivation ends every session of the user at once. */
  async setActive(actor: Actor, id: string, active: boolean): Promise<UserSummary> {
    const tenantId = this.access.tenantOf(actor, 'User');
    await this.db.transaction(async (m) => {
      const u = await lockedForChange(this.users, m, tenantId, id);
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
    return toSummary(await administered(this.users, this.db.manager, tenantId, id));
  }
}
