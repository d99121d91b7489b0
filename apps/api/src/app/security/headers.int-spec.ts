import { readdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import request, { type Test } from 'supertest';
import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';
import { createUpload, JFK_VIDEO, uploadFile } from '../../test/media';
import { publishedCourse } from '../../test/courses';

/**
 * The request headers the API reads, each given what an attacker or a broken client sends: the
 * language (Accept-Language), the session cookie, the CSRF header, the byte range of a recording,
 * the body's type and encoding, the client's address and the correlation id. The route-table tier
 * (attacker.int-spec.ts) fuzzes paths, queries and bodies; this one the headers around them, the
 * resumable upload protocol's (tus) included. Every
 * answer is a 2xx or a 4xx (never a 5xx), and a refused change changes nothing.
 */
describe('hostile request headers: never a 5xx, nothing changed by a refused request', () => {
  let h: Harness;
  let participant: Client;
  let developer: Client;
  let participantId: string;
  let promptId: string;
  const profileName = async () =>
    (await h.db.query(`SELECT name FROM users WHERE id = $1`, [participantId]))[0].name as string;

  beforeAll(async () => {
    h = await startHarness({}, { mediaWorker: false });
    const world = await seedTwoTenants(h);
    participant = await h.signIn(world.a.emails.participant);
    participantId = world.a.ids.participant;
    developer = await h.signIn(world.a.emails.developer);
    const course = await publishedCourse(developer, {});
    const upload = await uploadFile(developer, JFK_VIDEO, 'prompt');
    const prompt = await developer.post('/api/authoring/prompt-media', { courseId: course.id, uploadId: upload });
    expect(prompt.status).toBe(201);
    promptId = prompt.body.id;
  }, 120_000);
  afterAll(() => h?.close());

  const LONG = 'x'.repeat(7000);
  /** values no header should break the API with (Node's parser itself refuses CR, LF and NUL) */
  const ANY = [
    '',
    ' ',
    LONG,
    '\u00ff\u00fe\u00e9',
    '%00%0d%0a',
    '${jndi:ldap://x}',
    '../../../etc/passwd',
    ';;;,,,',
    '*',
  ];
  const HOSTILE: Record<string, string[]> = {
    'Accept-Language': [
      ...ANY,
      'nl;q=abc',
      'nl-NL;q=2, en;q=-1',
      'zh-Hant-TW-u-ca-chinese-x-private',
      Array.from({ length: 500 }, (_, i) => `l${i};q=0.${i % 10}`).join(','),
      '__proto__',
      'constructor, toString;q=1',
    ],
    Cookie: [
      ...ANY,
      '=',
      '__Host-rehearse.sid=s%3Aforged.signature',
      'rehearse.sid=s%3A%E0%A4%A; XSRF-TOKEN=%',
      'rehearse.sid=' + 'a'.repeat(4000),
      Array.from({ length: 300 }, (_, i) => `c${i}=${i}`).join('; '),
    ],
    'X-XSRF-TOKEN': [...ANY, 'null', 'undefined'],
    'X-Correlation-Id': [...ANY, '\u00e9\u00e9', '"},{"level":60,"msg":"forged'],
    'X-Forwarded-For': [...ANY, '999.999.999.999', '::ffff:1.2.3.4, unknown, ,', 'fe80::1%eth0'],
    'X-Forwarded-Host': [...ANY, 'evil.example:99999'],
    'X-Forwarded-Proto': [...ANY, 'gopher'],
    'If-None-Match': [...ANY, 'W/"', '"a", W/"b", *'],
    'If-Modified-Since': [...ANY, 'Thu, 01 Jan 1970 00:00:00 GMT', 'not a date', '99999999999999'],
  };
  const RANGES = [
    ...ANY,
    'bytes=',
    'bytes=-',
    'bytes=--1',
    'bytes=5-1',
    'bytes=0-0',
    'bytes=-0',
    'bytes=99999999999999999999-',
    'bytes=0-99999999999999999999',
    'bytes=1e3-2e3',
    'bytes=0x10-0x20',
    'bytes=0-1,2-3,4-5',
    Array.from({ length: 400 }, (_, i) => `${i}-${i}`)
      .join(',')
      .replace(/^/, 'bytes='),
    'items=0-10',
    'BYTES = 0 - 10',
  ];

  const expectNo5xx = (seen: string[], what: string, status: number) => {
    if (status >= 500) seen.push(`${what}: ${status}`);
  };

  it('each header on a read (signed in and not), a change and a sign-in', async () => {
    const seen: string[] = [];
    const before = await profileName();
    for (const [header, values] of Object.entries(HOSTILE))
      for (const value of values) {
        const label = `${header}: ${JSON.stringify(value.slice(0, 40))}`;
        // a Cookie header of its own replaces the session's: sent without the client's cookie jar
        // (which would parse it and add the session's cookies to it)
        const signedIn = header === 'Cookie' ? request(h.server) : participant.agent;
        const anonymous = request(h.server);
        const requests: [string, () => Test][] = [
          ['GET /api/auth/me', () => signedIn.get('/api/auth/me')],
          ['GET /api/auth/me (anonymous)', () => anonymous.get('/api/auth/me')],
          ['GET /api/health/live', () => anonymous.get('/api/health/live')],
          [
            'PATCH /api/account/profile',
            () =>
              signedIn
                .patch('/api/account/profile')
                .set('X-XSRF-TOKEN', participant.xsrf)
                .send({ name: ['ab', 'c', 1] }),
          ],
          [
            'POST /api/auth/login',
            () => anonymous.post('/api/auth/login').send({ email: 'nobody@example.test', password: 'wrong' }),
          ],
        ];
        for (const [what, make] of requests) {
          const res = await make().set(header, value);
          expectNo5xx(seen, `${what} with ${label}`, res.status);
        }
      }
    expect(seen).toEqual([]);
    // every change above sent a refused body: nothing changed
    expect(await profileName()).toBe(before);
  });

  it('If-None-Match: * is a precondition on what sends an entity tag only: a JSON answer comes whole, media answers 304', async () => {
    // Express took `*` as a match for any answer: every JSON read answered an empty 304
    for (const path of ['/api/auth/me', '/api/my/courses', '/api/account/sessions']) {
      const res = await participant.agent.get(path).set('If-None-Match', '*');
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.body).toEqual((await participant.agent.get(path)).body);
    }
    // media has an entity tag: `*` matches it (RFC 9110 §13.1.2), nothing sent
    const media = await developer.agent.get(`/api/prompt-media/${promptId}/content`).set('If-None-Match', '*');
    expect(media.status).toBe(304);
    expect(media.headers['etag']).toMatch(/^"/);
  });

  it('a read of media refused by its preconditions answers the error body every refusal has, in the request’s language', async () => {
    const path = `/api/prompt-media/${promptId}/content`;
    const size = Number((await developer.agent.head(path)).headers['content-length']);
    const past = await developer.agent.get(path).set('Range', `bytes=${size}-`).set('Accept-Language', 'nl');
    expect([past.status, past.headers['content-type'], past.headers['content-range']]).toEqual([
      416,
      'application/json; charset=utf-8',
      `bytes */${size}`,
    ]);
    expect(past.body).toMatchObject({
      statusCode: 416,
      code: 'range_not_satisfiable',
      message: /^Het gevraagde bereik/,
    });
    const other = await developer.agent.get(path).set('If-Match', '"another"');
    expect([other.status, other.headers['content-disposition']]).toEqual([412, undefined]);
    expect(other.body).toMatchObject({
      statusCode: 412,
      code: 'precondition_failed',
      correlationId: expect.any(String),
    });
  });

  it('the byte range of a recording: a part, the whole, or 416, never a 5xx', async () => {
    const seen: string[] = [];
    for (const value of RANGES) {
      const res = await developer.agent.get(`/api/prompt-media/${promptId}/content`).set('Range', value);
      expectNo5xx(seen, `Range: ${JSON.stringify(value.slice(0, 40))}`, res.status);
      if (res.status < 500) expect([200, 206, 416]).toContain(res.status);
    }
    expect(seen).toEqual([]);
    // white space around empty numbers, as long as a header may be (Node takes 16 KB of them all):
    // the regular expression that read it took time cubic in its length (about three minutes for
    // this one, the API's thread held), and the same for the entity tags of If-None-Match
    const tabs = '\t'.repeat(7500);
    const slow = await developer.agent
      .get(`/api/prompt-media/${promptId}/content`)
      .set('Range', `BYTES=${tabs}-${tabs}-`);
    expect(slow.status).toBe(200);
    const tags = await developer.agent
      .get(`/api/prompt-media/${promptId}/content`)
      .set('If-None-Match', `\t${' '.repeat(15_000)}"`);
    expect(tags.status).toBe(200);
  });

  it('the body’s type and encoding: a change with a type or encoding it cannot read is refused (4xx) and changes nothing', async () => {
    const seen: string[] = [];
    const before = await profileName();
    const body = JSON.stringify({ name: 'Changed By A Broken Client' });
    const variants: [string, Record<string, string>, string | Buffer][] = [
      ['utf-16 charset', { 'Content-Type': 'application/json; charset=utf-16' }, body],
      ['charset without a value', { 'Content-Type': 'application/json; charset=' }, body],
      ['a type of parameters only', { 'Content-Type': ';;;' }, body],
      ['multipart without a boundary', { 'Content-Type': 'multipart/form-data; boundary=' }, body],
      ['a form', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'name=Changed'],
      ['gzip that is not gzip', { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body],
      ['deflate that is not deflate', { 'Content-Type': 'application/json', 'Content-Encoding': 'deflate' }, body],
      ['an unknown encoding', { 'Content-Type': 'application/json', 'Content-Encoding': 'zstd-but-not' }, body],
      ['two encodings', { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip, gzip' }, gzipSync(body)],
      [
        'gzip of a large body',
        { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
        gzipSync(Buffer.from(JSON.stringify({ name: 'a'.repeat(5_000_000) }))),
      ],
    ];
    for (const [what, headers, payload] of variants) {
      const res = await participant.agent
        .patch('/api/account/profile')
        .set('X-XSRF-TOKEN', participant.xsrf)
        .set(headers)
        .send(payload);
      expectNo5xx(seen, what, res.status);
      if (res.status < 500 && res.status < 400) seen.push(`${what}: accepted (${res.status})`);
    }
    expect(seen).toEqual([]);
    expect(await profileName()).toBe(before);
  });

  it('the upload protocol’s headers (tus): creating, appending and asking an offset answer 4xx to what is malformed, and nothing is staged by a refused creation', async () => {
    const seen: string[] = [];
    const b64 = (v: string) => Buffer.from(v).toString('base64');
    // the uploads staged (tus's file store keeps each upload's description beside its bytes)
    const staged = async () => (await readdir(h.config.UPLOAD_DIR)).filter((f) => f.endsWith('.json')).length;
    const before = await staged();
    let accepted = 0;
    const valid = { 'Tus-Resumable': '1.0.0', 'Upload-Length': '10', 'Upload-Metadata': `purpose ${b64('answer')}` };
    const creations: Record<string, string>[] = [
      ...['', '-1', '1e3', '0x10', ' 10', '10 ', '99999999999999999999', 'NaN', LONG, '10,10'].map((v) => ({
        ...valid,
        'Upload-Length': v,
      })),
      ...[
        '',
        ',',
        'purpose',
        'purpose !!!',
        `purpose ${b64('answer')},purpose ${b64('prompt')}`,
        `__proto__ ${b64('x')},purpose ${b64('answer')}`,
        `purpose ${b64('../../etc/passwd')}`,
        `purpose ${b64('answer')},filename ${b64('../../x\u0000.mp4')}`,
        `purpose ${b64('answer')},filetype ${b64('x'.repeat(5000))}`,
        `purpose ${b64('\u00ff\u00fe')}`,
        Array.from({ length: 200 }, (_, i) => `k${i} ${b64('v')}`).join(','),
      ].map((v) => ({ ...valid, 'Upload-Metadata': v })),
      ...['', '0.2.2', '1.0.0, 1.0.0', LONG].map((v) => ({ ...valid, 'Tus-Resumable': v })),
      { ...valid, 'Upload-Defer-Length': '1' },
      // a length given later: an extension this server does not offer (tus answered 501)
      { 'Tus-Resumable': '1.0.0', 'Upload-Defer-Length': '1', 'Upload-Metadata': valid['Upload-Metadata'] },
      { ...valid, 'Upload-Concat': 'final;/api/uploads/x /api/uploads/y' },
      { ...valid, 'Upload-Checksum': 'sha1 !!!' },
      { ...valid, 'X-HTTP-Method-Override': 'DELETE' },
    ];
    for (const headers of creations) {
      const res = await participant.agent.post('/api/uploads').set('X-XSRF-TOKEN', participant.xsrf).set(headers);
      expectNo5xx(seen, `create with ${JSON.stringify(headers).slice(0, 160)}`, res.status);
      if (res.status === 201) accepted++;
    }
    // an extension this server does not offer is the request's fault, said so (tus answered 501)
    const concat = await participant.agent
      .post('/api/uploads')
      .set('X-XSRF-TOKEN', participant.xsrf)
      .set({ ...valid, 'Upload-Concat': 'partial' });
    expect([concat.status, concat.body.code, concat.body.message]).toEqual([
      400,
      'malformed_request',
      expect.stringContaining('Upload-Concat'),
    ]);
    // a length given later is refused at the start with the same words (tus's stores took it: such
    // an upload ran to UPLOAD_MAX_MB before a refusal, and a submission found it without an end)
    for (const defer of [
      { ...valid, 'Upload-Defer-Length': '1' },
      { 'Tus-Resumable': '1.0.0', 'Upload-Defer-Length': '1', 'Upload-Metadata': valid['Upload-Metadata'] },
    ]) {
      const res = await participant.agent.post('/api/uploads').set('X-XSRF-TOKEN', participant.xsrf).set(defer);
      expect([res.status, res.body.code, res.body.message, res.headers['location']]).toEqual([
        400,
        'malformed_request',
        expect.stringContaining('Upload-Defer-Length'),
        undefined,
      ]);
    }
    // an upload to append to, and hostile appends and offset questions
    const created = await createUpload(participant, 10, { purpose: 'answer', filename: 'a.webm' });
    expect(created.status).toBe(201);
    const location = created.headers['location'] as string;
    // a part without its offset, or with a length (given once, at the start): malformed, and told how
    const part = (headers: Record<string, string>) =>
      participant.agent
        .patch(location)
        .set('X-XSRF-TOKEN', participant.xsrf)
        .set({ 'Tus-Resumable': '1.0.0', 'Content-Type': 'application/offset+octet-stream', ...headers })
        .send(Buffer.from('01234'));
    for (const [headers, says] of [
      [{}, 'Send Upload-Offset with each part'],
      [{ 'Upload-Offset': '0', 'Upload-Length': '1000000' }, 'The length of an upload is given once'],
    ] as const) {
      const res = await part(headers);
      expect([res.status, res.body.code, res.body.message]).toEqual([
        400,
        'malformed_request',
        expect.stringContaining(says),
      ]);
    }
    for (const offset of ['', '-1', '11', '1e1', '0x0', LONG, '0,0'])
      for (const type of ['application/offset+octet-stream', 'application/json', '']) {
        const res = await participant.agent
          .patch(location)
          .set('X-XSRF-TOKEN', participant.xsrf)
          .set('Tus-Resumable', '1.0.0')
          .set('Upload-Offset', offset)
          .set('Content-Type', type)
          .send(Buffer.from('0123456789'));
        expectNo5xx(seen, `append at ${JSON.stringify(offset.slice(0, 20))} as ${type || 'no type'}`, res.status);
        if (res.status < 300) seen.push(`append at ${JSON.stringify(offset.slice(0, 20))} as ${type}: ${res.status}`);
      }
    for (const version of ['', '0.2.2', LONG]) {
      const res = await participant.agent.head(location).set('Tus-Resumable', version);
      expectNo5xx(seen, `offset asked with Tus-Resumable ${JSON.stringify(version.slice(0, 20))}`, res.status);
    }
    expect(seen).toEqual([]);
    // what was accepted above (headers tus ignores) and the upload appended to: a refusal staged nothing
    expect(await staged()).toBe(before + accepted + 1);
  });
});
