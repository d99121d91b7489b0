import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Request } from 'express';
import type { Actor } from '@rehearse/server/access';
import { badRequest, Clock, unauthenticated } from '@rehearse/server/core';
import { NewPassword } from './new-password';
import { checkPassword, PasswordHasher } from './password';
import { Reauthentication } from './reauthentication';
import { TenantsRepository } from './tenants.repository';

/** The signed-in person changing their password (asked again first; a notice mailed). A new e-mail address: EmailChangeService. */
@Injectable()
export class CredentialsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly reauth: Reauthentication,
    private readonly hasher: PasswordHasher,
    private readonly passwords: NewPassword,
    private readonly tenants: TenantsRepository,
  ) {}

  private async requireComplexity(tenantId: string | null): Promise<boolean> {
    if (!tenantId) return true; // superusers always use complex passwords
    return this.tenants.requiresPasswordComplexity(tenantId);
  }

  /** New password: other sessions end, trusted devices die, a notice is mailed. */
  async changePassword(actor: Actor, currentPassword: string, newPassword: string, req: Request): Promise<void> {
    this.reauth.assertNotImpersonating(actor);
    await this.reauth.confirmPassword(actor, currentPassword, req);
    const errors = checkPassword(newPassword, {
      requireComplexity: await this.requireComplexity(actor.tenantId),
      email: actor.email,
      name: actor.name,
      field: 'newPassword',
    });
    if (errors.length) throw badRequest('weak_password', 'Choose a stronger password', errors);
    const hash = await this.hasher.hash(newPassword);
    const notice = await this.db.transaction((m) =>
      this.passwords.set(m, actor.tenantId, actor.userId, hash, this.clock.now(), req.sessionID),
    );
    // the account was erased while they typed: their session is no one's any more
    if (!notice) throw unauthenticated();
    await this.passwords.announce(notice);
  }
}
