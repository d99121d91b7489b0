import type { ActorRow } from '@rehearse/server/access';
import { SessionCache } from './session-cache';

const actor = (id: string, tenant_id: string | null = 't1'): ActorRow => ({
  id,
  tenant_id,
  status: 'active',
  is_superuser: false,
  name: id,
  email: `${id}@a.test`,
  roles: ['participant'],
  phone: null,
  totp_enabled: false,
  locale: null,
  tenant_name: 'A',
});

describe('SessionCache', () => {
  let now: number;
  let cache: SessionCache;
  const FAR = 3_600_000;
  const put = (sid: string, who: ActorRow | null = actor('u1'), expire = now + FAR) =>
    cache.put(cache.ticket(), sid, { sess: `{"sid":"${sid}"}`, actor: who }, expire);

  beforeEach(() => {
    now = 1_000_000;
    cache = new SessionCache(3, 10_000, () => now);
    cache.setListening(true);
  });

  it('answers a session it was given, until its time is up or the session expires', () => {
    put('a');
    expect(cache.get('a')?.sess).toBe('{"sid":"a"}');
    now += 9_999;
    expect(cache.get('a')).toBeDefined();
    now += 1;
    expect(cache.get('a')).toBeUndefined();
    // never past the session row's own expiry
    put('b', actor('u2'), now + 500);
    now += 500;
    expect(cache.get('b')).toBeUndefined();
  });

  it('keeps nothing and answers nothing while notices do not arrive', () => {
    put('a');
    cache.setListening(false);
    expect(cache.get('a')).toBeUndefined();
    put('a');
    cache.setListening(true);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('does not keep a read that a notice overtook', () => {
    const ticket = cache.ticket();
    cache.notice('u:someone-else');
    cache.put(ticket, 'a', { sess: '{}', actor: actor('u1') }, now + FAR);
    expect(cache.get('a')).toBeUndefined();
  });

  it('forgets a session, every session of a person, and every session of an organisation when told', () => {
    put('a', actor('u1', 't1'));
    put('b', actor('u1', 't1'));
    put('c', actor('u2', 't2'));
    cache.notice('s:a');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeDefined();
    cache.notice('u:u1');
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toBeDefined();
    cache.notice('t:t2');
    expect(cache.get('c')).toBeUndefined();
  });

  it('forgets everything on a truncation or a notice it does not understand', () => {
    put('a');
    put('b', null);
    cache.notice('*');
    expect(cache.size).toBe(0);
    put('a');
    cache.notice('x:whatever');
    expect(cache.size).toBe(0);
  });

  it('holds at most its number of sessions, the least recently used going first', () => {
    put('a', actor('u1'));
    put('b', actor('u2'));
    put('c', actor('u3'));
    cache.get('a');
    put('d', actor('u4'));
    expect(cache.get('b')).toBeUndefined();
    expect(['a', 'c', 'd'].map((s) => cache.get(s) !== undefined)).toEqual([true, true, true]);
    // the person index follows: a notice for the evicted one's person finds nothing to forget
    cache.notice('u:u2');
    expect(cache.size).toBe(3);
  });

  it('moves a session it touched forward, never back', () => {
    put('a', actor('u1'), now + 1_000);
    cache.touched('a', now + 5_000);
    cache.touched('a', now + 2_000);
    now += 4_000;
    expect(cache.get('a')).toBeDefined();
  });

  it('keeps nothing when switched off', () => {
    const off = new SessionCache(100, 0, () => now);
    off.setListening(true);
    off.put(off.ticket(), 'a', { sess: '{}', actor: null }, now + FAR);
    expect(off.enabled).toBe(false);
    expect(off.get('a')).toBeUndefined();
  });
});
