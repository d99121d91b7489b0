import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RequestMethod } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, Reflector } from '@nestjs/core';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import type { Response } from 'supertest';
import { Client as PgClient } from 'pg';
import { permissionsFor, QUEUES, TenantRole } from '@rehearse/shared/contracts';
import { PERMISSION_KEY, PUBLIC_KEY } from '@rehearse/server/access';
import { Client, Harness, PASSWORD, seedTwoTenants, startHarness } from '../../test/harness';
import { AUDIO_EXERCISE, publishedCourse } from '../../test/courses';
import { appendUpload, createUpload, JFK_WAV, uploadFile } from '../../test/media';

/**
 * The attacker tier: requests generated from the running app's route table and its OpenAPI
 * document, so a route is attacked the day it is added. Eight sweeps, each collecting every
 * finding and failing once with all of them:
 *  1. every route, with real ids of every object kind of tenant A, as nobody, as every role of
 *     tenant B, as every role of tenant A (and a second participant, for other people's objects),
 *     and as a superuser: no 2xx the role or relation does not allow, no tenant A data in tenant
 *     B's answers, never a 5xx;
 *  2. every state-changing route cross-site, with path variants (case, trailing slash,
 *     percent-encoding), a method override and forwarded-host headers: refused, nothing written;
 *  3. every request body fuzzed from its schema with fast-check (malformed JSON, arrays, null,
 *     prototype keys, extra fields, wrong types, NUL, lone surrogates, huge strings and numbers,
 *     missing nested objects): a 4xx naming the problem, never a 5xx, nothing written; each
 *     field the document does not call nullable, at every depth (an exercise's AI settings in a
 *     course), is sent as null once on a base body the validation accepts, and must be refused
 *     with a 400 naming exactly that field;
 *  4. the upload routes with foreign ids in the path, the query and the headers, and traversal
 *     sequences: refused, and canary files outside the upload folder still there;
 *  5. every path parameter of every route and every query parameter the OpenAPI document names,
 *     given hostile strings (malformed and overlong escapes, NUL, lone surrogates, huge numbers,
 *     SQL and markup, traversal, repeated and bracketed keys): a 4xx naming the problem or an
 *     answer, never a 5xx, nothing written;
 *  6. every reading route, and a sign-in and a profile change, while PostgreSQL ends the
 *     application's sessions under them, again and again (a restart, a failover): an answer or a
 *     503 with Retry-After, never another 5xx and never a process ended by an error nobody
 *     listened for; once it stops, every route answers as before;
 *  7. every reading route given hostile headers (ranges, preconditions, languages, a forged cookie,
 *     an overlong correlation id, forwarded addresses), and every route a body the API does not read
 *     (another type, charset or encoding, too deep, too large): a documented answer, never a 5xx, and
 *     no body accepted or a row written;
 *  8. every reading route as every role, the owner included, once a participant's licence has
 *     ended: nothing of their answers shows (the answer, its recording, the archive of an export
 *     made before).
 * In every sweep each answer is also held against the OpenAPI document: its status is one its
 * operation lists, and a JSON body is valid against the schema given for that status (answers
 * and refusals alike), so the document is what an integrator's client can rely on.
 * Bounded counts (a fixed fast-check seed) keep it fast enough for CI; it prints what it covered.
 */

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface RouteInfo {
  method: Method;
  pattern: string;
  permission: string | null;
  isPublic: boolean;
}
type ActorName =
  | 'anonymous'
  | 'participantA'
  | 'participant2A'
  | 'coachA'
  | 'developerA'
  | 'adminA'
  | 'participantB'
  | 'coachB'
  | 'developerB'
  | 'adminB'
  | 'superuser';

const ROLES: Record<ActorName, { roles: TenantRole[]; superuser?: boolean; tenant: 'a' | 'b' | null }> = {
  anonymous: { roles: [], tenant: null },
  participantA: { roles: ['participant'], tenant: 'a' },
  participant2A: { roles: ['participant'], tenant: 'a' },
  coachA: { roles: ['coach'], tenant: 'a' },
  developerA: { roles: ['content_developer'], tenant: 'a' },
  adminA: { roles: ['administrator'], tenant: 'a' },
  participantB: { roles: ['participant'], tenant: 'b' },
  coachB: { roles: ['coach'], tenant: 'b' },
  developerB: { roles: ['content_developer'], tenant: 'b' },
  adminB: { roles: ['administrator'], tenant: 'b' },
  superuser: { roles: [], superuser: true, tenant: null },
};

/** Real objects of tenant A, owned by participant A where an owner exists. */
interface Objects {
  user: string;
  participant: string;
  course: string;
  exercise: string;
  rubric: string;
  group: string;
  enrolment: string;
  answer: string;
  recording: string;
  upload: string;
  prompt: string;
  export: string;
  tenant: string;
  /** the report of an organisation destroyed earlier (platform level: superusers only) */
  destructionReport: string;
  /** a deletion receipt of tenant A (its administrators only) */
  deletionReceipt: string;
  /** participant 2's upload (another person's object in the same tenant) */
  otherUpload: string;
  /** tenant B participant's upload */
  foreignUpload: string;
}

/**
 * Which object a path parameter names, from the segment before it. A new parameter that no rule
 * knows fails the sweep: the route must be added here, deliberately.
 */
function paramValue(pattern: string, param: string, o: Objects): string | null {
  const parts = pattern.split('/');
  const i = parts.indexOf(`:${param}`);
  const before = parts[i - 1];
  if (param === 'courseId') return o.course;
  if (param === 'exerciseId') return o.exercise;
  if (param === 'userId') return o.participant;
  if (param === 'uploadId') return o.upload;
  if (param === 'token') return 'q8Vx3J5m0dZr2bWcHkLp7yT1nA4sE6uG9oIfRvXeYzQ';
  if (param === 'slug') return 'tenant-a';
  const byCollection: Record<string, string> = {
    users: o.user,
    courses: o.course,
    rubrics: o.rubric,
    groups: o.group,
    enrolments: o.enrolment,
    answers: o.answer,
    recordings: o.recording,
    'prompt-media': o.prompt,
    exports: o.export,
    tenants: o.tenant,
    'destruction-reports': o.destructionReport,
    'deletion-receipts': o.deletionReceipt,
    requests: o.participant,
    'trusted-devices': '6f1c3c53-7a4b-4d2e-9f0a-1b2c3d4e5f60',
    sessions: '0123456789abcdef0123456789abcdef',
  };
  return byCollection[before] ?? null;
}

/**
 * The document's schemas with OpenAPI 3.0's `nullable: true` as JSON Schema: the schema or null
 * (Ajv reads `nullable` only beside a `type`, and then still applies an allOf's reference to null).
 */
function nullAsOpenApiMeansIt<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(nullAsOpenApiMeansIt) as T;
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'example' ? v : nullAsOpenApiMeansIt(v);
  if (out['nullable'] !== true) return out as T;
  delete out['nullable'];
  return { anyOf: [out, { type: 'null' }] } as T;
}

/** A validation failure (400) whose errors name no field: the caller cannot tell what to mend. */
function namesNoField(res: Response): boolean {
  return (
    res.status === 400 &&
    res.body?.code === 'validation_failed' &&
    !(res.body.errors ?? []).some((e: { field?: string }) => e.field)
  );
}

/** A 400 that names the field among those that broke their rules. */
function names(res: Response, field: string): boolean {
  return (
    res.status === 400 &&
    res.body?.code === 'validation_failed' &&
    (res.body.errors ?? []).some((e: { field?: string }) => e.field === field)
  );
}

const CANARY_ID = 'q8Vx3J5m0dZr2bWcHkLp7yT1nA4sE6uG9oIfRvXeYzQ';

