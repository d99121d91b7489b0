import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, defaultPoolSize, loadConfig } from './config';

describe('configuration', () => {
  it('takes ffmpeg and ffprobe by absolute path to an executable file, or from PATH when empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rehearse-config-'));
    try {
      const program = join(dir, 'ffmpeg');
      writeFileSync(program, '#!/bin/sh\n');
      chmodSync(program, 0o755);
      const text = join(dir, 'notes.txt');
      writeFileSync(text, 'not a program');
      expect(loadConfig({}).FFMPEG_PATH).toBe('');
      expect(loadConfig({ FFMPEG_PATH: program, FFPROBE_PATH: program })).toMatchObject({
        FFMPEG_PATH: program,
        FFPROBE_PATH: program,
      });
      expect(() => loadConfig({ FFMPEG_PATH: 'ffmpeg' })).toThrow(/FFMPEG_PATH.*absolute path/);
      expect(() => loadConfig({ FFPROBE_PATH: join(dir, 'missing') })).toThrow(/FFPROBE_PATH.*executable file/);
      expect(() => loadConfig({ FFMPEG_PATH: text })).toThrow(/FFMPEG_PATH.*executable file/);
      expect(() => loadConfig({ FFMPEG_PATH: dir })).toThrow(/FFMPEG_PATH.*executable file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has safe defaults for development', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.BCRYPT_COST).toBe(12);
    expect(c.secureCookies).toBe(false);
    expect(c.MFA_CODE_TTL_MINUTES).toBe(10);
    expect(c.TRUSTED_DEVICE_DAYS).toBe(90);
    expect(c.HTTP_KEEP_ALIVE_SECONDS).toBe(75);
    // an upload's checks: as many at once as the host has cores
    expect(c.MEDIA_INTAKE_CONCURRENCY).toBe(availableParallelism());
    expect(loadConfig({ MEDIA_INTAKE_CONCURRENCY: '3' }).MEDIA_INTAKE_CONCURRENCY).toBe(3);
    expect(() => loadConfig({ MEDIA_INTAKE_CONCURRENCY: '0' })).toThrow(/MEDIA_INTAKE_CONCURRENCY/);
  });

  it('keeps idle connections a whole number of seconds, from 1 to an hour', () => {
    expect(loadConfig({ HTTP_KEEP_ALIVE_SECONDS: '120' }).HTTP_KEEP_ALIVE_SECONDS).toBe(120);
    for (const bad of ['0', '-5', '1.5', 'long', '3601'])
      expect(() => loadConfig({ HTTP_KEEP_ALIVE_SECONDS: bad })).toThrow(/HTTP_KEEP_ALIVE_SECONDS/);
  });

  it('lets a transaction wait between its statements a whole number of seconds, 60 unless set, 0 for no limit', () => {
    expect(loadConfig({}).DATABASE_IDLE_IN_TRANSACTION_SECONDS).toBe(60);
    expect(loadConfig({ DATABASE_IDLE_IN_TRANSACTION_SECONDS: '0' }).DATABASE_IDLE_IN_TRANSACTION_SECONDS).toBe(0);
    expect(loadConfig({ DATABASE_IDLE_IN_TRANSACTION_SECONDS: '600' }).DATABASE_IDLE_IN_TRANSACTION_SECONDS).toBe(600);
    for (const bad of ['-1', '2.5', 'long', '86401'])
      expect(() => loadConfig({ DATABASE_IDLE_IN_TRANSACTION_SECONDS: bad })).toThrow(
        /DATABASE_IDLE_IN_TRANSACTION_SECONDS/,
      );
  });

  it('keeps twice the cores in connections to PostgreSQL, 4 to 10, unless DATABASE_POOL_SIZE says otherwise', () => {
    expect([1, 2, 3, 4, 5, 16, 64].map((cores) => defaultPoolSize(cores))).toEqual([4, 4, 6, 8, 10, 10, 10]);
    expect(loadConfig({}).DATABASE_POOL_SIZE).toBe(defaultPoolSize(availableParallelism()));
    expect(loadConfig({ DATABASE_POOL_SIZE: '25' }).DATABASE_POOL_SIZE).toBe(25);
    for (const bad of ['0', '-1', '2.5', 'many', '101'])
      expect(() => loadConfig({ DATABASE_POOL_SIZE: bad })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it("keeps the installation's calendar in a time zone of the IANA database, the host's when empty", () => {
    expect(loadConfig({}).TIME_ZONE).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(loadConfig({ TIME_ZONE: '' }).TIME_ZONE).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(loadConfig({ TIME_ZONE: 'Europe/Amsterdam' }).TIME_ZONE).toBe('Europe/Amsterdam');
    for (const bad of ['CET+1', 'Europe/Amsterdamm', "UTC'--", '+01:00'])
      expect(() => loadConfig({ TIME_ZONE: bad })).toThrow(/TIME_ZONE.*IANA/);
  });

  it("sends the coaches' morning e-mail from an hour of the day (TIME_ZONE's), or not at all", () => {
    expect(loadConfig({}).COACH_DIGEST_HOUR).toBe(6);
    expect(loadConfig({ COACH_DIGEST_HOUR: '' }).COACH_DIGEST_HOUR).toBe(6);
    expect(loadConfig({ COACH_DIGEST_HOUR: '0' }).COACH_DIGEST_HOUR).toBe(0);
    expect(loadConfig({ COACH_DIGEST_HOUR: '23' }).COACH_DIGEST_HOUR).toBe(23);
    expect(loadConfig({ COACH_DIGEST_HOUR: 'off' }).COACH_DIGEST_HOUR).toBe('off');
    for (const bad of ['24', '-1', '6.5', 'never', 'OFF '])
      expect(() => loadConfig({ COACH_DIGEST_HOUR: bad })).toThrow(/COACH_DIGEST_HOUR/);
  });

  it('turns on secure cookies for an https public URL', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://rehearse.example.org' }).secureCookies).toBe(true);
  });

  it('refuses to start with a message naming every wrong value', () => {
    expect(() => loadConfig({ PORT: 'eighty', PUBLIC_URL: 'nope', MFA_CODE_TTL_MINUTES: '30' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', PUBLIC_URL: 'nope', MFA_CODE_TTL_MINUTES: '30' });
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toMatch(/PORT/);
      expect(msg).toMatch(/PUBLIC_URL/);
      expect(msg).toMatch(/MFA_CODE_TTL_MINUTES/);
    }
  });

  it('checks the storage settings', () => {
    expect(loadConfig({}).storageMasterKey).toHaveLength(32);
    expect(() => loadConfig({ STORAGE_MASTER_KEY: Buffer.alloc(16).toString('base64') })).toThrow(
      /STORAGE_MASTER_KEY: must be 32 bytes/,
    );
    expect(
      loadConfig({ STORAGE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') }).storageMasterKey.equals(
        Buffer.alloc(32, 7),
      ),
    ).toBe(true);
    expect(() => loadConfig({ STORAGE_DRIVER: 's3' })).toThrow(/S3_ENDPOINT.*\n.*S3_ACCESS_KEY.*\n.*S3_SECRET_KEY/s);
    expect(() => loadConfig({ NODE_ENV: 'production', APP_SECRET: 'x'.repeat(40) })).toThrow(
      /STORAGE_MASTER_KEY: is required in production/,
    );
  });

  it('demands a secret and bcrypt cost >= 12 in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/APP_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', APP_SECRET: 'x'.repeat(40), BCRYPT_COST: '10' })).toThrow(
      /BCRYPT_COST/,
    );
    expect(
      loadConfig({
        NODE_ENV: 'production',
        APP_SECRET: 'x'.repeat(40),
        STORAGE_MASTER_KEY: Buffer.alloc(32).toString('base64'),
      }).APP_SECRET,
    ).toHaveLength(40);
  });
});
