import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

/** An organisation's single sign-on settings as stored (the client secret sealed). */
export interface SsoRow {
  tenant_id: string;
  enabled: boolean;
  issuer: string;
  client_id: string;
  client_secret_sealed: string | null;
  directory_id: string;
  jit_participants: boolean;
  trust_idp_mfa: boolean;
}

/** The provider's stable ids of a person: its issuer, directory (tid) and object (oid). */
export interface ProviderSubject {
  issuer: string;
  directoryId: string;
  objectId: string;
}

const SSO_COLUMNS = [
  'tenant_id',
  'enabled',
  'issuer',
  'client_id',
  'client_secret_sealed',
  'directory_id',
  'jit_participants',
  'trust_idp_mfa',
] as const;

/**
 * The statements of accounts on `tenant_sso` and `user_identities`: an organisation's sign-on
 * settings and the provider identities linked to its people. Each method takes the tenant first.
 */
@Injectable()
export class SsoRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The organisation's settings (`enabledOnly`: only while turned on). */
  async settings(tenantId: string, enabledOnly = false): Promise<SsoRow | undefined> {
    let statement = typed.selectFrom('tenant_sso').select(SSO_COLUMNS).where('tenant_id', '=', tenantId);
    if (enabledOnly) statement = statement.where('enabled', '=', true);
    const [row] = await rows(this.db, statement);
    return row;
  }

  /** The settings, locked until the caller's transaction ends (two saves run one after the other). */
  async lockSettings(tenantId: string, m: Queryable): Promise<SsoRow | undefined> {
    const [row] = await rows(
      m,
      typed.selectFrom('tenant_sso').select(SSO_COLUMNS).where('tenant_id', '=', tenantId).forUpdate(),
    );
    return row;
  }

  /** Writes the organisation's settings (made on the first save). */
  async saveSettings(tenantId: string, s: Omit<SsoRow, 'tenant_id'>, now: Date, m: Queryable): Promise<void> {
    const values = { ...s, updated_at: now };
    await run(
      m,
      typed
        .insertInto('tenant_sso')
        .values({ tenant_id: tenantId, ...values })
        .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values)),
    );
  }

  /** Unlinks every identity of the organisation; the people whose identity went. */
  async unlinkAll(tenantId: string, m: Queryable): Promise<string[]> {
    const { rows: gone } = await run(
      m,
      typed.deleteFrom('user_identities').where('tenant_id', '=', tenantId).returning('user_id'),
    );
    return gone.map((g) => g.user_id);
  }

  /** The person a provider's subject is linked to in the organisation. */
  async linkedPerson(tenantId: string, subject: ProviderSubject): Promise<string | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('user_identities')
        .select('user_id')
        .where('tenant_id', '=', tenantId)
        .where('issuer', '=', subject.issuer)
        .where('directory_id', '=', subject.directoryId)
        .where('object_id', '=', subject.objectId),
    );
    return row?.user_id;
  }

  /** The person's linked identities under the organisation's provider: when the first was linked and one last signed them in. */
  async linkOf(tenantId: string, userId: string): Promise<{ linked_at: Date; last_used_at: Date | null } | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('user_identities')
        .select((e) => [e.fn.min('created_at').as('linked_at'), e.fn.max('last_used_at').as('last_used_at')])
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId)
        .having((e) => e.fn.count('id'), '>', 0),
    );
    return row && { linked_at: row.linked_at as Date, last_used_at: (row.last_used_at as Date | null) ?? null };
  }

  /** The identity was used to sign in at `at`. */
  async touch(tenantId: string, subject: ProviderSubject, at: Date): Promise<void> {
    await run(
      this.db,
      typed
        .updateTable('user_identities')
        .set({ last_used_at: at })
        .where('tenant_id', '=', tenantId)
        .where('issuer', '=', subject.issuer)
        .where('directory_id', '=', subject.directoryId)
        .where('object_id', '=', subject.objectId),
    );
  }

  /** Links the provider's subject to the person. */
  async link(
    tenantId: string,
    userId: string,
    subject: ProviderSubject,
    at: Date,
    m: Queryable = this.db,
  ): Promise<void> {
    await run(
      m,
      typed.insertInto('user_identities').values({
        tenant_id: tenantId,
        user_id: userId,
        issuer: subject.issuer,
        directory_id: subject.directoryId,
        object_id: subject.objectId,
        created_at: at,
      }),
    );
  }

  /**
   * What the sign-in page needs to offer single sign-on for an organisation's slug (undefined: no such organisation).
   * @withoutTenant the sign-in page knows the organisation only by its slug
   */
  async availability(slug: string): Promise<{ tenant_id: string; name: string; enabled: boolean } | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('tenants as t')
        .leftJoin('tenant_sso as s', 's.tenant_id', 't.id')
        .select(['t.id as tenant_id', 't.name', sql<boolean>`coalesce(s.enabled, false)`.as('enabled')])
        .where('t.slug', '=', slug),
    );
    return row;
  }
}