describe('the attacker tier (generated from the route table and the OpenAPI document)', () => {
  let h: Harness;
  let routes: RouteInfo[];
  let openapi: {
    paths: Record<
      string,
      Record<
        string,
        {
          requestBody?: { content?: Record<string, { schema?: Schema }> };
          parameters?: { name: string; in: string }[];
          responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
        }
      >
    >;
    components: { schemas: Record<string, Schema> };
  };
  let objects: Objects;
  /** tenant A's people's addresses (sweep 6 signs in with one) */
  let emailsA: Record<'admin' | 'coach' | 'developer', string>;
  const clients = {} as Record<ActorName, Client>;
  const tenantAMarkers: string[] = [];
  const coverage = { routes: 0, requests: 0, findings: 0 };
  /** answers that are not what the document says (each sweep takes those of its own requests) */
  const offDocument: string[] = [];
  let operations: { method: string; template: string; re: RegExp; statuses: string[]; schemas: Map<string, Schema> }[];
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validators = new Map<Schema, ValidateFunction>();

  /**
   * An answer held against the document: null when its operation lists its status and its JSON
   * body fits the schema given for it; what differs otherwise. A request the document has no
   * operation for (a path in capitals, with a trailing slash, HEAD) is not held against it.
   */
  function againstDocument(method: Method, path: string, res: Response): string | null {
    const bare = path.split('?')[0];
    const found = operations.find((o) => o.method === method && o.re.test(bare));
    if (!found) return null;
    const where = `${method} ${found.template} answered ${res.status}`;
    if (!found.statuses.includes(String(res.status)))
      return `${where}, not among its documented answers (${found.statuses.join(', ')})`;
    const schema = found.schemas.get(String(res.status));
    // (HEAD has no body; an event stream's is not read)
    if (!schema || method === 'HEAD' || path.endsWith('/events')) return null;
    if (!/application\/json/.test(String(res.headers['content-type'] ?? ''))) return `${where} not as JSON`;
    let validate = validators.get(schema);
    if (!validate) {
      validate = ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"doc#/components/')));
      validators.set(schema, validate);
    }
    return validate(res.body) ? null : `${where} with a body its schema refuses: ${ajv.errorsText(validate.errors)}`;
  }

  /** Sends one request; counts it. */
  async function send(
    c: Client,
    method: Method,
    path: string,
    opts: { body?: unknown; raw?: string; headers?: Record<string, string>; xsrf?: boolean } = {},
  ): Promise<Response> {
    coverage.requests++;
    const res = await sendUnchecked(c, method, path, opts);
    const off = againstDocument(method, path, res);
    if (off) offDocument.push(off);
    return res;
  }

  async function sendUnchecked(
    c: Client,
    method: Method,
    path: string,
    opts: { body?: unknown; raw?: string; headers?: Record<string, string>; xsrf?: boolean },
  ): Promise<Response> {
    let req = c.agent[method.toLowerCase() as 'get'](path);
    if (opts.xsrf !== false && method !== 'GET' && method !== 'HEAD') req = req.set('X-XSRF-TOKEN', c.xsrf);
    for (const [k, v] of Object.entries(opts.headers ?? {})) req = req.set(k, v);
    if (path.endsWith('/events')) {
      // a server-sent event stream never ends: read the status, then hang up
      req = req.buffer(false).parse((res, done) => {
        (res as unknown as { destroy(): void }).destroy();
        done(null, null);
      });
    }
    if (opts.raw !== undefined) return c.capture(await req.set('Content-Type', 'application/json').send(opts.raw));
    if (opts.body !== undefined && (typeof opts.body !== 'object' || opts.body === null))
      return c.capture(await req.set('Content-Type', 'application/json').send(JSON.stringify(opts.body)));
    return c.capture(await (opts.body === undefined ? req : req.send(opts.body as object)));
  }

  function concrete(route: RouteInfo): string | null {
    let path = route.pattern;
    for (const m of route.pattern.matchAll(/:([A-Za-z]+)/g)) {
      const v = paramValue(route.pattern, m[1], objects);
      if (v === null) return null;
      path = path.replace(`:${m[1]}`, v);
    }
    return path;
  }

  /** Row counts of every table: "nothing written" means these did not move. */
  async function snapshot(): Promise<Record<string, string>> {
    const tables: { t: string }[] = await h.db.query(
      `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('sessions') ORDER BY 1`,
    );
    const out: Record<string, string> = {};
    // rows and their content: an UPDATE is a write too
    for (const { t } of tables)
      out[t] = (
        await h.db.query(
          `SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS sum FROM "${t}" x`,
        )
      ).map((r: { n: number; sum: string }) => `${r.n}:${r.sum}`)[0];
    return out;
  }
  /**
   * Waits until the mail queue has nothing waiting or running: a body an earlier route accepted
   * (an invitation, a published review) has its mail sent afterwards, and the job's own write (the
   * invitation's sealed link forgotten, a kept e-mail forgotten once sent) must not land between
   * two snapshots.
   */
  async function mailSettled(): Promise<void> {
    const queue = h.app.get<Queue>(getQueueToken(QUEUES.mail));
    for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
      const c = await queue.getJobCounts();
      if (c.waiting + c.active + c.delayed === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const changed = (a: Record<string, string>, b: Record<string, string>) =>
    Object.keys({ ...a, ...b })
      .filter((k) => a[k] !== b[k])
      .map((k) => `${k}: ${a[k]} → ${b[k]}`);

  beforeAll(async () => {
    h = await startHarness(
      { TRUST_PROXY: 'loopback', LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' },
      { mediaWorker: false },
    );
    const world = await seedTwoTenants(h);
    emailsA = world.a.emails;
    const su = await h.createSuperuser('attacker-tier@rehearse.test');
    clients.anonymous = await h.client();
    clients.participantA = await h.signIn(world.a.emails.participant);
    clients.participant2A = await h.signIn(world.a.emails.participant2);
    clients.coachA = await h.signIn(world.a.emails.coach);
    clients.developerA = await h.signIn(world.a.emails.developer);
    clients.adminA = await h.signIn(world.a.emails.admin);
    clients.participantB = await h.signIn(world.b.emails.participant);
    clients.coachB = await h.signIn(world.b.emails.coach);
    clients.developerB = await h.signIn(world.b.emails.developer);
    clients.adminB = await h.signIn(world.b.emails.admin);
    clients.superuser = await h.signInTotp('attacker-tier@rehearse.test', su.secret);

    const course = await publishedCourse(clients.developerA, { media: true });
    const group = await clients.adminA.post('/api/admin/groups', { name: 'Attacked group' });
    await clients.adminA.put(`/api/admin/groups/${group.body.id}/members`, {
      participants: [world.a.ids.participant, world.a.ids.participant2],
      coaches: [world.a.ids.coach],
    });
    const enrolment = await clients.adminA.post('/api/admin/enrolments', {
      courseId: course.id,
      groupId: group.body.id,
      dueOn: '2027-12-31',
    });
    const answer = await clients.participantA.post(
      `/api/my/courses/${course.id}/exercises/${AUDIO_EXERCISE}/recordings`,
      { uploadId: await uploadFile(clients.participantA, JFK_WAV) },
    );
    expect(answer.status).toBe(201);
    const prompt = await clients.developerA.post('/api/authoring/prompt-media', {
      courseId: course.id,
      uploadId: await uploadFile(clients.developerA, JFK_WAV, 'prompt'),
    });
    const exported = await clients.participantA.post('/api/my/exports');
    // built before the tests look for rows that moved (the worker writes its progress)
    for (let waited = 0; ; waited += 200) {
      const [row] = await h.db.query(`SELECT state FROM data_exports WHERE id = $1`, [exported.body.id]);
      if (row && ['ready', 'failed'].includes(row.state)) break;
      if (waited > 60_000) throw new Error(`the export is still ${row?.state} after a minute`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const uploadOf = async (c: Client) =>
      String((await createUpload(c, 64, { purpose: 'answer', filename: 'a.webm' })).headers['location'])
        .split('/')
        .pop() as string;
    // an organisation destroyed before: its report names it and lists an object gone
    const [report] = await h.db.query(
      `INSERT INTO deletion_receipts (tenant_id, kind, subject_id, subject_name, subject_slug, created_at, verified, counts, objects)
       VALUES (NULL, 'tenant_destruction', gen_random_uuid(), 'Former client', 'former', now(), true, '{"users": 3, "objects": 1}',
               '[{"key": "tenants/x/recordings/a.webm", "verified": true}]') RETURNING id`,
    );
    // a deletion receipt of tenant A (a person's recordings deleted after their licence)
    const [receipt] = await h.db.query(
      `INSERT INTO deletion_receipts (tenant_id, kind, subject_id, created_at, verified, counts, objects)
       VALUES ($1, 'licence_expiry', $2, now(), true, '{"recordings": 1}', '[{"key": "tenants/x/recordings/b.webm", "verified": true}]') RETURNING id`,
      [world.a.tenantId, world.a.ids.participant2],
    );
    objects = {
      user: world.a.ids.participant,
      participant: world.a.ids.participant,
      course: course.id,
      exercise: course.exercise,
      rubric: course.rubric,
      group: group.body.id,
      enrolment: enrolment.body.id,
      answer: answer.body.id,
      recording: answer.body.recording.id,
      upload: await uploadOf(clients.participantA),
      prompt: prompt.body.id,
      export: exported.body.id,
      tenant: world.a.tenantId,
      destructionReport: report.id,
      deletionReceipt: receipt.id,
      otherUpload: await uploadOf(clients.participant2A),
      foreignUpload: await uploadOf(clients.participantB),
    };
    // what must never appear in an answer to tenant B: tenant A's ids, people and course
    tenantAMarkers.push(
      world.a.tenantId,
      ...Object.values(world.a.ids),
      ...Object.values(world.a.emails),
      course.id,
      group.body.id,
      answer.body.id,
      answer.body.recording.id,
      'Participant a',
      'Attacked group',
    );

    const reflector = h.app.get(Reflector);
    routes = [];
    for (const wrapper of h.app.get(DiscoveryService).getControllers()) {
      const cls = wrapper.metatype as { prototype: Record<string, unknown> } | undefined;
      if (!cls) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, cls) ?? '');
      for (const name of Object.getOwnPropertyNames(cls.prototype)) {
        const handler = cls.prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, handler);
        if (sub === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number] as Method;
        const pattern = ['/api', base, String(sub)]
          .filter((p) => p && p !== '/')
          .join('/')
          .replace(/\/+/g, '/');
        const targets = [handler as () => void, cls as unknown as () => void];
        routes.push({
          method,
          pattern,
          permission: reflector.getAllAndOverride<string>(PERMISSION_KEY, targets) ?? null,
          isPublic: reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true,
        });
      }
    }
    coverage.routes = routes.length;
    openapi = (await clients.anonymous.get('/api/docs-json')).body;
    ajv.addSchema({ $id: 'doc', components: nullAsOpenApiMeansIt(openapi.components) }, 'doc');
    operations = Object.entries(openapi.paths)
      .flatMap(([template, item]) =>
        Object.entries(item).map(([method, op]) => ({
          method: method.toUpperCase(),
          template,
          re: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
          statuses: Object.keys(op.responses ?? {}),
          schemas: new Map(
            Object.entries(op.responses ?? {}).flatMap(([status, r]) => {
              const schema = r.content?.['application/json']?.schema;
              return schema ? [[status, schema] as const] : [];
            }),
          ),
        })),
      )
      // a fixed segment before a parameter (/users/import before /users/{id})
      .sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  }, 120_000);

  afterAll(async () => {
    console.log(
      `attacker tier: ${coverage.routes} routes, ${coverage.requests} requests, ${coverage.findings} findings`,
    );
    await h?.close();
  });

  function allowed(route: RouteInfo, actor: ActorName): boolean {
    if (route.isPublic) return true;
    if (actor === 'anonymous' || !route.permission) return false;
    const r = ROLES[actor];
    return permissionsFor(r.roles, r.superuser === true).has(route.permission as never);
  }

  it('1. every route × every actor with real ids: no 2xx without the role or relation, no foreign data, never a 5xx', async () => {
    const findings: string[] = [];
    offDocument.length = 0;
    const unmapped = routes.filter((r) => concrete(r) === null).map((r) => `${r.method} ${r.pattern}`);
    expect(unmapped).toEqual([]);
    // objects of participant A that nobody else in the tenant may reach without a relation
    const ownerOnly = /\/(uploads|exports)\//;
    for (const route of routes) {
      const path = concrete(route) as string;
      const destructive = route.method !== 'GET' && route.method !== 'HEAD';
      for (const actor of Object.keys(ROLES) as ActorName[]) {
        const mayAct = allowed(route, actor);
        // allowed state changes in tenant A are the access matrix's business (they would change the objects under test)
        if (
          destructive &&
          mayAct &&
          actor !== 'participantB' &&
          actor !== 'coachB' &&
          actor !== 'developerB' &&
          actor !== 'adminB'
        )
          continue;
        const res = await send(clients[actor], route.method, path, {
          body: destructive ? {} : undefined,
          headers: path.startsWith('/api/uploads') ? { 'Tus-Resumable': '1.0.0' } : {},
        });
        const where = `${route.method} ${route.pattern} as ${actor}: ${res.status}`;
        if (res.status >= 500) findings.push(`${where} (server error)`);
        const ok = res.status >= 200 && res.status < 300;
        if (!ok) continue;
        if (!mayAct) findings.push(`${where} (the role lacks ${route.permission ?? 'a session'})`);
        const tenant = ROLES[actor].tenant;
        if (tenant === 'b' && !route.isPublic) {
          const text = JSON.stringify(res.body ?? '') + (res.text ?? '');
          const leaked = tenantAMarkers.filter((m) => text.includes(m));
          // a route that names a tenant A object in its path must not answer tenant B at all
          if (route.pattern.includes(':')) findings.push(`${where} (tenant B reached a tenant A object)`);
          else if (leaked.length)
            findings.push(`${where} (tenant A data in the answer: ${leaked.slice(0, 3).join(', ')})`);
        }
        if (actor === 'participant2A' && ownerOnly.test(path))
          findings.push(`${where} (another participant's ${path.split('/')[2]})`);
        if (
          actor === 'participant2A' &&
          /\/recordings\/|\/answers\//.test(route.pattern) &&
          !route.pattern.startsWith('/api/my/')
        ) {
          findings.push(`${where} (another participant's answer without a relation)`);
        }
      }
    }
    findings.push(...offDocument.splice(0));
    coverage.findings += findings.length;
    expect(findings).toEqual([]);
  }, 300_000);

  it('2. every state-changing route cross-site, with path variants, overrides and forwarded headers: refused, nothing written', async () => {
    const findings: string[] = [];
    offDocument.length = 0;
    // the e-mails of the tests before (feedback published, invitations) sent first: their writes are not the attacker's
    await mailSettled();
    const before = await snapshot();
    const evil = { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' };
    const variants = (p: string): string[] => {
      const segs = p.split('/');
      const last = segs.length - 1;
      const enc = [...segs];
      enc[2] = `%${segs[2].charCodeAt(0).toString(16)}${segs[2].slice(1)}`;
      return [
        p,
        p.toUpperCase().replace(/\/[0-9A-F-]{36}/g, (m) => m.toLowerCase()),
        `${p}/`,
        enc.join('/'),
        p.replace('/api/', '/api//'),
        segs
          .map((s, i) => (i === last ? s : s))
          .join('/')
          .replace(/^\/api/, '/Api'),
      ];
    };
    for (const route of routes.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')) {
      const path = concrete(route) as string;
      for (const actor of ['adminA', 'participantA', 'developerA', 'superuser'] as const) {
        for (const variant of variants(path)) {
          for (const headers of [
            evil,
            { Origin: 'null' },
            {
              ...evil,
              'X-Forwarded-Host': 'evil.example',
              'X-Forwarded-Proto': 'https',
              'X-Forwarded-For': '203.0.113.9',
            },
          ]) {
            const res = await send(clients[actor], route.method, variant, {
              body: {},
              headers: { ...headers, 'Tus-Resumable': '1.0.0' },
            });
            if (res.status < 400 || res.status >= 500)
              findings.push(`${route.method} ${variant} as ${actor} with ${JSON.stringify(headers)}: ${res.status}`);
          }
          // same site, but no token: refused too
          const noToken = await send(clients[actor], route.method, variant, {
            body: {},
            xsrf: false,
            headers: { 'Tus-Resumable': '1.0.0' },
          });
          if (noToken.status < 400 || noToken.status >= 500)
            findings.push(`${route.method} ${variant} as ${actor} without the CSRF token: ${noToken.status}`);
        }
        // a GET that asks to be treated as the state-changing method
        const override = await send(clients[actor], 'GET', path, {
          headers: { 'X-HTTP-Method-Override': route.method, ...evil },
        });
        if (override.status !== 400)
          findings.push(`GET ${path} with X-HTTP-Method-Override: ${route.method} as ${actor}: ${override.status}`);
        const postOverride = await send(clients[actor], 'POST', path, {
          body: {},
          headers: { 'X-HTTP-Method-Override': route.method },
        });
        if (postOverride.status !== 400)
          findings.push(
            `POST ${path} with X-HTTP-Method-Override: ${route.method} as ${actor}: ${postOverride.status}`,
          );
      }
    }
    const diff = changed(before, await snapshot());
    if (diff.length) findings.push(`rows written by refused requests: ${diff.join('; ')}`);
    findings.push(...offDocument.splice(0));
    coverage.findings += findings.length;
    expect(findings).toEqual([]);
  }, 300_000);

  it('3. every request body fuzzed from its schema: a 4xx naming the problem, never a 5xx, nothing written', async () => {
    const findings: string[] = [];
    offDocument.length = 0;
    const withBody = routes.filter(
      (r) => ['POST', 'PUT', 'PATCH'].includes(r.method) && !r.pattern.startsWith('/api/uploads'),
    );
    let fuzzed = 0;
    for (const route of withBody) {
      const opPath = route.pattern.replace(/:([A-Za-z]+)/g, '{$1}');
      const schema =
        openapi.paths[opPath]?.[route.method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema;
      const actor =
        (['adminA', 'developerA', 'coachA', 'participantA', 'superuser'] as const).find((a) => allowed(route, a)) ??
        'anonymous';
      const path = concrete(route) as string;
      const resolved = schema ? resolve(schema, openapi.components.schemas) : null;
      const base = resolved ? sampleOf(resolved, openapi.components.schemas, objects) : {};
      const variants = fc.sample(hostileVariant(base, resolved, openapi.components.schemas), {
        numRuns: resolved ? 16 : 6,
        seed: 20261130,
      });
      // every field the document does not call nullable, sent as null, one at a time (a sample of
      // random variants left `{"name": null}` on the profile untried: it answered 500)
      variants.push(...nullFields(base, resolved, openapi.components.schemas, objects));
      // every string field at its longest in characters that lengthen when lower-cased (an
      // address lower-cased past its column answered 500 on three routes)
      variants.push(...growingFields(base, resolved, openapi.components.schemas, objects));
      variants.push(
        // (the last: 5,000 nested objects, which once stopped the API's process)
        ...(
          [
            '{"a": ',
            '{"a": 1,}',
            '[1,2,3]',
            'null',
            '"text"',
            '{"a":"\\ud800"}',
            `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
          ] as const
        ).map((raw) => ({
          raw,
          mustFail: true,
          what: `raw ${raw.slice(0, 40)}`,
        })),
      );
      // the bodies that cannot be valid go first, between two snapshots: none of them may write
      const ordered = [...variants.filter((v) => v.mustFail), ...variants.filter((v) => !v.mustFail)];
      await mailSettled();
      const before = await snapshot();
      let checked = false;
      for (const v of ordered) {
        if (!v.mustFail && !checked) {
          const diff = changed(before, await snapshot());
          if (diff.length)
            findings.push(`${route.method} ${route.pattern}: rows written by refused bodies: ${diff.join('; ')}`);
          checked = true;
        }
        fuzzed++;
        const address = { 'X-Forwarded-For': `198.18.${fuzzed % 250}.${(fuzzed >> 8) % 250}` };
        const res = await send(
          clients[actor],
          route.method,
          path,
          v.raw !== undefined ? { raw: v.raw, headers: address } : { body: v.body, headers: address },
        );
        // a body accepted here starts an impersonation: the superuser's own session comes back for the routes after it
        if (res.status < 300 && route.pattern === '/api/superuser/impersonations')
          await send(clients[actor], 'POST', '/api/auth/impersonation/end', { headers: address });
        const where = `${route.method} ${route.pattern} as ${actor} with ${v.what.slice(0, 140)}`;
        if (res.status >= 500) findings.push(`${where}: ${res.status}`);
        else if (v.mustFail && res.status < 400) findings.push(`${where}: accepted (${res.status})`);
        else if (namesNoField(res)) findings.push(`${where}: a 400 naming no field`);
        else if (v.field && !names(res, v.field))
          findings.push(
            `${where}: ${res.status}, not a 400 naming ${v.field} (${JSON.stringify((res.body?.errors ?? []).map((e: { field?: string }) => e.field)).slice(0, 200)})`,
          );
      }
      if (!checked) {
        const diff = changed(before, await snapshot());
        if (diff.length)
          findings.push(`${route.method} ${route.pattern}: rows written by refused bodies: ${diff.join('; ')}`);
      }
    }
    console.log(`attacker tier: ${withBody.length} request bodies fuzzed with ${fuzzed} hostile variants`);
    findings.push(...offDocument.splice(0));
    coverage.findings += findings.length;
    expect(findings).toEqual([]);
  }, 300_000);

  it('4. uploads with foreign ids in path, query and headers, and traversal sequences: refused, canaries intact', async () => {
    const findings: string[] = [];
    offDocument.length = 0;
    const canaries = [
      join(dirname(h.config.UPLOAD_DIR), 'canary.txt'),
      join(h.config.UPLOAD_DIR, '..', '..', 'canary.txt'),
      join(h.config.KEY_VAULT_DIR, `${CANARY_ID}.key`),
      join(h.config.WORK_DIR, 'canary.txt'),
    ];
    for (const f of canaries) {
      await mkdir(dirname(f), { recursive: true });
      await writeFile(f, 'canary');
    }
    const offsetOf = async (c: Client, id: string) =>
      (await c.agent.head(`/api/uploads/${id}`).set('Tus-Resumable', '1.0.0')).headers['upload-offset'];
    await appendUpload(clients.participant2A, `/api/uploads/${objects.otherUpload}`, 0, Buffer.from('0123'));
    const otherBefore = await offsetOf(clients.participant2A, objects.otherUpload);
    const foreignBefore = await offsetOf(clients.participantB, objects.foreignUpload);
    const traversals = [
      '..%2Fcanary.txt',
      '..%2F..%2Fcanary.txt',
      '%2e%2e%2fcanary.txt',
      '..%5Ccanary.txt',
      '..%252Fcanary.txt',
      `..%2F..%2F${h.config.KEY_VAULT_DIR.split('/').slice(-2).join('%2F')}%2F${CANARY_ID}.key`,
      '%00',
      'canary.txt%00.webm',
      `${objects.upload}%2F..%2F..%2Fcanary.txt`,
    ];
    const foreign = [objects.otherUpload, objects.foreignUpload];
    const attempts: { method: Method; path: string; headers: Record<string, string>; body?: Buffer }[] = [];
    for (const id of [...foreign, ...traversals]) {
      for (const method of ['HEAD', 'PATCH', 'DELETE'] as const) {
        attempts.push({ method, path: `/api/uploads/${id}`, headers: {} });
        attempts.push({ method, path: `/api/uploads/${objects.upload}?x=/${id}`, headers: {} });
        attempts.push({ method, path: `/api/uploads/${objects.upload}/${id}`, headers: {} });
      }
      attempts.push({ method: 'POST', path: `/api/uploads?x=/${id}`, headers: { 'X-HTTP-Method-Override': 'DELETE' } });
      attempts.push({ method: 'POST', path: `/api/uploads/${id}`, headers: {} });
      attempts.push({
        method: 'PATCH',
        path: `/api/uploads/${objects.upload}`,
        headers: { 'X-HTTP-Method-Override': 'DELETE', 'Upload-Id': id, Location: `/api/uploads/${id}` },
      });
    }
    for (const a of attempts) {
      const headers = {
        'Tus-Resumable': '1.0.0',
        'Upload-Offset': '0',
        'Content-Type': 'application/offset+octet-stream',
        ...a.headers,
      };
      const res = await send(clients.participantA, a.method, a.path, {
        headers,
        body: a.method === 'PATCH' ? Buffer.from('xx') : undefined,
      });
      if (res.status >= 500) findings.push(`${a.method} ${a.path} ${JSON.stringify(a.headers)}: ${res.status}`);
      // acting on one's own upload through a query or header that names another is fine only when it acts on one's own
      const ownPathOnly = a.path.startsWith(`/api/uploads/${objects.upload}?`) && !a.headers['X-HTTP-Method-Override'];
      if (res.status < 300 && !ownPathOnly)
        findings.push(`${a.method} ${a.path} ${JSON.stringify(a.headers)}: ${res.status}`);
    }
    for (const f of canaries) if (!existsSync(f)) findings.push(`canary ${f} is gone`);
    if ((await offsetOf(clients.participant2A, objects.otherUpload)) !== otherBefore)
      findings.push('participant 2’s upload changed');
    if ((await offsetOf(clients.participantB, objects.foreignUpload)) !== foreignBefore)
      findings.push('tenant B’s upload changed');
    findings.push(...offDocument.splice(0));
    coverage.findings += findings.length;
    expect(findings).toEqual([]);
  }, 300_000);

  it('5. every path and query parameter given hostile strings: never a 5xx, nothing written by a hostile id', async () => {
    const findings: string[] = [];
    offDocument.length = 0;
    // sent percent-encoded (the server sees the string itself)
    const strings = [
      '',
      ' ',
      'x'.repeat(5000),
      '\u0000',
      'a\u0000b',
      '-1',
      '0',
      '1.5',
      '1e309',
      'NaN',
      'Infinity',
      '99999999999999999999999',
      "' OR '1'='1",
      '1; DROP TABLE users --',
      '<script>alert(1)</script>',
      '../../../etc/passwd',
      '😀',
      '\u202eevil',
      'null',
      '[]',
      '{}',
      '2026-02-30',
      '00000000-0000-0000-0000-000000000000',
      'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
      '%',
    ].map((v) => ({ value: encodeURIComponent(v), what: JSON.stringify(v).slice(0, 40) }));
    // sent as they are: escapes the router or the query parser must refuse or decode (a lone
    // surrogate, which encodeURIComponent refuses, as its UTF-8 bytes)
    const raws = ['%ZZ', '%00', '%ED%A0%80', '%C0%AF', '%2e%2e%2f', '%252e%252e%252f', '%E0%A4%A'].map((v) => ({
      value: v,
      what: `raw ${v}`,
    }));
    const hostile = [...strings, ...raws];
    const check = async (actor: ActorName, method: Method, path: string, what: string, body?: unknown) => {
      const res = await send(clients[actor], method, path, {
        body,
        headers: { 'X-Forwarded-For': `198.19.${coverage.requests % 250}.${(coverage.requests >> 8) % 250}` },
      });
      const where = `${method} ${path.slice(0, 160)} as ${actor} (${what})`;
      if (res.status >= 500) findings.push(`${where}: ${res.status}`);
      else if (namesNoField(res)) findings.push(`${where}: a 400 naming no field`);
    };
    // hostile ids name nothing: not even a read is logged. Hostile queries on real objects may
    // answer (and log the read), so only the path sweep is held to "nothing written"; the e-mails
    // of the tests before are sent first (sending one forgets it: a write that is not the attacker's)
    await mailSettled();
    const before = await snapshot();
    let fuzzed = 0;
    const targets: { route: RouteInfo; actor: ActorName; path: string }[] = [];
    for (const route of routes) {
      if (route.pattern.startsWith('/api/uploads')) continue; // sweep 4's
      // a request that would end the client's own session leaves the other sweeps without it
      if (/\/auth\/logout|\/sessions\/:/.test(route.pattern) && route.method !== 'GET') continue;
      const actor =
        (['adminA', 'developerA', 'coachA', 'participantA', 'superuser'] as const).find((a) => allowed(route, a)) ??
        'anonymous';
      const path = concrete(route);
      if (path === null) continue;
      targets.push({ route, actor, path });
      const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined;
      // each path parameter in turn
      for (const m of route.pattern.matchAll(/:([A-Za-z]+)/g)) {
        const real = paramValue(route.pattern, m[1], objects) as string;
        // an empty segment is not an id: it names the collection, another route
        for (const v of hostile.filter((x) => x.value !== '')) {
          fuzzed++;
          await check(actor, route.method, path.replace(real, v.value), `:${m[1]} = ${v.what}`, body);
        }
      }
    }
    const diff = changed(before, await snapshot());
    if (diff.length) findings.push(`rows written by hostile path parameters: ${diff.join('; ')}`);
    for (const { route, actor, path } of targets) {
      if (route.method !== 'GET') continue;
      const opPath = route.pattern.replace(/:([A-Za-z]+)/g, '{$1}');
      const op = openapi.paths[opPath]?.[route.method.toLowerCase()];
      // each query parameter the document names, then the query parser's own shapes
      for (const q of (op?.parameters ?? []).filter((p) => p.in === 'query')) {
        for (const v of hostile) {
          fuzzed++;
          await check(actor, 'GET', `${path}?${q.name}=${v.value}`, `?${q.name} = ${v.what}`);
        }
        for (const shape of [`${q.name}=1&${q.name}=2`, `${q.name}[]=1`, `${q.name}[a]=1`, `${q.name}[__proto__]=1`]) {
          fuzzed++;
          await check(actor, 'GET', `${path}?${shape}`, shape);
        }
      }
    }
    console.log(`attacker tier: ${fuzzed} hostile path and query parameters`);
    findings.push(...offDocument.splice(0));
    coverage.findings += findings.length;
    expect(findings).toEqual([]);
  }, 300_000);

  /**
   * Every reading route as the first role of tenant A allowed on it, and two writes (a sign-in of
   * `signingIn`: a session written, a code mailed; a change of one's own profile, to what it was),
   * three times over while `fault` strikes again and again (it answers how many
   * connections it ended): an answer or a 503 with Retry-After, never another 5xx, no process
   * ended; once it stops, every route answers as before. Returns what it found.
   */
  async function underFault(what: string, signingIn: string, fault: () => Promise<number>): Promise<string[]> {
    const findings: string[] = [];
    const readers: ActorName[] = ['adminA', 'coachA', 'participantA', 'developerA', 'superuser', 'anonymous'];
    const plan = routes
      .filter((r) => r.method === 'GET' && !r.pattern.endsWith('/events'))
      .flatMap((route) => {
        const actor = readers.find((a) => allowed(route, a));
        return actor ? [{ route, actor, path: concrete(route) as string }] : [];
      });
    /** the routes that answer with a download streamed as it is read (CSV, an archive, media) */
    const streamed = new Set<string>();
    const statuses = async () => {
      const out: string[] = [];
      for (const { route, actor, path } of plan) {
        const res = await sendUnchecked(clients[actor], 'GET', path, {});
        if (!/json|html/.test(String(res.headers['content-type'] ?? 'json'))) streamed.add(route.pattern);
        out.push(`${route.pattern} as ${actor}: ${res.status}`);
      }
      return out;
    };
    const before = await statuses();
    let stop = false;
    let ended = 0;
    const striking = (async () => {
      while (!stop) {
        ended += await fault();
        await new Promise((r) => setTimeout(r, Math.random() * 30));
      }
    })();
    const seen = new Map<number | 'cut short', number>();
    const answered = (where: string, res: Response) => {
      seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
      if (res.status >= 500 && res.status !== 503)
        findings.push(`${where}: ${res.status} (${String(res.body?.code ?? res.text).slice(0, 80)})`);
      // (the health check's 503 tells a load balancer to send no one to this process: no retry)
      if (res.status === 503 && !res.headers['retry-after'] && !where.startsWith('GET /api/health'))
        findings.push(`${where}: a 503 without Retry-After`);
    };
    try {
      for (let round = 0; round < 3; round++) {
        // (three sign-ins a round: each mails a code, ten a window at most)
        for (let i = 0; i < 3; i++) {
          const fresh = await h.client();
          answered(
            'POST /api/auth/login',
            await fresh.post('/api/auth/login', { email: signingIn, password: PASSWORD }),
          );
          answered(
            'PATCH /api/account/profile',
            await clients.participantA.patch('/api/account/profile', { name: 'Participant a' }),
          );
        }
        for (const { route, actor, path } of plan) {
          const res = await sendUnchecked(clients[actor], 'GET', path, {}).catch((e: { message?: string }) => ({
            cut: String(e?.message),
          }));
          if ('cut' in res) {
            // a download whose first bytes were sent can only end visibly incomplete (streamCsv)
            if (!streamed.has(route.pattern)) findings.push(`GET ${route.pattern} as ${actor}: ${res.cut}`);
            seen.set('cut short', (seen.get('cut short') ?? 0) + 1);
            continue;
          }
          answered(`GET ${route.pattern} as ${actor}`, res);
        }
      }
    } finally {
      stop = true;
      await striking;
    }
    console.log(
      `attacker tier: ${plan.length} reading routes and 2 writes × 3 with ${ended} ${what}; answers ${JSON.stringify(Object.fromEntries(seen))}`,
    );
    // the fault struck under the requests, and some requests still got through
    if (ended <= plan.length) findings.push(`only ${ended} ${what}`);
    if (!seen.get(200)) findings.push('no request got through');
    // the clients dropped the ended connections and opened new ones: every route answers as before
    // (or 429: a throttled link's tries of this sweep count too)
    await new Promise((r) => setTimeout(r, 200));
    const after = await statuses();
    findings.push(...after.filter((a, i) => a !== before[i] && !a.endsWith(': 429')).map((a) => `afterwards ${a}`));
    coverage.findings += findings.length;
    return findings;
  }

  it('6. every reading route, a sign-in and a profile change while PostgreSQL ends the application’s sessions under them (a restart, a failover): an answer or a 503, never another 5xx; each answers as before once it stops', async () => {
    // a connection of the application's role ends every other session of the database: the API's
    // pool, its session store's and the worker's, between and during statements
    const killer = new PgClient({ connectionString: h.database.url });
    await killer.connect();
    try {
      const findings = await underFault('sessions of PostgreSQL ended under them', emailsA.admin, async () => {
        const { rows } = await killer.query<{ n: number }>(
          `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        );
        return rows[0].n;
      });
      expect(findings).toEqual([]);
    } finally {
      await killer.end();
    }
  }, 300_000);

  it('7. every route given hostile headers (ranges, preconditions, languages, forged cookies, bodies of other types, encodings and charsets): a documented answer, never a 5xx, nothing written', async () => {
    const findings: string[] = [];
    offDocument.length = 0;
    // on every reading route, as one who may call it (a write with a harmless header would do
    // what it does: a sign-out, say)
    const headerSets: Record<string, string>[] = [
      { Range: 'bytes=abc' },
      { Range: 'bytes=99999999999999999999999-' },
      { Range: 'bytes=5-1' },
      { Range: 'bytes=-0' },
      { Range: `bytes=${Array.from({ length: 300 }, (_, i) => `${i}-${i}`).join(',')}` },
      { 'If-None-Match': '*' },
      { 'If-None-Match': `"${'x'.repeat(8000)}"` },
      { 'If-Modified-Since': 'Thu, 01 Jan 2099 00:00:00 GMT' },
      { 'If-Range': 'garbage', Range: 'bytes=0-1' },
      { 'Accept-Language': `*;q=abc,${'x'.repeat(6000)}` },
      { 'Accept-Language': 'nl-NL;q=1.0, en;q=NaN, zz;q=-1' },
      { Accept: 'application/xml' },
      { Accept: '*/*;q=0' },
      { 'Accept-Encoding': 'gzip;q=abc, br;q=' },
      { Cookie: 'rehearse.sid=s%3Aabc.def' },
      { Authorization: `Bearer ${'x'.repeat(5000)}` },
      { 'x-correlation-id': 'x'.repeat(9000) },
      { 'x-correlation-id': '../../etc/passwd\u00e9' },
      { 'X-Forwarded-For': 'not-an-ip, ::::, 999.999.999.999' },
      { Origin: 'http://[::1' },
      { Referer: 'http://%%%' },
    ];
    // on every route, reading and writing: bodies the API does not read, which must be refused before anything is done
    const bodies: { headers: Record<string, string>; raw: string }[] = [
      { headers: { 'Content-Type': 'application/json; charset=utf-16' }, raw: '{"a":1}' },
      { headers: { 'Content-Type': 'application/json; charset=bogus' }, raw: '{"a":1}' },
      { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, raw: 'a[b][c][d]=1&a[__proto__]=2' },
      { headers: { 'Content-Type': 'multipart/form-data; boundary=zz' }, raw: '--zz\r\ngarbage' },
      { headers: { 'Content-Type': 'text/plain' }, raw: 'hello' },
      { headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, raw: 'not gzip' },
      { headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'x-unknown' }, raw: '{}' },
      { headers: { 'Content-Type': 'application/json' }, raw: '['.repeat(20000) },
      // just over the API's limit (2 MB)
      { headers: { 'Content-Type': 'application/json' }, raw: JSON.stringify({ a: 'x'.repeat(2 * 1024 * 1024) }) },
    ];
    const order: ActorName[] = ['participantA', 'coachA', 'developerA', 'adminA', 'superuser', 'anonymous'];
    const attacked = routes.filter((r) => r.method !== 'HEAD' && !r.pattern.startsWith('/api/uploads'));
    let sent = 0;
    const attack = async (route: RouteInfo, t: { headers: Record<string, string>; raw?: string }) => {
      const path = concrete(route) as string;
      const actor = order.find((a) => allowed(route, a)) ?? 'anonymous';
      sent++;
      coverage.requests++;
      let req = clients[actor].agent[route.method.toLowerCase() as 'get'](path);
      if (route.method !== 'GET') req = req.set('X-XSRF-TOKEN', clients[actor].xsrf);
      for (const [k, v] of Object.entries(t.headers)) req = req.set(k, v);
      if (path.endsWith('/events'))
        req = req.buffer(false).parse((r, done) => {
          (r as unknown as { destroy(): void }).destroy();
          done(null, null);
        });
      const res = clients[actor].capture(await (t.raw === undefined ? req : req.send(t.raw)));
      const what = JSON.stringify(t.headers).slice(0, 100);
      if (res.status >= 500) findings.push(`${route.method} ${route.pattern} as ${actor} with ${what}: ${res.status}`);
      else if (t.raw !== undefined && res.status < 400)
        findings.push(`${route.method} ${route.pattern} as ${actor} with ${what}: its body accepted (${res.status})`);
      const off = againstDocument(route.method, path, res);
      if (off) offDocument.push(`${off} (${what})`);
    };
    // the reading routes first: a read of someone else's data is logged, so rows are written here
    for (const route of attacked.filter((r) => r.method === 'GET' && concrete(r) !== null))
      for (const headers of headerSets) await attack(route, { headers });
    // then every route a body it must refuse before doing anything: nothing written
    await mailSettled();
    const before = await snapshot();
    for (const route of attacked.filter((r) => concrete(r) !== null)) for (const t of bodies) await attack(route, t);
    const diff = changed(before, await snapshot());
    if (diff.length) findings.push(`rows written: ${diff.join('; ')}`);
    console.log(`attacker tier: ${attacked.length} routes given ${sent} requests with hostile headers or bodies`);
    findings.push(...offDocument.splice(0));
    coverage.findings += findings.length;
    expect(findings).toEqual([]);
  }, 300_000);

  it('8. every reading route as every role, the owner included, once a participant’s licence has ended: nothing of their answers (the answer, its recording, an export made before)', async () => {
    const findings: string[] = [];
    const [licence] = await h.db.query(`SELECT starts_on, expires_on FROM licences WHERE user_id = $1`, [
      objects.participant,
    ]);
    // what the licence hides: the answer and its recording, by their ids (in a page, a list, a
    // transcript's or captions' links, an archive's file names); this tier runs no transcription
    const hidden = [objects.answer, objects.recording];
    const bytesOf = (req: ReturnType<Client['agent']['get']>) =>
      req.buffer(true).parse((r, done) => {
        let text = '';
        r.setEncoding('latin1');
        r.on('data', (chunk: string) => (text += chunk));
        r.on('end', () => done(null, text));
      });
    const readers: ActorName[] = ['participantA', 'participant2A', 'coachA', 'developerA', 'adminA', 'superuser'];
    let reads = 0;
    // the licence ends today (set as an administrator does, with an end already reached)
    await h.db.query(
      `INSERT INTO licences (tenant_id, user_id, starts_on, expires_on) VALUES ($1, $2, current_date - 365, current_date)
       ON CONFLICT (user_id) DO UPDATE SET expires_on = current_date, updated_at = now()`,
      [objects.tenant, objects.participant],
    );
    try {
      // (the privacy logs name what was looked at by its id, and keep it whatever the licence: the
      // record of who looked at the answer is not the answer)
      for (const route of routes.filter((r) => r.method === 'GET' && !r.pattern.includes('/privacy-log'))) {
        const path = concrete(route);
        if (path === null || path.endsWith('/events')) continue;
        for (const actor of readers) {
          reads++;
          coverage.requests++;
          const res = await bytesOf(clients[actor].agent.get(path));
          if (res.status >= 300) continue;
          const shown = hidden.filter((marker) => String(res.body).includes(marker));
          if (shown.length) findings.push(`${actor} GET ${route.pattern} (${res.status}) shows ${shown.join(', ')}`);
        }
      }
    } finally {
      await h.db.query(
        licence
          ? `UPDATE licences SET starts_on = $2, expires_on = $3 WHERE user_id = $1`
          : `DELETE FROM licences WHERE user_id = $1`,
        licence ? [objects.participant, licence.starts_on, licence.expires_on] : [objects.participant],
      );
    }
    console.log(`attacker tier: ${reads} reads after a licence ended`);
    coverage.findings += findings.length;
    expect(findings).toEqual([]);
  }, 300_000);
});

// ---- bodies from schemas ------------------------------------------------------------------------

interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  format?: string;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  pattern?: string;
  example?: unknown;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  additionalProperties?: boolean | Schema;
}

function resolve(s: Schema, all: Record<string, Schema>, depth = 0): Schema {
  if (depth > 8) return {};
  if (s.$ref) return resolve(all[s.$ref.split('/').pop() as string] ?? {}, all, depth + 1);
  if (s.allOf?.length) {
    // (an allOf wrapping one reference is how the document says "this class, or null")
    const merged: Schema = { type: 'object', properties: {}, required: [], ...(s.nullable ? { nullable: true } : {}) };
    for (const part of s.allOf.map((p) => resolve(p, all, depth + 1))) {
      Object.assign(merged.properties as object, part.properties ?? {});
      merged.required?.push(...(part.required ?? []));
    }
    return merged;
  }
  return s;
}

/**
 * A plausible value for a schema (the base a single hostile change is made to): one the request's
 * validation accepts where the document says enough (its examples, patterns, bounds and minimum
 * lengths), so that a refusal of one hostile change is a refusal of that change.
 */
function sampleOf(s: Schema, all: Record<string, Schema>, o: Objects, depth = 0): unknown {
  const r = resolve(s, all);
  if (depth > 6) return null;
  if (r.enum?.length) return r.enum[0];
  const type = Array.isArray(r.type) ? r.type[0] : r.type;
  if (type === 'object' || r.properties) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r.properties ?? {}))
      if ((r.required ?? []).includes(k)) out[k] = sampleOf(v, all, o, depth + 1);
    return out;
  }
  if (type === 'array') {
    const items = r.items ? resolve(r.items, all) : {};
    // as many (different) elements as the array needs at least
    return Array.from({ length: r.minItems ?? 0 }, (_, i) =>
      items.enum?.length ? items.enum[i % items.enum.length] : sampleOf(items, all, o, depth + 1),
    );
  }
  const fits = (v: unknown) =>
    typeof v === (type === 'integer' ? 'number' : type) &&
    (typeof v !== 'number' || ((r.minimum ?? -Infinity) <= v && v <= (r.maximum ?? Infinity))) &&
    (typeof v !== 'string' || !r.pattern || new RegExp(r.pattern).test(v));
  if (type === 'integer' || type === 'number') return fits(r.example) ? r.example : (r.minimum ?? 1);
  if (type === 'boolean') return false;
  if (r.format === 'uuid') return o.participant;
  if (r.format === 'email') return 'someone@example.test';
  if (r.format === 'date') return '2026-12-01';
  if (r.format === 'uri') return 'https://example.test/';
  if (fits(r.example)) return r.example;
  return 'text'.padEnd(r.minLength ?? 0, 'x');
}

