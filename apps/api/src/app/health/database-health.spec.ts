import { databaseReachable } from '@rehearse/server/database';

describe('databaseReachable (the health endpoints’ database check)', () => {
  it('is true when PostgreSQL answers', async () => {
    const asked: string[] = [];
    await expect(databaseReachable({ query: async (sql: string) => asked.push(sql) })).resolves.toBe(true);
    expect(asked).toEqual(['SELECT 1']);
  });

  it('is false when PostgreSQL refuses', async () => {
    await expect(
      databaseReachable({ query: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) }),
    ).resolves.toBe(false);
  });

  it('is false, in time, when PostgreSQL hangs', async () => {
    // without the deadline this would wait forever (the test's own timeout would fail it)
    await expect(databaseReachable({ query: () => new Promise(() => undefined) }, 50)).resolves.toBe(false);
  });
});
