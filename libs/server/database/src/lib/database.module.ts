import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@rehearse/server/core';
import { dataSourceOptions } from './data-source-options';
import { DatabaseRoleCheck } from './database-role.check';
import { DatabaseTimeZoneCheck } from './time-zone.check';

@Module({})
export class DatabaseModule {
  /**
   * The process's connections to PostgreSQL. `statementTimeout`: each statement ends after
   * API_STATEMENT_TIMEOUT_SECONDS (the API's: a request's statements take milliseconds, and one
   * that runs away would keep a connection of the pool, a few of them all of it); the worker's
   * jobs (a destruction, the nightly check of a log) may take longer, and have no limit. Every
   * process's transactions may wait between their statements DATABASE_IDLE_IN_TRANSACTION_SECONDS.
   */
  static forRoot(options: { statementTimeout?: boolean } = {}): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) =>
            dataSourceOptions(
              config.DATABASE_URL,
              [],
              config.LOG_LEVEL !== 'silent',
              config.DATABASE_POOL_SIZE,
              options.statementTimeout ? config.API_STATEMENT_TIMEOUT_SECONDS * 1000 : 0,
              config.DATABASE_IDLE_IN_TRANSACTION_SECONDS * 1000,
            ),
        }),
      ],
      providers: [DatabaseRoleCheck, DatabaseTimeZoneCheck],
      exports: [TypeOrmModule],
    };
  }
}
