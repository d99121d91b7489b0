/**
 * Registers a client organisation with its first administrator, or a platform superuser.
 *
 *   npm run create-tenant -- --name "Acme Care" --slug acme --admin-name "Ann Admin" --admin-email ann@acme.example [--complexity]
 *   npm run create-tenant -- --superuser --name "Sam Support" --email sam@operator.example
 *
 * Administrators get a one-time invitation link (printed here and mailed); no password is chosen
 * for them. Superusers get a generated password and an authenticator secret, printed once.
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { authenticator } from 'otplib';
import { TenantsService } from '@rehearse/server/accounts';
import { InvitationsService } from '@rehearse/server/accounts';
import { loadConfig } from '@rehearse/server/core';
import { toolsContext } from './lib/app-context';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      slug: { type: 'string' },
      'admin-name': { type: 'string' },
      'admin-email': { type: 'string' },
      complexity: { type: 'boolean', default: false },
      superuser: { type: 'boolean', default: false },
      email: { type: 'string' },
    },
  });
  const ctx = await toolsContext();
  try {
    const tenants = ctx.get(TenantsService);
    if (values.superuser) {
      if (!values.name || !values.email)
        throw new Error('usage: --superuser --name "Full Name" --email person@example.org');
      const password = `${randomBytes(9).toString('base64url')}-Aa1!`;
      const secret = authenticator.generateSecret(20);
      const u = await tenants.createSuperuser(values.name, values.email, password, secret);
      console.log(`Superuser ${u.email} created.`);
      console.log(`  password:            ${password}`);
      console.log(`  authenticator secret: ${secret}`);
      console.log(`  otpauth URL:          ${authenticator.keyuri(u.email, 'Rehearse', secret)}`);
      console.log('Store these now; they are not shown again.');
      return;
    }
    if (!values.name || !values.slug || !values['admin-name'] || !values['admin-email']) {
      throw new Error(
        'usage: --name "Organisation" --slug org --admin-name "Full Name" --admin-email admin@org.example [--complexity]',
      );
    }
    const { tenantId, admin } = await tenants.createTenant({
      name: values.name,
      slug: values.slug,
      requirePasswordComplexity: values.complexity,
      admin: { name: values['admin-name'], email: values['admin-email'] },
    });
    console.log(`Tenant "${values.name}" (${tenantId}) created with administrator ${admin.email}.`);
    if (admin.invitationToken && admin.invitationId) {
      await ctx.get(InvitationsService).enqueue(admin.invitationId);
      console.log(
        `Invitation link (also e-mailed): ${new URL(`/invitation/${admin.invitationToken}`, loadConfig().PUBLIC_URL)}`,
      );
    }
  } finally {
    await ctx.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
