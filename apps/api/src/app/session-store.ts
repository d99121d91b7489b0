import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import { Pool } from 'pg';
import { ActorPreload, ActorRow } from '@rehearse/server/access';
import { readSession } from '@rehearse/server/accounts';
import { APP_CONFIG, AppConfig } from '@rehearse/server/core';
import { connectionKeeping, sessionOptions } from '@rehearse/server/database';
import { CachedSession, SessionCache } from './session-cache';
import { SessionNotices } from './session-notices';

/** At most this many sessions are kept per API process (the least recently used go first). */
export const SESSION_CACHE_ENTRIES = 10_000;

/** The actor row read with a session, on the session data between get and createSession. */
const READ_ACTOR = Symbol('actor read with the session');

/** A session's idle expiry is pushed forward at most this often (a rolling cookie otherwise writes on every request). */
export const TOUCH_EVERY_MS = 60_000;

/**
 * Server-side sessions in PostgreSQL (connect-pg-simple), table `sessions` from the migrations.
 *
 * The cookie rolls on every response, but the row's expiry is written after the response, at most
 * once a minute per session and process (an idle timeout of minutes does not need to know about
 * every request): a read-only request costs one indexed read and no write, and no read at all when
 * this process read the session a moment ago (SessionCache). (express-session itself would touch
 * the store before ending every response, holding back its last byte until then.)
 */
@Injectable()
export class SessionStore implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SessionStore.name);
  readonly pool: Pool;
  readonly store: session.Store;
  /** Pushes the session's idle expiry forward, at most once a minute; never delays a response. */
  readonly touchLater: (sid: string, sess: session.SessionData) => void;
  /** Sessions read a moment ago, with the person behind each (SESSION_CACHE_SECONDS; 0: none). */
  readonly cache: SessionCache;
  private readonly notices: SessionNotices | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig, preload: ActorPreload) {
    this.pool = new Pool({
      connectionString: config.DATABASE_URL,
      max: 5,
      application_name: 'rehearse-sessions',
      // the API's limits: every request reads its session here first
      options: sessionOptions(
        config.API_STATEMENT_TIMEOUT_SECONDS * 1000,
        config.DATABASE_IDLE_IN_TRANSACTION_SECONDS * 1000,
      ),
      connectionTimeoutMillis: 5000,
      ...connectionKeeping(config.API_STATEMENT_TIMEOUT_SECONDS * 1000),
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
    // the read of every request: from this process's cache when the session was read a moment ago
    // and nothing changed since (SessionCache, kept right by PostgreSQL's notices), otherwise
    // accounts' readSession, bringing the person behind the session along (ActorPreload): one
    // round trip
    this.store.get = (sid: string, fn: (err: unknown, sess?: session.SessionData | null) => void) => {
      const cached = this.cache.get(sid);
      if (cached) {
        this.hand(sid, cached, fn);
        return;
      }
      const ticket = this.cache.ticket();
      readSession(this.pool, sid, Math.ceil(Date.now() / 1000)).then(
        (row) => {
          if (row?.sess === undefined) return fn(null, null);
          // shared by the requests the cache answers: nobody may change it
          const actor = row.actor?.id ? Object.freeze({ ...row.actor, roles: Object.freeze(row.actor.roles) }) : null;
          const read: CachedSession = { sess: row.sess, actor: actor as ActorRow | null };
          if (this.hand(sid, read, fn)) this.cache.put(ticket, sid, read, Date.now() + row.seconds_left * 1000);
        },
        (err: unknown) => fn(err),
      );
    };
    // this process's own writes are forgotten at once, before and after (the notice of the commit follows)
    const forgetting = (sid: string, cb?: (err?: unknown) => void) => {
      this.cache.notice(`s:${sid}`);
      return (err?: unknown) => {
        this.cache.notice(`s:${sid}`);
        cb?.(err);
      };
    };
    const set = this.store.set.bind(this.store);
    this.store.set = (sid, sess, cb) => set(sid, sess, forgetting(sid, cb));
    const destroy = this.store.destroy.bind(this.store);
    this.store.destroy = (sid, cb) => destroy(sid, forgetting(sid, cb));
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
      touch(sid, sess, (err) => {
        if (err) this.logger.warn(`session ${sid.slice(0, 6)}… not touched: ${(err as Error).message}`);
        else this.cache.touched(sid, Date.now() + config.SESSION_IDLE_MINUTES * 60_000);
      });
    this.cache = new SessionCache(SESSION_CACHE_ENTRIES, config.SESSION_CACHE_SECONDS * 1000);
    this.notices = this.cache.enabled ? new SessionNotices(config.DATABASE_URL, this.cache, this.logger) : null;
  }

  /** A session's save at the end of its response failed (the response was sent): said in the log. */
  saveFailed(sid: string, err: unknown): void {
    this.logger.warn(`session ${sid.slice(0, 6)}… not saved: ${(err as Error)?.message ?? String(err)}`);
  }

  /** The cache's notices flow before the API takes requests (its first requests read PostgreSQL either way). */
  async onModuleInit(): Promise<void> {
    await this.notices?.start();
  }

  /** Resolves once every notice committed before this call has reached the cache (tests). */
  noticesSettled(): Promise<void> {
    return this.notices?.settled(this.pool) ?? Promise.resolve();
  }

  /**
   * Hands express-session a request's own copy of the session; false when the stored data is not
   * JSON (the session is then destroyed, as a session that does not exist).
   */
  private hand(
    sid: string,
    read: CachedSession,
    fn: (err: unknown, sess?: session.SessionData | null) => void,
  ): boolean {
    let sess: session.SessionData;
    try {
      sess = JSON.parse(read.sess) as session.SessionData;
    } catch {
      this.store.destroy(sid, (err?: unknown) => fn(err ?? null, null));
      return false;
    }
    // carried to createSession below, which knows the request; not a property express-session copies or saves
    if (read.actor) Object.defineProperty(sess, READ_ACTOR, { value: read.actor, enumerable: false });
    fn(null, sess);
    return true;
  }

  async onModuleDestroy(): Promise<void> {
    await this.notices?.stop();
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
