import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@rehearse/server/core';
import { dataSourceOptions } from './data-source-options';
import { DatabaseRoleCheck } from './database-role.check';
import { DatabaseTimeZoneCheck } from './time-zone.check';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        dataSourceOptions(config.DATABASE_URL, [], config.LOG_LEVEL !== 'silent', config.DATABASE_POOL_SIZE),
    }),
  ],
  providers: [DatabaseRoleCheck, DatabaseTimeZoneCheck],
  exports: [TypeOrmModule],
})
export class DatabaseModule {}