/** Strings no field may hold (the request is refused whatever the field). */
const INVALID_STRINGS = ['\u0000', 'a\u0000b', '\ud800', 'x\udc00y'];
/** Strings a field may well hold: they must be stored as text, never interpreted (no 5xx either way). */
const ODD_STRINGS = [
  "'; DROP TABLE users; --",
  '../../etc/passwd',
  '\u202etxt.exe',
  '{{7*7}}',
  '<script>alert(1)</script>',
  'x'.repeat(100_000),
  '',
];

interface Variant {
  body?: unknown;
  raw?: string;
  /** no schema-valid body looks like this: it must be refused, and write nothing */
  mustFail: boolean;
  what: string;
  /** the field (a path into the body) the refusal must name: a 400 for another reason alone (a
   * stale revision, a sampled sibling that is not valid) would hide a null taken as "left out" */
  field?: string;
}

function typeOf(s: Schema | undefined, all: Record<string, Schema>): string {
  if (!s) return 'unknown';
  const r = resolve(s, all);
  if (r.enum) return 'enum';
  const t = Array.isArray(r.type) ? r.type[0] : r.type;
  return t ?? (r.properties ? 'object' : 'unknown');
}

/** One hostile change to the base body, chosen by fast-check. */
/**
 * The base body with each of its fields the schema does not call nullable set to null, one at a
 * time, at every depth: a field of a nested object (an exercise's AI settings) or of an array's
 * element (a rubric's criterion) too, the rest of the body as the base has it (a nested object the
 * base leaves out is sampled for the occasion, an array given one sampled element).
 */
