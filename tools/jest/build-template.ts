// Re-creates and migrates the template database that test files clone.
import 'reflect-metadata';
import { recreateTemplateDatabase } from '@rehearse/server/database';
import { migrate } from '@rehearse/migrations';

recreateTemplateDatabase()
  .then((url) => migrate(url))
  .catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
