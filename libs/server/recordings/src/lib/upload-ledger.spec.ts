import { isServiceUnavailable, loadConfig, REDIS_COMMAND_TIMEOUT_MS } from '@rehearse/server/core';
import { silentServer } from '@rehearse/server/testing';
import { RedisUploadLedger } from './upload-ledger';

/** A Redis that takes the connection and then says nothing: an upload's submission fails (503) in time instead of waiting for ever. */
describe('the upload ledger on a Redis that falls silent', () => {
  it('fails its commands in the time given, as unavailable (503)', async () => {
    const silent = await silentServer();
    const ledger = RedisUploadLedger.connect(loadConfig({ REDIS_URL: `redis://127.0.0.1:${silent.port}` }));
    const started = Date.now();
    try {
      const e = await ledger.claim('0123456789abcdef0123456789abcdef').then(
        () => null,
        (x: unknown) => x,
      );
      expect(e).toMatchObject({ message: 'Command timed out' });
      expect(isServiceUnavailable(e)).toBe(true);
      expect(Date.now() - started).toBeLessThan(REDIS_COMMAND_TIMEOUT_MS + 5_000);
    } finally {
      await ledger.onModuleDestroy();
      await silent.close();
    }
  }, 30_000);
});
