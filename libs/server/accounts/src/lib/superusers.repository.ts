import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

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

/** What the support search lists of a person (`u`) and their organisation (`t`). */
const LISTED = [
  'u.id',
  'u.email',
  'u.name',
  'u.phone',
  'u.status',
  'u.created_at',
  'u.tenant_id',
  't.name as tenant_name',
] as const;
/** The support search's order: by organisation, then name (numbers as numbers), then id, so pages never repeat or skip a person. */
const BY_ORGANISATION_AND_NAME = sql`t.name COLLATE natural_order, t.id, u.name COLLATE natural_order, u.id`;

/**
 * The statements of the operator's staff on `users`: superusers (who belong to no organisation)
 * and their reach across organisations, for support (impersonation and its search).
 */
@Injectable()
export class SuperusersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

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
        .orderBy(sql`name COLLATE natural_order`),
    );
  }

  /**
   * People of every organisation (never superusers) whose name, address or organisation's name
   * contains `pattern` (a LIKE pattern, lower case), a page at a time by organisation and name:
   * the operator's support search.
   *
   * Its reads do not grow with the installation. Without a pattern (the support page as it opens)
   * each organisation, in order, gives at most a page's worth of its people through the index on
   * (tenant_id, name) and only those are sorted, where sorting everyone by organisation and name
   * cost 5 ms of PostgreSQL's time at 10,000 people. With one, the people whose name or address
   * contains it come from the trigram indexes and those of an organisation whose name does from
   * its rows, where a condition over both tables made the planner read every person (7 ms at
   * 10,000, `npm run bench:scale`).
   * @withoutTenant the operator's support search spans every organisation
   */
  async searchAcrossOrganisations(
    pattern: string | null,
    page: { limit: number; offset: number },
    m: Queryable = this.db,
  ): Promise<{ total: number; people: PersonAcrossOrganisations[] }> {
    const roles = sql<
      string[]
    >`(SELECT array_agg(ms.role ORDER BY ms.role) FROM memberships ms WHERE ms.user_id = u.id)`;
    if (pattern === null) {
      const [{ total }] = await rows(
        m,
        typed
          .selectFrom('users')
          .where('tenant_id', 'is not', null)
          .where('is_superuser', '=', false)
          .select(sql<number>`count(*)::int`.as('total')),
      );
      const people = await rows(
        m,
        typed
          .selectFrom('tenants as t')
          .innerJoinLateral(
            (eb) =>
              eb
                .selectFrom('users as u')
                .select(['u.id', 'u.email', 'u.name', 'u.phone', 'u.status', 'u.created_at', 'u.tenant_id'])
                .whereRef('u.tenant_id', '=', 't.id')
                .where('u.is_superuser', '=', false)
                .orderBy(sql`u.name COLLATE natural_order`)
                .orderBy('u.id')
                .limit(page.offset + page.limit)
                .as('u'),
            (join) => join.onTrue(),
          )
          .select(LISTED)
          .select(roles.as('roles'))
          .orderBy(BY_ORGANISATION_AND_NAME)
          .limit(page.limit)
          .offset(page.offset),
      );
      return { total, people: people as PersonAcrossOrganisations[] };
    }
    const found = typed
      .selectFrom('users as u')
      .innerJoin('tenants as t', 't.id', 'u.tenant_id')
      .where('u.is_superuser', '=', false)
      .where('u.id', 'in', (eb) =>
        eb
          .selectFrom('users')
          .select('id')
          .where((w) => w.or([w(sql`lower(name)`, 'like', pattern), w('email', 'like', pattern)]))
          .union(
            eb
              .selectFrom('users')
              .select('id')
              .where('tenant_id', 'in', (t) =>
                t
                  .selectFrom('tenants')
                  .select('id')
                  .where(sql`lower(name)`, 'like', pattern),
              ),
          ),
      );
    const [{ total }] = await rows(m, found.select(sql<number>`count(*)::int`.as('total')));
    const people = await rows(
      m,
      found
        .select(LISTED)
        .select(roles.as('roles'))
        .orderBy(BY_ORGANISATION_AND_NAME)
        .limit(page.limit)
        .offset(page.offset),
    );
    return { total, people: people as PersonAcrossOrganisations[] };
  }
}
