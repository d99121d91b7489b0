/**
 * Scale benchmark: `npm run bench:scale [-- --sizes=small,large] [--keep]`.
 * Generates an organisation of a real organisation's size (10,000 people, 200 coaches, 50 groups,
 * 20 courses, 100,000 answers with recordings, transcripts and AI reports, 50,000 published
 * reviews, 1,000,000 privacy-log rows; libs/server/testing/src/lib/scale-data.ts) into a database of its own,
 * starts the API and the worker against it, signs in one person per role and measures every list
 * and report endpoint at concurrency 1 and 20: p50, p95 and p99, side by side with the same
 * endpoints on a demo-sized organisation generated the same way, as ratios. Not a test: nothing
 * asserts on timings. Needs PostgreSQL and Redis (tools/scripts/ensure-system.sh).
 */
import 'reflect-metadata';
import { readdir, readFile } from 'node:fs/promises';
import { Agent, get as httpGet } from 'node:http';
import { cpus } from 'node:os';
const autocannon = require('autocannon') as (
  opts: Record<string, unknown>,
  cb: (err: Error | null, result: never) => void,
) => unknown;
import { LARGE, ScaleSizes, ScaleWorld, SMALL } from '@rehearse/server/testing';
import { printTable, scaleArgs, Session, sideBySide, signIn, start, startScaleSystem, until } from './lib/scale-system';
import { databaseSeconds } from './lib/process-cpu';

/** people signed in per role: concurrency 20 is 20 different people */
const PEOPLE = 20;

interface Endpoint {
  name: string;
  role: keyof ScaleWorld | 'anonymous' | 'superuser';
  path: (ids: Ids) => string;
  /** requests at concurrency 1 and 20 (the heavy ones fewer) */
  n1?: number;
  n20?: number;
}

interface Ids {
  group: string;
  course: string;
  answer: string;
  recording: string;
  participantId: string;
  /** a coach's (the administrators' lists of one coach's looks) */
  coachId?: string;
}

/** `from=…&before=…`: the 30 days that ended `months` × 30 days ago */
function monthAgo(months: number): string {
  const ago = (days: number) => encodeURIComponent(new Date(Date.now() - days * 86_400_000).toISOString());
  return `from=${ago(months * 30 + 30)}&before=${ago(months * 30)}`;
}

/** `from=…&before=…`: the calendar quarter (UTC) before the current one */
function lastQuarter(): string {
  const now = new Date();
  const first = (q: number) => new Date(Date.UTC(now.getUTCFullYear(), q * 3, 1)).toISOString();
  const q = Math.floor(now.getUTCMonth() / 3);
  return `from=${encodeURIComponent(first(q - 1))}&before=${encodeURIComponent(first(q))}`;
}

