// Re-creates and migrates the template database that test files clone; the migrations grant the
// application's role (TEST_DATABASE_APP_URL's user) its rights, as in production.
import 'reflect-metadata';
import { recreateTemplateDatabase, testRuntimeRole } from '@rehearse/server/database';
import { migrate } from '@rehearse/migrations';

recreateTemplateDatabase()
  .then((url) => migrate(url, { runtimeRole: testRuntimeRole() }))
  .catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
