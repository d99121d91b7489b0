import { isServiceUnavailable, loadConfig, REDIS_COMMAND_TIMEOUT_MS } from '@rehearse/server/core';
import { silentServer } from '@rehearse/server/testing';
import { RedisClient } from './redis';

/**
 * A Redis that takes the connection and then says nothing (paused, or a half-open connection
 * after a network fault): the sign-in throttle's commands fail as unavailable after
 * REDIS_COMMAND_TIMEOUT_MS, where ioredis would wait for ever (every sign-in with them).
 */
describe('a Redis that falls silent (sign-in throttling)', () => {
  it('fails a command in the time given, as unavailable (503), and the readiness probe says no', async () => {
    const silent = await silentServer();
    const throttle = new RedisClient(loadConfig({ REDIS_URL: `redis://127.0.0.1:${silent.port}` }));
    throttle.redis.on('error', () => undefined);
    const started = Date.now();
    try {
      const [counted, alive] = await Promise.all([
        throttle.redis.incr('sign-in').then(
          () => null,
          (e: unknown) => e,
        ),
        throttle.ping(),
      ]);
      expect(counted).toMatchObject({ message: 'Command timed out' });
      expect(isServiceUnavailable(counted)).toBe(true);
      expect(alive).toBe(false);
      expect(Date.now() - started).toBeLessThan(REDIS_COMMAND_TIMEOUT_MS + 5_000);
    } finally {
      throttle.redis.disconnect();
      await silent.close();
    }
  }, 30_000);
});
