/**
 * Seeds a demo tenant with one user per role and a superuser, for `npm start`. Idempotent.
 */
import { authenticator } from 'otplib';
import { TenantsService } from '@rehearse/server/accounts';
import { DataSource } from 'typeorm';
import { toolsContext } from './lib/app-context';

export const DEMO_PASSWORD = 'rehearse-demo-2026';
/** The demo superuser's authenticator secret is fixed so the demo can print codes; never in production. */
export const DEMO_TOTP_SECRET = 'KVKFKRCPNZQUYMLXOVYDSQKJKZDTSRLD';
const DOMAIN = 'demo.rehearse.local';
const SUPERUSER_EMAIL = `support@${DOMAIN}`;
const SUPERUSER_PASSWORD = `${DEMO_PASSWORD}-Operator!`;

const PEOPLE = [
  { name: 'Ada Administrator', email: `admin@${DOMAIN}`, roles: ['administrator'] as const },
  { name: 'Dev Content', email: `developer@${DOMAIN}`, roles: ['content_developer'] as const },
  { name: 'Cora Coach', email: `coach@${DOMAIN}`, roles: ['coach'] as const },
  { name: 'Pim Participant', email: `participant@${DOMAIN}`, roles: ['participant'] as const },
  { name: 'Quinn Participant', email: `participant2@${DOMAIN}`, roles: ['participant'] as const },
];

async function main(): Promise<void> {
  const ctx = await toolsContext();
  try {
    const db = ctx.get(DataSource);
    const tenants = ctx.get(TenantsService);
    const exists = async (email: string) => (await db.query(`SELECT 1 FROM users WHERE email = $1`, [email])).length > 0;
    let tenantId: string | undefined = (await db.query(`SELECT id FROM tenants WHERE slug = 'demo'`))[0]?.id;
    if (!tenantId) {
      const [first] = PEOPLE;
      tenantId = (await tenants.createTenant({ name: 'Demo Organisation', slug: 'demo', admin: { name: first.name, email: first.email, password: DEMO_PASSWORD } })).tenantId;
      console.log('Seeded the demo tenant.');
    }
    for (const p of PEOPLE) if (!(await exists(p.email))) await tenants.createUser(tenantId, p.name, p.email, [...p.roles], DEMO_PASSWORD);
    await db.query(
      `INSERT INTO licences (tenant_id, user_id, starts_on, expires_on)
       SELECT tenant_id, id, current_date, current_date + 365 FROM users WHERE tenant_id = $1 ON CONFLICT (user_id) DO NOTHING`,
      [tenantId],
    );
    if (!(await exists(SUPERUSER_EMAIL))) await tenants.createSuperuser('Sam Support', SUPERUSER_EMAIL, SUPERUSER_PASSWORD, DEMO_TOTP_SECRET);
    console.log('\nDemo sign-ins (password for all: ' + DEMO_PASSWORD + '; the e-mailed code appears at http://localhost:3025):');
    for (const p of PEOPLE) console.log(`  ${p.roles.join(', ').padEnd(18)} ${p.email}`);
    console.log(`  superuser          ${SUPERUSER_EMAIL}  password ${SUPERUSER_PASSWORD}  authenticator secret ${DEMO_TOTP_SECRET}`);
    console.log(`                     current code: npm run totp -- ${DEMO_TOTP_SECRET}   (now: ${authenticator.generate(DEMO_TOTP_SECRET)})\n`);
  } finally {
    await ctx.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
