import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import type { LoggerService } from '@nestjs/common';
import { SESSION_OPTIONS } from '@rehearse/server/database';
import { SESSION_NOTICE_CHANNEL, SessionCache } from './session-cache';

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 15_000;

/**
 * PostgreSQL's notices of changed sessions, people and organisations (LISTEN on one connection of
 * its own), passed to the session cache. While the connection is down the cache is off (every
 * request reads PostgreSQL, as without a cache) and emptied; it reconnects by itself, with backoff.
 */
export class SessionNotices {
  private client: Client | null = null;
  private stopped = false;
  private retryMs = RETRY_MIN_MS;
  private timer: NodeJS.Timeout | null = null;
  private readonly waiting = new Map<string, () => void>();

  constructor(
    private readonly databaseUrl: string,
    private readonly cache: SessionCache,
    private readonly logger: LoggerService,
  ) {}

  /** Connects and listens; never throws (a database not there yet: retried in the background). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    this.cache.setListening(false);
    await client?.end().catch(() => undefined);
  }

  /**
   * Resolves when a notice sent now through `pool` has come back: notices are delivered in commit
   * order, so everything committed before has reached the cache by then.
   */
  async settled(pool: Pool): Promise<void> {
    if (!this.cache.isListening) return;
    const token = `sync:${randomUUID()}`;
    const arrived = new Promise<void>((resolve) => this.waiting.set(token, resolve));
    await pool.query('SELECT pg_notify($1, $2)', [SESSION_NOTICE_CHANNEL, token]);
    await arrived;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.databaseUrl,
      application_name: 'rehearse-session-notices',
      options: SESSION_OPTIONS,
      connectionTimeoutMillis: 5000,
      keepAlive: true,
    });
    client.on('notification', (n) => {
      const payload = n.payload ?? '*';
      const done = this.waiting.get(payload);
      if (done) {
        this.waiting.delete(payload);
        return done();
      }
      this.cache.notice(payload);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, null));
    try {
      await client.connect();
      await client.query(`LISTEN ${SESSION_NOTICE_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      return this.lost(client, err as Error);
    }
    if (this.stopped) return void client.end().catch(() => undefined);
    this.client = client;
    this.retryMs = RETRY_MIN_MS;
    // whatever changed while no notice could arrive is forgotten with the rest
    this.cache.setListening(true);
  }

  private lost(client: Client, err: Error | null): void {
    if (this.client && this.client !== client) return;
    this.client = null;
    this.cache.setListening(false);
    for (const done of this.waiting.values()) done();
    this.waiting.clear();
    if (this.stopped || this.timer) return;
    this.logger.warn(
      `session notices lost${err ? ` (${err.message})` : ''}: sessions are read from PostgreSQL until they are back`,
    );
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }
}
