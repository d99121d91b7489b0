import { MIGRATIONS } from '@rehearse/migrations';
import { Client, Harness, PASSWORD, seedTwoTenants, startHarness } from '../../test/harness';

/**
 * A valid address of 132 characters whose every "İ" lower-cases to two ("i" and a combining dot):
 * 256 characters once normalised, more than an address column holds.
 */
const GROWS_WHEN_LOWERED = `a@${'İ'.repeat(62)}.${'İ'.repeat(62)}.test`;

describe('hostile input answers 400 with field errors, never 500, and writes nothing', () => {
  let h: Harness;
  let admin: Client;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;
  const count = async () => Number((await h.db.query(`SELECT count(*)::int AS n FROM users`))[0].n);

  beforeAll(async () => {
    h = await startHarness();
    world = await seedTwoTenants(h);
    admin = await h.signIn(world.a.emails.admin);
  });
  afterAll(() => h.close());

  const valid = { name: 'New Person', email: 'new.person@a.test', roles: ['participant'] };
  const cases: [string, unknown, string?][] = [
    ['a role smuggled at the top level', { ...valid, role: 'administrator' }, 'role'],
    ['a tenant id', { ...valid, tenantId: '00000000-0000-4000-8000-000000000000' }, 'tenantId'],
    ['an isSuperuser flag', { ...valid, isSuperuser: true }, 'isSuperuser'],
    ['a wrong type', { ...valid, roles: 'administrator' }, 'roles'],
    ['an unknown role', { ...valid, roles: ['owner'] }, 'roles'],
    ['an over-long name', { ...valid, name: 'x'.repeat(201) }, 'name'],
    ['an over-long e-mail', { ...valid, email: `${'a'.repeat(250)}@a.test` }, 'email'],
    ['a non-e-mail', { ...valid, email: 'not-an-email' }, 'email'],
    ['an e-mail that grows past 254 characters when lower-cased', { ...valid, email: GROWS_WHEN_LOWERED }, 'email'],
    ['a null name', { ...valid, name: null }, 'name'],
    ['an object where a string belongs', { ...valid, name: { $ne: 1 } }, 'name'],
    [
      'nested licence with unknown fields',
      { ...valid, licence: { startsOn: '2026-01-01', expiresOn: '2026-12-31', tenantId: 'x' } },
      'licence.tenantId',
    ],
    [
      'a licence ending before it starts',
      { ...valid, licence: { startsOn: '2026-12-01', expiresOn: '2026-01-01' } },
      'licence.expiresOn',
    ],
    ['an invalid date', { ...valid, licence: { startsOn: '2026-02-31', expiresOn: '2026-12-31' } }, 'licence.startsOn'],
    ['a name of two lines', { ...valid, name: 'New\nPerson' }, 'name'],
    ['a name with a tab', { ...valid, name: 'New\tPerson' }, 'name'],
    ['a name that reads backwards from a point (U+202E)', { ...valid, name: 'Eve\u202Egpj.exe' }, 'name'],
    ['a name with a direction isolate (U+2066)', { ...valid, name: 'Eve \u2066Admin\u2069' }, 'name'],
  ];

  it.each(cases)('refuses %s', async (_label, body, field) => {
    const before = await count();
    const res = await admin.post('/api/admin/users', body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.correlationId).toEqual(expect.any(String));
    if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await count()).toBe(before);
  });

  it('refuses __proto__ and constructor keys', async () => {
    const before = await count();
    for (const raw of [
      `{"name":"P","email":"p1@a.test","roles":["participant"],"__proto__":{"isSuperuser":true}}`,
      `{"name":"P","email":"p2@a.test","roles":["participant"],"constructor":{"prototype":{"role":"administrator"}}}`,
    ]) {
      const res = await admin.agent
        .post('/api/admin/users')
        .set('X-XSRF-TOKEN', admin.xsrf)
        .set('Content-Type', 'application/json')
        .send(raw);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toMatch(/__proto__|constructor/);
    }
    expect(await count()).toBe(before);
    expect(({} as Record<string, unknown>)['isSuperuser']).toBeUndefined();
  });

  it('answers malformed JSON with 400 malformed_request', async () => {
    const res = await admin.agent
      .post('/api/admin/users')
      .set('X-XSRF-TOKEN', admin.xsrf)
      .set('Content-Type', 'application/json')
      .send('{"name": "x",');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('malformed_request');
  });

  it('answers a body over the limit with 413', async () => {
    const res = await admin.post('/api/admin/users/import', { csv: 'x'.repeat(3 * 1024 * 1024) });
    expect(res.status).toBe(413);
  });

  it.each([
    ['undefined', '/api/admin/users/undefined'],
    ['null', '/api/admin/users/null'],
    ['an empty array', '/api/admin/users/%5B%5D'],
    ['SQL', "/api/admin/users/1'%20OR%20'1'='1"],
    ['a traversal', '/api/admin/users/..%2f..%2fetc'],
  ])('refuses %s as an id before it reaches the database', async (_label, path) => {
    const res = await admin.get(path);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('id');
  });

  it('ignores nothing silently in queries: repeated and unknown parameters are refused', async () => {
    expect((await admin.get('/api/admin/users?page=1&page=2')).status).toBe(400);
    expect((await admin.get('/api/admin/users?sort=name;DROP%20TABLE%20users')).status).toBe(400);
    expect((await admin.get('/api/admin/users?pageSize=100000')).status).toBe(400);
    const licence = await admin.get('/api/admin/users?licence=expired%27--');
    expect(licence.status).toBe(400);
    expect(licence.body.errors[0].field).toBe('licence');
    // the filter's own values answer (who has no licence: a page like any other)
    const none = await admin.get('/api/admin/users?licence=none');
    expect(none.status).toBe(200);
    expect(none.body.items.length).toBeGreaterThan(0);
    expect(none.body.items.every((u: { licence: unknown }) => u.licence === null)).toBe(true);
    expect((await admin.get('/api/admin/users?group=any')).status).toBe(400);
    const alone = await admin.get('/api/admin/users?group=none');
    expect(alone.status).toBe(200);
    expect(alone.body.items.every((u: { roles: string[] }) => u.roles.includes('participant'))).toBe(true);
    const search = await admin.get(`/api/admin/users?q=${encodeURIComponent("%' OR 1=1 --")}`);
    expect(search.status).toBe(200);
    expect(search.body.total).toBe(0);
  });

  it('names and titles are one line of text wherever they are set: a person, their own profile, a group, a course, a rubric; scripts that need joiners keep them', async () => {
    const evil = 'Eve\u202Egpj.exe';
    const developer = await h.signIn(world.a.emails.developer);
    const participant = await h.signIn(world.a.emails.participant);
    for (const [label, res, field] of [
      ['profile', await participant.patch('/api/account/profile', { name: evil }), 'name'],
      ['group', await admin.post('/api/admin/groups', { name: 'Sales\nNorth' }), 'name'],
      ['course', await developer.post('/api/authoring/courses', { title: evil, language: 'en' }), 'title'],
      [
        'rubric',
        await developer.post('/api/authoring/rubrics', {
          title: 'Rubric\u0007',
          description: '',
          criteria: [
            {
              id: '0b6c1f38-8d3c-4c8e-9a52-2f1d2b3c4d5e',
              title: 'Empathy',
              description: '',
              weight: 1,
              levels: [1, 2].map((score) => ({ score, descriptor: `Level ${score}` })),
            },
          ],
        }),
        'title',
      ],
    ] as const) {
      expect({ label, status: res.status }).toEqual({ label, status: 400 });
      expect(res.body.errors).toContainEqual({
        field,
        messages: [`${field} must be one line of text, without control characters or text-direction overrides`],
      });
    }
    expect((await participant.get('/api/auth/me')).body.name).not.toBe(evil);
    // Persian needs the zero-width non-joiner; accented and right-to-left names are names
    for (const name of ['زینب\u200Cخانم', 'Zoë Ørsted-Ñúñez', 'דוד לוי']) {
      const res = await admin.post('/api/admin/users', {
        ...valid,
        name,
        email: `n${Buffer.from(name).toString('hex').slice(0, 16)}@a.test`,
      });
      expect({ name, status: res.status }).toEqual({ name, status: 201 });
      expect(res.body.name).toBe(name);
    }
    // in Dutch, the field's message too
    const dutch = await admin.agent
      .post('/api/admin/groups')
      .set('X-XSRF-TOKEN', admin.xsrf)
      .set('Accept-Language', 'nl')
      .send({ name: 'Sales\tNorth' });
    expect(dutch.body.errors[0].messages[0]).toBe(
      'name moet één regel tekst zijn, zonder stuurtekens of tekens die de leesrichting omdraaien',
    );
  });

  it('names stored before are made one line by the migration that came with the rule (a group that would take another’s name stays)', async () => {
    const Migration = MIGRATIONS.find((m) => m.name === 'NamesOnOneLine1765100000000');
    if (!Migration) throw new Error('the migration NamesOnOneLine1765100000000 is not in MIGRATIONS');
    const tenant = world.b.tenantId;
    const person = await h.createUser(tenant, 'Placeholder', 'old.name@b.test', ['participant']);
    await h.db.query(`UPDATE users SET name = $2 WHERE id = $1`, [person, 'Eve\u202Egpj.exe\nAdministrator']);
    const empty = await h.createUser(tenant, 'Placeholder', 'only.controls@b.test', ['participant']);
    await h.db.query(`UPDATE users SET name = $2 WHERE id = $1`, [empty, '\u202E\t']);
    const group = (name: string) =>
      h.db
        .query(`INSERT INTO groups (tenant_id, name) VALUES ($1, $2) RETURNING id`, [tenant, name])
        .then((r: { id: string }[]) => r[0].id);
    const tabbed = await group('Sales\tNorth');
    const taken = await group('Support');
    const clash = await group('Support\u202E');
    const runner = h.db.createQueryRunner();
    try {
      await new Migration().up(runner);
    } finally {
      await runner.release();
    }
    const names = async (table: string, ids: string[]) =>
      (await h.db.query(`SELECT name FROM ${table} WHERE id = ANY($1) ORDER BY array_position($1, id)`, [ids])).map(
        (r: { name: string }) => r.name,
      );
    expect(await names('users', [person, empty])).toEqual(['Evegpj.exe Administrator', '\u202E\t']);
    expect(await names('groups', [tabbed, taken, clash])).toEqual(['Sales North', 'Support', 'Support\u202E']);
  });

  it('takes the tenant from the session, never from the request', async () => {
    const res = await admin.post('/api/admin/users', { ...valid, email: 'placed@a.test' });
    expect(res.status).toBe(201);
    const [row] = await h.db.query(`SELECT tenant_id FROM users WHERE email = 'placed@a.test'`);
    expect(row.tenant_id).toBe(world.a.tenantId);
  });

  it('a participant cannot grant themselves a role through their profile', async () => {
    const p = await h.signIn(world.a.emails.participant);
    const res = await p.patch('/api/account/profile', { name: 'Me', roles: ['administrator'] });
    expect(res.status).toBe(400);
    const me = await p.get('/api/auth/me');
    expect(me.body.roles).toEqual(['participant']);
    expect(me.body.name).not.toBe('Me');
  });

  it('an address that outgrows its column once lower-cased is a 400 wherever an address is taken', async () => {
    expect(GROWS_WHEN_LOWERED.length).toBeLessThanOrEqual(254);
    expect(GROWS_WHEN_LOWERED.toLowerCase().length).toBeGreaterThan(254);
    const person = await h.signIn(world.a.emails.participant2);
    const anon = await h.client();
    for (const [client, path, body] of [
      [person, '/api/account/email', { password: PASSWORD, email: GROWS_WHEN_LOWERED }],
      [anon, '/api/auth/password-reset', { email: GROWS_WHEN_LOWERED }],
    ] as const) {
      const res = await client.post(path, body);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('email');
    }
    expect(Number((await h.db.query(`SELECT count(*)::int AS n FROM email_changes`))[0].n)).toBe(0);
    // in an imported file, the row says so and nobody is created
    const before = await count();
    const imported = await admin.post('/api/admin/users/import', {
      csv: `name,email,role\nLong Address,${GROWS_WHEN_LOWERED},participant\n`,
    });
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ created: 0, errors: [{ row: 2, field: 'email' }] });
    expect(await count()).toBe(before);
  });

  it('login refuses odd shapes without a 500', async () => {
    const c = await h.client();
    for (const body of [
      { email: ['a'], password: 'x' },
      { email: 'a@a.test', password: { $gt: '' } },
      { email: 'a@a.test' },
      {},
    ]) {
      const res = await c.post('/api/auth/login', body);
      expect(res.status).toBe(400);
    }
    const ok = await c.post('/api/auth/login', { email: world.a.emails.coach, password: PASSWORD });
    expect(ok.status).toBe(200);
  });
});
