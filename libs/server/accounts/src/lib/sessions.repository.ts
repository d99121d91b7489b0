import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

/** A stored session as its owner's list shows it. */
export interface SessionRow {
  sid: string;
  sess: Record<string, unknown>;
  expire: Date;
}

/**
 * The statements of accounts on `sessions` (express-session's store writes and reads them
 * itself, apps/api/src/app/session-store.ts). Sessions belong to a person, not to an
 * organisation (a superuser's have none), so these methods take the person: `user_id` and
 * `impersonator_id` are generated from the session's JSON.
 */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Ends the person's sessions and those in which they impersonate someone, but `exceptSid`; how many. */
  async deleteAllOf(userId: string, exceptSid: string | null, m: Queryable = this.db): Promise<number> {
    let statement = typed
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('user_id', '=', userId), eb('impersonator_id', '=', userId)]));
    if (exceptSid !== null) statement = statement.where('sid', '<>', exceptSid);
    return (await run(m, statement)).count;
  }

  /** The person's sessions that have not expired, the most recently used first. */
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

  async sidsOf(userId: string): Promise<string[]> {
    return (await rows(this.db, typed.selectFrom('sessions').select('sid').where('user_id', '=', userId))).map(
      (r) => r.sid,
    );
  }

  async deleteOne(userId: string, sid: string): Promise<void> {
    await run(this.db, typed.deleteFrom('sessions').where('sid', '=', sid).where('user_id', '=', userId));
  }
}
