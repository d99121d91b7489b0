import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ImportResult, UserSummary } from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { conflict, normaliseEmail } from '@rehearse/server/core';
import { AccountActivity } from './account-activity.service';
import { InvitationsService } from './invitations.service';
import { parseUserCsv } from './user-import';
import { LicencesRepository } from './licences.repository';
import { UserAdministrationRepository } from './user-administration.repository';
import type { InviteUserDto } from './dto';
import {
  administered,
  inOrder,
  licencePeriod,
  lockedForChange,
  setLicenceIn,
  setRolesIn,
  toSummary,
} from './administered-users';

/**
 * Registering an organisation's people: one by one or from a CSV file, each invited by e-mail
 * (and invited again while they have not accepted), each on the account activity.
 */
@Injectable()
export class UserRegistrationService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly invitations: InvitationsService,
    private readonly users: UserAdministrationRepository,
    private readonly licences: LicencesRepository,
    private readonly activity: AccountActivity,
  ) {}

  async invite(actor: Actor, dto: InviteUserDto): Promise<UserSummary> {
    const tenantId = this.access.tenantOf(actor);
    const email = normaliseEmail(dto.email);
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
        await setRolesIn(this.users, m, tenantId, id, dto.roles);
        if (dto.licence) await setLicenceIn(this.licences, m, tenantId, id, dto.licence);
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
    return toSummary(await administered(this.users, this.db.manager, tenantId, userId));
  }

  async resendInvitation(actor: Actor, id: string): Promise<void> {
    const tenantId = this.access.tenantOf(actor, 'User');
    const invitationId = await this.db.transaction(async (m) => {
      const u = await lockedForChange(this.users, m, tenantId, id);
      if (u.status !== 'invited') throw conflict('This user has already accepted the invitation');
      const created = await this.invitations.create(m, tenantId, id, actor.userId);
      await this.activity.record(m, actor, tenantId, [{ action: 'user.invitation_sent', subjectId: id }]);
      return created.id;
    });
    await this.invitations.enqueue(invitationId);
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
}
