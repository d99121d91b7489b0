// A real OpenID Connect provider on localhost for the SSO tests (oidc-provider), standing in for
// Microsoft Entra ID: its ID tokens carry Entra's `tid` (directory) and `oid` (object id) claims.
// Configuration by environment: IDP_PORT, IDP_CLIENTS (JSON: [{ client_id, client_secret, redirect_uris }]),
// IDP_ACCOUNTS (JSON: { "<login>": { oid, tid, email, name } }). Prints "ready <issuer>" when listening.
// Sign-in uses oidc-provider's development login form: any password, the login names the account.
import Provider from 'oidc-provider';

const port = Number(process.env.IDP_PORT ?? 0);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.IDP_ACCOUNTS ?? '{}');
const clients = JSON.parse(process.env.IDP_CLIENTS ?? '[]').map((c) => ({
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_post',
  ...c,
}));

const provider = new Provider(issuer, {
  clients,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  scopes: ['openid', 'email', 'profile'],
  claims: { openid: ['sub'], email: ['email'], profile: ['name', 'oid', 'tid'] },
  conformIdTokenClaims: false,
  cookies: { keys: ['rehearse-test-idp'] },
  async findAccount(_ctx, id) {
    const a = accounts[id];
    if (!a) return undefined;
    return { accountId: id, claims: () => ({ sub: a.sub ?? `${a.tid}:${a.oid}`, ...a }) };
  },
  // consent is taken as given (a directory's own apps)
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});
provider.proxy = false;
const server = provider.listen(port, '127.0.0.1', () => {
  const actual = server.address().port;
  if (port === 0) console.log(`error: IDP_PORT is required (the issuer names it)`);
  console.log(`ready ${issuer} ${actual}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
