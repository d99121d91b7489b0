import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { lockRow, type Queryable, rows, run, typed } from '@rehearse/server/database';

/** A person as administration shows them. */
export interface AdministeredUser {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  status: string;
  created_at: Date;
  last_sign_in_at: Date | null;
  totp_enabled: boolean;
  starts_on: string | null;
  expires_on: string | null;
  roles: string[] | null;
}

/**
 * The people whose licence has ended by `today` (their answers hidden), who have none, or whose
 * licence ends within `days` after it (not ended yet; people not deactivated).
 */
export type LicenceFilter =
  { is: 'ended'; today: string } | { is: 'ending'; today: string; days: number } | { is: 'none' };

/**
 * Administration's statements on the organisation's people (`users` and their `memberships`): the
 * list and one person as administrators see them, people invited, roles, (de)activation, and the
 * locks that make changes to one person, and to the organisation's administrators, run one after
 * another.
 */
@Injectable()
export class UserAdministrationRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Locks the person's row until the transaction `m` ends, so that changes to one person (roles,
   * licence, status) run one after another: two at once deadlocked on their memberships. False
   * when the organisation has no such person.
   */
  lockForChange(tenantId: string, id: string, m: Queryable): Promise<boolean> {
    return lockRow(m, 'users', tenantId, id);
  }

  /**
   * Several of the organisation's people, locked until the transaction `m` ends (in the order of
   * their ids, so that two such changes never wait on each other crosswise), each with their licence
   * then (null: none). The ids of other organisations' people, or of nobody, are not among them.
   */
  async lockManyForChange(
    tenantId: string,
    ids: readonly string[],
    m: Queryable,
  ): Promise<{ id: string; starts_on: string | null; expires_on: string | null }[]> {
    const locked = typed
      .selectFrom('users')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', [...ids]);
    await run(m, locked.orderBy('id').forUpdate());
    return rows(
      m,
      typed
        .selectFrom('users as u')
        .leftJoin('licences as l', (j) => j.onRef('l.user_id', '=', 'u.id').onRef('l.tenant_id', '=', 'u.tenant_id'))
        .select([
          'u.id',
          sql<string | null>`to_char(l.starts_on, 'YYYY-MM-DD')`.as('starts_on'),
          sql<string | null>`to_char(l.expires_on, 'YYYY-MM-DD')`.as('expires_on'),
        ])
        .where('u.tenant_id', '=', tenantId)
        .where('u.id', 'in', [...ids]),
    );
  }

  /**
   * The organisation's active administrators, with every administrator membership locked until the
   * transaction `m` ends (in the order of their ids, so that two such changes never wait on each
   * other crosswise). Read in a statement after the lock, which sees what a change that held it
   * left: a locking read re-checks the locked rows alone, not a person's status joined to them.
   */
  async lockActiveAdministrators(tenantId: string, m: Queryable): Promise<string[]> {
    const administrators = typed
      .selectFrom('memberships as ms')
      .select('ms.user_id')
      .where('ms.tenant_id', '=', tenantId)
      .where('ms.role', '=', 'administrator');
    await run(m, administrators.orderBy('ms.user_id').forUpdate());
    const active = await rows(
      m,
      administrators.innerJoin('users as u', 'u.id', 'ms.user_id').where('u.status', '=', 'active'),
    );
    return active.map((r) => r.user_id);
  }

  /** A person as administration shows them: profile, roles and licence (undefined: not in the organisation). */
  async administered(tenantId: string, userId: string, m: Queryable = this.db): Promise<AdministeredUser | undefined> {
    const [row] = await rows(m, this.administeredRows(tenantId).where('u.id', '=', userId));
    return row as AdministeredUser | undefined;
  }

  /**
   * The organisation's people matching the filter (name or address containing `pattern`, a role,
   * a status), by name, a page at a time, with how many match in all.
   */
  async administeredPage(
    tenantId: string,
    filter: { pattern?: string; role?: string; status?: string; licence?: LicenceFilter; withoutGroup?: boolean },
    page: { limit: number; offset: number },
    m: Queryable,
  ): Promise<{ total: number; people: AdministeredUser[] }> {
    // the filter's conditions, each a parameterised fragment on the alias u (users)
    const conditions = [sql<boolean>`u.tenant_id = ${tenantId}`];
    if (filter.pattern !== undefined)
      conditions.push(sql<boolean>`(lower(u.name) LIKE ${filter.pattern} OR u.email LIKE ${filter.pattern})`);
    if (filter.role !== undefined)
      conditions.push(
        sql<boolean>`EXISTS (SELECT 1 FROM memberships ms WHERE ms.user_id = u.id AND ms.tenant_id = u.tenant_id AND ms.role = ${filter.role})`,
      );
    if (filter.status !== undefined) conditions.push(sql<boolean>`u.status = ${filter.status}`);
    const licence = filter.licence;
    if (licence?.is === 'none')
      conditions.push(
        sql<boolean>`NOT EXISTS (SELECT 1 FROM licences l WHERE l.user_id = u.id AND l.tenant_id = u.tenant_id)`,
      );
    else if (licence?.is === 'ended')
      conditions.push(
        sql<boolean>`EXISTS (SELECT 1 FROM licences l WHERE l.user_id = u.id AND l.tenant_id = u.tenant_id AND l.expires_on <= ${licence.today}::date)`,
      );
    else if (licence?.is === 'ending')
      // as the administrator's home page counts them (LicencesRepository.endingSoon): not ended, and
      // of people who have not been deactivated
      conditions.push(
        sql<boolean>`u.status <> 'deactivated' AND EXISTS (SELECT 1 FROM licences l WHERE l.user_id = u.id AND l.tenant_id = u.tenant_id
                       AND l.expires_on > ${licence.today}::date AND l.expires_on <= ${licence.today}::date + ${licence.days}::int)`,
      );
    if (filter.withoutGroup)
      // as participantsWithoutGroup counts them (the home page): a participant's membership not in a group
      conditions.push(
        sql<boolean>`u.status <> 'deactivated' AND EXISTS (SELECT 1 FROM memberships ms WHERE ms.user_id = u.id AND ms.tenant_id = u.tenant_id
                       AND ms.role = 'participant' AND NOT ms.in_group)`,
      );
    const matching = sql<boolean>`${sql.join(conditions, sql` AND `)}`;
    const [{ total }] = await rows(
      m,
      typed
        .selectFrom('users as u')
        .select(sql<number>`count(*)::int`.as('total'))
        .where(matching),
    );
    const people = await rows(
      m,
      this.administeredRows(tenantId)
        .where(matching)
        .orderBy(sql`u.name COLLATE natural_order`)
        .orderBy('u.id')
        .limit(page.limit)
        .offset(page.offset),
    );
    return { total, people: people as AdministeredUser[] };
  }

  private administeredRows(tenantId: string) {
    return typed
      .selectFrom('users as u')
      .leftJoin('licences as l', (j) => j.onRef('l.user_id', '=', 'u.id').onRef('l.tenant_id', '=', 'u.tenant_id'))
      .select((eb) => [
        'u.id',
        'u.email',
        'u.name',
        'u.phone',
        'u.status',
        'u.created_at',
        'u.last_sign_in_at',
        'u.totp_enabled',
        sql<string | null>`to_char(l.starts_on, 'YYYY-MM-DD')`.as('starts_on'),
        sql<string | null>`to_char(l.expires_on, 'YYYY-MM-DD')`.as('expires_on'),
        eb
          .selectFrom('memberships as ms')
          .select(sql<string[]>`array_agg(ms.role ORDER BY ms.role)`.as('r'))
          .whereRef('ms.user_id', '=', 'u.id')
          .whereRef('ms.tenant_id', '=', 'u.tenant_id')
          .as('roles'),
      ])
      .where('u.tenant_id', '=', tenantId);
  }

  /**
   * Participants of the organisation (not deactivated) in no group, by name (at most `limit`), with
   * how many there are in all: the participants whose membership is not `in_group` (kept by
   * triggers on courses' group members, migration ParticipantsInGroup), read from their own
   * index, so the work grows with the participants in no group and not with the organisation.
   */
  async participantsWithoutGroup(
    tenantId: string,
    limit: number,
    m: Queryable,
  ): Promise<{ id: string; name: string; total: number }[]> {
    return rows(
      m,
      typed
        // materialised, so PostgreSQL starts from that index rather than walking the whole
        // organisation by name for the page (the count needs every row anyway); each person is
        // then looked up by id (a hash of every person of the organisation would grow with it)
        .with(
          (cte) => cte('alone').materialized(),
          (db) =>
            db
              .selectFrom('memberships')
              .select('user_id')
              .where('tenant_id', '=', tenantId)
              .where('role', '=', 'participant')
              .where('in_group', '=', false),
        )
        .selectFrom('alone as a')
        .innerJoinLateral(
          (eb) =>
            eb
              .selectFrom('users')
              .select(['users.id', 'users.name'])
              .whereRef('users.id', '=', 'a.user_id')
              .where('users.tenant_id', '=', tenantId)
              .where('users.status', '<>', 'deactivated')
              .limit(1)
              .as('u'),
          (join) => join.onTrue(),
        )
        .select(['u.id', 'u.name', sql<number>`count(*) OVER ()::int`.as('total')])
        .orderBy(sql`u.name COLLATE natural_order`)
        .orderBy('u.id')
        .limit(limit),
    );
  }

  /** Which of these addresses are taken in the organisation or by a superuser. */
  async emailsTaken(tenantId: string, emails: string[], m: Queryable = this.db): Promise<Set<string>> {
    if (!emails.length) return new Set();
    const found = await rows(
      m,
      typed
        .selectFrom('users')
        .select('email')
        .where('email', 'in', emails)
        .where((eb) => eb.or([eb('tenant_id', '=', tenantId), eb('tenant_id', 'is', null)])),
    );
    return new Set(found.map((r) => r.email));
  }

  /**
   * An invited person (no password yet) of the organisation; the invitation speaks the inviting
   * administrator's language until the person chooses. Their id.
   */
  async insertInvited(
    tenantId: string,
    person: { email: string; name: string; phone: string | null },
    invitedBy: string,
    m: Queryable,
  ): Promise<string> {
    const [row] = await rows(
      m,
      typed
        .insertInto('users')
        .values((eb) => ({
          tenant_id: tenantId,
          email: person.email,
          name: person.name,
          phone: person.phone,
          status: 'invited',
          locale: eb.selectFrom('users as inviter').select('inviter.locale').where('inviter.id', '=', invitedBy),
        }))
        .returning('id'),
    );
    return row.id;
  }

  /**
   * Many invited people at once (an import), as insertInvited makes each: one statement whatever
   * their number. Their ids by e-mail address (the addresses are distinct).
   */
  async insertInvitedMany(
    tenantId: string,
    people: readonly { email: string; name: string; phone: string | null }[],
    invitedBy: string,
    m: Queryable,
  ): Promise<Map<string, string>> {
    if (!people.length) return new Map();
    const made = await rows(
      m,
      typed
        .insertInto('users')
        .columns(['tenant_id', 'email', 'name', 'phone', 'status', 'locale'])
        .expression(
          sql`SELECT ${tenantId}::uuid, p.email, p.name, p.phone, 'invited', (SELECT locale FROM users WHERE id = ${invitedBy}::uuid)
                FROM unnest(${people.map((p) => p.email)}::text[], ${people.map((p) => p.name)}::text[], ${people.map((p) => p.phone)}::text[]) AS p(email, name, phone)`,
        )
        .returning(['id', 'email']),
    );
    return new Map(made.map((r) => [r.email, r.id]));
  }

  /** Roles of people who have none yet (just made): one statement for all of them. */
  async addRolesOfNew(
    tenantId: string,
    roles: readonly { userId: string; role: string }[],
    m: Queryable,
  ): Promise<void> {
    if (!roles.length) return;
    await run(
      m,
      typed
        .insertInto('memberships')
        .columns(['tenant_id', 'user_id', 'role'])
        .expression(
          sql`SELECT ${tenantId}::uuid, r.user_id, r.role FROM unnest(${roles.map((r) => r.userId)}::uuid[], ${roles.map((r) => r.role)}::text[]) AS r(user_id, role)`,
        )
        .onConflict((oc) => oc.doNothing()),
    );
  }

  /** The person's roles in the organisation become exactly `roles`. */
  async setRoles(tenantId: string, userId: string, roles: readonly string[], m: Queryable): Promise<void> {
    let removal = typed.deleteFrom('memberships').where('tenant_id', '=', tenantId).where('user_id', '=', userId);
    if (roles.length) removal = removal.where('role', 'not in', roles);
    await run(m, removal);
    if (!roles.length) return;
    await run(
      m,
      typed
        .insertInto('memberships')
        .values(roles.map((role) => ({ tenant_id: tenantId, user_id: userId, role })))
        .onConflict((oc) => oc.doNothing()),
    );
  }

  /** Active again: active with a password, invited without one. */
  async reactivate(tenantId: string, userId: string, m: Queryable): Promise<void> {
    await run(
      m,
      typed
        .updateTable('users')
        .set({
          status: sql<string>`CASE WHEN password_hash IS NOT NULL THEN 'active' ELSE 'invited' END`,
          updated_at: sql<Date>`now()`,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', userId),
    );
  }

  /** Deactivated; the security stamp rotates (trusted devices die). */
  async deactivate(tenantId: string, userId: string, m: Queryable): Promise<void> {
    await run(
      m,
      typed
        .updateTable('users')
        .set({ status: 'deactivated', security_stamp: sql<string>`gen_random_uuid()`, updated_at: sql<Date>`now()` })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', userId),
    );
  }
}
