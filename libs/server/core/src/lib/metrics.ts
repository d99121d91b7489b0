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
  return { registry, httpDuration, jobs, mailUnsent, mailGivenUp };
}
export type Metrics = ReturnType<typeof createMetrics>;

/** Injection token of the process's Metrics. */
export const METRICS = Symbol('METRICS');

/**
 * A small HTTP server for /metrics (and /health where given), on a port that is meant to stay
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
