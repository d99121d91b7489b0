import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Request } from 'express';
import { isLocale, type Locale, type Me } from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { APP_CONFIG, AppConfig, AppError, badRequest, Clock, conflict, unauthenticated } from '@rehearse/server/core';
import { MailProducer } from '@rehearse/server/mail';
import { checkPassword, PasswordHasher } from './password';
import { SessionsService } from './sessions.service';
import { TrustedDevicesService } from './trusted-devices.service';
import { ImpersonationsRepository } from './impersonations.repository';
import { TenantsRepository } from './tenants.repository';
import { UsersRepository } from './users.repository';
import { MfaService } from './mfa.service';
import { LoginThrottle } from './login-throttle';
import { clientKey } from './client-address';

/** The signed-in user's own account: profile, password, e-mail, second factor. */
@Injectable()
export class AccountService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly access: AccessService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly devices: TrustedDevicesService,
    private readonly mfa: MfaService,
    private readonly mail: MailProducer,
    private readonly throttle: LoginThrottle,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly impersonations: ImpersonationsRepository,
  ) {}

  async meFor(req: Request): Promise<Me> {
    const actor = await this.access.resolveActor(req);
    if (!actor) throw unauthenticated();
    return this.me(actor, req);
  }

  async me(actor: Actor, req: Request): Promise<Me> {
    const u = actor.profile
      ? {
          phone: actor.profile.phone,
          totp_enabled: actor.profile.totpEnabled,
          tenant_name: actor.profile.tenantName,
          locale: actor.profile.locale,
        }
      : await this.users.profileOf(actor.tenantId, actor.userId);
    let impersonation: Me['impersonation'] = null;
    const imp = req.session.auth?.impersonation;
    if (imp) {
      const row = await this.impersonations.describe(imp.id);
      impersonation = {
        id: imp.id,
        superuserId: imp.superuserId,
        superuserName: row?.superuser_name ?? '',
        reason: row?.reason ?? '',
        expiresAt: new Date(imp.expiresAt).toISOString(),
      };
    }
    return {
      id: actor.userId,
      email: actor.email,
      name: actor.name,
      phone: u?.phone ?? null,
      tenantId: actor.tenantId,
      tenantName: u?.tenant_name ?? null,
      roles: actor.roles,
      isSuperuser: actor.isSuperuser,
      totpEnabled: u?.totp_enabled ?? false,
      locale: isLocale(u?.locale) ? u.locale : null,
      permissions: [...actor.permissions].sort(),
      impersonation,
    };
  }

  async updateProfile(actor: Actor, changes: { name?: string; phone?: string | null; locale?: Locale }): Promise<void> {
    await this.users.updateProfile(actor.tenantId, actor.userId, changes);
  }

  /** Credentials are never changed under impersonation. */
  assertNotImpersonating(actor: Actor): void {
    if (actor.impersonatorId) {
      throw new AppError(
        HttpStatus.FORBIDDEN,
        'impersonation_forbidden',
        'Passwords, e-mail addresses and second factors cannot be changed while impersonating',
      );
    }
  }

  /** The password asked again before a credential changes; throttled per account and address like sign-in. */
  private async assertPassword(actor: Actor, password: string, req: Request, field = 'currentPassword'): Promise<void> {
    const attempt = await this.throttle.attempt('reauth', actor.userId, clientKey(req.ip));
    const hash = await this.users.passwordHashOf(actor.tenantId, actor.userId);
    if (!(await this.hasher.verify(password, hash))) {
      throw badRequest('invalid_credentials', 'Your current password is not correct', [
        { field, messages: ['is not correct'] },
      ]);
    }
    await attempt.succeeded();
  }

  private async requireComplexity(tenantId: string | null): Promise<boolean> {
    if (!tenantId) return true; // superusers always use complex passwords
    return this.tenants.requiresPasswordComplexity(tenantId);
  }

  /** New password: other sessions end, trusted devices die, a notice is mailed. */
  async changePassword(actor: Actor, currentPassword: string, newPassword: string, req: Request): Promise<void> {
    this.assertNotImpersonating(actor);
    await this.assertPassword(actor, currentPassword, req);
    const errors = checkPassword(newPassword, {
      requireComplexity: await this.requireComplexity(actor.tenantId),
      email: actor.email,
      name: actor.name,
      field: 'newPassword',
    });
    if (errors.length) throw badRequest('weak_password', 'Choose a stronger password', errors);
    const hash = await this.hasher.hash(newPassword);
    await this.db.transaction(async (m) => {
      await this.users.setPassword(actor.tenantId, actor.userId, hash, this.clock.now(), {}, m);
      await this.devices.revokeAll(actor.tenantId, actor.userId, m);
      await this.sessions.endAllForUser(actor.userId, req.sessionID, m);
    });
    await this.mail.send(
      'security-notice',
      { userId: actor.userId, notice: 'password-changed' },
      `pw:${actor.userId}:${Date.now()}`,
    );
  }

  async changeEmail(actor: Actor, password: string, email: string, req: Request): Promise<void> {
    this.assertNotImpersonating(actor);
    await this.assertPassword(actor, password, req, 'password');
    const next = email.trim().toLowerCase();
    // unique within the organisation (a superuser's among everybody): accounts elsewhere are never told
    if (await this.users.emailTaken(actor.tenantId, next, undefined, actor.userId))
      throw conflict('This e-mail address is already in use');
    // notify the old address, then switch
    await this.mail.send(
      'security-notice',
      { userId: actor.userId, notice: 'email-changed' },
      `email-old:${actor.userId}:${Date.now()}`,
    );
    await this.users.setEmail(actor.tenantId, actor.userId, next);
  }

  async beginTotp(actor: Actor, password: string, req: Request) {
    this.assertNotImpersonating(actor);
    await this.assertPassword(actor, password, req, 'password');
    return this.mfa.beginTotp(actor.tenantId, actor.userId, actor.email);
  }

  async enableTotp(actor: Actor, code: string, req: Request): Promise<void> {
    this.assertNotImpersonating(actor);
    const attempt = await this.throttle.attempt('reauth', actor.userId, clientKey(req.ip));
    await this.mfa.enableTotp(actor.tenantId, actor.userId, code);
    await attempt.succeeded();
    await this.devices.revokeAll(actor.tenantId, actor.userId);
    await this.mail.send(
      'security-notice',
      { userId: actor.userId, notice: 'totp-enabled' },
      `totp-on:${actor.userId}:${Date.now()}`,
    );
  }

  async disableTotp(actor: Actor, password: string, req: Request): Promise<void> {
    this.assertNotImpersonating(actor);
    if (actor.isSuperuser)
      throw new AppError(HttpStatus.FORBIDDEN, 'forbidden', 'Superusers must keep an authenticator app');
    await this.assertPassword(actor, password, req, 'password');
    await this.mfa.disableTotp(actor.tenantId, actor.userId);
    await this.devices.revokeAll(actor.tenantId, actor.userId);
    await this.mail.send(
      'security-notice',
      { userId: actor.userId, notice: 'totp-disabled' },
      `totp-off:${actor.userId}:${Date.now()}`,
    );
  }
}
