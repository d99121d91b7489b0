import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bull';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import type { Queue } from 'bull';
import { QUEUES } from '@rehearse/shared/contracts';
import { createMetrics, exitOnSignals, loadConfigOrExit, quietStartup, startOpsServer } from '@rehearse/server/core';
import { Mailer } from '@rehearse/server/mail';
import { WorkerModule } from './app/worker.module';
import { workerHealth } from './app/health';
import { SPEECH_STATE, SpeechState, SpeechSetupError } from '@rehearse/server/recordings';

async function main(): Promise<void> {
  // signals are handled from the start: one that comes while the application starts closes it once it is up
  const shutdown = exitOnSignals();
  const config = loadConfigOrExit();
  const metrics = createMetrics('worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config, metrics }), {
    bufferLogs: true,
    abortOnError: false,
  }).catch((e: Error) => {
    if (e instanceof SpeechSetupError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78); // configuration error, as for invalid settings
    }
    throw e;
  });
  // Nest's lines about starting (every module, every route) at debug level
  app.useLogger(quietStartup(app.get(Logger)));
  shutdown.started(
    () => app.close(),
    (m) => app.get(Logger).log(m),
  ); // Bull stops taking jobs and finishes the running ones
  const db = app.get(DataSource);
  const mailQueue = app.get<Queue>(getQueueToken(QUEUES.mail));
  const mailer = app.get(Mailer);
  // the engine was chosen at start (the Whisper model checked against its sha256); health reports it
  const speech = app.get<SpeechState>(SPEECH_STATE);
  if (speech.status === 'fallback') app.get(Logger).warn(`Transcribing with ${speech.engine}: ${speech.detail}`);
  if (config.WORKER_HTTP_PORT) {
    await startOpsServer(config.WORKER_HTTP_PORT, metrics.registry, async () => {
      const { ok, checks } = await workerHealth(db, mailQueue.client, mailer);
      return { ok, body: { status: ok ? 'ok' : 'degraded', checks, speech } };
    });
  }
  app.get(Logger).log(`Rehearse worker running (queues: ${Object.values(QUEUES).join(', ')})`);
}

void main();