/** Every list and report endpoint, and the everyday pages, by role. */
const ENDPOINTS: Endpoint[] = [
  { name: 'bare: GET /api/health/live', role: 'anonymous', path: () => '/api/health/live' },
  { name: 'auth/me', role: 'participant', path: () => '/api/auth/me' },
  { name: 'home (participant)', role: 'participant', path: () => '/api/home' },
  { name: 'my courses', role: 'participant', path: () => '/api/my/courses' },
  { name: 'my course (detail)', role: 'participant', path: (i) => `/api/my/courses/${i.course}` },
  { name: 'answer feedback page', role: 'participant', path: (i) => `/api/answers/${i.answer}/feedback` },
  { name: 'my peer reviews', role: 'participant', path: () => '/api/my/peer-reviews' },
  { name: 'my answers in a course', role: 'participant', path: (i) => `/api/my/courses/${i.course}/answers` },
  { name: 'my sessions', role: 'participant', path: () => '/api/account/sessions' },
  { name: 'my exports', role: 'participant', path: () => '/api/my/exports' },
  { name: 'my privacy log', role: 'participant', path: () => '/api/account/privacy-log' },
  {
    name: 'who has seen my answer',
    role: 'participant',
    path: (i) => `/api/account/privacy-log?answerId=${i.answer}`,
  },
  { name: 'coach: home', role: 'coach', path: () => '/api/home' },
  { name: 'coach: review queue', role: 'coach', path: () => '/api/coaching/reviews' },
  { name: 'coach: review queue of a course', role: 'coach', path: (i) => `/api/coaching/reviews?courseId=${i.course}` },
  { name: 'coach: the queue’s courses and counts', role: 'coach', path: () => '/api/coaching/reviews/courses' },
  { name: 'coach: review screen', role: 'coach', path: (i) => `/api/answers/${i.answer}/review` },
  { name: 'coach: groups', role: 'coach', path: () => '/api/coaching/groups' },
  { name: 'coach: group progress', role: 'coach', path: (i) => `/api/coaching/groups/${i.group}/courses/${i.course}` },
  { name: 'coach: group members page 1', role: 'coach', path: (i) => `/api/coaching/groups/${i.group}/members` },
  { name: 'coach: group courses', role: 'coach', path: (i) => `/api/coaching/groups/${i.group}/courses` },
  { name: 'coach: transcript search "order"', role: 'coach', path: () => '/api/transcripts/search?q=order' },
  // a word nobody said: the rare word's way, from the full-text index (a common one walks the coach's answers)
  { name: 'coach: transcript search "zeppelin"', role: 'coach', path: () => '/api/transcripts/search?q=zeppelin' },
  { name: 'coach: reports overview', role: 'coach', path: () => '/api/reports/overview' },
  { name: 'transcript of an answer', role: 'coach', path: (i) => `/api/recordings/${i.recording}/transcript` },
  { name: 'admin: home', role: 'admin', path: () => '/api/home' },
  { name: 'admin: user search', role: 'admin', path: () => '/api/admin/users?q=participant12' },
  { name: 'admin: users page 1', role: 'admin', path: () => '/api/admin/users' },
  { name: 'admin: groups', role: 'admin', path: () => '/api/admin/groups' },
  { name: 'admin: group detail', role: 'admin', path: (i) => `/api/admin/groups/${i.group}` },
  // a page of its members (each person shown is a privacy-logged look)
  { name: 'admin: group members page 1', role: 'admin', path: (i) => `/api/admin/groups/${i.group}/members` },
  { name: 'admin: enrolments of a course', role: 'admin', path: (i) => `/api/admin/enrolments?courseId=${i.course}` },
  { name: 'admin: transcript search "order"', role: 'admin', path: () => '/api/transcripts/search?q=order' },
  { name: 'admin: reports overview', role: 'admin', path: () => '/api/reports/overview' },
  { name: 'admin: reports CSV', role: 'admin', path: () => '/api/reports/export?table=criteria', n1: 10, n20: 40 },
  {
    name: 'admin: reports for Excel',
    role: 'admin',
    path: () => '/api/reports/export?table=criteria&format=xlsx',
    n1: 10,
    n20: 40,
  },
  { name: 'admin: privacy log page 1', role: 'admin', path: () => '/api/admin/privacy-log' },
  {
    name: 'admin: privacy log of a person',
    role: 'admin',
    path: (i) => `/api/admin/privacy-log?subjectId=${i.participantId}`,
  },
  {
    name: 'admin: privacy log CSV of a person',
    role: 'admin',
    path: (i) => `/api/admin/privacy-log/export?subjectId=${i.participantId}`,
  },
  // a month of the log half a year ago (the generated log spans the last year), and a coach's looks in it
  { name: 'admin: privacy log of a month', role: 'admin', path: () => `/api/admin/privacy-log?${monthAgo(6)}` },
  {
    name: "admin: privacy log of a coach's month",
    role: 'admin',
    path: (i) => `/api/admin/privacy-log?${monthAgo(6)}&actorId=${i.coachId}`,
  },
  { name: 'admin: account activity page 1', role: 'admin', path: () => '/api/admin/activity' },
  {
    name: 'admin: account activity of a person',
    role: 'admin',
    path: (i) => `/api/admin/activity?subjectId=${i.participantId}`,
  },
  {
    name: 'admin: account activity CSV of a person',
    role: 'admin',
    path: (i) => `/api/admin/activity/export?subjectId=${i.participantId}`,
  },
  { name: 'admin: retention requests', role: 'admin', path: () => '/api/admin/retention/requests' },
  { name: 'admin: deletion receipts', role: 'admin', path: () => '/api/admin/deletion-receipts' },
  { name: 'admin: organisation exports', role: 'admin', path: () => '/api/admin/exports/organisation' },
  { name: 'admin: courses to enrol in', role: 'admin', path: () => '/api/admin/courses' },
  { name: 'developer: courses', role: 'developer', path: () => '/api/authoring/courses' },
  { name: 'developer: rubrics', role: 'developer', path: () => '/api/authoring/rubrics' },
  { name: 'superuser: organisations page 1', role: 'superuser', path: () => '/api/superuser/tenants' },
  {
    name: 'superuser: organisations search',
    role: 'superuser',
    path: () => '/api/superuser/tenants?q=organisation%2042',
  },
  { name: 'superuser: destruction reports', role: 'superuser', path: () => '/api/superuser/destruction-reports' },
  {
    name: 'superuser: destruction reports search',
    role: 'superuser',
    path: () => '/api/superuser/destruction-reports?q=former-42',
  },
  { name: 'superuser: support search page 1', role: 'superuser', path: () => '/api/superuser/users' },
  { name: 'superuser: support search', role: 'superuser', path: () => '/api/superuser/users?q=participant12' },
  { name: 'superuser: quarterly review', role: 'superuser', path: () => `/api/superuser/report?${lastQuarter()}` },
  {
    name: 'superuser: impersonations of a quarter',
    role: 'superuser',
    path: () => `/api/superuser/impersonations?${lastQuarter()}`,
  },
  {
    name: 'superuser: impersonations CSV of a quarter',
    role: 'superuser',
    path: () => `/api/superuser/impersonations/export?${lastQuarter()}`,
    n1: 10,
    n20: 40,
  },
];

