import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Queryable } from '@rehearse/server/database';

/** A person as the right to be forgotten and the data export first look them up. */
export interface FootprintPerson {
  id: string;
  tenant_id: string | null;
  email: string;
  is_superuser: boolean;
}

/** An organisation's name and the end of its agreement (both dates null: it does not end). */
export interface AgreementEndRow {
  name: string;
  ends_on: string | null;
  destroy_on: string | null;
}

/** An organisation's agreement as the operator sees it. */
export interface AgreementRow {
  id: string;
  name: string;
  slug: string;
  ends_on: string | null;
  destroy_on: string | null;
  users: number;
}

/** The person's sections of their data export that accounts' tables hold. */
export interface AccountsExport {
  profile: Record<string, unknown> & { roles: string[] };
  /** undefined: no licence */
  licence: (Record<string, unknown> & { expires_on: string; hidden: boolean }) | undefined;
  identities: Record<string, unknown>[];
  trustedDevices: Record<string, unknown>[];
  sessions: Record<string, unknown>[];
  impersonations: Record<string, unknown>[];
  /** the e-mails the person chose about (turned off, or on again), and when */
  mailPreferences: Record<string, unknown>[];
  /** what administrators changed in the person's account, oldest first, and who */
  accountHistory: Record<string, unknown>[];
}

/**
 * A person's and an organisation's footprint in accounts' tables (people, roles, licences,
 * sign-in codes, invitations, sessions, devices, identities, impersonations, the organisation's
 * row), for privacy's export, erasure and destruction: privacy composes the owners' footprints
 * instead of naming their tables. Methods that take part in privacy's transaction take it last.
 */
/** An organisation destroyed by the day in parameter `today`: one condition for the sweep's list and its check again. */
const dueForDestructionBy = (today: string) =>
  `agreement_ends_on IS NOT NULL AND agreement_ends_on + destroy_after_days <= ${today}::date`;

