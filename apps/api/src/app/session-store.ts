import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import { Pool } from 'pg';
import { ActorPreload, ActorRow, actorRowSql } from '@rehearse/server/access';
import { APP_CONFIG, AppConfig } from '@rehearse/server/core';
import { SESSION_OPTIONS } from '@rehearse/server/database';

/** The actor row read with a session, on the session data between get and createSession. */
const READ_ACTOR = Symbol('actor read with the session');

/** A session's idle expiry is pushed forward at most this often (a rolling cookie otherwise writes on every request). */
export const TOUCH_EVERY_MS = 60_000;

/**
 * Server-side sessions in PostgreSQL (connect-pg-simple), table `sessions` from the migrations.
 *
 * The cookie rolls on every response, but the row's expiry is written after the response, at most
 * once a minute per session and process (an idle timeout of minutes does not need to know about
 * every request): a read-only request costs one indexed read and no write. (express-session itself
 * would touch the store before ending every response, holding back its last byte until then.)
 */
@Injectable()
export class SessionStore implements OnModuleDestroy {
  private readonly logger = new Logger(SessionStore.name);
  readonly pool: Pool;
  readonly store: session.Store;
  /** Pushes the session's idle expiry forward, at most once a minute; never delays a response. */
  readonly touchLater: (sid: string, sess: session.SessionData) => void;

  constructor(@Inject(APP_CONFIG) config: AppConfig, preload: ActorPreload) {
    this.pool = new Pool({
      connectionString: config.DATABASE_URL,
      max: 5,
      application_name: 'rehearse-sessions',
      options: SESSION_OPTIONS,
      connectionTimeoutMillis: 5000,
    });
    // an idle connection that PostgreSQL ends (a restart) is dropped from the pool; unhandled, the
    // pool's error event would end the process
    this.pool.on('error', (err) => this.logger.warn(`session store connection lost: ${err.message}`));
    const PgStore = connectPgSimple(session);
    this.store = new PgStore({
      pool: this.pool,
      tableName: 'sessions',
      createTableIfMissing: false,
      // the idle timeout: each session row expires this long after its last touch
      ttl: config.SESSION_IDLE_MINUTES * 60,
      pruneSessionInterval: config.NODE_ENV === 'test' ? false : 15 * 60,
    });
    // the read of every request, as a named prepared statement (parsed and planned once per
    // connection), bringing the person behind the session along (ActorPreload): one round trip
    this.store.get = (sid: string, fn: (err: unknown, sess?: session.SessionData | null) => void) => {
      this.pool
        .query({
          name: 'rehearse-session-get',
          text: `SELECT s.sess, a AS actor FROM sessions s
                   LEFT JOIN LATERAL (${actorRowSql(`(s.sess #>> '{auth,userId}')::uuid`)}) a ON true
                  WHERE s.sid = $1 AND s.expire >= to_timestamp($2)`,
          values: [sid, Math.ceil(Date.now() / 1000)],
        })
        .then(
          ({ rows }) => {
            const row = rows[0] as { sess?: unknown; actor?: ActorRow | null } | undefined;
            if (row?.sess === undefined) return fn(null, null);
            let sess: session.SessionData;
            try {
              sess = (typeof row.sess === 'string' ? JSON.parse(row.sess) : row.sess) as session.SessionData;
            } catch {
              return this.store.destroy(sid, (err?: unknown) => fn(err ?? null, null));
            }
            // carried to createSession below, which knows the request; not a property express-session copies or saves
            if (row.actor?.id) Object.defineProperty(sess, READ_ACTOR, { value: row.actor, enumerable: false });
            fn(null, sess);
          },
          (err: unknown) => fn(err),
        );
    };
    // express-session makes the request's session from what get answered, with the request at hand
    const createSession = this.store.createSession.bind(this.store);
    this.store.createSession = (req, sess) => {
      const actor = (sess as { [READ_ACTOR]?: ActorRow })[READ_ACTOR];
      if (actor) preload.attach(req, actor);
      return createSession(req, sess);
    };
    const touch = throttled((this.store.touch as NonNullable<session.Store['touch']>).bind(this.store), TOUCH_EVERY_MS);
    // express-session sees a store without touch: it ends unchanged sessions' responses at once
    (this.store as { touch?: unknown }).touch = undefined;
    this.touchLater = (sid, sess) =>
      touch(
        sid,
        sess,
        (err) => err && this.logger.warn(`session ${sid.slice(0, 6)}… not touched: ${(err as Error).message}`),
      );
  }

  async onModuleDestroy(): Promise<void> {
    (this.store as unknown as { close?: () => void }).close?.();
    await this.pool.end().catch(() => undefined);
  }
}

type Touch = (sid: string, sess: session.SessionData, cb: (err?: unknown) => void) => void;

/** `touch` that writes a session at most once per `everyMs` (per process); other calls answer at once. */
export function throttled(touch: Touch, everyMs: number, now: () => number = Date.now): Touch {
  const last = new Map<string, number>();
  return (sid, sess, cb) => {
    const t = now();
    const previous = last.get(sid);
    if (previous !== undefined && t - previous < everyMs) {
      cb();
      return;
    }
    last.set(sid, t);
    // forget sessions not seen for a while, so the map holds only the active ones
    if (last.size > 10_000) for (const [k, v] of last) if (t - v >= everyMs) last.delete(k);
    touch(sid, sess, (err?: unknown) => {
      if (err) last.delete(sid);
      cb(err);
    });
  };
}
