import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

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
 * The statements of accounts on a person's own row in `users`: signing in, passwords, a new person,
 * their profile and address, whom a mail goes to (the authenticator app's columns are
 * UserTotpRepository's; administration's list and changes UserAdministrationRepository's; the
 * operator's staff SuperusersRepository's). Each method takes the tenant first (null: a superuser)
 * and reaches the person only within it.
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
      /** the language of their e-mails and the web app until they choose (null: the installation's) */
      locale?: string | null;
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
          locale: person.locale ?? null,
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

  /**
   * Switches the person's sign-in address (their trusted devices die with the security stamp); the
   * address it replaced, or undefined when the person is not (or no longer) in the organisation.
   * The row is locked first, so two changes at once cannot both read the same old address.
   */
  async setEmail(
    tenantId: string | null,
    userId: string,
    email: string,
    m: Queryable = this.db,
  ): Promise<string | undefined> {
    const [before] = await rows(
      m,
      typed
        .selectFrom('users')
        .select('email')
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', userId)
        .forUpdate(),
    );
    if (!before) return undefined;
    await run(
      m,
      typed
        .updateTable('users')
        .set({ email, security_stamp: sql<string>`gen_random_uuid()`, updated_at: sql<Date>`now()` })
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', userId),
    );
    return before.email;
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
