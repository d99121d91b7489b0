import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig, loadConfig } from './config';
import { Clock } from './clock';
import { SecretBox } from './secret-box';
import { createMetrics, METRICS, Metrics } from './metrics';
import { WorkFolder } from './work-folder';

@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig = loadConfig(), clock: Clock = new Clock(), metrics?: Metrics): DynamicModule {
    // the installation's calendar, on the clock a test hands in too
    if (config.TIME_ZONE) clock.useTimeZone(config.TIME_ZONE);
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: Clock, useValue: clock },
        { provide: SecretBox, useValue: new SecretBox(config.APP_SECRET) },
        { provide: METRICS, useFactory: () => metrics ?? createMetrics('process') },
        { provide: WorkFolder, useFactory: () => new WorkFolder(config.WORK_DIR) },
      ],
      exports: [APP_CONFIG, Clock, SecretBox, METRICS, WorkFolder],
    };
  }
}
