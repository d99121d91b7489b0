import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bull';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import type { Queue } from 'bull';
import { QUEUES } from '@rehearse/shared/contracts';
import { createMetrics, exitOnSignals, loadConfigOrExit, startOpsServer } from '@rehearse/server/core';
import { Mailer } from '@rehearse/server/mail';
import { WorkerModule } from './app/worker.module';
import { manifestEntry, verifyModel } from '@rehearse/server/speech';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const metrics = createMetrics('worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config, metrics }), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  exitOnSignals(() => app.close(), (m) => app.get(Logger).log(m)); // Bull stops taking jobs and finishes the running ones
  const db = app.get(DataSource);
  const mailQueue = app.get<Queue>(getQueueToken(QUEUES.mail));
  const mailer = app.get(Mailer);
  // the Whisper model is checked against its sha256 once at start; health reports the outcome
  const model = manifestEntry(config.WHISPER_MODEL);
  const modelState = await verifyModel(config.WHISPER_MODELS_DIR, model);
  const speech = modelState.ok
    ? { engine: 'whisper.cpp', model: model.file, status: 'ready' }
    : { engine: 'whisper.cpp', model: model.file, status: 'unavailable', detail: `${modelState.reason}; install it with: npm run models -- install ${model.name}` };
  if (!modelState.ok) app.get(Logger).warn(`Whisper model ${model.name} unavailable: ${modelState.reason}`);
  if (config.WORKER_HTTP_PORT) {
    await startOpsServer(config.WORKER_HTTP_PORT, metrics.registry, async () => {
      const [database, redis, smtp] = await Promise.all([
        db.query('SELECT 1').then(() => true, () => false),
        mailQueue.client.ping().then((r) => r === 'PONG', () => false),
        mailer.verify(),
      ]);
      const up = (b: boolean) => ({ status: b ? 'up' : 'down' });
      return { ok: database && redis, body: { status: database && redis ? 'ok' : 'degraded', checks: { database: up(database), redis: up(redis), smtp: up(smtp) }, speech } };
    });
  }
  app.get(Logger).log(`Rehearse worker running (queues: ${Object.values(QUEUES).join(', ')})`);
}

void main();
