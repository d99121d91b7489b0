/**
 * The organisations' and people's repositories of accounts on real PostgreSQL (the medium tier):
 * registration's checks and rows, the sign-in's reads, within one organisation.
 */
import { randomUUID } from 'node:crypto';
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { Clock } from '@rehearse/server/core';
import { ImpersonationsRepository } from './impersonations.repository';
import { InvitationsRepository } from './invitations.repository';
import { SecurityNoticesRepository } from './security-notices.repository';
import { LicencesRepository } from './licences.repository';
import { MailPreferencesRepository } from './mail-preferences.repository';
import { LicenceLifecycleRepository } from './licence-lifecycle.repository';
import { PeopleDirectoryRepository } from './people-directory.repository';
import { SsoRepository } from './sso.repository';
import { TenantsRepository } from './tenants.repository';
import { UsersRepository } from './users.repository';
import { type LicenceFilter, UserAdministrationRepository } from './user-administration.repository';
import { SuperusersRepository } from './superusers.repository';

describe('TenantsRepository and the users repositories (medium tier)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let tenants: TenantsRepository;
  let users: UsersRepository;
  let administration: UserAdministrationRepository;
  let superusers: SuperusersRepository;
  let impersonations: ImpersonationsRepository;
  let licences: LicencesRepository;
  let lifecycles: LicenceLifecycleRepository;
  let people: PeopleDirectoryRepository;
  let sso: SsoRepository;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    tenants = new TenantsRepository(m.db);
    users = new UsersRepository(m.db);
    administration = new UserAdministrationRepository(m.db);
    superusers = new SuperusersRepository(m.db);
    impersonations = new ImpersonationsRepository(m.db);
    licences = new LicencesRepository(m.db);
    lifecycles = new LicenceLifecycleRepository(m.db);
    people = new PeopleDirectoryRepository(m.db);
    sso = new SsoRepository(m.db);
  });
  afterAll(() => m?.close());

  const unique = () => Math.random().toString(36).slice(2, 10);

  it('registers an organisation under a free slug and knows the slug is taken afterwards', async () => {
    const slug = `org-${unique()}`;
    expect(await tenants.slugTaken(slug)).toBe(false);
    const id = await tenants.insert({ name: 'Acme', slug, requirePasswordComplexity: true });
    expect(await tenants.slugTaken(slug)).toBe(true);
    expect(await tenants.requiresPasswordComplexity(id)).toBe(true);
    expect(await tenants.feedbackSettings(id)).toEqual({ markerTags: null, fillers: {} });
  });

  it("keeps an organisation's feedback settings to itself", async () => {
    const a = await rows.tenant();
    const b = await rows.tenant();
    await tenants.saveFeedbackSettings(a, ['Empathy', 'Next step'], { en: ['um', 'like'] });
    expect(await tenants.feedbackSettings(a)).toEqual({
      markerTags: ['Empathy', 'Next step'],
      fillers: { en: ['um', 'like'] },
    });
    expect(await tenants.feedbackSettings(b)).toEqual({ markerTags: null, fillers: {} });
  });

  it('an address is taken within its organisation and by a superuser, not by another organisation', async () => {
    const a = await rows.tenant();
    const b = await rows.tenant();
    const email = `someone-${unique()}@medium.test`;
    const id = await m.db.transaction((t) =>
      users.insert(a, { email, name: 'Some One', passwordHash: null, roles: ['participant', 'coach'] }, t),
    );
    expect(await users.emailTaken(a, email)).toBe(true);
    expect(await users.emailTaken(b, email)).toBe(false);
    expect(await users.emailTaken(null, email)).toBe(true);
    const [row] = await m.db.query(
      `SELECT u.status, u.password_hash, array_agg(m.role ORDER BY m.role) AS roles
         FROM users u JOIN memberships m ON m.user_id = u.id AND m.tenant_id = u.tenant_id WHERE u.id = $1 GROUP BY u.id`,
      [id],
    );
    expect(row).toEqual({ status: 'invited', password_hash: null, roles: ['coach', 'participant'] });

    const superEmail = `support-${unique()}@operator.test`;
    const superId = await superusers.insertSuperuser(
      { email: superEmail, name: 'Sam', passwordHash: 'hash' },
      (newId) => `sealed:${newId}`,
    );
    expect(await users.emailTaken(b, superEmail)).toBe(true);
    expect(await users.signInState(null, superId)).toMatchObject({
      is_superuser: true,
      totp_enabled: true,
      status: 'active',
    });
    const [sealed] = await m.db.query(`SELECT totp_secret_sealed FROM users WHERE id = $1`, [superId]);
    // the secret is sealed for the id the row got
    expect(sealed.totp_secret_sealed).toBe(`sealed:${superId}`);
  });

  it('reads and changes a person only within their organisation', async () => {
    const a = await rows.tenant();
    const b = await rows.tenant();
    const person = await rows.user(a);
    expect(await users.exists(a, person)).toBe(true);
    expect(await users.exists(b, person)).toBe(false);
    expect(await users.signInState(b, person)).toBeUndefined();
    expect(await users.setPassword(b, person, 'hash-b', new Date())).toBe(false);
    expect(await users.passwordHashOf(a, person)).toBeNull();
    expect(await users.setPassword(a, person, 'hash-a', new Date())).toBe(true);
    expect(await users.passwordHashOf(a, person)).toBe('hash-a');
    expect(await users.passwordHashOf(b, person)).toBeUndefined();
  });

  it('offers the accounts an address may sign in to, superusers first, narrowed by organisation', async () => {
    const a = await rows.tenant();
    const b = await rows.tenant();
    const email = `twice-${unique()}@medium.test`;
    const inA = await rows.user(a, { email });
    const inB = await rows.user(b, { email });
    await rows.user(b, { email: `gone-${unique()}@medium.test`, status: 'deactivated' });
    const all = await users.signInCandidates(email, null);
    expect(all.map((c) => c.id).sort()).toEqual([inA, inB].sort());
    const [slugB] = await m.db.query(`SELECT slug FROM tenants WHERE id = $1`, [b]);
    expect((await users.signInCandidates(email, slugB.slug)).map((c) => c.id)).toEqual([inB]);
    expect(await users.signInCandidates(`nobody-${unique()}@medium.test`, null)).toEqual([]);
  });

  it("changes a person's own profile and address within their organisation only; their own address is not 'taken'", async () => {
    const a = await rows.tenant();
    const b = await rows.tenant();
    const email = `me-${unique()}@medium.test`;
    const me = await rows.user(a, { email, name: 'Old Name' });
    await users.updateProfile(a, me, { name: 'New Name', locale: 'nl' });
    await users.updateProfile(b, me, { name: 'Foreign' });
    await users.updateProfile(a, me, {});
    const [row] = await m.db.query(`SELECT name, locale, phone, security_stamp FROM users WHERE id = $1`, [me]);
    expect(row).toMatchObject({ name: 'New Name', locale: 'nl', phone: null });
    expect(await users.profileOf(a, me)).toMatchObject({ locale: 'nl', phone: null, totp_enabled: false });
    expect(await users.profileOf(b, me)).toBeUndefined();

    expect(await users.emailTaken(a, email)).toBe(true);
    expect(await users.emailTaken(a, email, m.db, me)).toBe(false);
    const next = `moved-${unique()}@medium.test`;
    await users.setEmail(b, me, next);
    expect(await users.emailTaken(a, next)).toBe(false);
    await users.setEmail(a, me, next);
    const [after] = await m.db.query(`SELECT email, security_stamp FROM users WHERE id = $1`, [me]);
    expect(after.email).toBe(next);
    // trusted devices made before the change die with the old stamp
    expect(after.security_stamp).not.toBe(row.security_stamp);
  });

  it("support's search across organisations: by name, address or organisation, never a superuser, a page at a time", async () => {
    const word = `zq${unique()}`;
    const a = await rows.tenant(`Org ${word}`);
    const b = await rows.tenant();
    const inA1 = await rows.user(a, { name: 'Anna', roles: ['coach', 'participant'] });
    const inA2 = await rows.user(a, { name: 'Bert' });
    const byName = await rows.user(b, { name: `Carla ${word}` });
    await superusers.insertSuperuser(
      { email: `${word}@operator.test`, name: `Sam ${word}`, passwordHash: 'h' },
      () => 's',
    );
    const pattern = `%${word}%`;
    const all = await superusers.searchAcrossOrganisations(pattern, { limit: 10, offset: 0 });
    expect(all.total).toBe(3);
    expect(all.people.map((p) => p.id).sort()).toEqual([inA1, inA2, byName].sort());
    expect(all.people.find((p) => p.id === inA1)?.roles).toEqual(['coach', 'participant']);
    const first = await superusers.searchAcrossOrganisations(pattern, { limit: 2, offset: 0 });
    const second = await superusers.searchAcrossOrganisations(pattern, { limit: 2, offset: 2 });
    expect(first.total).toBe(3);
    expect([...first.people, ...second.people].map((p) => p.id)).toEqual(all.people.map((p) => p.id));
    expect((await superusers.superusers()).some((s) => s.name === `Sam ${word}`)).toBe(true);
  });

  it("support's list as it opens: everyone but superusers, by organisation and name, pages that meet across organisations", async () => {
    const word = unique();
    // two organisations whose names sort before any other test's ("0…"), numbers in names as numbers
    const first = await rows.tenant(`0 Alpha ${word}`);
    const second = await rows.tenant(`0 Beta ${word}`);
    const names = ['Person 10', 'Person 9', 'person 2'];
    for (const n of names) await rows.user(first, { name: n });
    await rows.user(second, { name: 'Zed' });
    await rows.user(second, { name: 'Abe' });
    await superusers.insertSuperuser(
      { email: `su-${word}@operator.test`, name: '0 Support', passwordHash: 'h' },
      () => 's',
    );
    const everyone = await superusers.searchAcrossOrganisations(null, { limit: 100, offset: 0 });
    const [{ n }] = await m.db.query(`SELECT count(*)::int AS n FROM users WHERE NOT is_superuser`);
    expect(everyone.total).toBe(n);
    expect(everyone.people.slice(0, 5).map((p) => `${p.tenant_name}: ${p.name}`)).toEqual([
      `0 Alpha ${word}: person 2`,
      `0 Alpha ${word}: Person 9`,
      `0 Alpha ${word}: Person 10`,
      `0 Beta ${word}: Abe`,
      `0 Beta ${word}: Zed`,
    ]);
    // pages of two: the second reaches across into the next organisation, none repeated or lost
    const pages = [];
    for (let offset = 0; offset < 6; offset += 2)
      pages.push(...(await superusers.searchAcrossOrganisations(null, { limit: 2, offset })).people);
    expect(pages.map((p) => p.id)).toEqual(everyone.people.slice(0, 6).map((p) => p.id));
    expect(everyone.people.some((p) => p.name === '0 Support')).toBe(false);
    // an organisation's name finds its people too
    const byOrganisation = await superusers.searchAcrossOrganisations(`%0 beta ${word}%`.toLowerCase(), {
      limit: 10,
      offset: 0,
    });
    expect(byOrganisation.people.map((p) => p.name)).toEqual(['Abe', 'Zed']);
  });

  it('an impersonation is started, described, listed with its names and ended once', async () => {
    const a = await rows.tenant();
    const target = await rows.user(a, { name: 'Target Person' });
    const word = unique();
    const sam = await superusers.insertSuperuser(
      { email: `sam-${word}@operator.test`, name: `Sam ${word}`, passwordHash: 'h' },
      () => 's',
    );
    expect(await superusers.impersonationTarget(target)).toMatchObject({
      id: target,
      tenant_id: a,
      is_superuser: false,
    });
    const startedAt = new Date();
    const id = await impersonations.start(
      {
        superuserId: sam,
        targetUserId: target,
        tenantId: a,
        reason: 'Support ticket 42',
        startedAt,
        expiresAt: new Date(startedAt.getTime() + 900_000),
      },
      m.db,
    );
    expect(await impersonations.describe(id)).toEqual({ reason: 'Support ticket 42', superuser_name: `Sam ${word}` });
    const listed = (await impersonations.page({ superuserId: sam }, { limit: 10, offset: 0 })).items.find(
      (r) => r.id === id,
    );
    expect(listed).toMatchObject({
      superuserName: `Sam ${word}`,
      targetUserName: 'Target Person',
      reason: 'Support ticket 42',
      endedAt: null,
    });
    const endedAt = new Date(startedAt.getTime() + 60_000);
    await impersonations.end(id, endedAt);
    await impersonations.end(id, new Date(startedAt.getTime() + 120_000));
    expect((await impersonations.page({ superuserId: sam }, { limit: 10, offset: 0 })).items[0]?.endedAt).toBe(
      endedAt.toISOString(),
    );
  });

  it("the operator's review: a period's impersonations by start, counted per superuser, paged and in keyset batches", async () => {
    const a = await rows.tenant();
    const target = await rows.user(a, { name: 'Acted As' });
    const word = unique();
    const su = async (name: string) =>
      superusers.insertSuperuser(
        { email: `${name}-${word}@operator.test`, name: `${name} ${word}`, passwordHash: 'h' },
        () => 's',
      );
    const [sam, kim] = [await su('sam'), await su('kim')];
    // a year no other test writes in: the quarter of July to September 2031 and the days around it
    const at = (iso: string) => new Date(iso);
    const made: Record<string, string> = {};
    for (const [key, superuserId, startedAt] of [
      ['june', sam, '2031-06-30T23:59:59.999Z'],
      ['first', sam, '2031-07-01T00:00:00.000Z'],
      ['kim1', kim, '2031-08-15T10:00:00.000Z'],
      ['kim2', kim, '2031-08-15T10:00:00.000Z'],
      ['kim3', kim, '2031-08-15T10:00:00.000Z'],
      ['last', sam, '2031-09-30T23:59:59.999Z'],
      ['october', kim, '2031-10-01T00:00:00.000Z'],
    ] as const)
      made[key] = await impersonations.start(
        {
          superuserId,
          targetUserId: target,
          tenantId: a,
          reason: `Ticket ${key} of the quarter`,
          startedAt: at(startedAt),
          expiresAt: new Date(at(startedAt).getTime() + 900_000),
        },
        m.db,
      );
    // three that started in the same microsecond, written by the database (the records' times are to the millisecond)
    await m.db.query(`UPDATE impersonations SET started_at = '2031-08-15 10:00:00.000001+00' WHERE id = ANY($1)`, [
      [made.kim1, made.kim2, made.kim3],
    ]);
    const quarter = { from: at('2031-07-01T00:00:00Z'), before: at('2031-10-01T00:00:00Z') };
    const counts = await impersonations.countsBySuperuser(quarter);
    expect([counts.get(sam), counts.get(kim)]).toEqual([2, 3]);
    const all = await impersonations.page(quarter, { limit: 10, offset: 0 });
    // newest first; inside the quarter only (its first moment in it, the moment after it not)
    expect(all.total).toBe(5);
    expect(all.items.map((i) => i.id)).toEqual([
      made.last,
      ...[made.kim1, made.kim2, made.kim3].sort().reverse(),
      made.first,
    ]);
    const samOnly = await impersonations.page({ ...quarter, superuserId: sam }, { limit: 1, offset: 1 });
    expect(samOnly).toMatchObject({ total: 2, items: [expect.objectContaining({ id: made.first })] });
    // batches of two through rows sharing a start: each row once, oldest first
    const seen: string[] = [];
    let after = null;
    for (;;) {
      const { items, last } = await impersonations.batchAfter({ ...quarter, superuserId: kim }, after, 2);
      seen.push(...items.map((i) => i.id));
      if (items.length < 2) break;
      after = last;
    }
    expect(seen).toEqual([made.kim1, made.kim2, made.kim3].sort());
    // a period open at either end
    expect((await impersonations.countsBySuperuser({ before: quarter.from })).get(sam)).toBe(1);
    expect((await impersonations.countsBySuperuser({ from: quarter.before })).get(kim)).toBe(1);
  });

  it("administration's list: filtered by name or address, role and status, by name, a page at a time, one organisation only", async () => {
    const a = await rows.tenant();
    const b = await rows.tenant();
    const word = unique();
    const anna = await rows.user(a, { name: `Anna ${word}`, roles: ['coach', 'participant'] });
    const bert = await rows.user(a, { name: 'Bert', email: `bert-${word}@medium.test` });
    const cleo = await rows.user(a, { name: `Cleo ${word}`, status: 'deactivated' });
    await rows.user(b, { name: `Dirk ${word}` });
    const page = { limit: 10, offset: 0 };
    const pattern = `%${word}%`;
    const byWord = await administration.administeredPage(a, { pattern }, page, m.db);
    expect(byWord.total).toBe(3);
    expect(byWord.people.map((p) => p.id)).toEqual([anna, bert, cleo]);
    expect(byWord.people[0].roles).toEqual(['coach', 'participant']);
    expect(
      (await administration.administeredPage(a, { pattern, role: 'coach' }, page, m.db)).people.map((p) => p.id),
    ).toEqual([anna]);
    expect(
      (await administration.administeredPage(a, { pattern, status: 'deactivated' }, page, m.db)).people.map(
        (p) => p.id,
      ),
    ).toEqual([cleo]);
    const second = await administration.administeredPage(a, { pattern }, { limit: 2, offset: 2 }, m.db);
    expect(second).toMatchObject({ total: 3 });
    expect(second.people.map((p) => p.id)).toEqual([cleo]);
    expect(await administration.administered(b, anna)).toBeUndefined();
  });

  it("administration's list by licence: ended on or before today, ending within the days (not deactivated, as the home page counts them), none", async () => {
    const a = await rows.tenant();
    const b = await rows.tenant();
    const word = unique();
    const person = async (name: string, expiresOn: string | null, status?: 'deactivated', tenant = a) => {
      const id = await rows.user(tenant, { name: `${name} ${word}`, ...(status ? { status } : {}) });
      if (expiresOn) await m.db.transaction((t) => licences.upsert(tenant, id, '2026-01-01', expiresOn, t));
      return id;
    };
    const endedLongAgo = await person('Ended long ago', '2026-06-01');
    const endsToday = await person('Ends today', '2026-12-05');
    const tomorrow = await person('Tomorrow', '2026-12-06');
    const lastDay = await person('Last day', '2027-01-04');
    await person('After', '2027-01-05');
    await person('Gone', '2026-12-20', 'deactivated');
    const endedGone = await person('Ended gone', '2026-11-01', 'deactivated');
    const none = await person('None', null);
    await person('Other ended', '2026-06-01', undefined, b);
    const today = '2026-12-05';
    const ids = async (licence: LicenceFilter) =>
      (
        await administration.administeredPage(a, { pattern: `%${word}%`, licence }, { limit: 20, offset: 0 }, m.db)
      ).people
        .map((p) => p.id)
        .sort();
    expect(await ids({ is: 'ended', today })).toEqual([endedLongAgo, endsToday, endedGone].sort());
    expect(await ids({ is: 'ending', today, days: 30 })).toEqual([tomorrow, lastDay].sort());
    // the home page's count of the same
    expect((await licences.endingSoon(a, today, 30, 5, m.db))[0]?.total).toBe(2);
    expect(await ids({ is: 'none' })).toEqual([none]);
  });

  it("administration's list of participants in no group: as the home page counts them (not deactivated, coaches not counted)", async () => {
    const a = await rows.tenant();
    const word = unique();
    const alone = await rows.user(a, { name: `Alone ${word}`, roles: ['participant'] });
    const grouped = await rows.user(a, { name: `Grouped ${word}`, roles: ['participant'] });
    await rows.user(a, { name: `Coach ${word}`, roles: ['coach'] });
    await rows.user(a, { name: `Gone ${word}`, roles: ['participant'], status: 'deactivated' });
    await rows.member(a, await rows.group(a), grouped);
    const listed = await administration.administeredPage(
      a,
      { pattern: `%${word}%`, withoutGroup: true },
      { limit: 10, offset: 0 },
      m.db,
    );
    expect(listed.people.map((p) => p.id)).toEqual([alone]);
    expect(listed.total).toBe(1);
  });

  it('lists people by name as their readers expect: accents beside their letter, case ignored, numbers as numbers', async () => {
    const a = await rows.tenant();
    const word = unique();
    const names = ['Zoë', 'adam', 'Émile', 'Bob', 'Özdemir', 'Trainee 10', 'Trainee 9'];
    const ids = new Map<string, string>();
    for (const name of names) ids.set(await rows.user(a, { name: `${name} ${word}` }), name);
    const expected = ['adam', 'Bob', 'Émile', 'Özdemir', 'Trainee 9', 'Trainee 10', 'Zoë'];
    const listed = await administration.administeredPage(a, { pattern: `%${word}%` }, { limit: 10, offset: 0 }, m.db);
    expect(listed.people.map((p) => ids.get(p.id))).toEqual(expected);
    // the directory's pages (a group's members, a coach's people) agree
    const all = [...ids.keys()];
    const directory = await people.page(a, { ids: all, ranks: all.map(() => 0) }, undefined, { limit: 10, offset: 0 });
    expect(directory.rows.map((p) => ids.get(p.id))).toEqual(expected);
  });

  it('invites with the inviter’s language, sets roles exactly, deactivates and reactivates by whether a password exists', async () => {
    const a = await rows.tenant();
    const admin = await rows.user(a, { roles: ['administrator'] });
    await users.updateProfile(a, admin, { locale: 'nl' });
    const email = `new-${unique()}@medium.test`;
    const id = await m.db.transaction((t) =>
      administration.insertInvited(a, { email, name: 'New', phone: null }, admin, t),
    );
    expect(await administration.emailsTaken(a, [email, `free-${unique()}@medium.test`])).toEqual(new Set([email]));
    await m.db.transaction((t) => administration.setRoles(a, id, ['participant', 'coach'], t));
    await m.db.transaction((t) => administration.setRoles(a, id, ['coach', 'content_developer'], t));
    const made = await administration.administered(a, id);
    expect(made).toMatchObject({ status: 'invited', roles: ['coach', 'content_developer'] });
    const [{ locale }] = await m.db.query(`SELECT locale FROM users WHERE id = $1`, [id]);
    expect(locale).toBe('nl');

    await m.db.transaction((t) => administration.deactivate(a, id, t));
    expect((await administration.administered(a, id))?.status).toBe('deactivated');
    await m.db.transaction((t) => administration.reactivate(a, id, t));
    expect((await administration.administered(a, id))?.status).toBe('invited');
    await users.setPassword(a, id, 'hash', new Date());
    await m.db.transaction((t) => administration.deactivate(a, id, t));
    await m.db.transaction((t) => administration.reactivate(a, id, t));
    expect((await administration.administered(a, id))?.status).toBe('active');
  });

  it('invites many at once (an import): each with the inviter’s language, their roles and an invitation of their own, in one organisation', async () => {
    const a = await rows.tenant();
    const admin = await rows.user(a, { roles: ['administrator'] });
    await users.updateProfile(a, admin, { locale: 'nl' });
    const word = unique();
    const people = Array.from({ length: 1200 }, (_, i) => ({
      email: `many-${i}-${word}@medium.test`,
      name: `Many ${i}`,
      phone: i % 2 ? `+31 6 ${i}` : null,
    }));
    const invitations = new InvitationsRepository(m.db);
    const ids = await m.db.transaction(async (t) => {
      const made = await administration.insertInvitedMany(a, people, admin, t);
      const roles = people.flatMap((p, i) =>
        i === 7
          ? ['coach', 'participant', 'coach'].map((role) => ({ userId: made.get(p.email) as string, role }))
          : [{ userId: made.get(p.email) as string, role: 'participant' }],
      );
      await administration.addRolesOfNew(a, roles, t);
      await invitations.insertMany(
        a,
        people.map((p, i) => ({
          id: randomUUID(),
          userId: made.get(p.email) as string,
          tokenHash: `hash-${word}-${i}`,
          tokenSealed: `sealed-${i}`,
        })),
        { expiresAt: new Date('2030-01-01T00:00:00Z'), createdBy: admin, now: new Date('2026-12-05T00:00:00Z') },
        t,
      );
      return made;
    });
    expect(ids.size).toBe(1200);
    const made = await administration.administered(a, ids.get(people[7].email) as string);
    expect(made).toMatchObject({
      status: 'invited',
      name: 'Many 7',
      phone: '+31 6 7',
      roles: ['coach', 'participant'],
    });
    expect(await administration.administered(a, ids.get(people[8].email) as string)).toMatchObject({
      phone: null,
      roles: ['participant'],
    });
    const [{ n, locales, tenants: inTenants }] = await m.db.query(
      `SELECT count(*)::int AS n, array_agg(DISTINCT locale) AS locales, array_agg(DISTINCT tenant_id) AS tenants FROM users WHERE email LIKE $1`,
      [`many-%-${word}@medium.test`],
    );
    expect({ n, locales, tenants: inTenants }).toEqual({ n: 1200, locales: ['nl'], tenants: [a] });
    const found = await invitations.findByTokenHash(`hash-${word}-1199`);
    expect(found).toMatchObject({ user_id: ids.get(people[1199].email), tenant_id: a, used_at: null });
    // nothing is made with no one to invite
    expect(await m.db.transaction((t) => administration.insertInvitedMany(a, [], admin, t))).toEqual(new Map());
  });

  it('finds the invitations whose e-mail never went out, oldest first: not sent, used, expired, too new or of someone no longer invited', async () => {
    const a = await rows.tenant();
    const admin = await rows.user(a, { roles: ['administrator'] });
    const invitations = new InvitationsRepository(m.db);
    const now = new Date('2026-12-05T12:00:00Z');
    const person = async (name: string) =>
      m.db.transaction(async (t) => {
        const made = await administration.insertInvitedMany(
          a,
          [{ email: `${name}-${unique()}@medium.test`, name, phone: null }],
          admin,
          t,
        );
        return [...made.values()][0];
      });
    const invite = async (name: string, madeMinutesAgo: number, expiresInHours = 72) => {
      const id = randomUUID();
      const made = new Date(now.getTime() - madeMinutesAgo * 60_000);
      await invitations.insertMany(
        a,
        [{ id, userId: await person(name), tokenHash: `hash-${id}`, tokenSealed: `sealed-${id}` }],
        { expiresAt: new Date(made.getTime() + expiresInHours * 3600_000), createdBy: admin, now: made },
      );
      return id;
    };
    const older = await invite('older', 120);
    const unsent = await invite('unsent', 60);
    const tooNew = await invite('too-new', 2);
    const sent = await invite('sent', 60);
    await invitations.markMailed(a, sent, now);
    const used = await invite('used', 60);
    const [{ user_id: usedBy }] = await m.db.query(`SELECT user_id FROM invitations WHERE id = $1`, [used]);
    await invitations.useOpen(a, usedBy, now);
    const expired = await invite('expired', 60 * 30, 24);
    const left = await invite('left', 60);
    const [{ user_id: leftBy }] = await m.db.query(`SELECT user_id FROM invitations WHERE id = $1`, [left]);
    await m.db.transaction((t) => administration.deactivate(a, leftBy, t));
    const mine = new Set<string>([older, unsent, tooNew, sent, used, expired, left]);
    const found = (await invitations.unsent(new Date(now.getTime() - 10 * 60_000), now, 10_000)).filter((id) =>
      mine.has(id),
    );
    expect(found).toEqual([older, unsent]);
    // the administrator's page: each invited person's open invitation, e-mailed or not yet
    const personOf = async (id: string) =>
      ((await m.db.query(`SELECT user_id FROM invitations WHERE id = $1`, [id])) as { user_id: string }[])[0].user_id;
    expect(await invitations.openOf(a, await personOf(unsent))).toEqual({
      mailed_at: null,
      expires_at: expect.any(Date),
    });
    expect(await invitations.openOf(a, await personOf(sent))).toEqual({ mailed_at: now, expires_at: expect.any(Date) });
    expect(await invitations.openOf(a, usedBy)).toBeUndefined();
    // another organisation sees none of it
    expect(await invitations.openOf(await rows.tenant(), await personOf(sent))).toBeUndefined();
  });

  it('keeps security notices until sent, finds the unsent oldest first (for a week), and forgets the sent after a while', async () => {
    const a = await rows.tenant();
    const pim = await rows.user(a);
    const notices = new SecurityNoticesRepository(m.db);
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000);
    const older = await notices.insert(a, { userId: pim, notice: 'password-changed', at: at(30) });
    const newer = await notices.insert(a, { userId: pim, notice: 'totp-enabled', at: at(20) });
    const tooNew = await notices.insert(a, { userId: pim, notice: 'totp-disabled', at: at(0) });
    const sent = await notices.insert(a, { userId: pim, notice: 'password-changed', at: at(40) });
    await notices.markMailed(sent, at(39));
    // one its e-mail never found anything to send for is given up after a week
    const stale = await notices.insert(a, { userId: pim, notice: 'email-changed', at: at(8 * 24 * 60) });
    const mine = new Set([older, newer, tooNew, sent, stale]);
    const unsent = async () => (await notices.unsent(at(2), 10_000)).filter((n) => mine.has(n.id));
    expect((await unsent()).map((n) => [n.id, n.notice, n.tenant_id, n.user_id])).toEqual([
      [older, 'password-changed', a, pim],
      [newer, 'totp-enabled', a, pim],
    ]);
    // marked once: the first time counts
    await notices.markMailed(older, at(1));
    await notices.markMailed(older, at(0));
    expect((await notices.forMail(older))?.mailed_at?.getTime()).toBe(at(1).getTime());
    expect((await unsent()).map((n) => n.id)).toEqual([newer]);
    // sent ones are forgotten after a while, unsent ones never
    await notices.forgetSent(at(10));
    expect(await notices.forMail(sent)).toBeUndefined();
    expect(await notices.forMail(older)).toBeDefined();
    expect(await notices.forMail(newer)).toBeDefined();
    // a superuser (no organisation) has notices too
    const sam = (
      await m.db.query(
        `INSERT INTO users (tenant_id, email, name, status, is_superuser) VALUES (NULL, $1, 'Sam', 'active', true) RETURNING id`,
        [`sam-${unique()}@operator.test`],
      )
    )[0].id as string;
    const own = await notices.insert(null, { userId: sam, notice: 'password-changed', at: at(5) });
    expect(await notices.forMail(own)).toMatchObject({ tenant_id: null, user_id: sam });
  });

  it('a licence moved to a new expiry date starts a new lifecycle; the same date keeps its keep request', async () => {
    const a = await rows.tenant();
    const person = await rows.user(a);
    await m.db.transaction((t) => licences.upsert(a, person, '2026-01-01', '2026-12-20', t));
    await m.db.query(`UPDATE licences SET keep_status = 'requested', keep_requested_at = now() WHERE user_id = $1`, [
      person,
    ]);
    expect(await licences.pendingKeepRequests(a, m.db)).toBe(1);
    const soon = await licences.endingSoon(a, '2026-12-01', 30, 5, m.db);
    expect(soon).toEqual([expect.objectContaining({ id: person, expires_on: '2026-12-20', total: 1 })]);
    expect(await licences.endingSoon(a, '2026-12-01', 10, 5, m.db)).toEqual([]);
    // the same expiry date: the request stands
    await m.db.transaction((t) => licences.upsert(a, person, '2026-02-01', '2026-12-20', t));
    expect(await licences.pendingKeepRequests(a, m.db)).toBe(1);
    // a new expiry date: a new lifecycle
    await m.db.transaction((t) => licences.upsert(a, person, '2026-02-01', '2027-06-30', t));
    expect(await licences.pendingKeepRequests(a, m.db)).toBe(0);
    const [row] = await m.db.query(
      `SELECT to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(expires_on, 'YYYY-MM-DD') AS expires_on, keep_requested_at FROM licences WHERE user_id = $1`,
      [person],
    );
    expect(row).toEqual({ starts_on: '2026-02-01', expires_on: '2027-06-30', keep_requested_at: null });
  });

  /** A person whose licence ended on 2026-11-01 in an organisation that deletes 45 days later, after 14 days' notice. */
  async function lapsedLicence(): Promise<{ tenant: string; person: string }> {
    const tenant = await rows.tenant();
    await m.db.query(
      `UPDATE tenants SET retention_delete_after_days = 45, retention_notice_days = 14, retention_keep_policy = 'approval' WHERE id = $1`,
      [tenant],
    );
    const person = await rows.user(tenant);
    await rows.licence(tenant, person, '2026-11-01');
    return { tenant, person };
  }

  it("computes a licence's lifecycle from the organisation's settings, and keeps a request to itself", async () => {
    const { tenant, person } = await lapsedLicence();
    const row = await lifecycles.lifecycleOf(tenant, person);
    // the person is not in another organisation
    expect(await lifecycles.lifecycleOf(await rows.tenant(), person)).toBeUndefined();
    expect(row).toMatchObject({
      expires_on: '2026-11-01',
      due_on: '2026-12-16',
      notice_from: '2026-12-02',
    });
    expect(await lifecycles.keepPolicy(tenant)).toBe('approval');
    // asked in another organisation, nothing changes
    await lifecycles.requestKeep(await rows.tenant(), person, new Date());
    expect(await lifecycles.lifecycleOf(tenant, person)).toMatchObject({ keep_status: null });
    await lifecycles.requestKeep(tenant, person, new Date());
    expect((await lifecycles.keepRequests(tenant)).map((r) => [r.user_id, r.keep_status])).toEqual([
      [person, 'requested'],
    ]);
    expect(await lifecycles.keepRequests(await rows.tenant())).toEqual([]);
    // another organisation's administrator decides nothing here
    expect(await lifecycles.approveKeep(await rows.tenant(), person, '2026-12-16', 30, person)).toBe(false);
    expect(await lifecycles.approveKeep(tenant, person, '2026-12-16', 30, person)).toBe(true);
    expect(await lifecycles.lifecycleOf(tenant, person)).toMatchObject({
      keep_status: 'approved',
      due_on: '2027-01-15',
    });
    // decided once: a second decision finds nothing pending
    expect(await lifecycles.declineKeep(tenant, person, person)).toBe(false);
    expect(await lifecycles.lifecycleOf(tenant, person)).toMatchObject({ keep_status: 'approved' });
  });

  it("the retention sweep's lists: a notice once per due date, a deletion once its date has come and no request is pending", async () => {
    const { tenant, person } = await lapsedLicence();
    const mine = (found: { user_id: string }[]) => found.filter((r) => r.user_id === person);
    // due 2026-12-16, the notice period from 2026-12-02
    expect(mine(await lifecycles.dueForNotice('2026-12-01'))).toEqual([]);
    expect(mine(await lifecycles.dueForNotice('2026-12-02'))).toHaveLength(1);
    expect(await lifecycles.markNoticed(await rows.tenant(), person, '2026-12-16', new Date())).toBe(false);
    expect(await lifecycles.markNoticed(tenant, person, '2026-12-16', new Date('2026-12-02T09:00:00Z'))).toBe(true);
    // noticed for this due date: not again, and a second mark changes nothing
    expect(mine(await lifecycles.dueForNotice('2026-12-03'))).toEqual([]);
    expect(await lifecycles.markNoticed(tenant, person, '2026-12-16', new Date())).toBe(false);
    // not deleted until the notice has gone out (another organisation's mark changes nothing)
    expect(mine(await lifecycles.readyForDeletion('2026-12-16'))).toEqual([]);
    await lifecycles.markNoticeMailed(await rows.tenant(), person, '2026-12-16', new Date('2026-12-02T09:01:00Z'));
    expect(mine(await lifecycles.readyForDeletion('2026-12-16'))).toEqual([]);
    await lifecycles.markNoticeMailed(tenant, person, '2026-12-16', new Date('2026-12-02T09:01:00Z'));
    expect(mine(await lifecycles.readyForDeletion('2026-12-15'))).toEqual([]);
    expect(mine(await lifecycles.readyForDeletion('2026-12-16'))).toHaveLength(1);
    // a pending keep request holds the deletion
    await lifecycles.requestKeep(tenant, person, new Date());
    expect(mine(await lifecycles.readyForDeletion('2026-12-16'))).toEqual([]);
  });

  it("counts the notice's days on the installation's calendar (TIME_ZONE): mailed at 00:30 in Tokyo, the 14 days start that day", async () => {
    const { tenant, person } = await lapsedLicence();
    // due 2026-12-16; the notice mailed at 15:30 UTC on 2026-12-02, 00:30 on 2026-12-03 in Tokyo
    await lifecycles.markNoticed(tenant, person, '2026-12-16', new Date('2026-12-02T15:00:00Z'));
    await lifecycles.markNoticeMailed(tenant, person, '2026-12-16', new Date('2026-12-02T15:30:00Z'));
    const zoned = (zone: string) => {
      const clock = new Clock();
      clock.useTimeZone(zone);
      return new LicenceLifecycleRepository(m.db, clock);
    };
    expect((await zoned('UTC').lifecycleOf(tenant, person))?.delete_from).toBe('2026-12-16');
    // on UTC's calendar, deleted at 00:00 on the 16th in Tokyo: 13 days and 23.5 hours after the notice
    const tokyo = zoned('Asia/Tokyo');
    expect((await tokyo.lifecycleOf(tenant, person))?.delete_from).toBe('2026-12-17');
    const mine = (found: { user_id: string }[]) => found.filter((r) => r.user_id === person);
    expect(mine(await tokyo.readyForDeletion('2026-12-16'))).toEqual([]);
    expect(mine(await tokyo.readyForDeletion('2026-12-17'))).toHaveLength(1);
  });

  it("the people directory: names, addresses, active roles and a licence's end, within one organisation", async () => {
    const a = await rows.tenant();
    const b = await rows.tenant();
    const pim = await rows.user(a, { name: 'Pim', email: 'pim@directory.test' });
    const cora = await rows.user(a, { name: 'Cora', roles: ['coach'] });
    const gone = await rows.user(a, { name: 'Gone', status: 'deactivated' });
    const elsewhere = await rows.user(b, { name: 'Elsewhere' });
    const entries = await people.entries(a, [pim, cora, elsewhere, pim]);
    expect(entries.get(pim)).toEqual({ name: 'Pim', email: 'pim@directory.test' });
    expect(entries.get(cora)?.name).toBe('Cora');
    // another organisation's person is not in this one's directory
    expect(entries.has(elsewhere)).toBe(false);
    expect(entries.size).toBe(2);
    // no organisation named: any (an export names whoever wrote a review)
    expect((await people.names(null, [elsewhere])).get(elsewhere)).toBe('Elsewhere');
    expect(await people.names(a, [])).toEqual(new Map());
    const roles = await m.db.transaction((t) => people.activeRoles(a, [pim, cora, gone, elsewhere], t));
    expect(
      roles.map((r) => `${r.user_id === pim ? 'pim' : r.user_id === cora ? 'cora' : 'other'}:${r.role}`).sort(),
    ).toEqual(['cora:coach', 'pim:participant']);
    // the active: not the deactivated, not another organisation's
    const invited = await rows.user(a, { name: 'Invited', status: 'invited' });
    expect(await people.active(a, [pim, cora, gone, elsewhere, invited])).toEqual(new Set([pim, cora]));
    expect(await people.hasRole(a, cora, 'coach')).toBe(true);
    expect(await people.hasRole(a, pim, 'coach')).toBe(false);
    expect(await people.hasRole(b, cora, 'coach')).toBe(false);
    await rows.licence(a, pim, '2026-11-30');
    expect(await people.licenceEndedOn(a, pim, '2026-11-29')).toBeNull();
    expect(await people.licenceEndedOn(a, pim, '2026-11-30')).toBe('2026-11-30');
    expect(await people.licenceEndedOn(b, pim, '2026-12-30')).toBeNull();
    expect(await people.licenceEndedOn(a, cora, '2026-12-30')).toBeNull();
  });

  it("single sign-on: an organisation's settings, its linked identities, and unlinking them all; never another's", async () => {
    const a = await rows.tenant();
    const b = await rows.tenant();
    const settings = {
      enabled: false,
      issuer: 'https://login.example/tid/v2.0',
      client_id: 'client',
      client_secret_sealed: 'sealed',
      directory_id: 'tid',
      jit_participants: true,
      trust_idp_mfa: false,
    };
    await m.db.transaction((t) => sso.saveSettings(a, settings, new Date(), t));
    expect(await sso.settings(a)).toEqual({ tenant_id: a, ...settings });
    expect(await sso.settings(a, true)).toBeUndefined();
    await m.db.transaction(async (t) => {
      expect((await sso.lockSettings(a, t))?.client_id).toBe('client');
      await sso.saveSettings(a, { ...settings, enabled: true }, new Date(), t);
    });
    expect((await sso.settings(a, true))?.enabled).toBe(true);
    expect(await sso.settings(b)).toBeUndefined();
    const [{ slug }] = await m.db.query(`SELECT slug FROM tenants WHERE id = $1`, [a]);
    expect(await sso.availability(slug)).toMatchObject({ tenant_id: a, enabled: true });
    expect(await tenants.slugOf(a)).toBe(slug);
    expect(await sso.availability(`none-${unique()}`)).toBeUndefined();

    const person = await rows.user(a);
    const other = await rows.user(b);
    const subject = { issuer: settings.issuer, directoryId: 'tid', objectId: `oid-${unique()}` };
    await sso.link(a, person, subject, new Date());
    await sso.link(b, other, subject, new Date());
    expect(await sso.linkedPerson(a, subject)).toBe(person);
    expect(await sso.linkedPerson(a, { ...subject, issuer: 'https://elsewhere.example' })).toBeUndefined();
    const usedAt = new Date('2026-11-30T12:00:00Z');
    await sso.touch(a, subject, usedAt);
    const [{ last_used_at }] = await m.db.query(`SELECT last_used_at FROM user_identities WHERE tenant_id = $1`, [a]);
    expect(last_used_at).toEqual(usedAt);
    expect(await m.db.transaction((t) => sso.unlinkAll(a, t))).toEqual([person]);
    expect(await sso.linkedPerson(a, subject)).toBeUndefined();
    expect(await sso.linkedPerson(b, subject)).toBe(other);
  });

  it('keeps the e-mails a person turned off, each on until then; another organisation cannot change or read them', async () => {
    const preferences = new MailPreferencesRepository(m.db);
    const tenant = await rows.tenant();
    const other = await rows.tenant();
    const pim = await rows.user(tenant);
    const all = { feedbackPublished: true, peerReviews: true, courseDue: true };
    expect(await preferences.of(tenant, pim)).toEqual(all);
    expect(await preferences.wants(tenant, pim, 'course_due')).toBe(true);
    await preferences.set(tenant, pim, { course_due: false, peer_reviews: undefined });
    expect(await preferences.of(tenant, pim)).toEqual({ ...all, courseDue: false });
    expect(await preferences.wants(tenant, pim, 'course_due')).toBe(false);
    // what is left out stays; an empty change writes nothing
    await preferences.set(tenant, pim, { feedback_published: false });
    await preferences.set(tenant, pim, {});
    expect(await preferences.of(tenant, pim)).toEqual({ ...all, courseDue: false, feedbackPublished: false });
    await preferences.set(tenant, pim, { course_due: true });
    expect(await preferences.of(tenant, pim)).toEqual({ ...all, feedbackPublished: false });
    // another organisation's id: neither its choice kept over Pim's nor Pim's read through it
    await preferences.set(other, pim, { feedback_published: true });
    expect(await preferences.wants(tenant, pim, 'feedback_published')).toBe(false);
    expect(await preferences.of(other, pim)).toEqual(all);
    await preferences.set(other, pim, { peer_reviews: false });
    expect(
      (await m.db.query(`SELECT topic FROM mail_preferences WHERE user_id = $1 ORDER BY topic`, [pim])).map(
        (r: { topic: string }) => r.topic,
      ),
    ).toEqual(['course_due', 'feedback_published']);
  });
});
