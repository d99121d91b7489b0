import session from 'express-session';
import { throttleTouch } from './session-store';

describe('throttleTouch', () => {
  function store(): { store: session.Store; writes: string[]; fail: { next: boolean } } {
    const writes: string[] = [];
    const fail = { next: false };
    const s = new session.MemoryStore();
    s.touch = (sid: string, _sess: session.SessionData, cb?: (err?: unknown) => void) => {
      writes.push(sid);
      const err = fail.next ? new Error('database down') : undefined;
      fail.next = false;
      cb?.(err);
    };
    return { store: s, writes, fail };
  }
  const sess = { cookie: { originalMaxAge: 60_000 } } as session.SessionData;
  const touch = (s: session.Store, sid: string) => new Promise<unknown>((resolve) => s.touch?.(sid, sess, (err?: unknown) => resolve(err)));

  it('writes a session at most once per interval, each session on its own clock', async () => {
    const { store: s, writes } = store();
    let now = 1_000_000;
    throttleTouch(s, 60_000, () => now);
    await touch(s, 'a');
    await touch(s, 'a');
    await touch(s, 'b');
    now += 59_999;
    await touch(s, 'a');
    expect(writes).toEqual(['a', 'b']);
    now += 1;
    await touch(s, 'a');
    expect(writes).toEqual(['a', 'b', 'a']);
  });

  it('tries again at the next request after a failed write, and reports the failure', async () => {
    const { store: s, writes, fail } = store();
    const now = 5_000;
    throttleTouch(s, 60_000, () => now);
    fail.next = true;
    expect(await touch(s, 'a')).toBeInstanceOf(Error);
    expect(await touch(s, 'a')).toBeUndefined();
    expect(writes).toEqual(['a', 'a']);
  });
});
