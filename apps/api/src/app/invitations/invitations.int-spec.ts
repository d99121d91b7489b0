import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { authenticator } from 'otplib';
import { QUEUES } from '@rehearse/shared/contracts';
import { Client, Harness, PASSWORD, seedTwoTenants, startHarness, totpNow } from '../../test/harness';

describe('invitations, CSV import, TOTP enrolment', () => {
  let h: Harness;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;
  let admin: Client;

  beforeAll(async () => {
    h = await startHarness();
    world = await seedTwoTenants(h);
    admin = await h.signIn(world.a.emails.admin);
  });
  afterAll(() => h.close());

  it('the e-mail an invitation queues carries the id of the request that asked for it, to the worker’s lines', async () => {
    const res = await admin.agent
      .post('/api/admin/users')
      .set('X-XSRF-TOKEN', admin.xsrf)
      .set('X-Correlation-Id', 'trace-invite-0001')
      .send({ name: 'Tracy Traced', email: 'tracy@a.test', roles: ['participant'] });
    expect(res.status).toBe(201);
    const jobs = await h.app
      .get<Queue>(getQueueToken(QUEUES.mail))
      .getJobs(['waiting', 'active', 'completed', 'delayed', 'failed']);
    expect(jobs.filter((j) => j.data.correlationId === 'trace-invite-0001').map((j) => j.name)).toEqual(['invitation']);
  });

  const linkIn = (text: string) => /\/invitation\/([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';

  it('an invited user sets a password through a one-time link; no password travels by mail', async () => {
    const before = h.mailbox.messages.length;
    const res = await admin.post('/api/admin/users', {
      name: 'Ivy Invited',
      email: 'Ivy@A.test',
      roles: ['participant', 'coach'],
      licence: { startsOn: '2026-01-01', expiresOn: '2026-12-31' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      email: 'ivy@a.test',
      status: 'invited',
      roles: ['coach', 'participant'],
      licence: { startsOn: '2026-01-01', expiresOn: '2026-12-31' },
    });
    const mail = await h.mailbox.waitFor('ivy@a.test', /invited/, 15_000, before);
    const token = linkIn(mail.text);
    expect(token.length).toBeGreaterThanOrEqual(40);
    expect(mail.text).not.toMatch(/password:/i);
    // the token is not stored in clear, and its sealed copy is gone once mailed
    const sealed = async () =>
      (await h.db.query(`SELECT token_hash, token_sealed FROM invitations WHERE user_id = $1`, [res.body.id]))[0];
    for (let i = 0; i < 50 && (await sealed()).token_sealed !== null; i++) await new Promise((r) => setTimeout(r, 100));
    const inv = await sealed();
    expect(inv.token_hash).not.toContain(token);
    expect(inv.token_sealed).toBeNull();
    // the administrator's page says when the link went and until when it works
    const detail = await admin.get(`/api/admin/users/${res.body.id}`);
    expect(detail.body.invitation).toEqual({ sentAt: expect.any(String), expiresAt: expect.any(String) });
    expect(Date.parse(detail.body.invitation.expiresAt)).toBeGreaterThan(Date.parse(detail.body.invitation.sentAt));
    expect(Date.now() - Date.parse(detail.body.invitation.sentAt)).toBeLessThan(60_000);

    const visitor = await h.client();
    const info = await visitor.get(`/api/invitations/${token}`);
    expect(info.body).toMatchObject({
      email: 'ivy@a.test',
      name: 'Ivy Invited',
      tenantName: 'Tenant A',
      passwordRules: { minLength: 8, requireComplexity: false },
    });
    const weak = await visitor.post('/api/invitations/accept', { token, password: 'password' });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('weak_password');
    expect((await visitor.post('/api/invitations/accept', { token, password: PASSWORD })).status).toBe(204);
    // the link is spent
    expect((await visitor.post('/api/invitations/accept', { token, password: PASSWORD })).status).toBe(404);
    expect((await visitor.get(`/api/invitations/${token}`)).status).toBe(404);
    // and the new user signs in with the second factor
    const ivy = await h.signIn('ivy@a.test');
    expect((await ivy.get('/api/auth/me')).body.roles).toEqual(['coach', 'participant']);
    // no longer invited: no invitation to tell of
    expect((await admin.get(`/api/admin/users/${res.body.id}`)).body.invitation).toBeNull();
  });

  it('a resent invitation kills the older link', async () => {
    const before = h.mailbox.messages.length;
    const res = await admin.post('/api/admin/users', {
      name: 'Rex Resent',
      email: 'rex@a.test',
      roles: ['participant'],
    });
    const first = linkIn((await h.mailbox.waitFor('rex@a.test', /invited/, 15_000, before)).text);
    const mid = h.mailbox.messages.length;
    // while the mail worker is held up, the page says the new link has not gone yet
    const mailQueue = h.worker.get<Queue>(getQueueToken(QUEUES.mail));
    await mailQueue.pause(true);
    try {
      expect((await admin.post(`/api/admin/users/${res.body.id}/invitation`)).status).toBe(204);
      const waiting = await admin.get(`/api/admin/users/${res.body.id}`);
      expect(waiting.body.invitation).toEqual({ sentAt: null, expiresAt: expect.any(String) });
    } finally {
      await mailQueue.resume(true);
    }
    const second = linkIn((await h.mailbox.waitFor('rex@a.test', /invited/, 15_000, mid)).text);
    expect(second).not.toBe(first);
    const visitor = await h.client();
    expect((await visitor.get(`/api/invitations/${first}`)).status).toBe(404);
    expect((await visitor.get(`/api/invitations/${second}`)).status).toBe(200);
  });

  it('imports a CSV all or nothing, reporting every bad row', async () => {
    const count = async () =>
      Number((await h.db.query(`SELECT count(*)::int AS n FROM users WHERE tenant_id = $1`, [world.a.tenantId]))[0].n);
    const before = await count();
    const bad = [
      'name,email,role,phone',
      'Good One,good1@a.test,participant,',
      ',empty-name@a.test,participant,',
      'Bad Mail,not-an-email,participant,',
      'Bad Role,badrole@a.test,owner,',
      'Dup,good1@a.test,coach,',
      'Taken,coach@a.test,coach,',
      'Phone,phone@a.test,coach,call me maybe',
    ].join('\n');
    const res = await admin.post('/api/admin/users/import', { csv: bad });
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(0);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 3, field: 'name' }),
        expect.objectContaining({ row: 4, field: 'email' }),
        expect.objectContaining({ row: 5, field: 'role' }),
        expect.objectContaining({ row: 6, field: 'email' }),
        expect.objectContaining({ row: 8, field: 'phone' }),
      ]),
    );
    expect(await count()).toBe(before);
    // an address that already has an account is reported and nothing is created
    const taken = await admin.post('/api/admin/users/import', {
      csv: 'name,email,role\nNew,new-csv@a.test,participant\nTaken,coach@a.test,coach',
    });
    expect(taken.body).toMatchObject({ created: 0, errors: [expect.objectContaining({ row: 3, field: 'email' })] });
    expect(await count()).toBe(before);
    // read in Dutch: the columns and the roles by their Dutch names, a role that is none refused with them
    const dutch = await admin.post(
      '/api/admin/users/import',
      { csv: 'Naam;E-mailadres;Rol\nKees;kees@a.test;Deelnemer\nKoos;koos@a.test;koning' },
      { 'Accept-Language': 'nl' },
    );
    expect(dutch.body).toEqual({
      created: 0,
      errors: [
        { row: 3, field: 'role', message: '"koning" is geen rol (deelnemer, coach, contentontwikkelaar, beheerder)' },
      ],
    });
    expect(await count()).toBe(before);

    const good =
      '\uFEFFName;Email;Role;Phone\n"Smith, Anna";anna@a.test;participant;+31 6 1234 5678\nBob Jones;bob@a.test;coach|participant;';
    const ok = await admin.post('/api/admin/users/import', {
      csv: good.replace(/;/g, ',').replace('"Smith, Anna"', '"Smith, Anna"'),
    });
    expect(ok.body).toEqual({ created: 2, errors: [] });
    expect(await count()).toBe(before + 2);
    // each gets their own working link (the import makes them all in one statement per table)
    const links = [
      linkIn((await h.mailbox.waitFor('anna@a.test', /invited/)).text),
      linkIn((await h.mailbox.waitFor('bob@a.test', /invited/)).text),
    ];
    expect(new Set(links).size).toBe(2);
    const visitor = await h.client();
    for (const token of links) {
      const opened = await visitor.get(`/api/invitations/${token}`);
      expect(opened.status).toBe(200);
    }
    expect((await admin.get('/api/admin/users?q=bob@a.test')).body.items).toEqual([
      expect.objectContaining({ name: 'Bob Jones', phone: null, roles: ['coach', 'participant'], status: 'invited' }),
    ]);
    const list = await admin.get('/api/admin/users?q=smith');
    expect(list.body.items).toEqual([
      expect.objectContaining({
        name: 'Smith, Anna',
        phone: '+31 6 1234 5678',
        roles: ['participant'],
        status: 'invited',
      }),
    ]);
  });

  it('lists users with search, role filter and pagination', async () => {
    const page1 = await admin.get('/api/admin/users?pageSize=2&page=1');
    const page2 = await admin.get('/api/admin/users?pageSize=2&page=2');
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.total).toBeGreaterThan(4);
    expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);
    const coaches = await admin.get('/api/admin/users?role=coach');
    expect(coaches.body.items.every((u: { roles: string[] }) => u.roles.includes('coach'))).toBe(true);
  });

  it('enrols an authenticator app (password asked again), then signs in with it; codes are single use', async () => {
    const email = world.a.emails.coach;
    const coach = await h.signIn(email);
    expect((await coach.post('/api/account/totp/setup', { password: 'wrong password' })).status).toBe(400);
    const setup = await coach.post('/api/account/totp/setup', { password: PASSWORD });
    expect(setup.status).toBe(200);
    expect(setup.body.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const secret: string = setup.body.secret;
    expect(authenticator.keyuri(email, 'Rehearse', secret)).toBe(setup.body.otpauthUrl);
    expect(
      (await coach.post('/api/account/totp/enable', { code: '000000' === totpNow(h, secret) ? '111111' : '000000' }))
        .status,
    ).toBe(400);
    h.clock.advance(30_000);
    expect((await coach.post('/api/account/totp/enable', { code: totpNow(h, secret) })).status).toBe(204);
    const c = await h.client();
    const login = await c.post('/api/auth/login', { email, password: PASSWORD });
    expect(login.body).toMatchObject({ method: 'totp', alternatives: ['totp', 'email'] });
    h.clock.advance(30_000);
    const code = totpNow(h, secret);
    expect((await c.post('/api/auth/mfa', { code })).status).toBe(200);
    // the same code again in another sign-in is refused (no replay inside its time step)
    const other = await h.client();
    await other.post('/api/auth/login', { email, password: PASSWORD });
    expect((await other.post('/api/auth/mfa', { code })).status).toBe(400);
    // and the user may fall back to an e-mailed code
    const before = h.mailbox.messages.length;
    const fallback = await other.post('/api/auth/mfa/email');
    expect(fallback.body).toMatchObject({ status: 'mfa_required', method: 'email' });
    await h.mailbox.waitFor(email, /sign-in code/, 15_000, before);
  });
});