function pct(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}

interface Stats {
  p50: number;
  p95: number;
  p99: number;
  bytes: number;
  errors: number;
  /** CPU per request (ms): the API process, PostgreSQL's processes, this benchmark's own client */
  cpu?: { api: number; db: number; client: number; stolenPct: number };
}

/** A person signed in, with the ids their requests name. */
interface Person {
  session: Session | null;
  ids: Ids;
}

/**
 * A GET with Node's own HTTP client over kept-alive connections: its status and body size. The
 * load generator shares the machine's cores with the API and PostgreSQL, so it is the lightest
 * client at hand: `fetch` spent about 550 µs of CPU per request here, node:http about 130 µs
 * (measured side by side against the bare NestJS application at concurrency 20), time that
 * otherwise shows up as the server's latency at concurrency 20.
 */
function get(url: string, agent: Agent, headers: Record<string, string>): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { agent, headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/**
 * `n` requests by `concurrency` clients; client k is person k (each person is measured as one
 * browser: 20 concurrent coaches are 20 coaches, as in an organisation), over a kept-alive
 * connection of its own. Every client opens its connection in an unmeasured first request, all
 * at once, before the measured ones: with one shared pool warmed one request at a time, the
 * measured burst opened 19 connections while the first carried on, and those clients' first
 * answers came last, 160–320 ms later (the bench's own artefact, which set the p99 of every
 * endpoint at 20 concurrent clients, the API's health check included).
 */
async function measure(
  base: string,
  people: Person[],
  path: (ids: Ids) => string,
  n: number,
  concurrency: number,
  apiPid?: number,
): Promise<Stats> {
  const times: number[] = [];
  let bytes = 0;
  let errors = 0;
  const agents = Array.from({ length: concurrency }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
  const one = async (k: number) => {
    const person = people[k % people.length];
    const t0 = process.hrtime.bigint();
    const res = await get(base + path(person.ids), agents[k], person.session ? { cookie: person.session.cookie } : {});
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    bytes = res.bytes;
    if (res.status >= 400) errors++;
  };
  // warm-up: each client's connection, and each person's first request
  await Promise.all(agents.map((_, k) => one(k)));
  times.length = 0;
  const cpuBefore = apiPid ? await cpuSnapshot(apiPid) : null;
  let next = 0;
  await Promise.all(
    agents.map(async (_, k) => {
      while (next < n) {
        next++;
        await one(k);
      }
    }),
  );
  const cpuAfter = apiPid ? await cpuSnapshot(apiPid) : null;
  for (const agent of agents) agent.destroy();
  const sorted = times.sort((a, b) => a - b);
  const perRequest = (a: number, b: number) => ((b - a) * 1000) / times.length;
  const cpu =
    cpuBefore && cpuAfter
      ? {
          api: perRequest(cpuBefore.api, cpuAfter.api),
          db: perRequest(0, databaseSeconds(cpuBefore.db, cpuAfter.db)),
          client: perRequest(cpuBefore.client, cpuAfter.client),
          // the share of the cores' time the hypervisor gave to other machines: where it is high the
          // run measured a slower machine than its neighbours' quiet hours
          stolenPct:
            (100 * (cpuAfter.stolen - cpuBefore.stolen)) /
            Math.max(
              1e-9,
              cpuAfter.busy + cpuAfter.idle + cpuAfter.stolen - cpuBefore.busy - cpuBefore.idle - cpuBefore.stolen,
            ),
        }
      : undefined;
  return { p50: pct(sorted, 0.5), p95: pct(sorted, 0.95), p99: pct(sorted, 0.99), bytes, errors, cpu };
}

/**
 * Requests per second with `connections` keep-alive connections for `seconds` (after a second of
 * warm-up), measured by autocannon (a load generator far lighter than fetch, so the server is what
 * is measured).
 */
async function throughput(
  url: string,
  session: Session | null,
  seconds: number,
  pid: number,
  connections = 8,
): Promise<{ rps: number; cpuUs: number }> {
  const headers: Record<string, string> = session ? { cookie: session.cookie } : {};
  const run = (duration: number) =>
    new Promise<{ requests: { average: number; total: number }; non2xx: number; errors: number }>((resolve, reject) => {
      autocannon(
        { url, connections, duration, headers },
        (
          err: Error | null,
          result: { requests: { average: number; total: number }; non2xx: number; errors: number },
        ) => (err ? reject(err) : resolve(result)),
      );
    });
  await run(1);
  const cpuBefore = await cpuSeconds(pid);
  const result = await run(seconds);
  const cpu = (await cpuSeconds(pid)) - cpuBefore;
  if (result.non2xx || result.errors)
    throw new Error(`${url}: ${result.non2xx} answers other than 2xx, ${result.errors} errors`);
  return { rps: result.requests.average, cpuUs: (cpu * 1e6) / result.requests.total };
}

/** CPU time (user + system) a process has used so far, in seconds (Linux: /proc/<pid>/stat). */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // the fields after the command's name (which may hold spaces) in parentheses
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}
/**
 * CPU seconds used so far by the API process, by each of PostgreSQL's processes on this machine
 * (every process named `postgres`: the backends serving the API and the server's own) and by this
 * benchmark's own process.
 */
async function cpuSnapshot(
  apiPid: number,
): Promise<{ api: number; db: Map<number, number>; client: number; busy: number; idle: number; stolen: number }> {
  const db = new Map<number, number>();
  for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === 'postgres') {
      const seconds = await cpuSeconds(Number(pid)).catch(() => null);
      if (seconds !== null) db.set(Number(pid), seconds);
    }
  }
  const own = process.cpuUsage();
  return { api: await cpuSeconds(apiPid), db, client: (own.user + own.system) / 1e6, ...(await machineCpu()) };
}
/**
 * The machine's CPU seconds so far, all cores (Linux: /proc/stat's first line): busy (user, nice,
 * system, irq, softirq), idle (idle and iowait), and stolen (given by the hypervisor to others).
 */
