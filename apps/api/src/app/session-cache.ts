import type { ActorRow } from '@rehearse/server/access';

/** The channel of the notices sent by the triggers of migration SessionNotices1764800000000. */
export const SESSION_NOTICE_CHANNEL = 'rehearse_session_changes';

/** What a session read from PostgreSQL gave: its data as stored, and the person behind it. */
export interface CachedSession {
  /** the session's data as stored (JSON text): each request parses a copy of its own */
  sess: string;
  actor: ActorRow | null;
}

interface Entry extends CachedSession {
  /** when the session row expires (ms since the epoch) */
  expire: number;
  /** when this entry stops being used, whatever the notices say (ms since the epoch) */
  until: number;
}

/**
 * The sessions this API process served lately, with the person behind each, so that a request of
 * a session seen a moment ago costs no round trip to PostgreSQL.
 *
 * Correct only while PostgreSQL's notices arrive: every change of a session, a person, their
 * roles or their organisation sends one on commit (triggers, whoever writes), and `notice`
 * forgets what it names. An entry is used only while notices flow (`listening`), for at most
 * `ttlMs`, and never past the session's own expiry. A read that a notice overtook is not kept
 * (`ticket`): a change committed while the session was being read cannot leave the old row behind.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byUser = new Map<string, Set<string>>();
  private generation = 0;
  private listening = false;

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.maxEntries > 0 && this.ttlMs > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Notices flow (LISTEN answered) or stopped (connection lost): either way, nothing kept is trusted. */
  setListening(on: boolean): void {
    this.clear();
    this.listening = on;
  }

  get isListening(): boolean {
    return this.listening;
  }

  /** Taken before reading a session from PostgreSQL; `put` refuses a read that a notice overtook. */
  ticket(): number {
    return this.generation;
  }

  get(sid: string): CachedSession | undefined {
    if (!this.listening) return undefined;
    const e = this.entries.get(sid);
    if (!e) return undefined;
    const t = this.now();
    if (t >= e.until || t >= e.expire) {
      this.remove(sid);
      return undefined;
    }
    // the most recently used last: the oldest goes first when the cache is full
    this.entries.delete(sid);
    this.entries.set(sid, e);
    return e;
  }

  /** Keeps a session read from PostgreSQL (`expire`: the row's expiry) unless a notice came in between. */
  put(ticket: number, sid: string, value: CachedSession, expire: number): void {
    if (!this.enabled || !this.listening || ticket !== this.generation) return;
    this.remove(sid);
    const t = this.now();
    this.entries.set(sid, { ...value, expire, until: t + this.ttlMs });
    const userId = value.actor?.id;
    if (userId) {
      const sids = this.byUser.get(userId) ?? new Set<string>();
      this.byUser.set(userId, sids.add(sid));
    }
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.remove(oldest);
    }
  }

  /** This process moved the session's expiry forward. */
  touched(sid: string, expire: number): void {
    const e = this.entries.get(sid);
    if (e) e.expire = Math.max(e.expire, expire);
  }

  /**
   * A notice: `s:<sid>` a session, `u:<user id>` a person (and so every session of theirs),
   * `t:<tenant id>` an organisation, `*` everything. One not understood forgets everything.
   */
  notice(payload: string): void {
    this.generation++;
    const id = payload.slice(2);
    if (payload.startsWith('s:')) this.remove(id);
    else if (payload.startsWith('u:')) for (const sid of [...(this.byUser.get(id) ?? [])]) this.remove(sid);
    else if (payload.startsWith('t:')) {
      for (const [sid, e] of [...this.entries]) if (e.actor?.tenant_id === id) this.remove(sid);
    } else this.clear();
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.byUser.clear();
  }

  private remove(sid: string): void {
    const e = this.entries.get(sid);
    if (!e) return;
    this.entries.delete(sid);
    const userId = e.actor?.id;
    if (!userId) return;
    const sids = this.byUser.get(userId);
    sids?.delete(sid);
    if (sids && !sids.size) this.byUser.delete(userId);
  }
}
