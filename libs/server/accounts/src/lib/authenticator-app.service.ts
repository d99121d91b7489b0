import { HttpStatus, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '@rehearse/server/access';
import { AppError } from '@rehearse/server/core';
import { MfaService } from './mfa.service';
import { Reauthentication } from './reauthentication';
import { TrustedDevicesService } from './trusted-devices.service';
import { SecurityNotices } from './security-notices';

/** The signed-in person adding or removing their authenticator app (trusted devices end; a notice is mailed). */
@Injectable()
export class AuthenticatorAppService {
  constructor(
    private readonly reauth: Reauthentication,
    private readonly mfa: MfaService,
    private readonly devices: TrustedDevicesService,
    private readonly notices: SecurityNotices,
  ) {}

  async begin(actor: Actor, password: string, req: Request) {
    this.reauth.assertNotImpersonating(actor);
    await this.reauth.confirmPassword(actor, password, req, 'password');
    return this.mfa.beginTotp(actor.tenantId, actor.userId, actor.email);
  }

  async enable(actor: Actor, code: string, req: Request): Promise<void> {
    this.reauth.assertNotImpersonating(actor);
    const attempt = await this.reauth.attempt(actor, req);
    await attempt.judge(() => this.mfa.enableTotp(actor.tenantId, actor.userId, code));
    await attempt.succeeded();
    await this.devices.revokeAll(actor.tenantId, actor.userId);
    await this.notices.queue(await this.notices.record(undefined, actor.tenantId, actor.userId, 'totp-enabled'));
  }

  async disable(actor: Actor, password: string, req: Request): Promise<void> {
    this.reauth.assertNotImpersonating(actor);
    if (actor.isSuperuser)
      throw new AppError(HttpStatus.FORBIDDEN, 'forbidden', 'Superusers must keep an authenticator app');
    await this.reauth.confirmPassword(actor, password, req, 'password');
    await this.mfa.disableTotp(actor.tenantId, actor.userId);
    await this.devices.revokeAll(actor.tenantId, actor.userId);
    await this.notices.queue(await this.notices.record(undefined, actor.tenantId, actor.userId, 'totp-disabled'));
  }
}
