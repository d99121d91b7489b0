import { DataSource } from 'typeorm';
import { request as httpGet } from 'node:http';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { ANSWER_RELATIONS, GROUP_RELATIONS, PERSON_RELATIONS, QUEUES } from '@rehearse/shared/contracts';
import { createMetrics, createValidationPipe, METRICS, Metrics, startOpsServer } from '@rehearse/server/core';
import { QUEUE_STATES } from '@rehearse/server/mail';
import openapiMetadata from '../../openapi-metadata';
import { Client, Harness, PASSWORD, seedTwoTenants, startHarness } from '../../test/harness';
import { fixedHeaders } from '../bootstrap';
import { SessionStore } from '../session-store';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { documentAccess, routeAccess, routeTable } from '../openapi-access';
import { documentExamples } from '../openapi-examples';

interface MediaShape {
  schema?: unknown;
  example?: unknown;
}
interface OperationShape {
  requestBody?: { content?: Record<string, MediaShape> };
  responses?: Record<string, { content?: Record<string, MediaShape> }>;
}

/** The document less the examples on request bodies and answers (those documentExamples composes). */
function withoutOperationExamples(doc: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(doc.paths))
    for (const op of Object.values(item) as {
      requestBody?: { content?: Record<string, { example?: unknown }> };
      responses?: Record<string, { content?: Record<string, { example?: unknown }> }>;
    }[]) {
      for (const media of Object.values(op.requestBody?.content ?? {})) delete media.example;
      for (const answer of Object.values(op.responses ?? {}))
        for (const media of Object.values(answer.content ?? {})) delete media.example;
    }
  return doc;
}

/** 'same', or where two texts part (a difference named by its first place). */
function firstDifference(a: string, b: string): string {
  const at = [...a].findIndex((ch, i) => ch !== b[i]);
  return at === -1 && a.length === b.length
    ? 'same'
    : `differs from character ${at}: …${a.slice(Math.max(0, at - 80), at + 80)}…`;
}

