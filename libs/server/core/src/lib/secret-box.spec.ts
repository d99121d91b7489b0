import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox('a'.repeat(40));

  it('round-trips a sealed value bound to its context', () => {
    const sealed = box.seal('123456', 'mfa:1');
    expect(sealed).not.toContain('123456');
    expect(box.open(sealed, 'mfa:1')).toBe('123456');
    expect(() => box.open(sealed, 'mfa:2')).toThrow();
  });

  it('detects tampering', () => {
    const sealed = Buffer.from(box.seal('secret', 'ctx'), 'base64');
    sealed[sealed.length - 1] ^= 1;
    expect(() => box.open(sealed.toString('base64'), 'ctx')).toThrow();
  });

  it('hashes with a key: other secrets give other hashes', () => {
    expect(box.hash('token', 'c')).toBe(box.hash('token', 'c'));
    expect(new SecretBox('b'.repeat(40)).hash('token', 'c')).not.toBe(box.hash('token', 'c'));
  });
});
