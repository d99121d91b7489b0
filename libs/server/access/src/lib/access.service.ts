import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Request } from 'express';
import {
  type AnswerRelation,
  type ExportRelation,
  type GroupRelation,
  type PersonRelation,
  isLocale,
  isTenantRole,
  LIST_PERMISSIONS,
  type ListPermission,
  OBJECT_PERMISSIONS,
  type ObjectPermission,
  type ObjectRelation,
  permissionsFor,
  TenantRole,
} from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, Clock, isUuid, notFound } from '@rehearse/server/core';
import { prepared } from '@rehearse/server/database';
import type { Actor } from './actor';
import { ActorPreload, ActorRow, actorRowSql } from './actor-row';
import { AccessRepository, RelationGrants } from './access.repository';
import { ImpersonationChecksRepository } from './impersonation-checks.repository';

const NOT_FOUND_AS = {
  answer: 'Answer',
  recording: 'Recording',
  export: 'Export',
  group: 'Group',
  person: 'User',
} as const;

/**
 * Which objects a list may show the actor: those of `tenantId` to which `userId` has one of
 * `relations` (the list permission's relations the actor's roles grant; empty: none), not hidden
 * by a licence expired by `today`. The list's repository builds its query from it with the
 * relation fragments of this library (relations.ts).
 */
export interface ListScope {
  tenantId: string;
  userId: string;
  today: string;
  relations: ReadonlySet<AnswerRelation>;
}

/**
 * The access core. Check 1 (authenticated, member of the tenant in scope) and the data for
 * check 2 (role) happen in resolveActor; checks 3 (object) and 4 (visibility) for answers and what
 * belongs to them are `require` and `filter` with an object permission (OBJECT_PERMISSIONS in the
 * contracts), over the relation queries of AccessRepository, and `listScope` for lists (LIST_PERMISSIONS); assertSameTenant and tenantOf are
 * check 3 at tenant level for the objects an organisation holds as a whole.
 */
