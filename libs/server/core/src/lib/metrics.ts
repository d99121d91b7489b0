import { createServer, Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One Prometheus registry per process, with Node's default metrics and HTTP timings. */
export function createMetrics(processName: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ process: processName });
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'rehearse_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const jobs = new Counter({
    name: 'rehearse_jobs_total',
    help: 'Jobs processed by queue, job name and outcome',
    labelNames: ['queue', 'name', 'outcome'],
    registers: [registry],
  });
  // the worker's sweep of the e-mails kept until sent (MailOutboxSweeper): an alert when it stays above 0
  const mailUnsent = new Gauge({
    name: 'rehearse_mail_unsent',
    help: 'E-mails kept until sent that were still unsent MAIL_SWEEP_AFTER_SECONDS after they were kept, at the last sweep',
    registers: [registry],
  });
  const mailGivenUp = new Counter({
    name: 'rehearse_mail_given_up_total',
    help: 'E-mails kept until sent that were given up after a week unsent',
    registers: [registry],
  });
  // counted in Redis when Prometheus asks, by the process whose `sources.queueJobs` is set (the
  // worker: QueueMetrics); none where it is not, so a missing series says no worker is scraped
  const sources: MetricSources = {};
  const queueJobs: Gauge<'queue' | 'state'> = new Gauge({
    name: 'rehearse_queue_jobs',
    help: 'Jobs in each queue by state (waiting, active, delayed, failed), counted when scraped',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      const counts = await sources.queueJobs?.().catch(() => null);
      // (Redis away: no series rather than stale ones, and the rest of the page still served)
      queueJobs.reset();
      for (const c of counts ?? []) queueJobs.set({ queue: c.queue, state: c.state }, c.count);
    },
  });
  // the API's upload checks taking turns (MEDIA_INTAKE_CONCURRENCY): read from the gate when scraped
  const mediaIntakes: Gauge<'state'> = new Gauge({
    name: 'rehearse_media_intakes',
    help: 'Uploads being checked (running) and waiting for their turn (waiting) in this API process, when scraped',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const load = sources.intakeLoad?.();
      mediaIntakes.reset();
      if (load) for (const state of ['running', 'waiting'] as const) mediaIntakes.set({ state }, load[state]);
    },
  });
  // the media sweep's count (MediaProcessor): recordings that should have moved on by now
  const recordingsWaiting = new Gauge({
    name: 'rehearse_recordings_waiting',
    help: 'Answer recordings unfinished and untouched for MEDIA_SWEEP_AFTER_SECONDS, at the last sweep (counted up to 500)',
    registers: [registry],
  });
  // the speech engine's time per answer against the answer's length (TranscriptionPipeline)
  const transcriptionSeconds = new Histogram({
    name: 'rehearse_transcription_seconds',
    help: "The speech engine's time to transcribe one answer recording, by engine and model",
    labelNames: ['engine', 'model'],
    buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
    registers: [registry],
  });
  const transcribedAudioSeconds = new Counter({
    name: 'rehearse_transcribed_audio_seconds_total',
    help: 'Seconds of answer audio transcribed, by engine and model (with rehearse_transcription_seconds_sum: the real-time factor)',
    labelNames: ['engine', 'model'],
    registers: [registry],
  });
  // the daily backup (BackupScheduler): 0 until a verified backup is known
  const backupLastSuccess = new Gauge({
    name: 'rehearse_backup_last_success_timestamp_seconds',
    help: 'When the newest verified daily backup was taken (Unix time; 0: none known to this process)',
    registers: [registry],
  });
  const backupFailures = new Counter({
    name: 'rehearse_backup_failures_total',
    help: 'Daily backups that failed (the worker logs why)',
    registers: [registry],
  });
  // the daily check of the privacy logs' hash chains (PrivacyLogCheckSweeper)
  const privacyLogsBroken = new Gauge({
    name: 'rehearse_privacy_logs_broken',
    help: "Privacy logs (an organisation's, or the operator's own) whose last check found an entry changed or gone",
    registers: [registry],
  });
  const privacyLogsCheckedAt = new Gauge({
    name: 'rehearse_privacy_logs_checked_timestamp_seconds',
    help: 'When the least recently checked privacy log was last checked (Unix time; 0: none checked)',
    registers: [registry],
  });
  // the witness of the privacy logs kept outside the database every 15 minutes (PrivacyLogWitness)
  const privacyLogsShort = new Gauge({
    name: 'rehearse_privacy_logs_short',
    help: 'Privacy logs that the last witness found holding fewer entries than a witness before saw (entries removed outside Rehearse)',
    registers: [registry],
  });
  const privacyLogWitnessAt = new Gauge({
    name: 'rehearse_privacy_log_witness_timestamp_seconds',
    help: 'When the witness of the privacy logs was last taken (Unix time; 0: not yet)',
    registers: [registry],
  });
  return {
    registry,
    sources,
    httpDuration,
    jobs,
    mailUnsent,
    mailGivenUp,
    recordingsWaiting,
    transcriptionSeconds,
    transcribedAudioSeconds,
    backupLastSuccess,
    backupFailures,
    privacyLogsBroken,
    privacyLogsCheckedAt,
    privacyLogsShort,
    privacyLogWitnessAt,
  };
}

/** Where gauges counted at scrape time read from, set by the process that can count them. */
export interface MetricSources {
  /** each queue's jobs by state */
  queueJobs?: () => Promise<{ queue: string; state: string; count: number }[]>;
  /** the upload checks running and waiting in this process (the API) */
  intakeLoad?: () => { running: number; waiting: number };
}
export type Metrics = ReturnType<typeof createMetrics>;

/** Injection token of the process's Metrics. */
export const METRICS = Symbol('METRICS');

/**
 * A small HTTP server for /metrics (and /health and /health/live where `health` is given), on a port that is meant to stay
 * inside the operator's network, never behind the public proxy.
 */
export function startOpsServer(
  port: number,
  registry: Registry,
  health?: () => Promise<{ ok: boolean; body: unknown }>,
): Promise<Server> {
  const server = createServer((req, res) => {
    void (async () => {
      if (req.url === '/metrics') {
        res.setHeader('Content-Type', registry.contentType);
        res.end(await registry.metrics());
      } else if (req.url === '/health/live' && health) {
        // liveness: the process answers (a probe that restarts it when PostgreSQL is away would
        // restart every worker at once and cure nothing)
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ status: 'ok' }));
      } else if (req.url === '/health' && health) {
        const h = await health();
        res.statusCode = h.ok ? 200 : 503;
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(h.body));
      } else {
        res.statusCode = 404;
        res.end();
      }
    })().catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
  return new Promise((resolve) => server.listen(port, '0.0.0.0', () => resolve(server)));
}
