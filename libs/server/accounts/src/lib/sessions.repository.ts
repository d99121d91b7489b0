import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import { type ActorRow, actorRowSql } from '@rehearse/server/access';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

/** A stored session as its owner's list shows it. */
export interface SessionRow {
  sid: string;
  sess: Record<string, unknown>;
  expire: Date;
}

/** A live session as the API's session store reads it, with the person behind it (the access core's actor row). */
export interface SessionRead {
  sess?: string;
  seconds_left: number;
  actor?: ActorRow | null;
}

/**
 * The read of every request the session store has not cached: the session, if it has not expired
 * by `nowSeconds`, and the person behind it in one round trip, as a named prepared statement
 * (parsed and planned once per connection) on the store's own pool.
 */
export async function readSession(pool: Pool, sid: string, nowSeconds: number): Promise<SessionRead | undefined> {
  const { rows: found } = await pool.query({
    name: 'rehearse-session-get',
    text: `SELECT s.sess::text AS sess, EXTRACT(EPOCH FROM s.expire - LOCALTIMESTAMP)::float8 AS seconds_left,
                  row_to_json(a) AS actor
             FROM sessions s
             LEFT JOIN LATERAL (${actorRowSql(`(s.sess #>> '{auth,userId}')::uuid`)}) a ON true
            WHERE s.sid = $1 AND s.expire >= to_timestamp($2)`,
    values: [sid, nowSeconds],
  });
  return found[0] as SessionRead | undefined;
}

/**
 * The statements of accounts on `sessions` (express-session's store, connect-pg-simple, writes
 * them itself: apps/api/src/app/session-store.ts, which reads them with `readSession` below).
 * Sessions belong to a person, not to an
 * organisation (a superuser's have none), so these methods take the person: `user_id` and
 * `impersonator_id` are generated from the session's JSON.
 */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Ends the person's sessions and those in which they impersonate someone, but `exceptSid`; how many.
   * @withoutTenant sessions belong to a person, not to an organisation (a superuser's to none)
   */
  async deleteAllOf(userId: string, exceptSid: string | null, m: Queryable = this.db): Promise<number> {
    let statement = typed
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('user_id', '=', userId), eb('impersonator_id', '=', userId)]));
    if (exceptSid !== null) statement = statement.where('sid', '<>', exceptSid);
    return (await run(m, statement)).count;
  }

  /**
   * The person's sessions that have not expired, the most recently used first.
   * @withoutTenant sessions belong to a person, not to an organisation (a superuser's to none)
   */
  async listLive(userId: string): Promise<SessionRow[]> {
    const found = await rows(
      this.db,
      typed
        .selectFrom('sessions')
        .select(['sid', 'sess', 'expire'])
        .where('user_id', '=', userId)
        .where('expire', '>', sql<Date>`now()`)
        .orderBy('expire', 'desc'),
    );
    return found.map((r) => ({ sid: r.sid, sess: r.sess as Record<string, unknown>, expire: r.expire }));
  }

  /**
   * The ids of the person's stored sessions.
   * @withoutTenant sessions belong to a person, not to an organisation (a superuser's to none)
   */
  async sidsOf(userId: string): Promise<string[]> {
    return (await rows(this.db, typed.selectFrom('sessions').select('sid').where('user_id', '=', userId))).map(
      (r) => r.sid,
    );
  }

  /**
   * Ends one of the person's sessions (another person's sid changes nothing).
   * @withoutTenant sessions belong to a person, not to an organisation (a superuser's to none)
   */
  async deleteOne(userId: string, sid: string): Promise<void> {
    await run(this.db, typed.deleteFrom('sessions').where('sid', '=', sid).where('user_id', '=', userId));
  }
}

/**
 * Ends every sign-in of the installation, on a connection to the whole database (a restore's: no
 * application is running on it yet): every session and every trusted device go. Sessions ended
 * and devices revoked after the backup was taken (a sign-out everywhere, a password changed after
 * a theft) would otherwise be valid again; everyone signs in again, with their second factor.
 * Returns how many of each went.
 */
export async function endEverySignIn(c: {
  query(sql: string): Promise<{ rowCount: number | null }>;
}): Promise<{ sessions: number; trustedDevices: number }> {
  const sessions = await c.query(`DELETE FROM sessions`);
  const devices = await c.query(`DELETE FROM trusted_devices`);
  return { sessions: sessions.rowCount ?? 0, trustedDevices: devices.rowCount ?? 0 };
}
