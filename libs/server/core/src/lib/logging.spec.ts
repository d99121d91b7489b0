import { loggableUrl } from './logging';

describe('request addresses in logs', () => {
  const token = 'q8Vx3J5m0dZr2bWcHkLp7yT1nA4sE6uG9oIfRvXeYzQ';

  it.each([
    [`/api/invitations/${token}`, '/api/invitations/[redacted]'],
    [`/invitation/${token}?utm=x`, '/invitation/[redacted]'],
    [`/api/auth/password-reset/${token}`, '/api/auth/password-reset/[redacted]'],
    ['/password-reset/short', '/password-reset/[redacted]'],
    [`/api/auth/email-change/${token}`, '/api/auth/email-change/[redacted]'],
    ['/email-change/short', '/email-change/[redacted]'],
    [`/API/Invitations/${token}`, '/API/Invitations/[redacted]'],
    [`/api/auth/sso/callback?code=${token}&state=${token}`, '/api/auth/sso/callback'],
    [`/api/something/${token}/more`, '/api/something/[redacted]/more'],
    [`/api/x/${'y'.repeat(80)}`, '/api/x/[redacted]'],
  ])('%s is logged as %s', (url, logged) => {
    expect(loggableUrl(url)).toBe(logged);
  });

  it('keeps ordinary addresses, UUIDs and the server’s upload ids readable', () => {
    for (const url of [
      '/api/invitations/accept',
      '/api/auth/password-reset',
      '/api/auth/password-reset/complete',
      '/api/auth/email-change/confirm',
      '/api/account/email',
      '/api/recordings/3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a/content',
      '/api/uploads/0123456789abcdef0123456789abcdef',
      '/api/admin/users',
    ]) {
      expect(loggableUrl(url)).toBe(url);
    }
  });
});
