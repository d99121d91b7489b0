/**
 * RubricsRepository on real PostgreSQL (the medium tier): the library's page with how often each
 * rubric is used, the revision check, archiving, and nothing of another organisation.
 */
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { RubricsRepository } from './rubrics.repository';

describe('RubricsRepository (medium tier)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let rubrics: RubricsRepository;
  const criteria = [{ id: 'c1', title: 'Clarity', weight: 1, levels: [{ score: 1, label: 'Weak' }] }] as never;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    rubrics = new RubricsRepository(m.db);
  });
  afterAll(() => m?.close());

  it('pages the library live first by title, counts where a rubric is used, and keeps to the organisation', async () => {
    const a = await rows.tenant();
    const b = await rows.tenant();
    const author = await rows.user(a, { roles: ['content_developer'] });
    const zeta = await rubrics.insert(a, { title: 'Zeta', description: '', criteria, createdBy: author });
    const alpha = await rubrics.insert(a, { title: 'Alpha', description: 'first', criteria, createdBy: author });
    const old = await rubrics.insert(a, { title: 'Beta', description: '', criteria, createdBy: author });
    await rubrics.setArchived(a, old.id, true);
    // a published course version naming Alpha (its exercises' rubrics are referred to by id)
    await rows.course(a, { content: { title: 'Uses Alpha', modules: [], rubricRef: alpha.id } });
    const page = await rubrics.page(a, null, { limit: 10, offset: 0 });
    expect(page.total).toBe(3);
    expect(page.rubrics.map((r) => r.title)).toEqual(['Alpha', 'Zeta', 'Beta']);
    expect(Number(page.rubrics[0].used_by)).toBe(1);
    expect(Number(page.rubrics[1].used_by)).toBe(0);
    expect((await rubrics.page(a, '%zet%', { limit: 10, offset: 0 })).rubrics.map((r) => r.id)).toEqual([zeta.id]);
    expect(await rubrics.page(b, null, { limit: 10, offset: 0 })).toEqual({ total: 0, rubrics: [] });
    expect(await rubrics.get(b, alpha.id)).toBeUndefined();
    expect(await rubrics.many(a, [alpha.id, zeta.id])).toHaveLength(2);
    expect(await rubrics.many(b, [alpha.id])).toEqual([]);
  });

  it('changes a rubric only at the revision it was read at, and never in another organisation', async () => {
    const a = await rows.tenant();
    const b = await rows.tenant();
    const author = await rows.user(a, { roles: ['content_developer'] });
    const made = await rubrics.insert(a, { title: 'Tone', description: '', criteria, createdBy: author });
    const changed = await rubrics.update(
      a,
      made.id,
      { title: 'Tone of voice', description: 'd', criteria },
      made.revision,
    );
    expect(changed).toMatchObject({ title: 'Tone of voice', revision: made.revision + 1 });
    // a second change from the same (now old) revision is refused
    expect(
      await rubrics.update(a, made.id, { title: 'Lost', description: '', criteria }, made.revision),
    ).toBeUndefined();
    expect(
      await rubrics.update(b, made.id, { title: 'Foreign', description: '', criteria }, made.revision + 1),
    ).toBeUndefined();
    expect(await rubrics.setArchived(b, made.id, true)).toBeUndefined();
    expect((await rubrics.setArchived(a, made.id, true))?.archived_at).toBeInstanceOf(Date);
    expect((await rubrics.setArchived(a, made.id, false))?.archived_at).toBeNull();
    expect((await rubrics.get(a, made.id))?.title).toBe('Tone of voice');
  });
});
