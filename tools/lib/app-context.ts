import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { CoreModule, loadConfig } from '@rehearse/server/core';
import { DatabaseModule } from '@rehearse/server/database';
import { AccessModule } from '@rehearse/server/access';
import { AccountsModule } from '@rehearse/server/accounts';
import { CoursesModule } from '@rehearse/server/courses';
import { DomainPortsModule } from '@rehearse/server/feedback';

@Module({})
class ToolsModule {}

/** The same services the API uses, without HTTP: for registration commands and the seed. */
export async function toolsContext(): Promise<INestApplicationContext> {
  const config = loadConfig();
  const ctx = await NestFactory.createApplicationContext(
    {
      module: ToolsModule,
      imports: [
        CoreModule.forRoot(config),
        DatabaseModule.forRoot(),
        AccessModule,
        AccountsModule,
        CoursesModule,
        DomainPortsModule,
      ],
    },
    { logger: ['error', 'warn'] },
  );
  return ctx;
}
