/**
 * A new password and what follows it (NewPassword: a person's own change and a reset link both
 * use it) on real PostgreSQL: the hash set, trusted devices forgotten, sessions ended but the one
 * kept, a notice recorded in the same transaction and mailed after it.
 */
import { randomUUID } from 'node:crypto';
import { type AppConfig, Clock, SecretBox } from '@rehearse/server/core';
import { openMediumDatabase, type MediumDatabase } from '@rehearse/server/database';
import type { MailProducer } from '@rehearse/server/mail';
import { NewPassword } from './new-password';
import { SecurityNotices } from './security-notices';
import { SecurityNoticesRepository } from './security-notices.repository';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { TrustedDevicesRepository } from './trusted-devices.repository';
import { TrustedDevicesService } from './trusted-devices.service';
import { UsersRepository } from './users.repository';

describe('NewPassword (medium tier)', () => {
  let m: MediumDatabase;
  let passwords: NewPassword;
  let devices: TrustedDevicesRepository;
  const clock = new Clock();
  const mailed: { name: string; payload: unknown; jobId: string }[] = [];
  const mail = {
    send: async (name: string, payload: unknown, jobId: string) => {
      mailed.push({ name, payload, jobId });
    },
  } as unknown as MailProducer;

  beforeAll(async () => {
    m = await openMediumDatabase();
    const config = {} as AppConfig;
    devices = new TrustedDevicesRepository(m.db);
    passwords = new NewPassword(
      new UsersRepository(m.db),
      new TrustedDevicesService(devices, config, new SecretBox('medium-tier-secret-of-at-least-32-chars'), clock),
      new SessionsService(new SessionsRepository(m.db), config, clock),
      new SecurityNotices(new SecurityNoticesRepository(m.db), mail, clock),
    );
  });
  afterAll(() => m?.close());

  const session = (userId: string) =>
    m.db
      .query(`INSERT INTO sessions (sid, sess, expire) VALUES ($1, $2, now() + interval '1 day') RETURNING sid`, [
        randomUUID(),
        JSON.stringify({ auth: { userId } }),
      ])
      .then((r: { sid: string }[]) => r[0].sid);
  const device = (tenantId: string, userId: string) =>
    devices.insert(tenantId, {
      userId,
      tokenHash: randomUUID(),
      label: 'Firefox on Linux',
      securityStamp: randomUUID(),
      expiresAt: new Date(Date.now() + 86_400_000),
      now: new Date(),
    });
  const sessionsOf = async (userId: string) =>
    ((await m.db.query(`SELECT sid FROM sessions WHERE user_id = $1`, [userId])) as { sid: string }[])
      .map((r) => r.sid)
      .sort();
  const liveDevices = async (userId: string) =>
    Number(
      (
        (await m.db.query(`SELECT count(*) FROM trusted_devices WHERE user_id = $1 AND revoked_at IS NULL`, [
          userId,
        ])) as { count: string }[]
      )[0].count,
    );
  const noticesOf = async (userId: string) =>
    (await m.db.query(`SELECT id, notice FROM security_notices WHERE user_id = $1`, [userId])) as {
      id: string;
      notice: string;
    }[];

  it('sets the hash, forgets the person’s trusted devices, ends their sessions but the one kept, records a notice and mails it after', async () => {
    const tenant = await m.rows.tenant();
    const person = await m.rows.user(tenant);
    const other = await m.rows.user(tenant);
    const [kept, ended, othersSession] = [await session(person), await session(person), await session(other)];
    await device(tenant, person);
    await device(tenant, person);
    await device(tenant, other);
    mailed.length = 0;

    const notice = await m.db.transaction((t) =>
      passwords.set(t, tenant, person, 'hash-of-the-new-one', new Date(), kept),
    );

    expect(notice).toMatchObject({ userId: person, notice: 'password-changed' });
    const [row] = (await m.db.query(`SELECT password_hash, password_changed_at FROM users WHERE id = $1`, [
      person,
    ])) as { password_hash: string; password_changed_at: Date | null }[];
    expect(row.password_hash).toBe('hash-of-the-new-one');
    expect(row.password_changed_at).not.toBeNull();
    expect(await liveDevices(person)).toBe(0);
    expect(await sessionsOf(person)).toEqual([kept]);
    expect(await sessionsOf(person)).not.toContain(ended);
    // nobody else's
    expect(await liveDevices(other)).toBe(1);
    expect(await sessionsOf(other)).toEqual([othersSession]);
    expect(await noticesOf(other)).toEqual([]);
    // recorded with the change, mailed only when asked (after the commit)
    expect(await noticesOf(person)).toEqual([{ id: notice?.id, notice: 'password-changed' }]);
    expect(mailed).toEqual([]);
    if (!notice) throw new Error('no notice');
    await passwords.announce(notice);
    expect(mailed).toEqual([
      {
        name: 'security-notice',
        payload: expect.objectContaining({ userId: person, noticeId: notice?.id }),
        jobId: notice?.id,
      },
    ]);
  });

  it('ends every session when none is kept (a reset link)', async () => {
    const tenant = await m.rows.tenant();
    const person = await m.rows.user(tenant);
    await session(person);
    await session(person);
    await m.db.transaction((t) => passwords.set(t, tenant, person, 'another-hash', new Date()));
    expect(await sessionsOf(person)).toEqual([]);
  });

  it('changes nothing for a person who is gone (or of another organisation), and says so with null', async () => {
    const tenant = await m.rows.tenant();
    const elsewhere = await m.rows.tenant();
    const person = await m.rows.user(tenant);
    const [mine] = [await session(person)];
    await device(tenant, person);
    expect(await m.db.transaction((t) => passwords.set(t, tenant, randomUUID(), 'hash', new Date()))).toBeNull();
    // the right person named under another organisation: not theirs to change
    expect(await m.db.transaction((t) => passwords.set(t, elsewhere, person, 'hash', new Date()))).toBeNull();
    expect(await sessionsOf(person)).toEqual([mine]);
    expect(await liveDevices(person)).toBe(1);
    expect(await noticesOf(person)).toEqual([]);
  });
});
