import { Injectable } from '@angular/core';

/** A recording kept in this browser while it is made, until it is sent or discarded. */
export interface KeptTake {
  /** whose, for which exercise: `<user>:<course>:<exercise>` */
  key: string;
  mimeType: string;
  /** when recording began (ms since the epoch) */
  startedAt: number;
  /** its length once stopped; 0 while recording (or when the tab closed meanwhile) */
  seconds: number;
}

/** A kept recording as found: what it is and its bytes. */
export interface FoundTake extends KeptTake {
  blob: Blob;
}

const DB_NAME = 'rehearse-kept-recordings';
const TAKES = 'takes';
const CHUNKS = 'chunks';

/** How long a recording that was never sent is kept in the browser. */
export const KEPT_DAYS = 7;

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

function result<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/**
 * Keeps what the recorder records in the browser's own database (IndexedDB) as it comes, a
 * second at a time, so that an answer survives a closed tab, a crash, a reload or a lost
 * connection: the recorder offers it again when the exercise is opened next. A take is removed
 * once it is sent, discarded or recorded again, when the person signs out in this browser, and
 * after KEPT_DAYS. Where the browser keeps no such database (some private windows), nothing is
 * kept and recording works as before.
 */
@Injectable({ providedIn: 'root' })
export class KeptRecordings {
  private opened: Promise<IDBDatabase | null> | null = null;
  /** writes run one after another, in the order they were asked for */
  private writes: Promise<unknown> = Promise.resolve();
  /** takes a piece of which could not be kept (the browser's storage full): gone, and no more pieces */
  private readonly broken = new Set<string>();

  private db(): Promise<IDBDatabase | null> {
    this.opened ??= new Promise<IDBDatabase | null>((resolve) => {
      try {
        const req = indexedDB.open(DB_NAME, 1);
        req.onupgradeneeded = () => {
          const db = req.result;
          db.createObjectStore(TAKES, { keyPath: 'key' });
          db.createObjectStore(CHUNKS, { autoIncrement: true }).createIndex('key', 'key');
        };
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => resolve(null);
        req.onblocked = () => resolve(null);
      } catch {
        resolve(null);
      }
    });
    return this.opened;
  }

  /** Runs `write` after the writes asked for before it; a failed write loses only itself. */
  private queue(write: (db: IDBDatabase) => Promise<void>): Promise<void> {
    const next = this.writes.then(async () => {
      const db = await this.db();
      if (db) await write(db);
    });
    this.writes = next.catch(() => undefined);
    return next.catch(() => undefined);
  }

  /** A new take for `key` (an earlier one for it goes). */
  begin(take: Omit<KeptTake, 'seconds'>): Promise<void> {
    this.broken.delete(take.key);
    return this.queue(async (db) => {
      await this.remove(db, take.key);
      const tx = db.transaction(TAKES, 'readwrite');
      tx.objectStore(TAKES).put({ ...take, seconds: 0 });
      await done(tx);
    });
  }

  /**
   * The next piece of the take. A piece that cannot be kept (the browser's storage is full) ends
   * the take: a recording with a gap would not play, so what was kept of it goes and no further
   * pieces are kept (the recorder still holds the whole recording in memory until it is sent).
   */
  append(key: string, chunk: Blob): Promise<void> {
    return this.queue(async (db) => {
      if (this.broken.has(key)) return;
      try {
        const tx = db.transaction(CHUNKS, 'readwrite');
        tx.objectStore(CHUNKS).add({ key, chunk });
        await done(tx);
      } catch {
        this.broken.add(key);
        await this.remove(db, key);
      }
    });
  }

  /** The take is complete: its length. */
  finish(key: string, seconds: number): Promise<void> {
    return this.queue(async (db) => {
      const tx = db.transaction(TAKES, 'readwrite');
      const store = tx.objectStore(TAKES);
      const take = (await result(store.get(key))) as KeptTake | undefined;
      if (take) store.put({ ...take, seconds });
      await done(tx);
    });
  }

  /** Removes the take for `key`. */
  discard(key: string): Promise<void> {
    return this.queue((db) => this.remove(db, key));
  }

  /** Removes every take (signing out: the next person at this browser finds none). */
  clear(): Promise<void> {
    return this.queue(async (db) => {
      const tx = db.transaction([TAKES, CHUNKS], 'readwrite');
      tx.objectStore(TAKES).clear();
      tx.objectStore(CHUNKS).clear();
      await done(tx);
    });
  }

  /**
   * The take kept for `key`, whole: null when there is none, it is empty, or older than KEPT_DAYS
   * (then it goes). A take the tab closed during has the length of its pieces (a second each).
   */
  async find(key: string, now = Date.now()): Promise<FoundTake | null> {
    await this.writes;
    const db = await this.db();
    if (!db) return null;
    const tx = db.transaction([TAKES, CHUNKS], 'readonly');
    const take = (await result(tx.objectStore(TAKES).get(key))) as KeptTake | undefined;
    const pieces = (await result(tx.objectStore(CHUNKS).index('key').getAll(key))) as { chunk: Blob }[];
    if (!take) return null;
    const blob = new Blob(
      pieces.map((p) => p.chunk),
      { type: take.mimeType },
    );
    if (blob.size === 0 || now - take.startedAt > KEPT_DAYS * 86_400_000) {
      await this.discard(key);
      return null;
    }
    return { ...take, seconds: take.seconds || pieces.length, blob };
  }

  private async remove(db: IDBDatabase, key: string): Promise<void> {
    const tx = db.transaction([TAKES, CHUNKS], 'readwrite');
    tx.objectStore(TAKES).delete(key);
    const chunks = tx.objectStore(CHUNKS);
    const ids = await result(chunks.index('key').getAllKeys(key));
    for (const id of ids) chunks.delete(id);
    await done(tx);
  }
}
