import { loadConfig } from '@rehearse/server/core';
import { issuerRefused } from './sso-settings.service';

describe('which identity providers the API may talk to (SSO_ISSUER_HOSTS)', () => {
  const development = loadConfig({});
  const production = { ...development, NODE_ENV: 'production' as const };
  const refused = (config: typeof development, issuer: string) =>
    issuerRefused(config, new URL(issuer))?.detail ?? null;

  it("allows Entra ID's clouds by default, over https only, whatever the case of the host", () => {
    expect(production.SSO_ISSUER_HOSTS).toEqual([
      'login.microsoftonline.com',
      'login.microsoftonline.us',
      'login.partner.microsoftonline.cn',
    ]);
    expect(
      refused(production, 'https://login.microsoftonline.com/5f1c0b1e-0000-4000-8000-000000000001/v2.0'),
    ).toBeNull();
    expect(refused(production, 'https://LOGIN.MicrosoftOnline.com/x/v2.0')).toBeNull();
    expect(refused(production, 'http://login.microsoftonline.com/x/v2.0')).toBe('must start with https://');
  });

  it("refuses an issuer on any other host: the operator's network, a metadata service, a look-alike, credentials in the address", () => {
    for (const issuer of [
      'https://10.0.0.5/realms/x',
      'https://169.254.169.254/latest',
      'https://kubernetes.default.svc/',
      'https://login.microsoftonline.com.evil.test/x/v2.0',
      'https://login.microsoftonline.com@evil.test/x/v2.0',
      'https://127.0.0.1:8443/',
      'https://localhost/',
    ])
      expect(refused(production, issuer)).toBe(
        'must be on login.microsoftonline.com, login.microsoftonline.us, login.partner.microsoftonline.cn',
      );
  });

  it('takes the hosts an operator names instead, and a provider on this machine outside production only', () => {
    const own = loadConfig({ SSO_ISSUER_HOSTS: ' Sso.Example.org , idp.example.net,' });
    expect(own.SSO_ISSUER_HOSTS).toEqual(['sso.example.org', 'idp.example.net']);
    expect(refused({ ...own, NODE_ENV: 'production' }, 'https://idp.example.net/realms/staff')).toBeNull();
    expect(refused({ ...own, NODE_ENV: 'production' }, 'https://login.microsoftonline.com/x/v2.0')).toBe(
      'must be on sso.example.org, idp.example.net',
    );
    expect(refused(development, 'http://127.0.0.1:4455')).toBeNull();
    expect(refused(development, 'http://localhost:4455')).toBeNull();
    expect(refused(development, 'http://10.0.0.5:4455')).toBe('must start with https://');
  });
});