async function machineCpu(): Promise<{ busy: number; idle: number; stolen: number }> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0];
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return {
    busy: (user + nice + system + irq + softirq) / CLOCK_TICKS,
    idle: (idle + iowait) / CLOCK_TICKS,
    stolen: (steal ?? 0) / CLOCK_TICKS,
  };
}
/** Linux's USER_HZ, the unit of /proc/<pid>/stat's times (100 on every common architecture). */
const CLOCK_TICKS = 100;

type Results = Map<string, { c1: Stats; c20: Stats }>;

interface Exports {
  concurrent: number;
  seconds: number;
  rows: number;
  megabytes: number;
  apiPeakMb: number;
  apiBeforeMb: number;
  errors: number;
}

/** Resident memory of a process (MiB): now (VmRSS) and its peak (VmHWM). */
async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Whole-organisation privacy-log CSV exports, `concurrent` at once: time, size, the API's peak memory. */
async function exportsAtOnce(base: string, session: Session, apiPid: number, concurrent: number): Promise<Exports> {
  const before = await memoryOf(apiPid);
  let peak = before.rss;
  const sampler = setInterval(
    () =>
      void memoryOf(apiPid).then(
        (m) => (peak = Math.max(peak, m.rss)),
        () => undefined,
      ),
    100,
  );
  const t0 = Date.now();
  let rows = 0;
  let bytes = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: concurrent }, async () => {
      const res = await fetch(`${base}/api/admin/privacy-log/export`, { headers: { cookie: session.cookie } });
      if (!res.ok || !res.body) {
        errors++;
        return;
      }
      // read as a stream, counting lines, as a browser saving the file would
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.byteLength;
        for (const b of chunk) if (b === 10) rows++;
      }
    }),
  );
  clearInterval(sampler);
  return {
    concurrent,
    seconds: (Date.now() - t0) / 1000,
    rows: rows / concurrent - 1,
    megabytes: bytes / concurrent / 1048576,
    apiPeakMb: peak,
    apiBeforeMb: before.rss,
    errors,
  };
}

