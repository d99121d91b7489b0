import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Request } from 'express';
import { isLocale, isTenantRole, permissionsFor, TenantRole } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, Clock, notFound } from '@rehearse/server/core';
import { prepared } from '@rehearse/server/database';
import type { Actor } from './actor';
import { ActorPreload, ActorRow, actorRowSql } from './actor-row';

/**
 * The access core. Check 1 (authenticated, member of the tenant in scope) and the data for
 * check 2 (role) happen in resolveActor; checks 3 (object) and 4 (visibility) are the
 * assert* helpers that services call with the object they loaded.
 */
@Injectable()
export class AccessService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly preload: ActorPreload,
  ) {}

  /** Rebuilds the actor from the session and the database; null when not (or no longer) signed in. */
  async resolveActor(req: Request): Promise<Actor | null> {
    const session = req.session;
    const auth = session?.auth;
    if (!auth) return null;
    const now = this.clock.now().getTime();
    const absoluteMs = this.config.SESSION_ABSOLUTE_HOURS * 3600_000;
    if (!session.createdAt || now - session.createdAt > absoluteMs) {
      await new Promise<void>((resolve) => session.destroy(() => resolve()));
      return null;
    }
    if (auth.impersonation && auth.impersonation.expiresAt <= now) {
      await this.db.query(`UPDATE impersonations SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL`, [
        auth.impersonation.id,
        new Date(auth.impersonation.expiresAt),
      ]);
      session.auth = { userId: auth.impersonation.superuserId, tenantId: null, authAt: auth.authAt };
      return this.resolveActor(req);
    }
    if (
      auth.impersonation &&
      !(await this.impersonatorStillAllowed(auth.impersonation.id, auth.impersonation.superuserId))
    ) {
      // the real actor is re-checked on every request: a superuser deactivated or demoted, or an
      // impersonation ended elsewhere, ends this session at once
      await this.db.query(`UPDATE impersonations SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL`, [
        auth.impersonation.id,
        this.clock.now(),
      ]);
      await new Promise<void>((resolve) => session.destroy(() => resolve()));
      return null;
    }
    // the person, their roles in the tenant and their profile: read with the session where the
    // session store could (ActorPreload), otherwise in one round trip of its own
    const rows: ActorRow[] = [];
    const preloaded = this.preload.take(req, auth.userId);
    if (preloaded) rows.push(preloaded);
    else rows.push(...(await prepared<ActorRow>(this.db, 'rehearse-actor', actorRowSql('$1'), [auth.userId])));
    const user = rows[0];
    if (!user || user.status !== 'active' || user.tenant_id !== auth.tenantId) {
      await new Promise<void>((resolve) => session.destroy(() => resolve()));
      return null;
    }
    const roles: TenantRole[] = user.tenant_id ? user.roles.filter(isTenantRole) : [];
    const impersonating = auth.impersonation ?? null;
    return {
      userId: user.id,
      tenantId: user.tenant_id,
      name: user.name,
      email: user.email,
      roles,
      // a superuser acting as someone has that person's powers only
      isSuperuser: user.is_superuser && !impersonating,
      permissions: permissionsFor(roles, user.is_superuser && !impersonating),
      impersonatorId: impersonating?.superuserId ?? null,
      impersonationId: impersonating?.id ?? null,
      profile: {
        phone: user.phone,
        totpEnabled: user.totp_enabled,
        tenantName: user.tenant_name,
        locale: isLocale(user.locale) ? user.locale : null,
      },
    };
  }

  private async impersonatorStillAllowed(impersonationId: string, superuserId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM impersonations i JOIN users s ON s.id = i.superuser_id
        WHERE i.id = $1 AND i.superuser_id = $2 AND i.ended_at IS NULL AND s.status = 'active' AND s.is_superuser AND s.tenant_id IS NULL`,
      [impersonationId, superuserId],
    );
    return rows.length === 1;
  }

  /** Check 3 at tenant level: an object of another tenant is invisible (404, not 403). */
  assertSameTenant(actor: Actor, tenantId: string | null | undefined, what = 'Resource'): void {
    if (!tenantId || actor.tenantId !== tenantId) throw notFound(what);
  }

  /** The tenant in scope for a tenant-level route; superusers have none. */
  tenantOf(actor: Actor, what = 'Resource'): string {
    if (!actor.tenantId) throw notFound(what);
    return actor.tenantId;
  }
}
