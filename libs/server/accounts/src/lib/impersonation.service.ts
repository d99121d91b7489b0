import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Request } from 'express';
import type { ImpersonationRecord, Page, SuperuserReport, UserSummary } from '@rehearse/shared/contracts';
import { Actor, PrivacyLogService } from '@rehearse/server/access';
import { APP_CONFIG, AppConfig, AppError, Clock, notFound, containsPattern } from '@rehearse/server/core';
import { SessionsService } from './sessions.service';
import {
  type ImpersonationCursor,
  type ImpersonationFilter,
  ImpersonationsRepository,
} from './impersonations.repository';
import { SuperusersRepository } from './superusers.repository';

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
    private readonly users: SuperusersRepository,
    private readonly impersonations: ImpersonationsRepository,
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
    const { total, people } = await this.users.searchAcrossOrganisations(
      q ? containsPattern(q) : null,
      { limit: pageSize, offset: (page - 1) * pageSize },
      m,
    );
    return {
      items: people.map((r) => ({
        id: r.id,
        email: r.email,
        name: r.name,
        phone: r.phone,
        status: r.status as UserSummary['status'],
        roles: (r.roles ?? []) as UserSummary['roles'],
        licence: null,
        createdAt: r.created_at.toISOString(),
        tenantName: r.tenant_name,
        tenantId: r.tenant_id,
      })),
      total,
      page,
      pageSize,
    };
  }

  async start(actor: Actor, userId: string, reason: string, req: Request): Promise<void> {
    if (!actor.isSuperuser || actor.impersonatorId) {
      throw new AppError(HttpStatus.FORBIDDEN, 'impersonation_forbidden', 'Impersonation cannot be nested');
    }
    const target = await this.users.impersonationTarget(userId);
    if (!target || target.is_superuser) throw notFound('User');
    if (target.status !== 'active')
      throw new AppError(HttpStatus.CONFLICT, 'conflict', 'Only active users can be impersonated');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.IMPERSONATION_MINUTES * 60_000);
    const id = await this.db.transaction(async (m) => {
      // one at a time: a superuser who starts another (in another browser, or twice at once) ends
      // the earlier, whose session ends at its next request (as for any impersonation ended elsewhere)
      await this.impersonations.endRunningOf(actor.userId, now, m);
      const started = await this.impersonations.start(
        {
          superuserId: actor.userId,
          targetUserId: target.id,
          tenantId: target.tenant_id,
          reason,
          startedAt: now,
          expiresAt,
        },
        m,
      );
      // the row names the impersonation, so the person's log can say why (its reason)
      await this.privacy.record(m, actor, {
        subjectId: target.id,
        tenantId: target.tenant_id,
        objectType: 'impersonation',
        objectId: started,
        action: 'impersonation_start',
      });
      return started;
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
    await this.impersonations.end(imp.id, this.clock.now());
    const authAt = req.session.auth?.authAt ?? this.clock.now().getTime();
    await this.sessions.regenerate(req);
    req.session.auth = { userId: imp.superuserId, tenantId: null, authAt };
    await this.sessions.save(req);
  }

  /**
   * The operator's review of a period: every superuser (by name) with how many impersonations they
   * started in it, and how many were started in all (one by a former superuser too).
   */
  async report(filter: ImpersonationFilter, asked: { from?: string; before?: string }): Promise<SuperuserReport> {
    const [superusers, counts] = await Promise.all([
      this.users.superusers(),
      this.impersonations.countsBySuperuser({ from: filter.from, before: filter.before }),
    ]);
    return {
      from: asked.from ?? null,
      before: asked.before ?? null,
      superusers: superusers.map((s) => ({
        id: s.id,
        email: s.email,
        name: s.name,
        totpEnabled: s.totp_enabled,
        status: s.status as UserSummary['status'],
        impersonationCount: counts.get(s.id) ?? 0,
      })),
      impersonationCount: [...counts.values()].reduce((a, n) => a + n, 0),
    };
  }

  /** The impersonations of a period (and of one superuser), newest first, a page at a time. */
  async list(filter: ImpersonationFilter, page: number, pageSize: number): Promise<Page<ImpersonationRecord>> {
    const { total, items } = await this.impersonations.page(filter, {
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return { items, total, page, pageSize };
  }

  /** Every impersonation of the filter, oldest first, in batches (keyset): a CSV export holds one batch in memory. */
  async *batches(filter: ImpersonationFilter, batch = 1000): AsyncGenerator<ImpersonationRecord[]> {
    let after: ImpersonationCursor | null = null;
    for (;;) {
      const { items, last } = await this.impersonations.batchAfter(filter, after, batch);
      if (items.length) yield items;
      if (items.length < batch) return;
      after = last;
    }
  }
}
