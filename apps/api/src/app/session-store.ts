import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig } from '@rehearse/server/core';
import { SESSION_OPTIONS } from '@rehearse/server/database';

/** A session's idle expiry is pushed forward at most this often (a rolling cookie otherwise writes on every request). */
export const TOUCH_EVERY_MS = 60_000;

/**
 * Server-side sessions in PostgreSQL (connect-pg-simple), table `sessions` from the migrations.
 *
 * The cookie rolls on every response, but the row's expiry is written at most once a minute per
 * session and process (an idle timeout of minutes does not need to know about every request):
 * a read-only request costs one indexed read, no write.
 */
@Injectable()
export class SessionStore implements OnModuleDestroy {
  private readonly logger = new Logger(SessionStore.name);
  readonly pool: Pool;
  readonly store: session.Store;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pool = new Pool({ connectionString: config.DATABASE_URL, max: 5, application_name: 'rehearse-sessions', options: SESSION_OPTIONS, connectionTimeoutMillis: 5000 });
    // an idle connection that PostgreSQL ends (a restart) is dropped from the pool; unhandled, the
    // pool's error event would end the process
    this.pool.on('error', (err) => this.logger.warn(`session store connection lost: ${err.message}`));
    const PgStore = connectPgSimple(session);
    this.store = new PgStore({
      pool: this.pool,
      tableName: 'sessions',
      createTableIfMissing: false,
      pruneSessionInterval: config.NODE_ENV === 'test' ? false : 15 * 60,
    });
    throttleTouch(this.store, TOUCH_EVERY_MS);
  }

  async onModuleDestroy(): Promise<void> {
    (this.store as unknown as { close?: () => void }).close?.();
    await this.pool.end().catch(() => undefined);
  }
}

/** Makes store.touch() write a session at most once per `everyMs` (per process); other touches answer at once. */
export function throttleTouch(store: session.Store, everyMs: number, now: () => number = Date.now): void {
  const touch = store.touch?.bind(store);
  if (!touch) return;
  const last = new Map<string, number>();
  store.touch = (sid: string, sess: session.SessionData, cb?: (err?: unknown) => void) => {
    const t = now();
    const previous = last.get(sid);
    if (previous !== undefined && t - previous < everyMs) {
      cb?.();
      return;
    }
    last.set(sid, t);
    // forget sessions not seen for a while, so the map holds only the active ones
    if (last.size > 10_000) for (const [k, v] of last) if (t - v >= everyMs) last.delete(k);
    touch(sid, sess, (err?: unknown) => {
      if (err) last.delete(sid);
      cb?.(err);
    });
  };
}
