// The data source the TypeORM CLI uses (migration:generate). Run through `npm run migration:*`.
import 'reflect-metadata';
import { loadConfig } from '@rehearse/server/core';
import { migrationDataSource } from './index';

export default migrationDataSource(loadConfig().DATABASE_URL);
