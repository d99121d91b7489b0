import type { DataSourceOptions, MixedList } from 'typeorm';
import { ENTITIES } from './entities';

/**
 * The TypeORM options every process uses. Schema changes only through migrations
 * (see migrations/); application processes never synchronise or migrate on boot.
 */
export function dataSourceOptions(
  databaseUrl: string,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function> = [],
  logErrors = true,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: logErrors ? ['error'] : false,
    extra: { max: 10, application_name: 'rehearse' },
  };
}
