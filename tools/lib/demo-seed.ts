/**
 * The demo organisation for `npm start` (and the screenshot tour): one user per role and a
 * superuser, the demo course, rubric and group, and a few weeks of activity (demo-activity.ts).
 * Idempotent: each part is skipped when it exists.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantsService } from '@rehearse/server/accounts';
import { type AppConfig, loadConfig } from '@rehearse/server/core';
import { CoursesService, EnrolmentsService, GroupsService, RubricsService } from '@rehearse/server/courses';
import {
  DEMO_DOMAIN,
  DEMO_PASSWORD,
  DEMO_RUBRIC,
  DEMO_SUPERUSER_EMAIL,
  DEMO_SUPERUSER_PASSWORD,
  DEMO_TOTP_SECRET,
  demoCourse,
} from '@rehearse/server/testing';
import { actorFor, demoContext, seedDemoActivity } from './demo-activity';

export { DEMO_DOMAIN, DEMO_PASSWORD, DEMO_SUPERUSER_EMAIL, DEMO_SUPERUSER_PASSWORD, DEMO_TOTP_SECRET };
/** The demo superuser's authenticator secret is fixed so the demo can print codes; never in production. */

export const DEMO_PEOPLE = [
  { name: 'Ada Administrator', email: `admin@${DEMO_DOMAIN}`, roles: ['administrator'] as const },
  { name: 'Dev Content', email: `developer@${DEMO_DOMAIN}`, roles: ['content_developer'] as const },
  { name: 'Cora Coach', email: `coach@${DEMO_DOMAIN}`, roles: ['coach'] as const },
  { name: 'Pim Participant', email: `participant@${DEMO_DOMAIN}`, roles: ['participant'] as const },
  { name: 'Quinn Participant', email: `participant2@${DEMO_DOMAIN}`, roles: ['participant'] as const },
];

/** The demo course (published), its rubric, and a demo group with a coach, enrolled. Idempotent. */
async function seedCourse(ctx: INestApplicationContext, db: DataSource, tenantId: string): Promise<void> {
  const existing: unknown[] = await db.query(`SELECT 1 FROM courses WHERE tenant_id = $1`, [tenantId]);
  if (existing.length) return;
  const developer = await actorFor(db, `developer@${DEMO_DOMAIN}`);
  const admin = await actorFor(db, `admin@${DEMO_DOMAIN}`);
  const rubric = await ctx.get(RubricsService).create(developer, DEMO_RUBRIC);
  const courses = ctx.get(CoursesService);
  const created = await courses.create(developer, { title: 'Handling complaints on the phone', language: 'en' });
  await courses.saveDraft(developer, created.id, created.draft?.revision ?? 1, demoCourse(rubric.id));
  await courses.publish(developer, created.id, 'First version of the complaint-handling training');
  const groups = ctx.get(GroupsService);
  const group = await groups.create(admin, {
    name: 'Customer service team',
    description: 'First-line support, autumn intake',
  });
  const id = async (email: string) =>
    (await db.query(`SELECT id FROM users WHERE email = $1`, [email]))[0].id as string;
  await groups.setMembers(admin, group.id, {
    participants: [await id(`participant@${DEMO_DOMAIN}`), await id(`participant2@${DEMO_DOMAIN}`)],
    coaches: [await id(`coach@${DEMO_DOMAIN}`)],
  });
  const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await ctx.get(EnrolmentsService).enrol(admin, {
    courseId: created.id,
    groupId: group.id,
    coachId: await id(`coach@${DEMO_DOMAIN}`),
    dueOn: due,
  });
  console.log('Seeded the demo course, rubric and group.');
}

/** Seeds the demo organisation into `config`'s installation; returns its tenant id. */
export async function seedDemo(config: AppConfig = loadConfig(), opts: { activity?: boolean } = {}): Promise<string> {
  const ctx = await demoContext(config);
  try {
    const db = ctx.get(DataSource);
    const tenants = ctx.get(TenantsService);
    const exists = async (email: string) =>
      (await db.query(`SELECT 1 FROM users WHERE email = $1`, [email])).length > 0;
    let tenantId: string | undefined = (await db.query(`SELECT id FROM tenants WHERE slug = 'demo'`))[0]?.id;
    if (!tenantId) {
      const [first] = DEMO_PEOPLE;
      tenantId = (
        await tenants.createTenant({
          name: 'Demo Organisation',
          slug: 'demo',
          admin: { name: first.name, email: first.email, password: DEMO_PASSWORD },
        })
      ).tenantId;
      console.log('Seeded the demo tenant.');
    }
    for (const p of DEMO_PEOPLE)
      if (!(await exists(p.email))) await tenants.createUser(tenantId, p.name, p.email, [...p.roles], DEMO_PASSWORD);
    await db.query(
      `INSERT INTO licences (tenant_id, user_id, starts_on, expires_on)
       SELECT tenant_id, id, current_date, current_date + 365 FROM users WHERE tenant_id = $1 ON CONFLICT (user_id) DO NOTHING`,
      [tenantId],
    );
    if (!(await exists(DEMO_SUPERUSER_EMAIL)))
      await tenants.createSuperuser('Sam Support', DEMO_SUPERUSER_EMAIL, DEMO_SUPERUSER_PASSWORD, DEMO_TOTP_SECRET);
    await seedCourse(ctx, db, tenantId);
    if (opts.activity ?? true)
      await seedDemoActivity(ctx, tenantId, DEMO_DOMAIN, DEMO_PASSWORD, config.DATABASE_OWNER_URL);
    return tenantId;
  } finally {
    await ctx.close();
  }
}
