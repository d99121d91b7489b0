import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { createMetrics, exitOnSignals, loadConfigOrExit, quietStartup, startOpsServer } from '@rehearse/server/core';
import { ApiModule } from './app/app.module';
import { configureApp } from './app/bootstrap';

async function main(): Promise<void> {
  // signals are handled from the start: one that comes while the application starts closes it once it is up
  const shutdown = exitOnSignals();
  const config = loadConfigOrExit();
  const metrics = createMetrics('api');
  const app = await NestFactory.create(ApiModule.forRoot({ config, metrics }), { bodyParser: false, bufferLogs: true });
  // Nest's lines about starting (every module, every route) at debug level
  app.useLogger(quietStartup(app.get(Logger)));
  shutdown.started(
    () => app.close(),
    (m) => app.get(Logger).log(m),
  );
  await configureApp(app);
  await app.listen(config.PORT, '0.0.0.0');
  if (config.METRICS_PORT) await startOpsServer(config.METRICS_PORT, metrics.registry);
  app.get(Logger).log(`Rehearse API listening on ${config.PORT} (public URL ${config.PUBLIC_URL})`);
}

void main();