@Injectable()
export class AccountsFootprintRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The person (in the organisation, or any with `tenantId` null: a superuser's reach). */
  async person(tenantId: string | null, userId: string): Promise<FootprintPerson | undefined> {
    const [u] = (await this.db.query(
      `SELECT id, tenant_id, email, is_superuser FROM users WHERE id = $1 AND ($2::uuid IS NULL OR tenant_id = $2)`,
      [userId, tenantId],
    )) as FootprintPerson[];
    return u;
  }

  /**
   * Which of these people exist (with their organisation): the erased people a database restored
   * from an earlier backup brought back.
   * @withoutTenant the ids come from the key vault's record of erasures, across organisations
   */
  async existing(userIds: string[]): Promise<{ id: string; tenant_id: string | null }[]> {
    if (!userIds.length) return [];
    return (await this.db.query(`SELECT id, tenant_id FROM users WHERE id = ANY($1::uuid[]) ORDER BY id`, [
      userIds,
    ])) as { id: string; tenant_id: string | null }[];
  }

  /** The ids of the person's rows a queued job could name: sign-in codes, invitations, password reset and e-mail change links. */
  async jobIdsOf(tenantId: string, userId: string): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT id::text FROM mfa_challenges WHERE user_id = $1 AND tenant_id = $2 UNION ALL SELECT id::text FROM invitations WHERE user_id = $1 AND tenant_id = $2
        UNION ALL SELECT id::text FROM password_resets WHERE user_id = $1 AND tenant_id = $2
        UNION ALL SELECT id::text FROM email_changes WHERE user_id = $1 AND tenant_id = $2`,
      [userId, tenantId],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /**
   * The person's sections of their export, read in the caller's transaction; undefined when the
   * person is not in the organisation. `licence.hidden`: expired as of `today`.
   */
  async exportOf(tenantId: string, userId: string, today: string, m: Queryable): Promise<AccountsExport | undefined> {
    const q = <T>(sql: string, params: unknown[] = [userId]): Promise<T[]> => m.query(sql, params) as Promise<T[]>;
    const [profile] = await q<Record<string, unknown>>(
      `SELECT id, email, name, phone, status, totp_enabled AS "authenticatorApp", created_at AS "createdAt", last_sign_in_at AS "lastSignInAt", password_changed_at AS "passwordChangedAt" FROM users WHERE id = $1 AND tenant_id = $2`,
      [userId, tenantId],
    );
    if (!profile) return undefined;
    const roles = (await q<{ role: string }>(`SELECT role FROM memberships WHERE user_id = $1 ORDER BY role`)).map(
      (r) => r.role,
    );
    const [licence] = await q<Record<string, unknown> & { expires_on: string; hidden: boolean }>(
      `SELECT to_char(starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(expires_on, 'YYYY-MM-DD') AS expires_on, expires_on <= $2::date AS hidden,
              keep_status AS "keepStatus", to_char(keep_until, 'YYYY-MM-DD') AS "keepUntil", media_deleted_at AS "recordingsDeletedAt"
         FROM licences WHERE user_id = $1`,
      [userId, today],
    );
    return {
      profile: { ...profile, roles },
      licence,
      // the provider's subject ids (tid, oid) stay out: administrators read exports too, and those ids
      // are what a forged token would need
      identities: await q(
        `SELECT issuer, created_at AS "linkedAt", last_used_at AS "lastUsedAt" FROM user_identities WHERE user_id = $1`,
      ),
      trustedDevices: await q(
        `SELECT label, created_at AS "createdAt", expires_at AS "expiresAt", revoked_at AS "revokedAt" FROM trusted_devices WHERE user_id = $1 ORDER BY created_at`,
      ),
      sessions: await q(`SELECT expire AS "expiresAt" FROM sessions WHERE user_id = $1::text ORDER BY expire`),
      impersonations: await q(
        `SELECT reason, started_at AS "startedAt", ended_at AS "endedAt" FROM impersonations WHERE target_user_id = $1 ORDER BY started_at`,
      ),
      mailPreferences: await q(
        `SELECT topic, enabled, updated_at AS "chosenAt" FROM mail_preferences WHERE user_id = $1 ORDER BY topic`,
      ),
      // who made each change, by name (null: erased since); the operator's support by its role only
      accountHistory: await q(
        `SELECT a.at, a.action, actor.name AS "by", a.actor_role AS "byRole", a.impersonator_id IS NOT NULL AS "bySupport", a.details
           FROM account_activity a LEFT JOIN users actor ON actor.id = a.actor_id
          WHERE a.subject_id = $1 ORDER BY a.id`,
      ),
    };
  }

  /**
   * How many sessions the person has (in the erasure's transaction). Sessions carry no tenant: the
   * person's own row says the organisation.
   */
  async sessionCount(tenantId: string, userId: string, m: Queryable): Promise<number> {
    const [{ n }] = (await m.query(
      `SELECT count(*)::int AS n FROM sessions WHERE user_id = $1::text AND EXISTS (SELECT 1 FROM users WHERE id = $1::uuid AND tenant_id = $2)`,
      [userId, tenantId],
    )) as { n: number }[];
    return n;
  }

  /** Ends the person's sessions, and those in which they acted as someone else. */
  async endSessionsOf(tenantId: string, userId: string, m: Queryable): Promise<void> {
    await m.query(
      `DELETE FROM sessions WHERE (user_id = $1::text OR impersonator_id = $1::text) AND EXISTS (SELECT 1 FROM users WHERE id = $1::uuid AND tenant_id = $2)`,
      [userId, tenantId],
    );
  }

  /**
   * Deletes the person's profile (memberships, licence, codes, devices, identities, invitations,
   * group memberships and enrolments go with it by cascade) and the reasons of the operator's
   * impersonations of them (the impersonations stay); whether they were in the organisation.
   */
  async deletePerson(tenantId: string, userId: string, m: Queryable): Promise<boolean> {
    // the operator's impersonations of them stay, under their random id; the reason may name them
    await m.query(`UPDATE impersonations SET reason = NULL WHERE target_user_id = $1 AND tenant_id = $2`, [
      userId,
      tenantId,
    ]);
    const [, gone] = (await m.query(`DELETE FROM users WHERE id = $1 AND tenant_id = $2`, [userId, tenantId])) as [
      unknown,
      number,
    ];
    return gone === 1;
  }

  /**
   * The organisations' agreements whose name or slug contains `pattern` (a LIKE pattern, lower
   * case; null: all) or the one `tenantId` names, by name, a page at a time, with how many people
   * each has and how many there are in all.
   * @withoutTenant the operator's list of every organisation
   */
  async agreements(
    filter: { pattern?: string | null; tenantId?: string },
    page: { limit: number; offset: number },
  ): Promise<{ total: number; rows: AgreementRow[] }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.pattern) {
      params.push(filter.pattern);
      where.push(`(lower(t.name) LIKE $${params.length} OR lower(t.slug) LIKE $${params.length})`);
    }
    if (filter.tenantId) {
      params.push(filter.tenantId);
      where.push(`t.id = $${params.length}`);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = (await this.db.query(`SELECT count(*)::int AS total FROM tenants t ${clause}`, params)) as {
      total: number;
    }[];
    const rows = (await this.db.query(
      `SELECT t.id, t.name, t.slug, to_char(t.agreement_ends_on, 'YYYY-MM-DD') AS ends_on,
              to_char(t.agreement_ends_on + t.destroy_after_days, 'YYYY-MM-DD') AS destroy_on,
              (SELECT count(*)::int FROM users u WHERE u.tenant_id = t.id) AS users
         FROM tenants t ${clause} ORDER BY t.name COLLATE natural_order, t.id
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, page.limit, page.offset],
    )) as AgreementRow[];
    return { total, rows };
  }

  /**
   * The organisation's name, when its agreement ends and the day it is destroyed (both null: it
   * does not end; undefined: no such organisation), from its row alone.
   */
  async agreementEnd(tenantId: string): Promise<AgreementEndRow | undefined> {
    const [row] = (await this.db.query(
      `SELECT name, to_char(agreement_ends_on, 'YYYY-MM-DD') AS ends_on,
              to_char(agreement_ends_on + destroy_after_days, 'YYYY-MM-DD') AS destroy_on
         FROM tenants WHERE id = $1`,
      [tenantId],
    )) as AgreementEndRow[];
    return row;
  }

  /**
   * The end of the organisation's agreement (null: none) and how many days after it everything is
   * destroyed, its row locked for the caller's transaction `m` until it commits (undefined: no
   * such organisation).
   */
  async agreementEndForUpdate(
    tenantId: string,
    m: Queryable,
  ): Promise<{ ends_on: string | null; destroy_after_days: number } | undefined> {
    const [row] = (await m.query(
      `SELECT to_char(agreement_ends_on, 'YYYY-MM-DD') AS ends_on, destroy_after_days FROM tenants WHERE id = $1 FOR UPDATE`,
      [tenantId],
    )) as { ends_on: string | null; destroy_after_days: number }[];
    return row;
  }

  /** Sets (or clears) the end of the organisation's agreement (in `m`); whether there is such an organisation. */
  async setAgreementEnd(tenantId: string, endsOn: string | null, at: Date, m: Queryable = this.db): Promise<boolean> {
    const [, n] = (await m.query(`UPDATE tenants SET agreement_ends_on = $2, updated_at = $3 WHERE id = $1`, [
      tenantId,
      endsOn,
      at,
    ])) as [unknown, number];
    return n === 1;
  }

  /**
   * The organisations whose destruction date has come by `today`.
   * @withoutTenant the daily destruction sweep serves every organisation
   */
  async dueForDestruction(today: string): Promise<string[]> {
    const rows = (await this.db.query(`SELECT id FROM tenants WHERE ${dueForDestructionBy('$1')}`, [today])) as {
      id: string;
    }[];
    return rows.map((r) => r.id);
  }

  /**
   * Whether the organisation is still due for destruction by `today`, asked in the destruction's
   * own transaction with its row locked until that ends: an agreement extended after the sweep
   * listed it (or whose end was taken away) waits for the destruction or stops it.
   */
  async lockDueForDestruction(tenantId: string, today: string, m: Queryable): Promise<boolean> {
    const rows = (await m.query(`SELECT 1 FROM tenants WHERE id = $1 AND ${dueForDestructionBy('$2')} FOR UPDATE`, [
      tenantId,
      today,
    ])) as unknown[];
    return rows.length > 0;
  }

  /**
   * The organisations to remind of their destruction (in `m`, their rows locked, those another
   * sweep holds skipped): destroyed after `today` but within `days` of it, and not yet reminded of
   * that date.
   * @withoutTenant the hourly sweep serves every organisation
   */
  async dueForDestructionNotice(
    today: string,
    days: number,
    m: Queryable,
  ): Promise<{ id: string; destroy_on: string }[]> {
    return (await m.query(
      `SELECT id, to_char(agreement_ends_on + destroy_after_days, 'YYYY-MM-DD') AS destroy_on FROM tenants
        WHERE agreement_ends_on IS NOT NULL
          AND agreement_ends_on + destroy_after_days > $1::date
          AND agreement_ends_on + destroy_after_days <= $1::date + $2::int
          AND destruction_notice_for IS DISTINCT FROM agreement_ends_on + destroy_after_days
        ORDER BY id FOR UPDATE SKIP LOCKED`,
      [today, days],
    )) as { id: string; destroy_on: string }[];
  }

  /** Records that the organisation's administrators were reminded of its destruction on `destroyOn` (in `m`). */
  async markDestructionNoticed(tenantId: string, destroyOn: string, m: Queryable): Promise<void> {
    await m.query(`UPDATE tenants SET destruction_notice_for = $2 WHERE id = $1`, [tenantId, destroyOn]);
  }

  /** The organisation's name (undefined: no such organisation). */
  async organisationName(tenantId: string): Promise<string | undefined> {
    const [row] = (await this.db.query(`SELECT name FROM tenants WHERE id = $1`, [tenantId])) as { name: string }[];
    return row?.name;
  }

  /** The organisation's name and slug (undefined: no such organisation). */
  async organisation(tenantId: string): Promise<{ name: string; slug: string } | undefined> {
    const [row] = (await this.db.query(`SELECT name, slug FROM tenants WHERE id = $1`, [tenantId])) as {
      name: string;
      slug: string;
    }[];
    return row;
  }

  /** The ids of the organisation's people, oldest account first. */
  async people(tenantId: string, m: Queryable = this.db): Promise<string[]> {
    const rows = (await m.query(`SELECT id FROM users WHERE tenant_id = $1 ORDER BY created_at, id`, [tenantId])) as {
      id: string;
    }[];
    return rows.map((r) => r.id);
  }

  /** The ids of the organisation's rows a queued job could name: sign-in codes, invitations, password reset and e-mail change links. */
  async organisationJobIds(tenantId: string): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT id::text FROM mfa_challenges WHERE tenant_id = $1 UNION ALL SELECT id::text FROM invitations WHERE tenant_id = $1
        UNION ALL SELECT id::text FROM password_resets WHERE tenant_id = $1 UNION ALL SELECT id::text FROM email_changes WHERE tenant_id = $1`,
      [tenantId],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Ends the sessions of these people of the organisation (in the destruction's transaction); how many. */
  async endSessionsOfPeople(tenantId: string, userIds: string[], m: Queryable): Promise<number> {
    const [, n] = (await m.query(
      `DELETE FROM sessions s USING users u WHERE s.user_id = ANY($1::text[]) AND u.id::text = s.user_id AND u.tenant_id = $2`,
      [userIds, tenantId],
    )) as [unknown, number];
    return n;
  }

  /** Deletes the organisation's row: every table with a tenant_id goes with it (ON DELETE CASCADE). */
  async deleteOrganisation(tenantId: string, m: Queryable): Promise<void> {
    await m.query(`DELETE FROM tenants WHERE id = $1`, [tenantId]);
  }

  /**
   * The organisation's settings, its people with their roles and what was changed in their accounts
   * (oldest first), for the organisation's export.
   */
  async organisationExport(
    tenantId: string,
  ): Promise<{ organisation: unknown; people: unknown[]; accountActivity: unknown[] }> {
    const q = (sql: string) => this.db.query(sql, [tenantId]) as Promise<Record<string, unknown>[]>;
    const [organisation] =
      await q(`SELECT id, name, slug, created_at AS "createdAt", to_char(agreement_ends_on, 'YYYY-MM-DD') AS "agreementEndsOn", marker_tags AS "markerTags", filler_lists AS "fillerLists",
                      retention_delete_after_days AS "deleteAfterDays", retention_notice_days AS "noticeDays", retention_keep_policy AS "keepPolicy" FROM tenants WHERE id = $1`);
    const people = await q(
      `SELECT u.id, u.name, u.email, u.status, array_remove(array_agg(m.role ORDER BY m.role), NULL) AS roles FROM users u LEFT JOIN memberships m ON m.user_id = u.id WHERE u.tenant_id = $1 GROUP BY u.id ORDER BY u.name COLLATE natural_order`,
    );
    const accountActivity = await q(
      `SELECT a.at, a.action, a.actor_id AS "byId", actor.name AS "by", a.actor_role AS "byRole",
              a.impersonator_id AS "supportId", a.subject_id AS "personId", subject.name AS "person", a.details
         FROM account_activity a
         LEFT JOIN users actor ON actor.id = a.actor_id
         LEFT JOIN users subject ON subject.id = a.subject_id
        WHERE a.tenant_id = $1 ORDER BY a.id`,
    );
    return { organisation, people, accountActivity };
  }
}