function nullFields(
  base: unknown,
  schema: Schema | null,
  all: Record<string, Schema>,
  o: Objects,
  prefix = '',
  depth = 0,
): Variant[] {
  const obj = (base && typeof base === 'object' && !Array.isArray(base) ? base : {}) as Record<string, unknown>;
  const props = resolveProps(schema, all);
  const out: Variant[] = [];
  for (const [k, prop] of Object.entries(props)) {
    const r = resolve(prop, all);
    if (r.nullable !== true)
      out.push({ body: { ...obj, [k]: null }, mustFail: true, what: `${prefix}${k}: null`, field: `${prefix}${k}` });
    if (depth >= 4) continue;
    const items = r.items ? resolve(r.items, all) : null;
    if (typeOf(prop, all) === 'object' && r.properties) {
      const inner = obj[k] && typeof obj[k] === 'object' ? obj[k] : sampleOf(r, all, o);
      for (const v of nullFields(inner, r, all, o, `${prefix}${k}.`, depth + 1))
        out.push({ ...v, body: { ...obj, [k]: v.body } });
    } else if (items?.properties) {
      const element = sampleOf(items, all, o);
      for (const v of nullFields(element, items, all, o, `${prefix}${k}.0.`, depth + 1))
        out.push({ ...v, body: { ...obj, [k]: [v.body] } });
    }
  }
  return out;
}

