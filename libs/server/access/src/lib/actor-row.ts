import { Injectable } from '@nestjs/common';

/** Who is behind a session, as one row: the person, their roles in their organisation, their profile. */
export interface ActorRow {
  id: string;
  tenant_id: string | null;
  status: string;
  is_superuser: boolean;
  name: string;
  email: string;
  roles: string[];
  phone: string | null;
  totp_enabled: boolean;
  locale: string | null;
  tenant_name: string | null;
}

/** The SELECT of an ActorRow for the user id `userIdExpr` (a parameter or a column). */
export function actorRowSql(userIdExpr: string): string {
  return `SELECT u.id, u.tenant_id, u.status, u.is_superuser, u.name, u.email, u.phone, u.totp_enabled, u.locale, t.name AS tenant_name,
                 COALESCE(array_agg(m.role ORDER BY m.role) FILTER (WHERE m.role IS NOT NULL), '{}') AS roles
            FROM users u
            LEFT JOIN tenants t ON t.id = u.tenant_id
            LEFT JOIN memberships m ON m.user_id = u.id AND m.tenant_id = u.tenant_id
           WHERE u.id = ${userIdExpr}
           GROUP BY u.id, t.name`;
}

/**
 * Actor rows read together with their session (one round trip to PostgreSQL where there were
 * three: the session, the person and their roles, the profile), handed to the request that read
 * them: the row is attached to that request object (never shared between requests, so several
 * requests of one session at once each get their own) and taken once. Without one, the actor is
 * read on its own.
 */
@Injectable()
export class ActorPreload {
  private readonly rows = new WeakMap<object, ActorRow>();

  /** The row read with this request's session. */
  attach(req: object, row: ActorRow): void {
    this.rows.set(req, row);
  }

  /** The row read with this request's session for `userId`; each row is taken at most once. */
  take(req: object, userId: string): ActorRow | undefined {
    const row = this.rows.get(req);
    if (!row) return undefined;
    this.rows.delete(req);
    return row.id === userId ? row : undefined;
  }
}
