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

/** How long a row read with its session is used by the request that read it. */
const FRESH_MS = 2000;

/**
 * Actor rows read together with their session (one round trip to PostgreSQL where there were
 * three: the session, the person and their roles, the profile), handed to the request that read
 * them. A row is taken once, and only by a request of that session within two seconds of the read;
 * otherwise the actor is read on its own, as before.
 */
@Injectable()
export class ActorPreload {
  private readonly rows = new Map<string, { row: ActorRow; at: number }>();

  put(sid: string, row: ActorRow): void {
    const now = Date.now();
    this.rows.set(sid, { row, at: now });
    if (this.rows.size > 1000) for (const [k, v] of this.rows) if (now - v.at > FRESH_MS) this.rows.delete(k);
  }

  /** The row read with this session for `userId`, if fresh; each row is taken at most once. */
  take(sid: string | undefined, userId: string): ActorRow | undefined {
    if (!sid) return undefined;
    const hit = this.rows.get(sid);
    if (!hit) return undefined;
    this.rows.delete(sid);
    return hit.row.id === userId && Date.now() - hit.at <= FRESH_MS ? hit.row : undefined;
  }
}