@Injectable()
export class AccessService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly preload: ActorPreload,
    private readonly relations: AccessRepository,
    private readonly impersonations: ImpersonationChecksRepository,
  ) {}

  /**
   * Checks 3 and 4 for objects: the relations by which the actor may do `permission` to each of
   * `ids`, for those they may (the others are absent: not in the tenant, hidden by an expired
   * licence, not an id at all, or no relation that allows it).
   */
  async filter(
    actor: Actor,
    permission: ObjectPermission,
    ids: readonly string[],
    m?: EntityManager,
  ): Promise<Map<string, ObjectRelation[]>> {
    const out = new Map<string, ObjectRelation[]>();
    const wanted = [...new Set(ids.filter(isUuid))];
    if (!actor.tenantId || !wanted.length) return out;
    const { object, relations: allowing } = OBJECT_PERMISSIONS[permission];
    const found =
      object === 'export'
        ? await this.exportRelations(actor, actor.tenantId, wanted, m)
        : object === 'group'
          ? await this.groupRelations(actor, actor.tenantId, wanted, m)
          : object === 'person'
            ? await this.personRelations(actor, actor.tenantId, wanted, m)
            : await this.answerObjectRelations(actor, actor.tenantId, object, wanted, m);
    for (const id of wanted) {
      const granted = (found.get(id) ?? []).filter((r) => (allowing as readonly ObjectRelation[]).includes(r));
      if (granted.length) out.set(id, granted);
    }
    return out;
  }

  /**
   * Checks 3 and 4 for a list: the actor's scope for `permission` (the relations its roles grant
   * among those the permission names); 404 for an actor outside any organisation.
   */
  listScope(actor: Actor, permission: ListPermission): ListScope {
    const { relations: allowing, listing } = LIST_PERMISSIONS[permission];
    const tenantId = this.tenantOf(actor, listing);
    const grants = this.grants(actor);
    const relations = new Set<AnswerRelation>(allowing.filter((r) => r === 'owner' || grants[r]));
    return { tenantId, userId: actor.userId, today: this.clock.today(), relations };
  }

  /** The relations to others' answers that the actor's roles may hold (owning one's own needs no role). */
  private grants(actor: Actor): RelationGrants {
    return {
      coach: actor.permissions.has('coaching.read'),
      peer: actor.permissions.has('courses.learn'),
      administrator: actor.roles.includes('administrator'),
    };
  }

  /** Relations to answers, or to recordings through the answer each belongs to. */
  private answerObjectRelations(
    actor: Actor,
    tenantId: string,
    object: 'answer' | 'recording',
    ids: string[],
    m?: EntityManager,
  ): Promise<Map<string, AnswerRelation[]>> {
    return this.relations.answerRelations(
      tenantId,
      actor.userId,
      ids,
      this.grants(actor),
      this.clock.today(),
      m,
      object,
    );
  }

  /** A coach of the group (coaching it needs the coach's role permission too, as for answers). */
  private async groupRelations(
    actor: Actor,
    tenantId: string,
    ids: string[],
    m?: EntityManager,
  ): Promise<Map<string, GroupRelation[]>> {
    if (!this.grants(actor).coach) return new Map();
    const coached = await this.relations.coachedGroups(tenantId, actor.userId, ids, m);
    return new Map([...coached].map((id) => [id, ['coach']]));
  }

  /** The person themself; an administrator of their organisation (users.write). */
  private async personRelations(
    actor: Actor,
    tenantId: string,
    ids: string[],
    m?: EntityManager,
  ): Promise<Map<string, PersonRelation[]>> {
    const out = new Map<string, PersonRelation[]>();
    const administers = actor.permissions.has('users.write');
    // one's own data needs no statement (the actor was read with the session, in this organisation)
    const others = ids.filter((id) => id !== actor.userId);
    const people = administers ? await this.relations.peopleOf(tenantId, others, m) : new Set<string>();
    for (const id of ids) {
      const relations: PersonRelation[] = [];
      if (id === actor.userId) relations.push('self');
      if (administers && (id === actor.userId || people.has(id))) relations.push('administrator');
      if (relations.length) out.set(id, relations);
    }
    return out;
  }

  /** The subject of a person's export; an administrator for a person's (users.write) or the organisation's (tenant.write). */
  private async exportRelations(
    actor: Actor,
    tenantId: string,
    ids: string[],
    m?: EntityManager,
  ): Promise<Map<string, ExportRelation[]>> {
    const out = new Map<string, ExportRelation[]>();
    for (const [id, e] of await this.relations.exportsOf(tenantId, ids, m)) {
      const relations: ExportRelation[] = [];
      if (e.scope === 'user' && e.subjectId === actor.userId) relations.push('subject');
      if (actor.permissions.has(e.scope === 'tenant' ? 'tenant.write' : 'users.write')) relations.push('administrator');
      if (relations.length) out.set(id, relations);
    }
    return out;
  }

  /**
   * `filter` for objects a request names: the actor's allowing relations to the one object, or 404
   * (the same answer whether it does not exist or is not theirs to see).
   */
  async require(actor: Actor, permission: ObjectPermission, id: string, m?: EntityManager): Promise<ObjectRelation[]> {
    // the guard checks a route's object and the service asks again: an actor lives for one request,
    // so what was granted to it is remembered with it and not read twice
    const key = `${permission} ${id}`;
    const memo = this.granted.get(actor) ?? new Map<string, ObjectRelation[]>();
    const granted = memo.get(key) ?? (await this.filter(actor, permission, [id], m)).get(id);
    if (!granted) throw notFound(NOT_FOUND_AS[OBJECT_PERMISSIONS[permission].object]);
    this.granted.set(actor, memo.set(key, granted));
    return granted;
  }

  /** What require granted, per actor (one request's actor), forgotten with the actor. */
  private readonly granted = new WeakMap<Actor, Map<string, ObjectRelation[]>>();

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
      await this.impersonations.end(auth.impersonation.id, new Date(auth.impersonation.expiresAt));
      session.auth = { userId: auth.impersonation.superuserId, tenantId: null, authAt: auth.authAt };
      return this.resolveActor(req);
    }
    if (
      auth.impersonation &&
      !(await this.impersonations.stillAllowed(auth.impersonation.id, auth.impersonation.superuserId))
    ) {
      // the real actor is re-checked on every request: a superuser deactivated or demoted, or an
      // impersonation ended elsewhere, ends this session at once
      await this.impersonations.end(auth.impersonation.id, this.clock.now());
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
