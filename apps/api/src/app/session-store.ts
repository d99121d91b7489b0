import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig } from '@rehearse/server/core';

/** Server-side sessions in PostgreSQL (connect-pg-simple), table `sessions` from the migrations. */
@Injectable()
export class SessionStore implements OnModuleDestroy {
  readonly pool: Pool;
  readonly store: session.Store;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pool = new Pool({ connectionString: config.DATABASE_URL, max: 5, application_name: 'rehearse-sessions' });
    const PgStore = connectPgSimple(session);
    this.store = new PgStore({
      pool: this.pool,
      tableName: 'sessions',
      createTableIfMissing: false,
      pruneSessionInterval: config.NODE_ENV === 'test' ? false : 15 * 60,
    });
  }

  async onModuleDestroy(): Promise<void> {
    (this.store as unknown as { close?: () => void }).close?.();
    await this.pool.end().catch(() => undefined);
  }
}
