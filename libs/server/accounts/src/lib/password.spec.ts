import bcrypt from 'bcrypt';
import { loadConfig } from '@rehearse/server/core';
import { checkPassword, COMMON_PASSWORD_COUNT, PasswordHasher } from './password';

describe('password policy', () => {
  const ok = (p: string, requireComplexity = false) => checkPassword(p, { requireComplexity });

  it('ships a list of at least 10,000 common passwords', () => {
    expect(COMMON_PASSWORD_COUNT).toBeGreaterThanOrEqual(10_000);
  });

  it('accepts 8 to 128 characters, including long passphrases and any Unicode', () => {
    expect(ok('tulip-harbor-93')).toEqual([]);
    expect(ok('ééééééé€')).toEqual([]);
    expect(ok('a quiet river bends through the old mill town at dawn, 64 chars')).toEqual([]);
    expect(ok('x'.repeat(7) + 'ä')).toEqual([]);
  });

  it('refuses too short, too long, and common passwords', () => {
    expect(ok('Tr0ub4!')[0].messages).toContain('must be at least 8 characters');
    expect(ok('y'.repeat(129))[0].messages).toContain('must be at most 128 characters');
    for (const common of ['password', 'Password1', '12345678', 'iloveyou', 'qwertyuiop', 'sunshine1']) {
      expect(ok(common)[0]?.messages.join()).toMatch(/commonly used/);
    }
  });

  it('refuses the e-mail name inside the password', () => {
    expect(
      checkPassword('annemarie-2026', { requireComplexity: false, email: 'annemarie@x.test' })[0].messages,
    ).toContain('must not contain your e-mail address or name');
  });

  it('applies the tenant complexity rule only when asked', () => {
    expect(ok('lowercase only words')).toEqual([]);
    const errors = ok('lowercase only words', true)[0].messages;
    expect(errors).toEqual(['must contain an upper-case letter', 'must contain a digit']);
    expect(ok('Mixed Case 42 words!', true)).toEqual([]);
  });
});

describe('password hashing', () => {
  const hasher = new PasswordHasher(loadConfig({ NODE_ENV: 'test' }));

  it('uses bcrypt with cost 12 by default', async () => {
    const hash = await hasher.hash('tulip-harbor-93');
    expect(hash).toMatch(/^\$2[aby]\$12\$/);
    expect(bcrypt.getRounds(hash)).toBe(12);
    expect(await hasher.verify('tulip-harbor-93', hash)).toBe(true);
    expect(await hasher.verify('tulip-harbor-94', hash)).toBe(false);
  });

  it("does not truncate at bcrypt's 72 bytes: passwords differing after byte 72 differ", async () => {
    const fast = new PasswordHasher(loadConfig({ NODE_ENV: 'test', BCRYPT_COST: '4' }));
    const base = 'a'.repeat(80);
    const hash = await fast.hash(`${base}1`);
    expect(await fast.verify(`${base}1`, hash)).toBe(true);
    expect(await fast.verify(`${base}2`, hash)).toBe(false);
  });

  it('compares against a real hash when the account does not exist', async () => {
    const fast = new PasswordHasher(loadConfig({ NODE_ENV: 'test', BCRYPT_COST: '4' }));
    expect(await fast.verify('anything at all', null)).toBe(false);
  });
});
