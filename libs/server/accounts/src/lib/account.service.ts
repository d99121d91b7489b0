import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { isLocale, type Locale, type Me } from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { APP_CONFIG, type AppConfig, unauthenticated } from '@rehearse/server/core';
import { ImpersonationsRepository } from './impersonations.repository';
import { UsersRepository } from './users.repository';

/**
 * The signed-in person's own account as they see it (who they are, their roles, permissions and an
 * impersonation in progress) and their profile. Credentials are CredentialsService's and
 * AuthenticatorAppService's.
 */
@Injectable()
export class AccountService {
  constructor(
    private readonly access: AccessService,
    private readonly users: UsersRepository,
    private readonly impersonations: ImpersonationsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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
      session: {
        idleMinutes: this.config.SESSION_IDLE_MINUTES,
        endsAt: new Date((req.session.createdAt ?? 0) + this.config.SESSION_ABSOLUTE_HOURS * 3600_000).toISOString(),
      },
    };
  }

  async updateProfile(actor: Actor, changes: { name?: string; phone?: string | null; locale?: Locale }): Promise<void> {
    await this.users.updateProfile(actor.tenantId, actor.userId, changes);
  }
}