describe('operations surface', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('reports health of the database and Redis', async () => {
    // a load balancer without cookies: no session is created for it
    const res = await new Client(h.server).agent.get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', checks: { database: { status: 'up' }, redis: { status: 'up' } } });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it("limits the API's statements (API_STATEMENT_TIMEOUT_SECONDS, 60 s), not the worker's", async () => {
    const limit = async (db: DataSource) =>
      ((await db.query(`SELECT current_setting('statement_timeout') AS limit`)) as { limit: string }[])[0].limit;
    expect(await limit(h.db)).toBe('1min');
    expect(await limit(h.worker.get(DataSource))).toBe('0');
  });

  it('ends a transaction left waiting between its statements (DATABASE_IDLE_IN_TRANSACTION_SECONDS, 60 s) on every connection of the API, its session store and the worker', async () => {
    const SQL = `SELECT current_setting('idle_in_transaction_session_timeout') AS limit`;
    const limit = async (db: DataSource) => ((await db.query(SQL)) as { limit: string }[])[0].limit;
    expect(await limit(h.db)).toBe('1min');
    expect(await limit(h.worker.get(DataSource))).toBe('1min');
    expect((await h.app.get(SessionStore).pool.query<{ limit: string }>(SQL)).rows).toEqual([{ limit: '1min' }]);
  });

  it('the committed OpenAPI document (docs/openapi.json) is the code’s: an API change shows in review (npm run openapi:update writes it)', async () => {
    const res = await (await h.client()).get('/api/docs-json');
    expect(res.status).toBe(200);
    const generated = `${JSON.stringify(res.body, null, 2)}\n`;
    const file = join(__dirname, '../../../../../docs/openapi.json');
    if (process.env['UPDATE_OPENAPI'] === '1') await writeFile(file, generated);
    const committed = await readFile(file, 'utf8').catch(() => '(missing)');
    expect(firstDifference(generated, committed)).toBe('same');
    // the route table in the docs, from the same document
    const routesFile = join(__dirname, '../../../../../docs/routes.md');
    const routes = routeTable(res.body);
    if (process.env['UPDATE_OPENAPI'] === '1') await writeFile(routesFile, routes);
    expect(firstDifference(routes, await readFile(routesFile, 'utf8').catch(() => '(missing)'))).toBe('same');
    // the check sees a change: a response class that lost a property
    const drifted = JSON.stringify(
      { ...res.body, components: { schemas: { ...res.body.components.schemas, MeDto: {} } } },
      null,
      2,
    );
    expect(firstDifference(`${drifted}\n`, committed)).toMatch(/^differs from character \d+/);
    // and the web's types generated from it (libs/web/data-access checks its contracts against them)
    const types = join(__dirname, '../../../../../libs/web/data-access/src/lib/generated/openapi.ts');
    // from the document without the operations' whole-body examples (openapi-typescript would copy
    // each into a doc comment: thousands of lines the types do not need; the properties' stay)
    const dir = await mkdtemp(join(tmpdir(), 'openapi-ts-'));
    const out = join(dir, 'openapi.ts');
    const bare = join(dir, 'openapi.json');
    await writeFile(bare, JSON.stringify(withoutOperationExamples(JSON.parse(committed) as OpenAPIObject)));
    await promisify(execFile)(join(__dirname, '../../../../../node_modules/.bin/openapi-typescript'), [
      bare,
      '-o',
      out,
    ]);
    if (process.env['UPDATE_OPENAPI'] === '1') await writeFile(types, await readFile(out, 'utf8'));
    expect(firstDifference(await readFile(out, 'utf8'), await readFile(types, 'utf8').catch(() => '(missing)'))).toBe(
      'same',
    );
  });

  it('every route that names an answer, a recording or an export declares its object permission, and the route table shows the relation', async () => {
    const rules = routeAccess(h.app);
    const doc = (await (await h.client()).get('/api/docs-json')).body as OpenAPIObject;
    const naming: string[] = [];
    for (const [path, item] of Object.entries(doc.paths))
      for (const op of Object.values(item) as { operationId?: string }[])
        if (/\/(answers|recordings|exports)\/\{id\}/.test(path)) {
          const rule = rules.get(op.operationId ?? '');
          naming.push(`${path} ${rule?.kind === 'permission' && rule.object ? rule.object.permission : 'none'}`);
        }
    expect(naming.length).toBeGreaterThanOrEqual(13);
    expect(naming.filter((n) => n.endsWith(' none'))).toEqual([]);
    // the table is read from the same metadata: a route that lost its @RequireObject shows it
    const table = routeTable(doc);
    expect(table).toContain('| `recording.read`: owner, coach, peer, administrator |');
    // each relation in the words of its object: a coach of an answer's owner is not a group's coach,
    // an answer's administrator not a person's
    const described = (path: string, method: 'get' | 'post') =>
      (doc.paths[path]?.[method] as { description?: string } | undefined)?.description ?? '';
    expect(described('/api/recordings/{id}', 'get')).toContain(`coach: ${ANSWER_RELATIONS.coach}`);
    expect(described('/api/recordings/{id}', 'get')).toContain(`administrator: ${ANSWER_RELATIONS.administrator})`);
    expect(described('/api/recordings/{id}', 'get')).not.toContain(GROUP_RELATIONS.coach);
    expect(described('/api/admin/users/{id}/exports', 'post')).toContain(
      `\`person.export\` on \`{id}\` — self, administrator of the person (self: ${PERSON_RELATIONS.self}; administrator: ${PERSON_RELATIONS.administrator})`,
    );
    const share = [...rules].find(([, r]) => r.kind === 'permission' && r.object?.permission === 'answer.share');
    if (!share) throw new Error('no route declares answer.share');
    const [id, rule] = share;
    const stripped = new Map(rules).set(id, { ...rule, object: undefined } as typeof rule);
    const raw = (await (await h.client()).get('/api/docs-json')).body as OpenAPIObject;
    for (const item of Object.values(raw.paths))
      for (const op of Object.values(item) as { description?: string }[])
        if (op.description) op.description = op.description.replace(/^Access: [^\n]*\n?(Object: [^\n]*\n?)?/, '');
    const without = routeTable(documentAccess(raw, stripped));
    expect(firstDifference(without, table)).toMatch(/^differs from character \d+/);
    expect(without).not.toContain('`answer.share`');
  });

  it('documents every route with its request and response schemas', async () => {
    const c = await h.client();
    const res = await c.get('/api/docs-json');
    expect(res.status).toBe(200);
    const doc = res.body as {
      paths: Record<
        string,
        Record<
          string,
          {
            summary?: string;
            description?: string;
            responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
            requestBody?: unknown;
          }
        >
      >;
    };
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([m, op]) => ({ key: `${m.toUpperCase()} ${path}`, op })),
    );
    expect(ops.length).toBeGreaterThanOrEqual(35);
    const summaries = new Set<string>();
    for (const { key, op } of ops) {
      // a summary that tells an integrator what the operation does, each its own
      expect({ key, summary: (op.summary?.length ?? 0) >= 12 && !summaries.has(op.summary ?? '') }).toEqual({
        key,
        summary: true,
      });
      summaries.add(op.summary ?? '');
      const codes = Object.keys(op.responses);
      // a success, or a redirect (the single sign-on routes and an e-mail's stop link send the browser on)
      expect({ key, documented: codes.some((s) => /^(2\d\d|30[23])$/.test(s)) }).toEqual({ key, documented: true });
      const success = codes.find((s) => /^(2\d\d|30[23])$/.test(s)) as string;
      // tus answers carry headers, not bodies (Location, Upload-Offset)
      const tus = /^(POST|HEAD|PATCH|DELETE) \/api\/uploads/.test(key);
      if (success !== '204' && success !== '302' && success !== '303' && !tus)
        expect({ key, schema: !!op.responses[success].content }).toEqual({ key, schema: true });
      // every state-changing route documents its body, except these deliberately bodiless actions
      const bodiless =
        /^POST .*(logout|impersonation\/end|mfa\/email|deactivate|reactivate|\/invitation|\/draft|duplicate|\/uploads|retention\/keep|\/exports|exports\/organisation|mail\/unsubscribe)$|^PATCH \/api\/uploads/;
      if (/^(POST|PUT|PATCH) /.test(key) && !bodiless.test(key)) {
        expect({ key, body: !!op.requestBody }).toEqual({ key, body: true });
      }
      // who may call it, read from the guard's own metadata, and the refusals that follow from it
      expect({ key, access: /^Access: /.test(op.description ?? '') }).toEqual({ key, access: true });
      const isPublic = op.description?.startsWith('Access: anyone (no session needed)') ?? false;
      const refusals = Object.entries(op.responses).filter(([s]) => /^[45]/.test(s));
      const expected = [
        ...(isPublic ? [] : ['401']),
        ...(key.includes('{') ? ['404'] : []),
        ...(/^(POST|PUT|PATCH|DELETE) /.test(key) || /permission/.test(op.description ?? '') ? ['403'] : []),
        '503',
      ];
      expect({ key, refusals: refusals.map(([s]) => s) }).toEqual({ key, refusals: expect.arrayContaining(expected) });
      for (const [status, answer] of refusals)
        // (the health report answers 503 with itself: which dependency is down)
        if (!(key === 'GET /api/health' && status === '503'))
          expect({ key, status, body: answer.content?.['application/json']?.schema.$ref }).toEqual({
            key,
            status,
            body: '#/components/schemas/ErrorBodyDto',
          });
      // and the document is what the guard does: a route it calls non-public refuses a caller without a session
      if (!isPublic && key.startsWith('GET ') && !key.includes('{')) {
        const path = key.slice(4);
        expect({ key, status: (await c.agent.get(path)).status }).toEqual({ key, status: 401 });
      }
    }
    expect(doc.paths['/api/admin/users']).toBeDefined();
    expect(doc.paths['/api/auth/login']).toBeDefined();
  });

  it('every operation shows an example of its request body and of each JSON answer, valid against its schema; a property without an example is named', async () => {
    const doc = (await (await h.client()).get('/api/docs-json')).body as OpenAPIObject;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addFormat('base64', /^[A-Za-z0-9+/]*={0,2}$/);
    // the document's schemas under one id, so each operation's $ref resolves into them
    ajv.addSchema({ $id: 'doc', components: doc.components }, 'doc');
    const local = (schema: unknown) =>
      JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"doc#/components/'));
    const checked: string[] = [];
    const problems: string[] = [];
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item) as [string, OperationShape][]) {
        const media = [
          ['body', op.requestBody?.content?.['application/json']] as const,
          ...Object.entries(op.responses ?? {}).map(
            ([status, r]) => [status, r.content?.['application/json']] as const,
          ),
        ];
        for (const [what, m] of media) {
          if (!m?.schema) continue;
          const where = `${method.toUpperCase()} ${path} ${what}`;
          checked.push(where);
          if (m.example === undefined) {
            problems.push(`${where}: no example`);
            continue;
          }
          const validate = ajv.compile(local(m.schema));
          if (!validate(m.example)) problems.push(`${where}: ${ajv.errorsText(validate.errors)}`);
        }
      }
    expect(problems).toEqual([]);
    // every request body and every JSON answer, errors included
    expect(checked.length).toBeGreaterThan(500);
    // each request body's example passes the API's own validation of that class (its rules go
    // further than the schema: patterns, markup, nested classes)
    const classes = new Map<string, new () => object>();
    for (const [load] of (await openapiMetadata())['@nestjs/swagger'].models)
      for (const [name, value] of Object.entries(await load))
        if (typeof value === 'function') classes.set(name, value as new () => object);
    const pipe = createValidationPipe();
    const refused: string[] = [];
    let bodies = 0;
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item) as [string, OperationShape][]) {
        const m = op.requestBody?.content?.['application/json'];
        const ref = (m?.schema as { $ref?: string } | undefined)?.$ref?.replace('#/components/schemas/', '');
        if (!m || !ref) continue;
        const metatype = classes.get(ref);
        if (!metatype) throw new Error(`${ref} is not a class of the API`);
        bodies++;
        await pipe
          .transform(structuredClone(m.example), { type: 'body', metatype })
          .catch((err: unknown) =>
            refused.push(
              `${method.toUpperCase()} ${path}: ${JSON.stringify((err as { fieldErrors?: unknown }).fieldErrors ?? err)}`,
            ),
          );
      }
    expect(refused).toEqual([]);
    expect(bodies).toBeGreaterThan(30);
    const invite = (doc.paths['/api/admin/users']?.post as OperationShape).requestBody?.content?.['application/json'];
    await expect(
      pipe.transform(
        { ...(invite?.example as object), email: 'not an address' },
        {
          type: 'body',
          metatype: classes.get('InviteUserDto'),
        },
      ),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    expect(checked).toContain('POST /api/auth/login body');
    const me = doc.paths['/api/auth/me']?.get as OperationShape;
    expect(me.responses?.['200']?.content?.['application/json']?.example).toMatchObject({
      email: 'ada.lovelace@northwind.example',
      name: 'Ada Lovelace',
    });
    expect(me.responses?.['401']?.content?.['application/json']?.example).toMatchObject({
      statusCode: 401,
      code: 'unauthenticated',
    });
    // the check sees a violation: a property that lost its example is named, an example that
    // breaks its schema is refused
    const raw = (await (await h.client()).get('/api/docs-json')).body as OpenAPIObject;
    const nameProp = raw.components?.schemas?.['MeDto'] as { properties: Record<string, { example?: unknown }> };
    delete nameProp.properties['name'].example;
    const missing: string[] = [];
    documentExamples(withoutOperationExamples(raw), missing);
    expect(missing).toContain('MeDto.name');
    const broken = ajv.compile(local({ $ref: '#/components/schemas/MeDto' }));
    expect(
      broken({ ...(me.responses?.['200']?.content?.['application/json']?.example as object), roles: ['pope'] }),
    ).toBe(false);
  });

  it('puts the correlation id on responses and error bodies, and keeps a caller-given one', async () => {
    const c = await h.client();
    const res = await c.agent.get('/api/auth/me').set('X-Correlation-Id', 'ticket-12345-abc');
    expect(res.status).toBe(401);
    expect(res.headers['x-correlation-id']).toBe('ticket-12345-abc');
    expect(res.body.correlationId).toBe('ticket-12345-abc');
    const bad = await c.agent.get('/api/auth/me').set('X-Correlation-Id', 'bad id\twith spaces');
    expect(bad.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets the security headers on every answer, refusals and unknown routes included', async () => {
    const c = await h.client();
    for (const path of ['/api/auth/me', '/api/health', '/api/nothing-here']) {
      const res = await c.agent.get(path);
      expect({ path, csp: res.headers['content-security-policy'] }).toEqual({
        path,
        csp: expect.stringContaining("default-src 'self'"),
      });
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy']).toContain("object-src 'none'");
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
      });
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('lets no browser or proxy keep an API answer, and works out no ETag for one', async () => {
    const { a } = await seedTwoTenants(h);
    const c = await h.signIn(a.emails.participant);
    for (const path of ['/api/auth/me', '/api/my/courses', '/api/nothing-here']) {
      const res = await c.agent.get(path);
      expect({ path, cacheControl: res.headers['cache-control'], etag: res.headers['etag'] }).toEqual({
        path,
        cacheControl: 'no-store',
        etag: undefined,
      });
    }
  });

  it('keeps an idle connection open longer than a proxy in front keeps its own (HTTP_KEEP_ALIVE_SECONDS, 75 s)', async () => {
    // Node's default, 5 s, is shorter than nginx's or a load balancer's 60 s (and Caddy's 2 minutes
    // unless docker/Caddyfile says 55 s): a proxy would send requests into closing connections
    const res = await new Client(h.server).agent.get('/api/health');
    expect(res.headers['connection']).toBe('keep-alive');
    expect(res.headers['keep-alive']).toBe('timeout=75');
    expect((h.app.getHttpServer() as { keepAliveTimeout: number }).keepAliveTimeout).toBe(75_000);
  });

  it("times requests by their route's pattern, refusals included, never by an id", async () => {
    const metrics = h.app.get<Metrics>(METRICS);
    const c = await h.client();
    const id = '3f2b6c1e-0000-4000-8000-00000000abcd';
    expect((await c.agent.get(`/api/recordings/${id}`)).status).toBe(401);
    expect((await c.agent.get('/api/auth/me')).status).toBe(401);
    const text = await metrics.registry.getSingleMetricAsString('rehearse_http_request_duration_seconds');
    expect(text).toMatch(/_count\{[^}]*method="GET",route="\/api\/recordings\/:id",status="401"[^}]*\} [1-9]/);
    expect(text).toMatch(/_count\{[^}]*method="GET",route="\/api\/auth\/me",status="401"[^}]*\} [1-9]/);
    expect(text).not.toContain(id);
  });

  it("counts the worker's queues on its metrics page when asked; with Redis away the page is served without them", async () => {
    const metrics = h.worker.get<Metrics>(METRICS, { strict: false });
    const media = h.worker.get<Queue>(getQueueToken(QUEUES.media), { strict: false });
    const job = await media.add('transcribe', { recordingId: randomUUID() }, { delay: 3_600_000 });
    try {
      const text = await metrics.registry.getSingleMetricAsString('rehearse_queue_jobs');
      for (const queue of Object.values(QUEUES))
        for (const state of QUEUE_STATES)
          expect(text).toMatch(
            new RegExp(`^rehearse_queue_jobs\\{queue="${queue}",state="${state}"[^}]*\\} \\d+$`, 'm'),
          );
      expect(text).toMatch(/^rehearse_queue_jobs\{queue="media",state="delayed"[^}]*\} [1-9]/m);
    } finally {
      await job.remove();
    }
    // the API counts none: only a scraped worker has the series
    expect(await h.app.get<Metrics>(METRICS).registry.getSingleMetricAsString('rehearse_queue_jobs')).not.toMatch(
      /^rehearse_queue_jobs\{/m,
    );
    const away = createMetrics('worker');
    away.sources.queueJobs = () => Promise.reject(new Error('Connection is closed.'));
    const page = await away.registry.metrics();
    expect(page).toContain('# TYPE rehearse_queue_jobs gauge');
    expect(page).not.toMatch(/^rehearse_queue_jobs\{/m);
    expect(page).toContain('rehearse_recordings_waiting');
    // the API's upload checks, read from its gate when scraped (none running or waiting now)
    const api = await h.app.get<Metrics>(METRICS).registry.getSingleMetricAsString('rehearse_media_intakes');
    expect(api).toMatch(/^rehearse_media_intakes\{state="running"[^}]*\} 0$/m);
    expect(api).toMatch(/^rehearse_media_intakes\{state="waiting"[^}]*\} 0$/m);
    expect(page).not.toMatch(/^rehearse_media_intakes\{/m);
  });

  it('freezes only middleware that just sets headers', () => {
    const set = fixedHeaders((_req, res, next) => {
      res.setHeader('X-One', 'a');
      res.setHeader('X-Two', ['b', 'c']);
      next();
    });
    const headers: Record<string, unknown> = {};
    let nexted = false;
    set({} as never, { setHeader: (k: string, v: unknown) => (headers[k] = v) } as never, () => (nexted = true));
    expect([headers, nexted]).toEqual([{ 'X-One': 'a', 'X-Two': ['b', 'c'] }, true]);
    expect(() => fixedHeaders((_req, _res, next) => void setTimeout(next, 0))).toThrow(/did not just set headers/);
    expect(() =>
      fixedHeaders(
        (req, res, next) => (res.setHeader('X-Path', req.headers['host'] ?? ''), next(new Error('needs a host'))),
      ),
    ).toThrow(/needs a host/);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const c = await h.client();
    const res = await c.get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });

  it('answers a method a path has no route for with 405 and the methods it has (Allow, OPTIONS included), in any case and with a trailing slash', async () => {
    const c = await h.client();
    // a path with a parameter, and one without; the CSRF token sent, so the router decides
    for (const [method, path, allow] of [
      ['delete', '/api/auth/me', 'GET, HEAD, OPTIONS'],
      ['put', '/api/admin/users', 'GET, HEAD, POST, OPTIONS'],
      ['patch', '/API/Admin/Users/', 'GET, HEAD, POST, OPTIONS'],
      ['post', '/api/admin/users/12dea96f-ec20-4935-a6ab-75692c994959', 'GET, HEAD, OPTIONS'],
      ['post', '/api/recordings/12dea96f-ec20-4935-a6ab-75692c994959/captions', 'GET, HEAD, OPTIONS'],
    ] as const) {
      const res = await c.agent[method](path).set('X-XSRF-TOKEN', c.xsrf).set('Accept-Language', 'nl');
      expect({ method, path, status: res.status, allow: res.headers['allow'], code: res.body.code }).toEqual({
        method,
        path,
        status: 405,
        allow,
        code: 'method_not_allowed',
      });
      expect(res.body.message).toMatch(/^Dit adres beantwoordt geen [A-Z]+, wel GET, HEAD/);
    }
    // OPTIONS: the methods, no body; a path named literally is its own resource (not /users/:id's)
    const options = await c.agent.options('/api/admin/users');
    expect([options.status, options.headers['allow']]).toEqual([204, 'GET, HEAD, POST, OPTIONS']);
    const importing = await c.agent.options('/api/admin/users/import');
    expect([importing.status, importing.headers['allow']]).toEqual([204, 'POST, OPTIONS']);
    // a path no route has, under any method, stays 404; a handler's own 404 too
    for (const res of [
      await c.agent.delete('/api/admin/nothing').set('X-XSRF-TOKEN', c.xsrf),
      await c.agent.options('/api/nothing-here'),
      await c.agent.get('/api/admin/users/12dea96f-ec20-4935-a6ab-75692c994959/nothing'),
    ])
      expect([res.status, res.headers['allow']]).toEqual([404, undefined]);
  });

  it('the document narrows request values as the validators do: integers, dates, no undeclared fields, any UUID', async () => {
    const doc = (await (await h.client()).get('/api/docs-json')).body as OpenAPIObject;
    const schemas = doc.components?.schemas as Record<string, SchemaObject>;
    const prop = (cls: string, name: string) => schemas[cls].properties?.[name] as SchemaObject;
    // @IsInt: integer (the compiler plugin alone writes number)
    expect(prop('PublishReviewDto', 'revision').type).toBe('integer');
    expect(prop('RubricLevelDto', 'score').type).toBe('integer');
    // a query's page
    const users = doc.paths['/api/admin/users'].get?.parameters as { name: string; schema: SchemaObject }[];
    expect(users.find((p) => p.name === 'page')?.schema).toMatchObject({ type: 'integer', minimum: 1 });
    // @IsISO8601 with YYYY-MM-DD: a date
    expect(prop('LicenceDto', 'startsOn')).toMatchObject({ type: 'string', format: 'date' });
    // every class a request body holds is closed, as the validation pipe refuses undeclared fields
    expect(schemas['RubricInputDto'].additionalProperties).toBe(false);
    expect(schemas['RubricLevelDto'].additionalProperties).toBe(false);
    // and no numeric or length limit is left without the type it limits
    const untyped: string[] = [];
    const walk = (s: unknown, at: string): void => {
      if (!s || typeof s !== 'object') return;
      const o = s as SchemaObject;
      if (['minimum', 'maximum', 'minLength', 'maxLength', 'pattern'].some((k) => k in o) && !o.type && !('$ref' in o))
        untyped.push(at);
      for (const [k, v] of Object.entries(o))
        if (k === 'properties' && v && typeof v === 'object')
          // (a property may be named like a keyword: a password rule's minLength)
          for (const [name, p] of Object.entries(v)) walk(p, `${at}.properties.${name}`);
        else if (k !== 'example') walk(v, `${at}.${k}`);
    };
    walk(doc.paths, 'paths');
    walk(doc.components, 'components');
    expect(untyped).toEqual([]);
    // what the document says is what the pipe does: a UUID of another version is an id (404, not 400),
    // a half-integer revision and an undeclared field are refused
    await h.tenants.createTenant({
      name: 'Documented',
      slug: 'documented',
      admin: { name: 'Doc Admin', email: 'admin@documented.test', password: PASSWORD },
    });
    const admin = await h.signIn('admin@documented.test');
    expect((await admin.get('/api/admin/users/e3e70682-c209-1cac-a29f-6fbed82c07cd')).status).toBe(404);
    // a path named literally under another method is that route's, even where /users/:id would take
    // it: 405 with its methods, not the id's 400; a malformed id of /users/:id stays a 400
    const shadowed = await admin.get('/api/admin/users/import');
    expect([shadowed.status, shadowed.headers['allow'], shadowed.body.code]).toEqual([
      405,
      'POST, OPTIONS',
      'method_not_allowed',
    ]);
    expect((await admin.get('/api/admin/users/not-an-id')).status).toBe(400);
    const invalid = await admin.put('/api/admin/retention-settings', {
      deleteAfterDays: 45.5,
      noticeDays: 14,
      keepPolicy: 'approval',
      keepDays: 365,
      extra: 1,
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['deleteAfterDays', 'extra']);
  });

  it('serves Prometheus metrics on the operations port', async () => {
    const metrics = createMetrics('api');
    metrics.httpDuration.observe({ method: 'GET', route: '/x', status: '200' }, 0.01);
    const server = await startOpsServer(0, metrics.registry);
    try {
      const port = (server.address() as AddressInfo).port;
      const text = await new Promise<string>((resolve, reject) =>
        httpGet({ host: '127.0.0.1', port, path: '/metrics' }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve(body));
        })
          .on('error', reject)
          .end(),
      );
      expect(text).toContain('rehearse_http_request_duration_seconds_bucket');
      expect(text).toContain('process="api"');
      expect(text).toContain('nodejs_heap_size_used_bytes');
      // the worker's count of e-mails kept but unsent after their time (an alert when it stays up)
      expect(text).toContain('# TYPE rehearse_mail_unsent gauge');
    } finally {
      server.close();
    }
  });
});
