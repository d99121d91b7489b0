import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { SESSION_OPTIONS } from './data-source-options';

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 15_000;

/** What a NoticeListener tells its owner. */
export interface NoticeHandler {
  /** a notice on the channel (NOTIFY's payload) */
  notice(payload: string): void;
  /** listening: from now on every notice committed arrives */
  up(): void;
  /** not listening (the connection failed or ended): notices committed from now on are lost until `up` */
  down(err: Error | null): void;
}

/**
 * LISTEN on one PostgreSQL channel over a connection of its own, reconnecting by itself with
 * backoff (0.5 s doubling to 15 s). Its owner learns of each notice, and when notices start and
 * stop arriving.
 */
export class NoticeListener {
  private client: Client | null = null;
  private stopped = false;
  private listening = false;
  private retryMs = RETRY_MIN_MS;
  private timer: NodeJS.Timeout | null = null;
  private readonly waiting = new Map<string, () => void>();
  /** connections already given up (a failed one reports both 'error' and 'end') */
  private readonly ended = new WeakSet<Client>();

  constructor(
    private readonly databaseUrl: string,
    private readonly channel: string,
    private readonly handler: NoticeHandler,
    private readonly applicationName = 'rehearse-notices',
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
  }

  /** Connects and listens; never throws (a database not there yet is retried in the background). */
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
    if (client) this.ended.add(client);
    this.setDown(null);
    await client?.end().catch(() => undefined);
  }

  /**
   * Resolves when a notice sent now through `pool` has come back: notices arrive in commit order,
   * so everything committed before has been handled by then (at once when not listening).
   */
  async settled(pool: Pool): Promise<void> {
    if (!this.listening) return;
    const token = `sync:${randomUUID()}`;
    const arrived = new Promise<void>((resolve) => this.waiting.set(token, resolve));
    await pool.query('SELECT pg_notify($1, $2)', [this.channel, token]);
    await arrived;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.databaseUrl,
      application_name: this.applicationName,
      options: SESSION_OPTIONS,
      connectionTimeoutMillis: 5000,
      keepAlive: true,
    });
    client.on('notification', (n) => {
      const payload = n.payload ?? '';
      const done = this.waiting.get(payload);
      if (done) {
        this.waiting.delete(payload);
        return done();
      }
      this.handler.notice(payload);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, null));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (err) {
      // reported before ending the connection, whose 'end' would otherwise report it without the error
      this.lost(client, err as Error);
      return void (await client.end().catch(() => undefined));
    }
    if (this.stopped) return void client.end().catch(() => undefined);
    this.client = client;
    this.retryMs = RETRY_MIN_MS;
    this.listening = true;
    this.handler.up();
  }

  private setDown(err: Error | null): void {
    this.listening = false;
    for (const done of this.waiting.values()) done();
    this.waiting.clear();
    this.handler.down(err);
  }

  private lost(client: Client, err: Error | null): void {
    if (this.ended.has(client)) return;
    this.ended.add(client);
    if (this.client !== client && this.client !== null) return;
    this.client = null;
    this.setDown(err);
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }
}
