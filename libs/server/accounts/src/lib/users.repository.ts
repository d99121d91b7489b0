import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { lockRow, type Queryable, rows, run, typed } from '@rehearse/server/database';

/** Whom an e-mail goes to. */
export interface MailRecipient {
  id: string;
  tenant_id: string | null;
  email: string;
  name: string;
  locale: string | null;
  status: string;
}

/**
 * The statements of accounts on a person's row in `users` (the authenticator app's columns are
 * UserTotpRepository's). Each method takes the tenant first (null: a superuser) and reaches the
 * person only within it.
 */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Whether the person belongs to the organisation. */
  async exists(tenantId: string | null, userId: string): Promise<boolean> {
    const found = await rows(
      this.db,
      typed
        .selectFrom('users')
        .select(sql<number>`1`.as('one'))
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', userId),
    );
    return found.length === 1;
  }

  /** The person's password hash (null: none set yet); undefined when there is no such person. */
  async passwordHashOf(tenantId: string | null, userId: string): Promise<string | null | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('users')
        .select('password_hash')
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', userId),
    );
    return row?.password_hash;
  }

  /**
   * A new password hash, changed at `at`; the security stamp rotates, so trusted devices made
   * before it die. `activate`: an invited person's first password also makes the account active.
   * Whether the person was found.
   */
  async setPassword(
    tenantId: string | null,
    userId: string,
    hash: string,
    at: Date,
    { activate = false }: { activate?: boolean } = {},
    m: Queryable = this.db,
  ): Promise<boolean> {
    const { count } = await run(
      m,
      typed
        .updateTable('users')
        .set({
          password_hash: hash,
          password_changed_at: at,
          security_stamp: sql<string>`gen_random_uuid()`,
          updated_at: sql<Date>`now()`,
          ...(activate ? { status: 'active' } : {}),
        })
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', userId),
    );
    return count === 1;
  }

  /**
   * The active accounts that an address may sign in to, each with its organisation, superusers
   * first: the one read without a tenant, since signing in is how the tenant becomes known
   * (`organisationSlug` narrows it to one organisation).
   * @withoutTenant signing in is how the organisation becomes known
   */
  async signInCandidates(email: string, organisationSlug: string | null): Promise<SignInCandidate[]> {
    let statement = typed
      .selectFrom('users as u')
      .leftJoin('tenants as t', 't.id', 'u.tenant_id')
      .select([
        'u.id',
        'u.tenant_id',
        'u.password_hash',
        'u.status',
        'u.is_superuser',
        'u.totp_enabled',
        'u.security_stamp',
        't.slug',
        't.name as tenant_name',
      ])
      .where('u.email', '=', email)
      .where('u.status', '=', 'active');
    if (organisationSlug !== null) statement = statement.where('t.slug', '=', organisationSlug);
    return rows(this.db, statement.orderBy(sql`u.tenant_id NULLS FIRST`).orderBy('u.id'));
  }

  /** What finishing a sign-in needs to know of the person; undefined when there is no such person. */
  async signInState(tenantId: string | null, userId: string): Promise<SignInState | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('users')
        .select(['id', 'tenant_id', 'status', 'is_superuser', 'totp_enabled', 'security_stamp'])
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', userId),
    );
    return row;
  }

  /**
   * The organisation of a person (null: a superuser), for a sign-in begun before the pending
   * sign-in kept it; undefined when there is no such person. The one read by id alone.
   * @withoutTenant it answers the organisation of a sign-in under way
   */
  async tenantOfPendingSignIn(userId: string): Promise<string | null | undefined> {
    const [row] = await rows(this.db, typed.selectFrom('users').select('tenant_id').where('id', '=', userId));
    return row?.tenant_id;
  }

  /** A completed sign-in: when, and the browser's language unless the person chose one. */
  async recordSignIn(tenantId: string | null, userId: string, at: Date, browserLocale: string | null): Promise<void> {
    await run(
      this.db,
      typed
        .updateTable('users')
        .set({ last_sign_in_at: at, locale: sql<string | null>`COALESCE(locale, ${browserLocale})` })
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', userId),
    );
  }

  /**
   * Whether the address is taken in the organisation or by a superuser (addresses are unique per
   * organisation and apart from the operator's superusers); `tenantId` null: anywhere on the
   * platform (a new superuser's address is theirs alone). `exceptUserId`: the person changing
   * their own address.
   */
  async emailTaken(
    tenantId: string | null,
    email: string,
    m: Queryable = this.db,
    exceptUserId?: string,
  ): Promise<boolean> {
    let statement = typed
      .selectFrom('users')
      .select(sql<number>`1`.as('one'))
      .where('email', '=', email);
    if (exceptUserId !== undefined) statement = statement.where('id', '<>', exceptUserId);
    if (tenantId !== null)
      statement = statement.where((eb) => eb.or([eb('tenant_id', '=', tenantId), eb('tenant_id', 'is', null)]));
    return (await rows(m, statement.limit(1))).length > 0;
  }

  /**
   * A new person in the organisation with roles: active with a password, or invited without one
   * (unless `activeWithoutPassword`). Their id.
   */
  async insert(
    tenantId: string,
    person: {
      email: string;
      name: string;
      passwordHash: string | null;
      roles: readonly string[];
      /** active at once without a password (signing in through the organisation's identity provider) */
      activeWithoutPassword?: boolean;
    },
    m: Queryable,
  ): Promise<string> {
    const [row] = await rows(
      m,
      typed
        .insertInto('users')
        .values({
          tenant_id: tenantId,
          email: person.email,
          name: person.name,
          status: person.passwordHash || person.activeWithoutPassword ? 'active' : 'invited',
          password_hash: person.passwordHash,
          password_changed_at: person.passwordHash ? new Date() : null,
        })
        .returning('id'),
    );
    if (person.roles.length)
      await run(
        m,
        typed
          .insertInto('memberships')
          .values(person.roles.map((role) => ({ tenant_id: tenantId, user_id: row.id, role }))),
      );
    return row.id;
  }

  /**
   * A platform superuser (no organisation) with a password and an authenticator app already set
   * up: `sealedSecret` seals the app's secret for the new id (the id is bound into the seal).
   * @withoutTenant a superuser belongs to no organisation
   */
  async insertSuperuser(
    person: { email: string; name: string; passwordHash: string },
    sealedSecret: (id: string) => string,
  ): Promise<string> {
    const id = randomUUID();
    await run(
      this.db,
      typed.insertInto('users').values({
        id,
        tenant_id: null,
        email: person.email,
        name: person.name,
        status: 'active',
        password_hash: person.passwordHash,
        password_changed_at: sql<Date>`now()`,
        is_superuser: true,
        totp_enabled: true,
        totp_secret_sealed: sealedSecret(id),
      }),
    );
    return id;
  }

  /** What the person's own "who am I" shows beyond the actor: phone, app, language, organisation's name. */
  async profileOf(tenantId: string | null, userId: string): Promise<Profile | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('users as u')
        .leftJoin('tenants as t', 't.id', 'u.tenant_id')
        .select(['u.phone', 'u.totp_enabled', 'u.locale', 't.name as tenant_name'])
        .where('u.tenant_id', 'is not distinct from', tenantId)
        .where('u.id', '=', userId),
    );
    return row;
  }

  /** The person's own name, phone or language, as given (those left out stay). */
  async updateProfile(
    tenantId: string | null,
    userId: string,
    changes: { name?: string; phone?: string | null; locale?: string },
  ): Promise<void> {
    const set: { name?: string; phone?: string | null; locale?: string } = {};
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.phone !== undefined) set.phone = changes.phone;
    if (changes.locale !== undefined) set.locale = changes.locale;
    if (!Object.keys(set).length) return;
    await run(
      this.db,
      typed
        .updateTable('users')
        .set({ ...set, updated_at: sql<Date>`now()` })
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', userId),
    );
  }

  /** A new sign-in address; the security stamp rotates (trusted devices made before it die). */
  async setEmail(tenantId: string | null, userId: string, email: string): Promise<void> {
    await run(
      this.db,
      typed
        .updateTable('users')
        .set({ email, security_stamp: sql<string>`gen_random_uuid()`, updated_at: sql<Date>`now()` })
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', userId),
    );
  }

  /**
   * A person a superuser may act as, looked up across organisations (the operator's support
   * serves them all; a superuser has no organisation of their own).
   * @withoutTenant the operator's support serves every organisation
   */
  async impersonationTarget(
    userId: string,
  ): Promise<{ id: string; tenant_id: string | null; status: string; is_superuser: boolean } | undefined> {
    const [row] = await rows(
      this.db,
      typed.selectFrom('users').select(['id', 'tenant_id', 'status', 'is_superuser']).where('id', '=', userId),
    );
    return row;
  }

  /**
   * The platform's superusers, by name.
   * @withoutTenant superusers belong to no organisation
   */
  async superusers(): Promise<{ id: string; email: string; name: string; totp_enabled: boolean; status: string }[]> {
    return rows(
      this.db,
      typed
        .selectFrom('users')
        .select(['id', 'email', 'name', 'totp_enabled', 'status'])
        .where('is_superuser', '=', true)
        .orderBy(sql`lower(name)`),
    );
  }

  /**
   * People of every organisation (never superusers) whose name, address or organisation's name
   * contains `pattern` (a LIKE pattern, lower case), a page at a time by organisation and name:
   * the operator's support search.
   * @withoutTenant the operator's support search spans every organisation
   */
  async searchAcrossOrganisations(
    pattern: string | null,
    page: { limit: number; offset: number },
    m: Queryable = this.db,
  ): Promise<{ total: number; people: PersonAcrossOrganisations[] }> {
    let base = typed
      .selectFrom('users as u')
      .innerJoin('tenants as t', 't.id', 'u.tenant_id')
      .where('u.is_superuser', '=', false);
    if (pattern !== null)
      base = base.where((eb) =>
        eb.or([
          eb(sql`lower(u.name)`, 'like', pattern),
          eb('u.email', 'like', pattern),
          eb(sql`lower(t.name)`, 'like', pattern),
        ]),
      );
    const [{ total }] = await rows(m, base.select(sql<number>`count(*)::int`.as('total')));
    const people = await rows(
      m,
      base
        .select((eb) => [
          'u.id',
          'u.email',
          'u.name',
          'u.phone',
          'u.status',
          'u.created_at',
          't.name as tenant_name',
          'u.tenant_id',
          eb
            .selectFrom('memberships as ms')
            .select(sql<string[]>`array_agg(ms.role ORDER BY ms.role)`.as('r'))
            .whereRef('ms.user_id', '=', 'u.id')
            .as('roles'),
        ])
        .orderBy(sql`lower(t.name)`)
        .orderBy(sql`lower(u.name)`)
        .limit(page.limit)
        .offset(page.offset),
    );
    return { total, people: people as PersonAcrossOrganisations[] };
  }

  /**
   * Locks the person's row until the transaction `m` ends, so that changes to one person (roles,
   * licence, status) run one after another: two at once deadlocked on their memberships. False
   * when the organisation has no such person.
   */
  lockForChange(tenantId: string, id: string, m: Queryable): Promise<boolean> {
    return lockRow(m, 'users', tenantId, id);
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
    filter: { pattern?: string; role?: string; status?: string },
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
        .orderBy(sql`lower(u.name)`)
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
        .orderBy(sql`lower(u.name)`)
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

  /**
   * Whom an e-mail goes to: the person's address, name, language and status. `tenantId` undefined:
   * the person a mail job names by id alone (the job's root row; its tenant comes with it).
   */
  async recipient(tenantId: string | null | undefined, userId: string): Promise<MailRecipient | undefined> {
    let query = typed
      .selectFrom('users')
      .select(['id', 'tenant_id', 'email', 'name', 'locale', 'status'])
      .where('id', '=', userId);
    if (tenantId !== undefined) query = query.where('tenant_id', 'is not distinct from', tenantId);
    const [row] = await rows(this.db, query);
    return row;
  }
}

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

/** A person as the operator's support search lists them. */
export interface PersonAcrossOrganisations {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  status: string;
  created_at: Date;
  tenant_name: string;
  tenant_id: string;
  roles: string[] | null;
}

/** A person's profile beyond the actor. */
export interface Profile {
  phone: string | null;
  totp_enabled: boolean;
  locale: string | null;
  tenant_name: string | null;
}

/** An account an address and password may open, with its organisation. */
export interface SignInCandidate {
  id: string;
  tenant_id: string | null;
  password_hash: string | null;
  status: string;
  is_superuser: boolean;
  totp_enabled: boolean;
  security_stamp: string;
  slug: string | null;
  tenant_name: string | null;
}

/** A person as a sign-in's last steps see them. */
export interface SignInState {
  id: string;
  tenant_id: string | null;
  status: string;
  is_superuser: boolean;
  totp_enabled: boolean;
  security_stamp: string;
}