/**
 * Each string field with a maximum length, filled to it with "İ", which lower-cases to two
 * characters (an e-mail field: a valid address of 132 characters that is 256 once lower-cased). A
 * server that normalises before storing must refuse or fit it, never fail on it.
 */
function growingFields(
  base: unknown,
  schema: Schema | null,
  all: Record<string, Schema>,
  o: Objects,
  prefix = '',
  depth = 0,
): Variant[] {
  const obj = (base && typeof base === 'object' && !Array.isArray(base) ? base : {}) as Record<string, unknown>;
  const out: Variant[] = [];
  for (const [k, prop] of Object.entries(resolveProps(schema, all))) {
    const r = resolve(prop, all);
    if (typeOf(prop, all) === 'string' && r.maxLength && !r.enum) {
      const value =
        r.format === 'email'
          ? `a@${'İ'.repeat(62)}.${'İ'.repeat(62)}.test`
          : 'İ'.repeat(Math.min(r.maxLength, 100_000));
      out.push({ body: { ...obj, [k]: value }, mustFail: false, what: `${prefix}${k}: "İ" × ${value.length}` });
    } else if (depth < 4 && typeOf(prop, all) === 'object' && r.properties) {
      const inner = obj[k] && typeof obj[k] === 'object' ? obj[k] : sampleOf(r, all, o);
      for (const v of growingFields(inner, r, all, o, `${prefix}${k}.`, depth + 1))
        out.push({ ...v, body: { ...obj, [k]: v.body } });
    }
  }
  return out;
}

