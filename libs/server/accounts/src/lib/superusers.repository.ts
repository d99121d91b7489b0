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
        .orderBy(sql`t.name COLLATE natural_order`)
        .orderBy(sql`u.name COLLATE natural_order`)
        .limit(page.limit)
        .offset(page.offset),
    );
    return { total, people: people as PersonAcrossOrganisations[] };
  }
}
