import { gzipSync } from 'node:zlib';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '@rehearse/server/core';
import { SessionsService } from '@rehearse/server/accounts';
import { Client, Harness, PASSWORD, seedTwoTenants, startHarness } from '../../test/harness';
import { exerciseBody, publishedCourse } from '../../test/courses';
import { appendUpload, createUpload } from '../../test/media';

/**
 * Regression tests for the findings of the adversarial review (issue 13). Each one failed on the
 * code before its fix. The tier generated from the route table is in attacker.int-spec.ts.
 */
describe('security findings stay fixed', () => {
  let h: Harness;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;
  const logLines: string[] = [];
  const c = {} as Record<'admin' | 'adminB' | 'participant' | 'participant2' | 'developer' | 'coach', Client>;
  // every test speaks from an address of its own (TRUST_PROXY=loopback), so throttles never cross tests
  let nextAddress = 1;
  const address = () => `198.51.100.${nextAddress++}`;
  const countRows = async (sql: string, params: unknown[] = []) => Number((await h.db.query(sql, params))[0].n);

  beforeAll(async () => {
    const logStream = new Writable({
      write(chunk: Buffer, _e, done) {
        logLines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    h = await startHarness({ TRUST_PROXY: 'loopback', LOG_LEVEL: 'info' }, { mediaWorker: false, logStream });
    world = await seedTwoTenants(h);
    c.admin = await h.signIn(world.a.emails.admin);
    c.adminB = await h.signIn(world.b.emails.admin);
    c.participant = await h.signIn(world.a.emails.participant);
    c.participant2 = await h.signIn(world.a.emails.participant2);
    c.developer = await h.signIn(world.a.emails.developer);
    c.coach = await h.signIn(world.a.emails.coach);
  }, 60_000);
  afterAll(() => h?.close());

  describe('1. uploads: the id comes only from the validated route, overrides are refused, nothing outside the folder is named', () => {
    const canaries = () => [
      join(dirname(h.config.UPLOAD_DIR), 'canary.txt'),
      join(h.config.KEY_VAULT_DIR, 'canary.key'),
    ];

    beforeAll(async () => {
      for (const f of canaries()) {
        await mkdir(dirname(f), { recursive: true });
        await writeFile(f, 'must survive');
      }
    });

    it('a method override on creation with a traversal in the query deletes nothing and answers 400', async () => {
      const res = await c.participant.agent
        .post('/api/uploads?x=/..%2Fcanary.txt')
        .set('X-XSRF-TOKEN', c.participant.xsrf)
        .set('Tus-Resumable', '1.0.0')
        .set('X-HTTP-Method-Override', 'DELETE');
      expect(res.status).toBe(400);
      for (const f of canaries()) expect(existsSync(f)).toBe(true);
    });

    it('a traversal in the query of a creation makes an ordinary upload with a server-made id', async () => {
      const res = await c.participant.agent
        .post('/api/uploads?x=/..%2Fcanary.txt')
        .set('X-XSRF-TOKEN', c.participant.xsrf)
        .set('Tus-Resumable', '1.0.0')
        .set('Upload-Length', '4')
        .set('Upload-Metadata', `purpose ${Buffer.from('answer').toString('base64')}`);
      expect(res.status).toBe(201);
      expect(res.headers['location']).toMatch(/^\/api\/uploads\/[a-f0-9]{32}$/);
      for (const f of canaries()) expect(existsSync(f)).toBe(true);
    });

    it('HEAD, PATCH and DELETE act on the routed upload only, never on one named in the query', async () => {
      const mine = await createUpload(c.participant, 8, { purpose: 'answer', filename: 'a.webm' });
      const theirs = await createUpload(c.participant2, 8, { purpose: 'answer', filename: 'b.webm' });
      const mineId = String(mine.headers['location']).split('/').pop();
      const theirsId = String(theirs.headers['location']).split('/').pop();
      expect(await appendUpload(c.participant2, `/api/uploads/${theirsId}`, 0, Buffer.from('theirs'))).toMatchObject({
        status: 204,
      });
      // HEAD names mine in the path and theirs in the query: the answer is about mine (nothing arrived yet)
      const head = await c.participant.agent
        .head(`/api/uploads/${mineId}?x=/${theirsId}`)
        .set('Tus-Resumable', '1.0.0');
      expect(head.status).toBe(200);
      expect(head.headers['upload-offset']).toBe('0');
      const patch = await appendUpload(c.participant, `/api/uploads/${mineId}?x=/${theirsId}`, 0, Buffer.from('mine'));
      expect(patch.status).toBe(204);
      const theirsHead = await c.participant2.agent.head(`/api/uploads/${theirsId}`).set('Tus-Resumable', '1.0.0');
      expect(theirsHead.headers['upload-offset']).toBe('6');
      const del = await c.participant.agent
        .delete(`/api/uploads/${mineId}?x=/${theirsId}`)
        .set('X-XSRF-TOKEN', c.participant.xsrf)
        .set('Tus-Resumable', '1.0.0');
      expect(del.status).toBe(204);
      expect((await c.participant2.agent.head(`/api/uploads/${theirsId}`).set('Tus-Resumable', '1.0.0')).status).toBe(
        200,
      );
      // and the other person's upload by its own id is a 404
      expect((await c.participant.agent.head(`/api/uploads/${theirsId}`).set('Tus-Resumable', '1.0.0')).status).toBe(
        404,
      );
    });

    it('ids that are not the server’s own are refused before they reach the store', async () => {
      for (const id of [
        '..%2Fcanary.txt',
        '..%252Fcanary.txt',
        '%2E%2E%2Fcanary.txt',
        'A'.repeat(32),
        `${'a'.repeat(31)}%00`,
      ]) {
        const res = await c.participant.agent
          .delete(`/api/uploads/${id}`)
          .set('X-XSRF-TOKEN', c.participant.xsrf)
          .set('Tus-Resumable', '1.0.0');
        expect([400, 404]).toContain(res.status);
      }
      for (const f of canaries()) expect(existsSync(f)).toBe(true);
    });

    it('the configuration refuses a key vault beside or inside anything a request can name', () => {
      expect(() => loadConfig({ UPLOAD_DIR: '/data/uploads', KEY_VAULT_DIR: '/data/vault' })).toThrow(
        /KEY_VAULT_DIR: must not sit beside or inside UPLOAD_DIR/,
      );
      expect(() => loadConfig({ UPLOAD_DIR: '/srv/a/uploads', KEY_VAULT_DIR: '/srv/a/uploads/keys' })).toThrow(
        /KEY_VAULT_DIR/,
      );
      expect(() =>
        loadConfig({
          UPLOAD_DIR: '/data/uploads',
          WORK_DIR: '/data/work',
          STORAGE_DIR: '/data/objects',
          BACKUP_DIR: '/data/backups',
          KEY_VAULT_DIR: '/keys/vault',
        }),
      ).not.toThrow();
    });
  });

  describe('2. CSRF: every state-changing request is checked, whatever its case, slash or encoding', () => {
    it.each(['/API/my/exports', '/Api/My/Exports', '/api/my/exports/', '/%61pi/my/exports', '/api//my/exports'])(
      'refuses a cross-site POST to %s',
      async (path) => {
        const before = await countRows(`SELECT count(*)::int AS n FROM data_exports`);
        const res = await c.participant.agent
          .post(path)
          .set('Origin', 'https://evil.example')
          .set('X-XSRF-TOKEN', c.participant.xsrf)
          .send({});
        expect(res.status).toBe(403);
        const noToken = await c.participant.agent.post(path).send({});
        expect(noToken.status).toBe(403);
        expect(await countRows(`SELECT count(*)::int AS n FROM data_exports`)).toBe(before);
      },
    );
  });

  describe('4. invitation links are throttled per address, never for everybody', () => {
    it('bad links from one address do not block a good link from another', async () => {
      const invited = await c.admin.post('/api/admin/users', {
        name: 'Ivy Invited',
        email: 'ivy@a.test',
        roles: ['participant'],
      });
      expect(invited.status).toBe(201);
      const mail = await h.mailbox.waitFor('ivy@a.test', /invit/i, 15_000);
      const token = /invitation\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1] ?? '';
      expect(token.length).toBeGreaterThan(20);
      const attacker = address();
      const anon = await h.client();
      for (let i = 0; i < 12; i++)
        await anon.agent.get(`/api/invitations/not-a-real-link-${i}-abcdefghijklmnop`).set('X-Forwarded-For', attacker);
      expect(
        (await anon.agent.get('/api/invitations/not-a-real-link-x-abcdefghijklmnop').set('X-Forwarded-For', attacker))
          .status,
      ).toBe(429);
      const good = await (await h.client()).agent.get(`/api/invitations/${token}`).set('X-Forwarded-For', address());
      expect(good.status).toBe(200);
      expect(good.body.email).toBe('ivy@a.test');
    });
  });

  describe('5. hostile strings answer 400 naming the field, and write nothing', () => {
    it.each([
      [
        'a NUL in the e-mail of an unauthenticated login',
        '/api/auth/login',
        { email: 'a\u0000@a.test', password: 'x' },
        'email',
      ],
      ['a NUL in the password', '/api/auth/login', { email: 'admin@a.test', password: 'pass\u0000word' }, 'password'],
      [
        'a lone surrogate in an e-mail address',
        '/api/admin/users',
        { name: 'Sur Rogate', email: 'sur\ud800@a.test', roles: ['participant'] },
        'email',
      ],
      [
        'a lone low surrogate in a name',
        '/api/admin/users',
        { name: 'Low \udc00', email: 'low@a.test', roles: ['participant'] },
        'name',
      ],
      [
        'a NUL in a nested field',
        '/api/admin/users',
        {
          name: 'Nested',
          email: 'nested@a.test',
          roles: ['participant'],
          licence: { startsOn: '2026-01-01\u0000', expiresOn: '2026-12-31' },
        },
        'licence.startsOn',
      ],
    ])('%s', async (_label, path, body, field) => {
      const users = await countRows(`SELECT count(*)::int AS n FROM users`);
      const client = path.startsWith('/api/auth') ? await h.client() : c.admin;
      const res = await client.agent
        .post(path)
        .set('X-XSRF-TOKEN', client.xsrf)
        .set('X-Forwarded-For', address())
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await countRows(`SELECT count(*)::int AS n FROM users`)).toBe(users);
    });

    it('a NUL in a query parameter or in the path answers 400', async () => {
      expect((await c.admin.get('/api/admin/users?q=a%00b')).status).toBe(400);
      expect((await c.admin.get('/api/admin/users/%00')).status).toBe(400);
    });

    it('a course draft with an exercise missing its AI settings, or no content at all, and a revision past any integer', async () => {
      const created = await c.developer.post('/api/authoring/courses', { title: 'Hostile drafts', language: 'en' });
      const exercise = exerciseBody('5f0e8b1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b', null) as Record<string, unknown>;
      delete exercise['ai'];
      const content = {
        title: 'Hostile drafts',
        description: '',
        language: 'en',
        modules: [{ id: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', title: 'M', exercises: [exercise] }],
      };
      const noAi = await c.developer.put(`/api/authoring/courses/${created.body.id}/draft`, {
        revision: created.body.draft.revision,
        content,
      });
      expect(noAi.status).toBe(400);
      expect(noAi.body.errors.map((e: { field: string }) => e.field).join(' ')).toMatch(/modules\.0\.exercises\.0\.ai/);
      const noContent = await c.developer.put(`/api/authoring/courses/${created.body.id}/draft`, {
        revision: created.body.draft.revision,
      });
      expect(noContent.status).toBe(400);
      expect(noContent.body.errors.map((e: { field: string }) => e.field)).toContain('content');
      const huge = await c.developer.agent
        .put(`/api/authoring/courses/${created.body.id}/draft`)
        .set('X-XSRF-TOKEN', c.developer.xsrf)
        .set('Content-Type', 'application/json')
        .send(`{"revision": 1e308, "content": ${JSON.stringify({ ...content, modules: [] })}}`);
      expect(huge.status).toBe(400);
      expect(huge.body.errors.map((e: { field: string }) => e.field)).toContain('revision');
      const importNoCourse = await c.developer.post('/api/authoring/courses/import', {
        format: 'rehearse.course',
        formatVersion: 1,
        rubrics: [],
      });
      expect(importNoCourse.status).toBe(400);
      const course = await c.developer.get(`/api/authoring/courses/${created.body.id}`);
      expect(course.body.draft.revision).toBe(created.body.draft.revision);
    });
  });

  describe('15. bodies the API does not read as sent: refused, the process still answering', () => {
    const profile = () => c.participant.get('/api/auth/me');
    const patchProfile = (body: string | Buffer, contentType?: string, encoding?: string) => {
      let req = c.participant.agent
        .patch('/api/account/profile')
        .set('X-XSRF-TOKEN', c.participant.xsrf)
        .set('X-Forwarded-For', address());
      if (contentType) req = req.set('Content-Type', contentType);
      if (encoding) req = req.set('Content-Encoding', encoding);
      // the bytes as they are (SuperAgent would otherwise send a Buffer as JSON of its own)
      return req.serialize((b: unknown) => b as string).send(body);
    };

    it('a body of 5,000 nested objects, sent before signing in, answers 400 and the API goes on (it stopped the process)', async () => {
      const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
      const anonymous = await h.client();
      const res = await anonymous.agent
        .post('/api/auth/login')
        .set('X-XSRF-TOKEN', anonymous.xsrf)
        .set('X-Forwarded-For', address())
        .set('Content-Type', 'application/json')
        .send(deep);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors[0].messages[0]).toMatch(/nested too deeply/);
      // in a field the route takes, and as deep as JSON lets a 2 MB body be: the same
      const deeper = await patchProfile(`{"name":${'['.repeat(900_000)}${']'.repeat(900_000)}}`, 'application/json');
      expect(deeper.status).toBe(400);
      expect(deeper.body.errors[0].field).toMatch(/^name\.0\.0/);
      expect((await h.client().then((x) => x.get('/api/health/live'))).status).toBe(200);
      expect((await profile()).status).toBe(200);
    });

    it.each([
      ['text/plain', '{"name":"Plain Text"}'],
      ['application/x-www-form-urlencoded', 'name=Form+Post'],
      [
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nMulti Part\r\n--x--\r\n',
      ],
      [undefined, '{"name":"No Type"}'],
    ])('a %s body answers 415 and changes nothing (it answered 200 as if empty)', async (type, body) => {
      const before = (await profile()).body.name;
      const res = await patchProfile(body, type);
      expect(res.status).toBe(415);
      expect(res.body.code).toBe('unsupported_media_type');
      expect(res.body.message).toMatch(/JSON/);
      expect((await profile()).body.name).toBe(before);
    });

    it('a JSON body in another charset answers 415; bytes that are not UTF-8 answer 400 (a name was stored as U+FFFD)', async () => {
      const before = (await profile()).body.name;
      const utf16 = await patchProfile(
        Buffer.from('{"name":"Sixteen"}', 'utf16le'),
        'application/json; charset=utf-16',
      );
      expect(utf16.status).toBe(415);
      expect(utf16.body.code).toBe('unsupported_media_type');
      const broken = await patchProfile(
        Buffer.from([...Buffer.from('{"name":"Bro'), 0xc3, ...Buffer.from('ken"}')]),
        'application/json',
      );
      expect(broken.status).toBe(400);
      expect(broken.body).toMatchObject({ code: 'malformed_request', message: 'The request body is not valid UTF-8' });
      expect((await profile()).body.name).toBe(before);
      // JSON itself, in UTF-8, with or without naming the charset: taken
      for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON'])
        expect((await patchProfile('{"name":"Still Me"}', type)).status).toBe(200);
    });

    it('a JSON value that is no object, or a body compressed in an unknown way, is refused saying so (both said "not valid JSON" or "in UTF-8")', async () => {
      const before = (await profile()).body.name;
      for (const scalar of ['null', '"Just A Name"', '42', ' true '])
        expect((await patchProfile(scalar, 'application/json')).body).toMatchObject({
          code: 'malformed_request',
          message: 'The request body must be a JSON object',
        });
      expect((await patchProfile('{"name":', 'application/json')).body.message).toBe(
        'The request body is not valid JSON',
      );
      const compressed = await patchProfile('{"name":"Packed"}', 'application/json', 'compress');
      expect(compressed.status).toBe(415);
      expect(compressed.body).toMatchObject({
        code: 'unsupported_media_type',
        message: 'Send the request body uncompressed or compressed as gzip, deflate or br',
      });
      expect((await profile()).body.name).toBe(before);
      // gzip, as the message says, is read
      expect((await patchProfile(gzipSync('{"name":"Zipped Name"}'), 'application/json', 'gzip')).status).toBe(200);
      expect((await profile()).body.name).toBe('Zipped Name');
    });

    it('a state-changing request without a body needs no type (a sign-out, an empty POST)', async () => {
      const empty = await c.participant.agent
        .post('/api/my/exports')
        .set('X-XSRF-TOKEN', c.participant.xsrf)
        .set('Content-Length', '0');
      expect(empty.status).not.toBe(415);
      expect(empty.status).toBeLessThan(500);
    });
  });

  describe('16. arrays: no request holds the API’s thread with the length of one', () => {
    it('an array past 5,000 items is refused before validation; below it each field’s own limit and uniqueness still answer; nothing written', async () => {
      const g = await c.admin.post('/api/admin/groups', { name: 'Long Lists', description: '' });
      expect(g.status).toBe(201);
      const members = (participants: unknown[]) =>
        c.admin.put(`/api/admin/groups/${g.body.id}/members`, { participants, coaches: [] });
      // distinct items: class-validator's own uniqueness check compared each with every one before
      // it (100,000 items held the thread for 9 s), whatever @ArrayMaxSize said
      const distinct = (n: number) =>
        Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
      const long = await members(distinct(40_000));
      expect(long.status).toBe(400);
      expect(long.body.errors).toEqual([
        { field: 'participants', messages: ['participants has more than 5000 items'] },
      ]);
      const over = await members(distinct(2001));
      expect(over.status).toBe(400);
      expect(over.body.errors.map((e: { field: string }) => e.field)).toEqual(['participants']);
      expect(over.body.errors[0].messages).toEqual(
        expect.arrayContaining([expect.stringMatching(/must contain no more than 2000 elements/)]),
      );
      const twice = await members([world.a.ids.participant, world.a.ids.participant]);
      expect(twice.status).toBe(400);
      expect(twice.body.errors[0].messages).toContain("All participants's elements must be unique");
      expect(await countRows(`SELECT count(*)::int AS n FROM group_members WHERE group_id = $1`, [g.body.id])).toBe(0);
      expect((await members([world.a.ids.participant])).status).toBe(200);
    });

    it('an object past 5,000 fields is refused before the request classes are made; an answer names at most 100 problems', async () => {
      const fields = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, 1]));
      // before signing in, and signed in: 150,000 unknown fields held the API's thread for 45 s and answered 10 MB
      const anonymous = await h.client();
      const login = await anonymous.post('/api/auth/login', { email: 'x@a.test', password: 'x', ...fields(6000) });
      expect(login.status).toBe(400);
      expect(login.body.errors).toEqual([{ field: 'body', messages: ['the body has more than 5000 fields'] }]);
      const nested = await c.participant.patch('/api/account/profile', { name: 'Nested', extra: fields(6000) });
      expect(nested.status).toBe(400);
      expect(nested.body.errors).toEqual([{ field: 'extra', messages: ['extra has more than 5000 fields'] }]);
      const many = await c.participant.patch('/api/account/profile', { name: 'Many', ...fields(4000) });
      expect(many.status).toBe(400);
      expect(many.body.errors).toHaveLength(101);
      expect(many.body.errors[0]).toEqual({ field: 'f0', messages: ['f0 is not an accepted field'] });
      expect(many.body.errors[100]).toEqual({ field: 'body', messages: ['and 3900 more problems'] });
      expect(JSON.stringify(many.body).length).toBeLessThan(20_000);
      expect((await c.participant.get('/api/auth/me')).body.name).not.toMatch(/^(Nested|Many)$/);
    });
  });

  describe('6. every response with another person’s details is privacy-logged', () => {
    const logged = (actor: string, subject: string, objectType: string, action: string) =>
      countRows(
        `SELECT count(*)::int AS n FROM privacy_log WHERE actor_id = $1 AND subject_id = $2 AND object_type = $3 AND action = $4`,
        [actor, subject, objectType, action],
      );

    it("the administrator's user search logs each person listed", async () => {
      const before = await logged(world.a.ids.admin, world.a.ids.coach, 'user_profile', 'list');
      const res = await c.admin.get('/api/admin/users?q=coach');
      expect(res.body.items.map((u: { id: string }) => u.id)).toContain(world.a.ids.coach);
      expect(await logged(world.a.ids.admin, world.a.ids.coach, 'user_profile', 'list')).toBe(before + 1);
    });

    it("the superuser's cross-tenant list logs each person in their own organisation's log", async () => {
      const su = await h.createSuperuser('listing-support@rehearse.test');
      const client = await h.signInTotp('listing-support@rehearse.test', su.secret);
      const res = await client.get('/api/superuser/users?q=participant2');
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBe(2);
      for (const [t, subject] of [
        [world.a.tenantId, world.a.ids.participant2],
        [world.b.tenantId, world.b.ids.participant2],
      ]) {
        expect(
          await countRows(
            `SELECT count(*)::int AS n FROM privacy_log WHERE actor_id = $1 AND subject_id = $2 AND tenant_id = $3 AND action = 'list'`,
            [su.id, subject, t],
          ),
        ).toBe(1);
      }
    });

    it('a page of a group’s members (their e-mail addresses) logs each member shown, and only them', async () => {
      const group = await c.admin.post('/api/admin/groups', { name: 'Logged group' });
      await c.admin.put(`/api/admin/groups/${group.body.id}/members`, {
        participants: [world.a.ids.participant],
        coaches: [world.a.ids.coach],
      });
      const before = await logged(world.a.ids.admin, world.a.ids.participant, 'group_member', 'view');
      // the group itself names nobody: it is not a look at anyone
      const res = await c.admin.get(`/api/admin/groups/${group.body.id}`);
      expect(res.body).toMatchObject({ participantCount: 1, coachCount: 1 });
      expect(JSON.stringify(res.body)).not.toContain(world.a.emails.participant);
      expect(await logged(world.a.ids.admin, world.a.ids.participant, 'group_member', 'view')).toBe(before);
      const members = await c.admin.get(`/api/admin/groups/${group.body.id}/members`);
      expect(members.body.items.map((m: { email: string }) => m.email)).toContain(world.a.emails.participant);
      expect(await logged(world.a.ids.admin, world.a.ids.participant, 'group_member', 'view')).toBe(before + 1);
      // a page without them does not log them
      await c.admin.get(`/api/admin/groups/${group.body.id}/members?role=coach`);
      expect(await logged(world.a.ids.admin, world.a.ids.participant, 'group_member', 'view')).toBe(before + 1);
    });
  });

  describe('7. impersonation ends with the superuser’s rights', () => {
    const impersonating = async (email: string) => {
      const su = await h.createSuperuser(email);
      const client = await h.signInTotp(email, su.secret);
      const started = await client.post('/api/superuser/impersonations', {
        userId: world.a.ids.coach,
        reason: 'Ticket 4711: the coach cannot see the queue',
      });
      expect(started.status).toBe(200);
      expect((await client.get('/api/auth/me')).body.id).toBe(world.a.ids.coach);
      return { su, client };
    };

    it('a superuser deactivated meanwhile loses the impersonation on the next request', async () => {
      const { su, client } = await impersonating('deactivated-support@rehearse.test');
      await h.db.query(`UPDATE users SET status = 'deactivated' WHERE id = $1`, [su.id]);
      expect((await client.get('/api/auth/me')).status).toBe(401);
      expect(
        await countRows(`SELECT count(*)::int AS n FROM impersonations WHERE superuser_id = $1 AND ended_at IS NULL`, [
          su.id,
        ]),
      ).toBe(0);
    });

    it('an impersonation ended elsewhere (another tab, an operator) ends in this session too', async () => {
      const { su, client } = await impersonating('ended-elsewhere@rehearse.test');
      await h.db.query(`UPDATE impersonations SET ended_at = now() WHERE superuser_id = $1`, [su.id]);
      expect((await client.get('/api/auth/me')).status).toBe(401);
    });

    it('ending all of the superuser’s sessions reaches the session in which they impersonate', async () => {
      const { su, client } = await impersonating('revoked-support@rehearse.test');
      expect(await h.app.get(SessionsService).endAllForUser(su.id)).toBeGreaterThanOrEqual(1);
      expect((await client.get('/api/auth/me')).status).toBe(401);
    });
  });

  describe('8. every secret check is counted atomically, per account', () => {
    it('a burst of 30 parallel wrong passwords gets at most 10 answers before 429', async () => {
      const email = 'burst@a.test';
      await h.createUser(world.a.tenantId, 'Burst Target', email, ['participant']);
      const from = address();
      const clients = await Promise.all(Array.from({ length: 30 }, () => h.client()));
      const statuses = await Promise.all(
        clients.map((cl, i) =>
          cl.agent
            .post('/api/auth/login')
            .set('X-XSRF-TOKEN', cl.xsrf)
            .set('X-Forwarded-For', from)
            .send({ email, password: `wrong password ${i}` })
            .then((r) => r.status),
        ),
      );
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20);
      expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    });

    it('authenticator codes are counted per account, not per session: a new sign-in does not reset them', async () => {
      const su = await h.createSuperuser('totp-count@rehearse.test');
      const statuses: number[] = [];
      for (let round = 0; round < 2; round++) {
        const cl = await h.client();
        const login = await cl.post(
          '/api/auth/login',
          { email: 'totp-count@rehearse.test', password: 'Operator-Desk passphrase 2026!' },
          { 'X-Forwarded-For': address() },
        );
        expect(login.body.method).toBe('totp');
        for (let i = 0; i < 3; i++) statuses.push((await cl.post('/api/auth/mfa', { code: '000000' })).status);
      }
      expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
      expect(statuses[5]).toBe(429);
      void su;
    });

    it('the password asked again before a change is throttled', async () => {
      const email = 'reauth@a.test';
      await h.createUser(world.a.tenantId, 'Re Auth', email, ['participant']);
      const cl = await h.signIn(email);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push(
          (
            await cl.post('/api/account/password', {
              currentPassword: `not it ${i}`,
              newPassword: 'a completely new passphrase 2026',
            })
          ).status,
        );
      expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
      expect(statuses[5]).toBe(429);
      expect((await cl.post('/api/account/email', { password: PASSWORD, email: 'reauth2@a.test' })).status).toBe(429);
      expect((await cl.post('/api/account/totp/setup', { password: PASSWORD })).status).toBe(429);
    });
  });

  describe('9. no token in any log line', () => {
    it('an invitation link is logged without its token, in the API and the web route', async () => {
      await c.admin.post('/api/admin/users', { name: 'Logan Logs', email: 'logan@a.test', roles: ['participant'] });
      const mail = await h.mailbox.waitFor('logan@a.test', /invit/i, 15_000);
      const token = /invitation\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1] ?? '';
      expect(token.length).toBeGreaterThan(20);
      const anon = await h.client();
      expect((await anon.agent.get(`/api/invitations/${token}`).set('X-Forwarded-For', address())).status).toBe(200);
      await anon.agent.get(`/invitation/${token}?utm=${token}`);
      await new Promise((r) => setTimeout(r, 200));
      expect(logLines.some((l) => l.includes('/api/invitations/[redacted]'))).toBe(true);
      expect(logLines.filter((l) => l.includes(token))).toEqual([]);
      for (const secret of [PASSWORD, anon.xsrf]) expect(logLines.filter((l) => l.includes(secret))).toEqual([]);
    });

    it('a request refused before any route (no CSRF token) has its line too, under the id it was answered with', async () => {
      const res = await c.participant.agent.post('/api/account/profile').set('X-Forwarded-For', address()).send({});
      expect(res.status).toBe(403);
      const id = res.headers['x-correlation-id'];
      expect(res.body.correlationId).toBe(id);
      await new Promise((r) => setTimeout(r, 200));
      const lines = logLines.map((l) => JSON.parse(l)).filter((l) => l.req?.id === id);
      expect(lines).toEqual([
        expect.objectContaining({
          msg: 'request completed',
          req: { id, method: 'POST', url: '/api/account/profile' },
          res: { statusCode: 403 },
        }),
      ]);
    });
  });

  describe('14. addresses used in another organisation are answered like new ones', () => {
    it('inviting, importing and changing to an address of another organisation works as for a fresh one', async () => {
      const elsewhere = world.b.emails.coach;
      const fresh = 'nobody-yet@b.test';
      const invites = await Promise.all(
        [elsewhere, fresh].map((email, i) =>
          c.admin.post('/api/admin/users', { name: `Probe ${i}`, email, roles: ['participant'] }),
        ),
      );
      expect(invites.map((r) => r.status)).toEqual([201, 201]);
      const csv = `name,email,role\nImport Probe,${world.b.emails.developer},participant\nImport Fresh,fresh-import@b.test,participant\n`;
      const imported = await c.admin.post('/api/admin/users/import', { csv });
      expect(imported.status).toBe(200);
      expect(imported.body.created).toBe(2);
      // a person of their own (the seeded ones keep their addresses for the other tests)
      await h.createUser(world.a.tenantId, 'Mover', 'mover@a.test', ['participant']);
      const mover = await h.signIn('mover@a.test');
      const moved = await mover.post('/api/account/email', { password: PASSWORD, email: world.b.emails.admin });
      expect(moved.status).toBe(202);
      // the person invited twice gets the invitation of the second organisation like anyone else
      await h.mailbox.waitFor(elsewhere, /invit/i, 15_000);
    });

    it('one address and password in two organisations: sign-in asks which one', async () => {
      const email = 'two-orgs@example.test';
      await h.createUser(world.a.tenantId, 'Two Orgs A', email, ['participant']);
      await h.createUser(world.b.tenantId, 'Two Orgs B', email, ['participant']);
      const cl = await h.client();
      const first = await cl.post('/api/auth/login', { email, password: PASSWORD }, { 'X-Forwarded-For': address() });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        status: 'choose_organisation',
        organisations: expect.arrayContaining([
          { slug: 'tenant-a', name: 'Tenant A' },
          { slug: 'tenant-b', name: 'Tenant B' },
        ]),
      });
      const second = await cl.post(
        '/api/auth/login',
        { email, password: PASSWORD, organisation: 'tenant-b' },
        { 'X-Forwarded-For': address() },
      );
      expect(second.body.status).toBe('mfa_required');
      const wrong = await (
        await h.client()
      ).post('/api/auth/login', { email, password: 'not the password at all' }, { 'X-Forwarded-For': address() });
      expect(wrong.status).toBe(401);
    });
  });

  describe('10 and 11: only assigned peers review; a coach coaches the courses of the enrolments that name them', () => {
    const TEXT = '5f0e8b1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b';
    const id = {} as Record<string, string>;
    const people = {} as Record<string, Client>;

    beforeAll(async () => {
      const t = world.a.tenantId;
      for (const n of ['x1', 'x2', 'x3', 'x4']) {
        id[n] = await h.createUser(t, `Peer ${n}`, `${n}@a.test`, ['participant']);
        people[n] = await h.signIn(`${n}@a.test`);
      }
      for (const n of ['coachG1', 'coachG2', 'coachSolo']) {
        id[n] = await h.createUser(t, n, `${n.toLowerCase()}@a.test`, ['coach']);
        people[n] = await h.signIn(`${n.toLowerCase()}@a.test`);
      }
      // course P: peer review by rotation, 1 reviewer, for group G1 (x1…x4, coach G1)
      const rubric = (
        await c.developer.post('/api/authoring/rubrics', {
          title: 'Peer rubric',
          description: '',
          criteria: [
            {
              id: '0b6c1f38-8d3c-4c8e-9a52-2f1d2b3c4d5e',
              title: 'Empathy',
              description: '',
              weight: 1,
              levels: [
                { score: 1, descriptor: 'a' },
                { score: 5, descriptor: 'b' },
              ],
            },
          ],
        })
      ).body.id;
      const course = await c.developer.post('/api/authoring/courses', { title: 'Peer course', language: 'en' });
      const saved = await c.developer.put(`/api/authoring/courses/${course.body.id}/draft`, {
        revision: course.body.draft.revision,
        content: {
          title: 'Peer course',
          description: '',
          language: 'en',
          modules: [
            {
              id: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
              title: 'M',
              exercises: [
                exerciseBody(TEXT, rubric, {
                  feedback: ['coach', 'peer'],
                  peerReview: { reviewers: 1, dueDays: 3, criterionIds: [] },
                }),
              ],
            },
          ],
        },
      });
      expect(saved.status).toBe(200);
      await c.developer.post(`/api/authoring/courses/${course.body.id}/publish`, { changeSummary: 'First' });
      id.peerCourse = course.body.id;
      id.soloCourse = (await publishedCourse(c.developer)).id;
      const g1 = await c.admin.post('/api/admin/groups', { name: 'Group G1' });
      const g2 = await c.admin.post('/api/admin/groups', { name: 'Group G2' });
      await c.admin.put(`/api/admin/groups/${g1.body.id}/members`, {
        participants: [id.x1, id.x2, id.x3, id.x4],
        coaches: [id.coachG1],
      });
      await c.admin.put(`/api/admin/groups/${g2.body.id}/members`, { participants: [id.x1], coaches: [id.coachG2] });
      expect(
        (await c.admin.post('/api/admin/enrolments', { courseId: id.peerCourse, groupId: g1.body.id })).status,
      ).toBe(201);
      // x1 also takes the solo course alone, with another coach named on that enrolment
      expect(
        (await c.admin.post('/api/admin/enrolments', { courseId: id.soloCourse, userId: id.x1, coachId: id.coachSolo }))
          .status,
      ).toBe(201);
      id.peerAnswer = (
        await people.x1.post(`/api/my/courses/${id.peerCourse}/exercises/${TEXT}/text-answers`, {
          text: 'I understand; let me check your order.',
        })
      ).body.id;
      id.soloAnswer = (
        await people.x1.post(`/api/my/courses/${id.soloCourse}/exercises/${TEXT}/text-answers`, {
          text: 'I understand; let me look into it.',
        })
      ).body.id;
      expect((await people.x1.post(`/api/my/answers/${id.peerAnswer}/share`, {})).status).toBeLessThan(300);
    });

    const draft = { scores: { '0b6c1f38-8d3c-4c8e-9a52-2f1d2b3c4d5e': 5 }, summary: 'Kind and clear', comments: [] };

    it('a group member outside the rotation cannot review; the assigned peer can', async () => {
      const [assigned] = await h.db.query(
        `SELECT reviewer_id FROM reviews WHERE answer_id = $1 AND source = 'peer' AND state <> 'lapsed'`,
        [id.peerAnswer],
      );
      const reviewer = Object.keys(id).find((k) => id[k] === assigned.reviewer_id) as string;
      const outsider = ['x2', 'x3', 'x4'].find((n) => n !== reviewer) as string;
      expect((await people[outsider].put(`/api/answers/${id.peerAnswer}/review`, draft)).status).toBe(404);
      expect((await people[outsider].get(`/api/answers/${id.peerAnswer}/review`)).status).toBe(404);
      expect((await people[reviewer].put(`/api/answers/${id.peerAnswer}/review`, draft)).status).toBe(200);
    });

    it('a reviewer whose assignment lapsed cannot start a new review', async () => {
      const [assigned] = await h.db.query(
        `SELECT reviewer_id FROM reviews WHERE answer_id = $1 AND source = 'peer' AND state <> 'lapsed'`,
        [id.peerAnswer],
      );
      const reviewer = Object.keys(id).find((k) => id[k] === assigned.reviewer_id) as string;
      const [{ state }] = await h.db.query(`SELECT state FROM reviews WHERE answer_id = $1 AND reviewer_id = $2`, [
        id.peerAnswer,
        assigned.reviewer_id,
      ]);
      await h.db.query(`UPDATE reviews SET state = 'lapsed' WHERE answer_id = $1 AND reviewer_id = $2`, [
        id.peerAnswer,
        assigned.reviewer_id,
      ]);
      try {
        expect((await people[reviewer].put(`/api/answers/${id.peerAnswer}/review`, draft)).status).toBe(404);
      } finally {
        // the assignment as it was, for the other tests of the rotation
        await h.db.query(`UPDATE reviews SET state = $3 WHERE answer_id = $1 AND reviewer_id = $2`, [
          id.peerAnswer,
          assigned.reviewer_id,
          state,
        ]);
      }
    });

    it('coaches see the answers of the courses their enrolments name, not every course of a participant', async () => {
      // coach of G1 (enrolled in the peer course): the peer-course answer, not the solo one
      expect((await people.coachG1.get(`/api/answers/${id.peerAnswer}/review`)).status).toBe(200);
      expect((await people.coachG1.get(`/api/answers/${id.soloAnswer}/review`)).status).toBe(404);
      // coach of G2 (x1's other group, enrolled in nothing): neither
      expect((await people.coachG2.get(`/api/answers/${id.peerAnswer}/review`)).status).toBe(404);
      expect((await people.coachG2.get(`/api/answers/${id.soloAnswer}/review`)).status).toBe(404);
      // the coach named on x1's own enrolment: the solo answer only
      expect((await people.coachSolo.get(`/api/answers/${id.soloAnswer}/review`)).status).toBe(200);
      expect((await people.coachSolo.get(`/api/answers/${id.peerAnswer}/review`)).status).toBe(404);
      const queue = await people.coachG2.get('/api/coaching/reviews');
      expect(queue.body.items.map((i: { answerId: string }) => i.answerId)).toEqual([]);
    });
  });
});
