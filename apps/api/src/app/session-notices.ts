import type { Pool } from 'pg';
import type { LoggerService } from '@nestjs/common';
import { NoticeListener } from '@rehearse/server/database';
import { SESSION_NOTICE_CHANNEL, SessionCache } from './session-cache';

/**
 * PostgreSQL's notices of changed sessions, people and organisations (migration
 * SessionNotices1764800000000), passed to the session cache. While they cannot arrive the cache
 * is off and empty (every request reads PostgreSQL, as without a cache); the listener reconnects
 * by itself.
 */
export class SessionNotices {
  private readonly listener: NoticeListener;
  private stopping = false;

  constructor(databaseUrl: string, cache: SessionCache, logger: LoggerService) {
    this.listener = new NoticeListener(
      databaseUrl,
      SESSION_NOTICE_CHANNEL,
      {
        notice: (payload) => cache.notice(payload),
        // whatever changed while no notice could arrive is forgotten with the rest
        up: () => cache.setListening(true),
        down: (err) => {
          cache.setListening(false);
          if (!this.stopping)
            logger.warn(
              `session notices lost${err ? ` (${err.message})` : ''}: sessions are read from PostgreSQL until they are back`,
            );
        },
      },
      'rehearse-session-notices',
    );
  }

  start(): Promise<void> {
    this.stopping = false;
    return this.listener.start();
  }

  stop(): Promise<void> {
    this.stopping = true;
    return this.listener.stop();
  }

  /** Resolves once every notice committed before this call has reached the cache (tests). */
  settled(pool: Pool): Promise<void> {
    return this.listener.settled(pool);
  }
}
