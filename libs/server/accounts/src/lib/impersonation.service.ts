import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Request } from 'express';
import type { ImpersonationRecord, Page, SuperuserReport, UserSummary } from '@rehearse/shared/contracts';
import { Actor, PrivacyLogService } from '@rehearse/server/access';
import { APP_CONFIG, AppConfig, AppError, Clock, notFound, containsPattern } from '@rehearse/server/core';
import { SessionsService } from './sessions.service';

/**
 * Superuser impersonation: a reason, a time box, never nested, logged from start to end, with a
 * fresh session id at both ends. While it lasts every request carries the superuser's id.
 */
@Injectable()
export class ImpersonationService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
    private readonly privacy: PrivacyLogService,
  ) {}

  /** People of every organisation, for support: each one listed is a privacy-logged read in their organisation. */
  async findUsers(
    actor: Actor,
    q: string | undefined,
    page: number,
    pageSize: number,
  ): Promise<Page<UserSummary & { tenantName: string }>> {
    return this.privacy.readWithLog(actor, async (m) => {
      const value = await this.userPage(m, q, page, pageSize);
      return {
        value,
        log: value.items.map((u) => ({
          subjectId: u.id,
          tenantId: u.tenantId,
          objectType: 'user_profile',
          objectId: u.id,
          action: 'list',
        })),
      };
    });
  }

  private async userPage(
    m: EntityManager,
    q: string | undefined,
    page: number,
    pageSize: number,
  ): Promise<Page<UserSummary & { tenantName: string; tenantId: string }>> {
    const params: unknown[] = [];
    let where = 'u.is_superuser = false';
    if (q) {
      params.push(containsPattern(q));
      where += ` AND (lower(u.name) LIKE $1 OR u.email LIKE $1 OR lower(t.name) LIKE $1)`;
    }
    const [{ count }] = await m.query(
      `SELECT count(*)::int AS count FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE ${where}`,
      params,
    );
    params.push(pageSize, (page - 1) * pageSize);
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT u.id, u.email, u.name, u.phone, u.status, u.created_at, t.name AS tenant_name, u.tenant_id,
              (SELECT array_agg(m.role ORDER BY m.role) FROM memberships m WHERE m.user_id = u.id) AS roles
         FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE ${where}
        ORDER BY lower(t.name), lower(u.name) LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return {
      items: rows.map((r) => ({
        id: String(r['id']),
        email: String(r['email']),
        name: String(r['name']),
        phone: (r['phone'] as string | null) ?? null,
        status: r['status'] as UserSummary['status'],
        roles: (r['roles'] as UserSummary['roles'] | null) ?? [],
        licence: null,
        createdAt: (r['created_at'] as Date).toISOString(),
        tenantName: String(r['tenant_name']),
        tenantId: String(r['tenant_id']),
      })),
      total: count,
      page,
      pageSize,
    };
  }

  async start(actor: Actor, userId: string, reason: string, req: Request): Promise<void> {
    if (!actor.isSuperuser || actor.impersonatorId) {
      throw new AppError(HttpStatus.FORBIDDEN, 'impersonation_forbidden', 'Impersonation cannot be nested');
    }
    const [target]: { id: string; tenant_id: string | null; status: string; is_superuser: boolean }[] =
      await this.db.query(`SELECT id, tenant_id, status, is_superuser FROM users WHERE id = $1`, [userId]);
    if (!target || target.is_superuser) throw notFound('User');
    if (target.status !== 'active')
      throw new AppError(HttpStatus.CONFLICT, 'conflict', 'Only active users can be impersonated');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.IMPERSONATION_MINUTES * 60_000);
    const id = await this.db.transaction(async (m) => {
      const [row]: { id: string }[] = await m.query(
        `INSERT INTO impersonations (superuser_id, target_user_id, tenant_id, reason, started_at, expires_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
        [actor.userId, target.id, target.tenant_id, reason, now, expiresAt],
      );
      await this.privacy.record(m, actor, {
        subjectId: target.id,
        tenantId: target.tenant_id,
        objectType: 'account',
        objectId: target.id,
        action: 'impersonation_start',
      });
      return row.id;
    });
    const authAt = req.session.auth?.authAt ?? now.getTime();
    await this.sessions.regenerate(req);
    req.session.auth = {
      userId: target.id,
      tenantId: target.tenant_id,
      authAt,
      impersonation: { id, superuserId: actor.userId, expiresAt: expiresAt.getTime() },
    };
    await this.sessions.save(req);
  }

  /** Ends the impersonation and returns the session to the superuser, under a new id. */
  async end(actor: Actor, req: Request): Promise<void> {
    const imp = req.session.auth?.impersonation;
    if (!imp || !actor.impersonatorId)
      throw new AppError(HttpStatus.CONFLICT, 'conflict', 'You are not impersonating anyone');
    await this.db.query(`UPDATE impersonations SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL`, [
      imp.id,
      this.clock.now(),
    ]);
    const authAt = req.session.auth?.authAt ?? this.clock.now().getTime();
    await this.sessions.regenerate(req);
    req.session.auth = { userId: imp.superuserId, tenantId: null, authAt };
    await this.sessions.save(req);
  }

  async report(): Promise<SuperuserReport> {
    const superusers: {
      id: string;
      email: string;
      name: string;
      totp_enabled: boolean;
      status: UserSummary['status'];
    }[] = await this.db.query(
      `SELECT id, email, name, totp_enabled, status FROM users WHERE is_superuser ORDER BY lower(name)`,
    );
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT i.*, s.name AS superuser_name, t2.name AS target_name, tn.name AS tenant_name
         FROM impersonations i JOIN users s ON s.id = i.superuser_id JOIN users t2 ON t2.id = i.target_user_id
         LEFT JOIN tenants tn ON tn.id = i.tenant_id
        ORDER BY i.started_at DESC LIMIT 1000`,
    );
    const impersonations: ImpersonationRecord[] = rows.map((r) => ({
      id: String(r['id']),
      superuserId: String(r['superuser_id']),
      superuserName: String(r['superuser_name']),
      targetUserId: String(r['target_user_id']),
      targetUserName: String(r['target_name']),
      tenantName: (r['tenant_name'] as string | null) ?? null,
      reason: String(r['reason']),
      startedAt: (r['started_at'] as Date).toISOString(),
      expiresAt: (r['expires_at'] as Date).toISOString(),
      endedAt: r['ended_at'] ? (r['ended_at'] as Date).toISOString() : null,
    }));
    return {
      superusers: superusers.map((s) => ({
        id: s.id,
        email: s.email,
        name: s.name,
        totpEnabled: s.totp_enabled,
        status: s.status,
      })),
      impersonations,
    };
  }
}
