import session from 'express-session';
import { throttled } from './session-store';

describe('throttled session touch', () => {
  function store(): {
    touch: (sid: string, sess: session.SessionData, cb: (err?: unknown) => void) => void;
    writes: string[];
    fail: { next: boolean };
  } {
    const writes: string[] = [];
    const fail = { next: false };
    const touch = (sid: string, _sess: session.SessionData, cb: (err?: unknown) => void) => {
      writes.push(sid);
      const err = fail.next ? new Error('database down') : undefined;
      fail.next = false;
      cb(err);
    };
    return { touch, writes, fail };
  }
  const sess = { cookie: { originalMaxAge: 60_000 } } as session.SessionData;
  const call = (t: ReturnType<typeof throttled>, sid: string) =>
    new Promise<unknown>((resolve) => t(sid, sess, (err?: unknown) => resolve(err)));

  it('writes a session at most once per interval, each session on its own clock', async () => {
    const { touch, writes } = store();
    let now = 1_000_000;
    const t = throttled(touch, 60_000, () => now);
    await call(t, 'a');
    await call(t, 'a');
    await call(t, 'b');
    now += 59_999;
    await call(t, 'a');
    expect(writes).toEqual(['a', 'b']);
    now += 1;
    await call(t, 'a');
    expect(writes).toEqual(['a', 'b', 'a']);
  });

  it('tries again at the next request after a failed write, and reports the failure', async () => {
    const { touch, writes, fail } = store();
    const t = throttled(touch, 60_000, () => 5_000);
    fail.next = true;
    expect(await call(t, 'a')).toBeInstanceOf(Error);
    expect(await call(t, 'a')).toBeUndefined();
    expect(writes).toEqual(['a', 'a']);
  });
});
