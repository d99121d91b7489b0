/**
 * The account activity's repository on real PostgreSQL (the medium tier): appended in the caller's
 * transaction, read newest first with the people's names, counted up to a cap, exported in keyset
 * batches, one organisation at a time.
 */
import { openMediumDatabase, type MediumDatabase } from '@rehearse/server/database';
import { AccountActivityRepository, type ActivityAuthor } from './account-activity.repository';

describe('AccountActivityRepository (medium tier)', () => {
  let m: MediumDatabase;
  let activity: AccountActivityRepository;
  let tenant: string;
  let other: string;
  let admin: ActivityAuthor;
  let ann: string;
  let bob: string;

  beforeAll(async () => {
    m = await openMediumDatabase();
    activity = new AccountActivityRepository(m.db);
    tenant = await m.rows.tenant('Northwind');
    other = await m.rows.tenant('Contoso');
    admin = {
      actorId: await m.rows.user(tenant, { roles: ['administrator'], name: 'Ada Admin' }),
      actorRole: 'administrator',
      impersonatorId: null,
    };
    ann = await m.rows.user(tenant, { name: 'Ann' });
    bob = await m.rows.user(tenant, { name: 'Bob' });
    await m.db.transaction((t) =>
      activity.append(
        tenant,
        admin,
        [
          { action: 'user.imported', subjectId: ann, details: { roles: ['participant'] } },
          { action: 'user.imported', subjectId: bob, details: { roles: ['participant'] } },
          {
            action: 'user.roles_changed',
            subjectId: ann,
            details: { previousRoles: ['participant'], roles: ['coach'] },
          },
          { action: 'organisation.sso_changed', subjectId: null, details: { settings: ['enabled'] } },
        ],
        t,
      ),
    );
    // another organisation's change, by its own administrator
    const otherAdmin = await m.rows.user(other, { roles: ['administrator'] });
    await m.db.transaction((t) =>
      activity.append(
        other,
        { actorId: otherAdmin, actorRole: 'administrator', impersonatorId: null },
        [{ action: 'user.deactivated', subjectId: otherAdmin }],
        t,
      ),
    );
  });
  afterAll(() => m?.close());

  it("reads the organisation's changes newest first, with the names of who made them and whose they were", async () => {
    const page = await activity.page(tenant, {}, { limit: 10, offset: 0 });
    expect(page.map((r) => [r.action, r.subject_name])).toEqual([
      ['organisation.sso_changed', null],
      ['user.roles_changed', 'Ann'],
      ['user.imported', 'Bob'],
      ['user.imported', 'Ann'],
    ]);
    expect(page[1]).toMatchObject({
      actor_id: admin.actorId,
      actor_name: 'Ada Admin',
      actor_role: 'administrator',
      impersonator_id: null,
      details: { previousRoles: ['participant'], roles: ['coach'] },
    });
    expect(page.every((r) => r.at instanceof Date)).toBe(true);
    // one person's, one kind, a page further on
    expect((await activity.page(tenant, { subjectId: ann }, { limit: 10, offset: 0 })).map((r) => r.action)).toEqual([
      'user.roles_changed',
      'user.imported',
    ]);
    expect(
      (await activity.page(tenant, { actions: ['user.imported'] }, { limit: 1, offset: 1 })).map((r) => r.subject_name),
    ).toEqual(['Ann']);
    // another organisation's person finds nothing here
    expect(await activity.page(other, { subjectId: ann }, { limit: 10, offset: 0 })).toEqual([]);
  });

  it('counts up to the cap, and exports in batches after an id, oldest first', async () => {
    expect(await activity.countUpTo(tenant, {}, 100)).toBe(4);
    expect(await activity.countUpTo(tenant, {}, 3)).toBe(3);
    expect(await activity.countUpTo(tenant, { actions: ['user.imported'] }, 100)).toBe(2);
    expect(await activity.countUpTo(other, {}, 100)).toBe(1);
    const first = await activity.batchAfter(tenant, {}, '0', 3);
    expect(first.map((r) => r.action)).toEqual(['user.imported', 'user.imported', 'user.roles_changed']);
    const rest = await activity.batchAfter(tenant, {}, first[2].id, 3);
    expect(rest.map((r) => r.action)).toEqual(['organisation.sso_changed']);
    expect(await activity.batchAfter(tenant, {}, rest[0].id, 3)).toEqual([]);
  });

  it('a large import appends in statements of 5,000 rows, all or none with its transaction', async () => {
    // an organisation of its own (the other tests count theirs)
    const org = await m.rows.tenant();
    const by = {
      actorId: await m.rows.user(org, { roles: ['administrator'] }),
      actorRole: 'administrator',
      impersonatorId: null,
    };
    const people = await Promise.all(Array.from({ length: 3 }, () => m.rows.user(org)));
    const many = Array.from({ length: 5_001 }, (_, i) => ({
      action: 'user.invitation_sent' as const,
      subjectId: people[i % people.length],
    }));
    await expect(
      m.db.transaction(async (t) => {
        await activity.append(org, by, many, t);
        throw new Error('the change failed after it was recorded');
      }),
    ).rejects.toThrow('the change failed');
    expect(await activity.countUpTo(org, {}, 10_000)).toBe(0);
    await m.db.transaction((t) => activity.append(org, by, many, t));
    expect(await activity.countUpTo(org, {}, 10_000)).toBe(5_001);
  });
});