function hostileVariant(base: unknown, schema: Schema | null, all: Record<string, Schema>): fc.Arbitrary<Variant> {
  const obj = (base && typeof base === 'object' && !Array.isArray(base) ? base : {}) as Record<string, unknown>;
  const props = resolveProps(schema, all);
  const keys = Object.keys(props).length ? Object.keys(props) : ['field'];
  const with_ = (k: string, v: unknown) => ({ ...obj, [k]: v });
  const wrong = (k: string, v: unknown): boolean => {
    const t = typeOf(props[k], all);
    const nullable = props[k] ? resolve(props[k], all).nullable === true : false;
    if (v === null) return !nullable;
    if (Array.isArray(v)) return t !== 'array';
    if (typeof v === 'object') return t !== 'object';
    if (typeof v === 'boolean') return t !== 'boolean';
    if (typeof v === 'number') return t !== 'number' && t !== 'integer' ? true : Math.abs(v) > 1e15;
    return false;
  };
  return fc.oneof(
    // an unknown field: a role, a tenant or an owner smuggled in
    fc
      .constantFrom('role', 'tenantId', 'isSuperuser', 'ownerId', 'zzUnknown')
      .filter((k) => !(k in props))
      .map((k) => ({ body: with_(k, 'administrator'), mustFail: true, what: `extra ${k}` })),
    // prototype keys, as raw JSON (an object literal would swallow them)
    fc.constantFrom('__proto__', 'constructor', 'prototype').map((k) => ({
      raw: JSON.stringify(obj).replace(
        /^\{/,
        `{${JSON.stringify(k)}: {"isSuperuser": true}${Object.keys(obj).length ? ',' : ''}`,
      ),
      mustFail: true,
      what: `key ${k}`,
    })),
    // text that is not text, in a known field
    fc
      .tuple(fc.constantFrom(...keys), fc.constantFrom(...INVALID_STRINGS))
      .map(([k, v]) => ({ body: with_(k, v), mustFail: true, what: `${k}=${JSON.stringify(v)}` })),
    // a value of the wrong type or size in a known field
    fc
      .tuple(
        fc.constantFrom(...keys),
        fc.constantFrom<unknown>(null, 1e308, -1e308, 2 ** 53, true, [], {}, { $ne: 1 }, [null]),
      )
      .map(([k, v]) => ({ body: with_(k, v), mustFail: wrong(k, v), what: `${k}=${JSON.stringify(v)}` })),
    // odd but possible text: stored as text or refused, never a 5xx
    fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...ODD_STRINGS)).map(([k, v]) => ({
      body: with_(k, v),
      mustFail: typeOf(props[k], all) !== 'string' && typeOf(props[k], all) !== 'unknown',
      what: `${k}=${JSON.stringify(v).slice(0, 40)}`,
    })),
    // a field left out (a required nested object missing, say)
    fc.constantFrom(...keys).map((k) => {
      const copy = { ...obj };
      delete copy[k];
      return { body: copy, mustFail: (resolve(schema ?? {}, all).required ?? []).includes(k), what: `without ${k}` };
    }),
    // not an object at all
    fc
      .constantFrom<unknown>([obj], [], 'just a string', 42, [null])
      .map((b) => ({ body: b, mustFail: true, what: `body ${JSON.stringify(b).slice(0, 40)}` })),
  );
}

function resolveProps(schema: Schema | null, all: Record<string, Schema>): Record<string, Schema> {
  return schema ? (resolve(schema, all).properties ?? {}) : {};
}