async function run(
  label: string,
  sizes: ScaleSizes,
  keep: boolean,
  reuse?: string,
  only?: RegExp,
): Promise<{ results: Results; exports: Exports; rps: { bare: number; me: number; bareCpu: number; meCpu: number } }> {
  const system = await startScaleSystem(label, sizes, {
    keep,
    reuse,
    // BENCH_CPU_PROF=<folder>: the API writes a V8 CPU profile there when it stops (where does a request's time go?)
    apiNodeArgs: process.env['BENCH_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`] : [],
  });
  const { base, port, env, api, mailbox, db, procs } = system;
  try {
    // 20 people per role, each with ids of their own (a coach's: an answer of someone they coach)
    const rows = async (sql: string) => (await db.query(sql)).rows as (Ids & { email: string })[];
    const coached = await rows(
      `SELECT DISTINCT ON (c.email) c.email, gm.group_id AS "group", a.course_id AS course, a.id AS answer, r.id AS recording, a.user_id AS "participantId", c.id AS "coachId"
         FROM users c JOIN group_members gc ON gc.user_id = c.id AND gc.role = 'coach'
         JOIN group_members gm ON gm.group_id = gc.group_id AND gm.role = 'participant'
         JOIN answers a ON a.user_id = gm.user_id JOIN recordings r ON r.answer_id = a.id
        WHERE c.email LIKE 'coach%' ORDER BY c.email, a.id LIMIT ${PEOPLE}`,
    );
    const own = await rows(
      `SELECT DISTINCT ON (p.email) p.email, gm.group_id AS "group", a.course_id AS course, a.id AS answer, r.id AS recording, a.user_id AS "participantId"
         FROM users p JOIN group_members gm ON gm.user_id = p.id AND gm.role = 'participant'
         JOIN answers a ON a.user_id = p.id JOIN recordings r ON r.answer_id = a.id
        WHERE p.email LIKE 'participant%' ORDER BY p.email, a.id LIMIT ${PEOPLE}`,
    );
    const staff = async (prefix: string) =>
      (
        (await db.query(`SELECT email FROM users WHERE email LIKE $1 ORDER BY email LIMIT ${PEOPLE}`, [`${prefix}%`]))
          .rows as { email: string }[]
      ).map((r) => r.email);
    const signInAll = async (emails: string[], ids: (i: number) => Ids, totp?: string[]): Promise<Person[]> => {
      const out: Person[] = [];
      for (const [i, email] of emails.entries())
        out.push({ session: await signIn(base, mailbox, email, totp?.[i]), ids: ids(i) });
      return out;
    };
    const people: Record<string, Person[]> = {
      anonymous: [{ session: null, ids: coached[0] }],
      coach: await signInAll(
        coached.map((c) => c.email),
        (i) => coached[i],
      ),
      participant: await signInAll(
        own.map((c) => c.email),
        (i) => own[i],
      ),
      admin: await signInAll(await staff('admin'), (i) => coached[i % coached.length]),
      developer: await signInAll(await staff('developer'), () => coached[0]),
      superuser: await signInAll(
        system.superusers.map((s) => s.email),
        () => coached[0],
        system.superusers.map((s) => s.totpSecret),
      ),
    };
    console.log(
      `${label}: signed in ${Object.values(people).reduce((n, p) => n + p.length, 0) - 1} people (${people['coach'].length} coaches, ${people['participant'].length} participants, ${people['admin'].length} administrators)`,
    );
    const results: Results = new Map();
    for (const e of ENDPOINTS.filter((x) => !only || only.test(x.name))) {
      const c1 = await measure(base, people[e.role], e.path, e.n1 ?? 60, 1);
      const c20 = await measure(base, people[e.role], e.path, e.n20 ?? 300, 20, api.pid);
      results.set(e.name, { c1, c20 });
      console.log(
        `  ${label.padEnd(6)} ${e.name.padEnd(40)} c=1 p50 ${c1.p50.toFixed(1).padStart(8)} ms p99 ${c1.p99.toFixed(1).padStart(8)} · c=20 p50 ${c20.p50.toFixed(1).padStart(8)} p99 ${c20.p99.toFixed(1).padStart(8)} ms · ${(c1.bytes / 1024).toFixed(1)} KiB${c20.cpu ? ` · CPU/request at c=20: API ${c20.cpu.api.toFixed(1)}, PostgreSQL ${c20.cpu.db.toFixed(1)}, client ${c20.cpu.client.toFixed(1)} ms; stolen by the hypervisor ${c20.cpu.stolenPct.toFixed(0)} %` : ''}${c1.errors + c20.errors ? ` · ${c1.errors + c20.errors} errors` : ''}`,
      );
    }
    // an authenticated request against a NestJS application with one route and nothing else, and
    // against a second API process that reads every session from PostgreSQL (no session cache)
    const barePort = port + 1000;
    const bare = start('tools/bench/lib/bare-nest.ts', { ...process.env, NODE_ENV: 'production' }, [String(barePort)]);
    procs.push(bare);
    const uncachedPort = port + 2000;
    const uncached = start('apps/api/src/main.ts', {
      ...env,
      PORT: String(uncachedPort),
      SESSION_CACHE_SECONDS: '0',
    });
    procs.push(uncached);
    await until(
      async () => (await fetch(`http://127.0.0.1:${barePort}/bare`)).ok,
      60_000,
      'the bare NestJS application',
    );
    await until(
      async () => (await fetch(`http://127.0.0.1:${uncachedPort}/api/health`)).ok,
      90_000,
      'the API without a session cache',
    );
    // alternated five times, medians: the machine's other work weighs on all alike. Requests per
    // second move with whatever else the 2 cores do; the server's own CPU time per request (from
    // /proc) moves less, so both are printed
    type Round = { rps: number; cpuUs: number };
    const bares: Round[] = [];
    const mes: Round[] = [];
    const uncachedMes: Round[] = [];
    const session = people['participant'][0].session;
    for (let round = 0; round < 5; round++) {
      bares.push(await throughput(`http://127.0.0.1:${barePort}/bare`, null, 4, bare.pid as number));
      mes.push(await throughput(`${base}/api/auth/me`, session, 4, api.pid as number));
      uncachedMes.push(
        await throughput(`http://127.0.0.1:${uncachedPort}/api/auth/me`, session, 4, uncached.pid as number),
      );
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const bareRps = median(bares.map((b) => b.rps));
    const meRps = median(mes.map((m) => m.rps));
    const bareCpu = median(bares.map((b) => b.cpuUs));
    const meCpu = median(mes.map((m) => m.cpuUs));
    const uncachedRps = median(uncachedMes.map((m) => m.rps));
    const uncachedCpu = median(uncachedMes.map((m) => m.cpuUs));
    bare.kill('SIGTERM');
    uncached.kill('SIGTERM');
    const rounds = (pick: (r: Round) => number) =>
      bares
        .map((b, i) => `${pick(b).toFixed(0)}/${pick(mes[i]).toFixed(0)}/${pick(uncachedMes[i]).toFixed(0)}`)
        .join(', ');
    console.log(
      `  ${label.padEnd(6)} requests/s: bare NestJS ${bareRps.toFixed(0)}, authenticated GET /api/auth/me ${meRps.toFixed(0)} (${(meRps / bareRps).toFixed(2)}×), without the session cache ${uncachedRps.toFixed(0)} (${(uncachedRps / bareRps).toFixed(2)}×); rounds bare/me/uncached: ${rounds((r) => r.rps)}`,
    );
    console.log(
      `  ${label.padEnd(6)} API CPU per request: bare NestJS ${bareCpu.toFixed(0)} µs, authenticated GET /api/auth/me ${meCpu.toFixed(0)} µs (${(bareCpu / meCpu).toFixed(2)}×), without the session cache ${uncachedCpu.toFixed(0)} µs (${(bareCpu / uncachedCpu).toFixed(2)}×); rounds: ${rounds((r) => r.cpuUs)}`,
    );
    const rps = { bare: bareRps, me: meRps, bareCpu, meCpu };
    if (only)
      return {
        results,
        exports: { concurrent: 0, seconds: 0, rows: 0, megabytes: 0, apiPeakMb: 0, apiBeforeMb: 0, errors: 0 },
        rps,
      };
    const exports = await exportsAtOnce(base, people['admin'][0].session as Session, api.pid as number, 8);
    console.log(
      `  ${label.padEnd(6)} 8 whole-organisation privacy-log CSV exports at once: ${exports.seconds.toFixed(1)} s, ${exports.rows} rows (${exports.megabytes.toFixed(1)} MiB) each, API memory ${exports.apiBeforeMb.toFixed(0)} → peak ${exports.apiPeakMb.toFixed(0)} MiB${exports.errors ? `, ${exports.errors} failed` : ''}`,
    );
    return { results, exports, rps };
  } finally {
    await system.stop();
  }
}

async function main(): Promise<void> {
  const { sizes: only, keep, reuseLarge, only: onlyRe } = scaleArgs(process.argv.slice(2));
  console.log(`scale benchmark on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}\n`);
  const smallRun = only.includes('small') ? await run('small', SMALL, keep, undefined, onlyRe) : null;
  const largeRun = only.includes('large') ? await run('large', LARGE, keep, reuseLarge, onlyRe) : null;
  if (!smallRun || !largeRun) return;
  const small = smallRun.results;
  const large = largeRun.results;
  const f = (x: number) => x.toFixed(1).padStart(7);
  printTable(
    [
      'endpoint',
      'small p50 / p99 (c=1)',
      'large p50 / p95 / p99 (c=1)',
      'ratio p50',
      'large p50 / p99 (c=20)',
      'large CPU per request, API / PostgreSQL (c=20)',
      'large body',
    ],
    sideBySide(
      ENDPOINTS.map((e) => e.name),
      small,
      large,
      (name, s, l) => [
        name,
        `${f(s.c1.p50)} / ${f(s.c1.p99)} ms`,
        `${f(l.c1.p50)} / ${f(l.c1.p95)} / ${f(l.c1.p99)} ms`,
        `${(l.c1.p50 / s.c1.p50).toFixed(2)}×`,
        `${f(l.c20.p50)} / ${f(l.c20.p99)} ms`,
        l.c20.cpu ? `${l.c20.cpu.api.toFixed(1)} / ${l.c20.cpu.db.toFixed(1)} ms` : '–',
        `${(l.c1.bytes / 1024).toFixed(1)} KiB`,
      ],
    ),
  );
  for (const [label, x] of [
    ['small', smallRun.rps],
    ['large', largeRun.rps],
  ] as const) {
    console.log(
      `\n${label}: authenticated GET /api/auth/me serves ${x.me.toFixed(0)} requests/s, a bare NestJS endpoint ${x.bare.toFixed(0)}: ${(x.me / x.bare).toFixed(2)}×; server CPU per request ${x.meCpu.toFixed(0)} µs against ${x.bareCpu.toFixed(0)} µs: ${(x.bareCpu / x.meCpu).toFixed(2)}×`,
    );
  }
  // (not measured when --only picks endpoints)
  for (const [label, x] of onlyRe
    ? []
    : ([
        ['small', smallRun.exports],
        ['large', largeRun.exports],
      ] as const)) {
    console.log(
      `${label}: 8 whole-organisation privacy-log CSV exports at once: ${x.seconds.toFixed(1)} s, ${x.rows} rows each, API memory ${x.apiBeforeMb.toFixed(0)} → peak ${x.apiPeakMb.toFixed(0)} MiB`,
    );
  }
}

main()
  .then(() => process.exit(0))
  .catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
