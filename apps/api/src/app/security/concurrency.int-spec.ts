import { readdir } from 'node:fs/promises';
import type { Response } from 'supertest';
import { Client, Harness, PASSWORD, seedTwoTenants, startHarness } from '../../test/harness';
import { AUDIO_EXERCISE, publishedCourse } from '../../test/courses';
import { JFK_WAV, uploadFile } from '../../test/media';

/**
 * The same change sent several times at once, as a double click, a retrying client or an attacker
 * sends it: one of them is made, the others are refused with a 409 (or make the same change
 * again), never a 5xx, never two of what there may be one of — and the API is still there after.
 * Found by firing these at the running system (2026-12-03): inviting one address in two spellings
 * at once, changing one person's roles at once (a deadlock) and replacing a group's members at once
 * answered 500; two drafts of one course started at once answered 500, and four publications of
 * one draft all answered 200; one upload submitted several times at once **ended the API process**
 * (the second submission opened the file the first had just removed, an error no one listened to).
 */
describe('the same change sent several times at once', () => {
  let h: Harness;
  let admin: Client;
  let developer: Client;
  let participant: Client;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;
  const AT_ONCE = 6;

  /** `send` started AT_ONCE times together; the answers. */
  const atOnce = (send: (i: number) => Promise<Response>) =>
    Promise.all(Array.from({ length: AT_ONCE }, (_, i) => send(i)));
  const statuses = (answers: Response[]) => answers.map((r) => r.status).sort();
  /** every answer one of `allowed`, and the API still answers */
  async function settled(answers: Response[], allowed: number[]): Promise<void> {
    const other = answers
      .filter((r) => !allowed.includes(r.status))
      .map((r) => `${r.status} ${JSON.stringify(r.body)}`);
    expect(other).toEqual([]);
    expect((await admin.get('/api/health')).status).toBe(200);
  }
  let people = 0;
  /** a person of tenant A of their own, so that no test depends on what another did */
  const person = (roles: ('participant' | 'coach')[]) =>
    h.createUser(world.a.tenantId, `Raced ${++people}`, `raced-${people}@a.test`, roles);

  beforeAll(async () => {
    h = await startHarness({}, { mediaWorker: false });
    world = await seedTwoTenants(h);
    admin = await h.signIn(world.a.emails.admin);
    developer = await h.signIn(world.a.emails.developer);
    participant = await h.signIn(world.a.emails.participant);
  });
  afterAll(() => h?.close());

  it('one address invited in several spellings at once: one person, the rest 409', async () => {
    const answers = await atOnce((i) =>
      admin.post('/api/admin/users', {
        email: i % 2 ? 'Twice.Invited@A.test' : 'twice.invited@a.test',
        name: 'Twice Invited',
        roles: ['participant'],
      }),
    );
    await settled(answers, [201, 409]);
    expect(statuses(answers)).toEqual([201, ...Array(AT_ONCE - 1).fill(409)]);
    // each told why, whether it lost to the check or to the unique key
    for (const r of answers.filter((a) => a.status === 409))
      expect(r.body.message).toBe('A user with this e-mail address already exists in your organisation');
    const [{ n }] = await h.db.query(`SELECT count(*)::int AS n FROM users WHERE email = 'twice.invited@a.test'`);
    expect(n).toBe(1);
  });

  it("one person's roles changed at once: each made in turn, the last one kept whole", async () => {
    const sets = [['participant'], ['participant', 'coach'], ['coach', 'content_developer'], ['coach']];
    const someone = await person(['participant']);
    const answers = await atOnce((i) =>
      admin.put(`/api/admin/users/${someone}/roles`, { roles: sets[i % sets.length] }),
    );
    await settled(answers, [200]);
    const roles = (await h.db.query(`SELECT role FROM memberships WHERE user_id = $1 ORDER BY role`, [someone])).map(
      (r: { role: string }) => r.role,
    );
    expect(sets.map((s) => [...s].sort())).toContainEqual(roles);
  });

  it('two administrators taking the role from each other, or deactivating each other, at once: one stays', async () => {
    /** an organisation of its own whose only administrators are these two, signed in */
    const twoAdministrators = async (slug: string) => {
      const { tenantId, admin } = await h.tenants.createTenant({
        name: `Tenant ${slug}`,
        slug: `tenant-${slug}`,
        admin: { name: `Admin ${slug}`, email: `admin@${slug}.test`, password: PASSWORD },
      });
      const second = await h.createUser(tenantId, `Second ${slug}`, `admin2@${slug}.test`, ['administrator']);
      const clients = [await h.signIn(`admin@${slug}.test`), await h.signIn(`admin2@${slug}.test`)];
      const active = async (): Promise<number> =>
        (
          await h.db.query(
            `SELECT count(*)::int AS n FROM memberships ms JOIN users u ON u.id = ms.user_id
              WHERE ms.tenant_id = $1 AND ms.role = 'administrator' AND u.status = 'active'`,
            [tenantId],
          )
        )[0].n;
      return { ids: [admin.id, second], clients, active };
    };
    const c = await twoAdministrators('c');
    const demoted = await Promise.all([
      c.clients[0].put(`/api/admin/users/${c.ids[1]}/roles`, { roles: ['participant'] }),
      c.clients[1].put(`/api/admin/users/${c.ids[0]}/roles`, { roles: ['participant'] }),
    ]);
    // the second is refused: no longer an administrator (403), or the last one left (409)
    await settled(demoted, [200, 403, 409]);
    expect(demoted.filter((r) => r.status === 200)).toHaveLength(1);
    expect(await c.active()).toBe(1);
    const d = await twoAdministrators('d');
    const deactivated = await Promise.all([
      d.clients[0].post(`/api/admin/users/${d.ids[1]}/deactivate`),
      d.clients[1].post(`/api/admin/users/${d.ids[0]}/deactivate`),
    ]);
    await settled(deactivated, [200, 401, 403, 409]);
    expect(deactivated.filter((r) => r.status === 200)).toHaveLength(1);
    expect(await d.active()).toBe(1);
  });

  it("a group's members replaced at once: each made in turn, one set kept whole", async () => {
    const group = (await admin.post('/api/admin/groups', { name: 'Raced group' })).body.id;
    const [one, two, coach] = [await person(['participant']), await person(['participant']), await person(['coach'])];
    const sets = [[one], [one, two]];
    const answers = await atOnce((i) =>
      admin.put(`/api/admin/groups/${group}/members`, { participants: sets[i % 2], coaches: [coach] }),
    );
    await settled(answers, [200]);
    const members = (
      await h.db.query(`SELECT user_id FROM group_members WHERE group_id = $1 AND role = 'participant'`, [group])
    ).map((m: { user_id: string }) => m.user_id);
    expect(sets.map((set) => [...set].sort())).toContainEqual(members.sort());
  });

  it("a course's draft started and published at once: one draft, one publication, the rest 409", async () => {
    const course = await publishedCourse(developer);
    const drafts = await atOnce(() => developer.post(`/api/authoring/courses/${course.id}/draft`));
    await settled(drafts, [200]);
    const versions = async () =>
      h.db.query(`SELECT version, state FROM course_versions WHERE course_id = $1 ORDER BY version`, [course.id]);
    expect(await versions()).toEqual([
      { version: 1, state: 'published' },
      { version: 2, state: 'draft' },
    ]);
    const published = await atOnce(() =>
      developer.post(`/api/authoring/courses/${course.id}/publish`, { changeSummary: 'Raced publication' }),
    );
    await settled(published, [200, 409]);
    expect(statuses(published)).toEqual([200, ...Array(AT_ONCE - 1).fill(409)]);
    expect(await versions()).toEqual([
      { version: 1, state: 'superseded' },
      { version: 2, state: 'published' },
    ]);
  });

  it('one upload submitted at once: one answer, the rest 409, the staged file gone, the API still up', async () => {
    const course = await publishedCourse(developer, { media: true });
    await admin.post('/api/admin/enrolments', { courseId: course.id, userId: world.a.ids.participant });
    const uploadId = await uploadFile(participant, JFK_WAV);
    const answers = await atOnce(() =>
      participant.post(`/api/my/courses/${course.id}/exercises/${AUDIO_EXERCISE}/recordings`, { uploadId }),
    );
    await settled(answers, [201, 409]);
    expect(statuses(answers)).toEqual([201, ...Array(AT_ONCE - 1).fill(409)]);
    const [{ n }] = await h.db.query(`SELECT count(*)::int AS n FROM answers WHERE user_id = $1 AND exercise_id = $2`, [
      world.a.ids.participant,
      AUDIO_EXERCISE,
    ]);
    expect(n).toBe(1);
    expect((await readdir(h.config.UPLOAD_DIR)).filter((f) => f.startsWith(uploadId))).toEqual([]);
  });

  it('an upload submitted and removed at once: one of them, the other 409, never both', async () => {
    const course = await publishedCourse(developer, { media: true });
    const learner = await person(['participant']);
    await admin.post('/api/admin/enrolments', { courseId: course.id, userId: learner });
    const second = await h.signIn(`raced-${people}@a.test`);
    for (let round = 0; round < 3; round++) {
      const uploadId = await uploadFile(second, JFK_WAV);
      const remove = async () =>
        second.capture(
          await second.agent
            .delete(`/api/uploads/${uploadId}`)
            .set('X-XSRF-TOKEN', second.xsrf)
            .set('Tus-Resumable', '1.0.0'),
        );
      const answers = await atOnce((i) =>
        i % 2
          ? second.post(`/api/my/courses/${course.id}/exercises/${AUDIO_EXERCISE}/recordings`, { uploadId })
          : remove(),
      );
      // the first to claim it wins; one that comes after it is gone finds nothing (404)
      await settled(answers, [201, 204, 404, 409]);
      expect(answers.filter((r) => r.status === 201 || r.status === 204)).toHaveLength(1);
    }
  });
});
