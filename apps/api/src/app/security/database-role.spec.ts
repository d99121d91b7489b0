import type { DataSource } from 'typeorm';
import { loadConfig } from '@rehearse/server/core';
import { DatabaseRoleCheck } from '@rehearse/server/database';

/** The start-up check: production refuses to run as the schema's owner or a superuser. */
describe('the database role at start-up', () => {
  const as = (row: { role: string; superuser: boolean; owns: boolean }) =>
    ({ query: async () => [row] }) as unknown as DataSource;
  const production = loadConfig({
    NODE_ENV: 'production',
    APP_SECRET: 'x'.repeat(40),
    STORAGE_MASTER_KEY: Buffer.alloc(32).toString('base64'),
  });

  it('production refuses the owner and a superuser', async () => {
    await expect(
      new DatabaseRoleCheck(
        as({ role: 'rehearse', superuser: false, owns: true }),
        production,
      ).onApplicationBootstrap(),
    ).rejects.toThrow(/owns the schema/);
    await expect(
      new DatabaseRoleCheck(as({ role: 'postgres', superuser: true, owns: true }), production).onApplicationBootstrap(),
    ).rejects.toThrow(/is a superuser/);
  });

  it('a role that owns nothing starts; development only warns', async () => {
    await expect(
      new DatabaseRoleCheck(
        as({ role: 'rehearse_app', superuser: false, owns: false }),
        production,
      ).onApplicationBootstrap(),
    ).resolves.toBeUndefined();
    await expect(
      new DatabaseRoleCheck(
        as({ role: 'rehearse', superuser: false, owns: true }),
        loadConfig({}),
      ).onApplicationBootstrap(),
    ).resolves.toBeUndefined();
  });
});
