/**
 * Seeds a demo tenant with one user per role and a superuser, for `npm start`. Idempotent.
 */
import { authenticator } from 'otplib';
import { TenantsService } from '@rehearse/server/accounts';
import { CoursesService, GroupsService, RubricsService } from '@rehearse/server/courses';
import { permissionsFor, TenantRole } from '@rehearse/shared/contracts';
import type { Actor } from '@rehearse/server/access';
import type { INestApplicationContext } from '@nestjs/common';
import { DEMO_RUBRIC, demoCourse } from '@rehearse/server/testing';
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

async function actorFor(db: DataSource, email: string): Promise<Actor> {
  const [u]: { id: string; tenant_id: string; name: string }[] = await db.query(`SELECT id, tenant_id, name FROM users WHERE email = $1`, [email]);
  const roles: TenantRole[] = (await db.query(`SELECT role FROM memberships WHERE user_id = $1`, [u.id])).map((r: { role: TenantRole }) => r.role);
  return { userId: u.id, tenantId: u.tenant_id, name: u.name, email, roles, isSuperuser: false, permissions: permissionsFor(roles, false), impersonatorId: null, impersonationId: null };
}

/** The demo course (published), its rubric, and a demo group with a coach, enrolled. Idempotent. */
async function seedCourse(ctx: INestApplicationContext, db: DataSource, tenantId: string): Promise<void> {
  const existing: unknown[] = await db.query(`SELECT 1 FROM courses WHERE tenant_id = $1`, [tenantId]);
  if (existing.length) return;
  const developer = await actorFor(db, `developer@${DOMAIN}`);
  const admin = await actorFor(db, `admin@${DOMAIN}`);
  const rubric = await ctx.get(RubricsService).create(developer, DEMO_RUBRIC);
  const courses = ctx.get(CoursesService);
  const created = await courses.create(developer, { title: 'Handling complaints on the phone', language: 'en' });
  await courses.saveDraft(developer, created.id, created.draft?.revision ?? 1, demoCourse(rubric.id));
  await courses.publish(developer, created.id, 'First version of the complaint-handling training');
  const groups = ctx.get(GroupsService);
  const group = await groups.create(admin, { name: 'Customer service team', description: 'First-line support, autumn intake' });
  const id = async (email: string) => (await db.query(`SELECT id FROM users WHERE email = $1`, [email]))[0].id as string;
  await groups.setMembers(admin, group.id, { participants: [await id(`participant@${DOMAIN}`), await id(`participant2@${DOMAIN}`)], coaches: [await id(`coach@${DOMAIN}`)] });
  const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await groups.enrol(admin, { courseId: created.id, groupId: group.id, coachId: await id(`coach@${DOMAIN}`), dueOn: due });
  console.log('Seeded the demo course, rubric and group.');
}

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
    await seedCourse(ctx, db, tenantId);
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
