/**
 * PeerReviewsRepository on real PostgreSQL (the medium tier): the peer rotation's candidates are
 * the group's active participants in the order they joined, never a deactivated or invited one,
 * a coach of the group or another organisation's group.
 */
import { PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { PeerReviewsRepository } from './peer-reviews.repository';

describe('PeerReviewsRepository (medium tier)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let peers: PeerReviewsRepository;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    peers = new PeerReviewsRepository(m.db, new PeopleDirectoryRepository(m.db));
  });
  afterAll(() => m?.close());

  it("the rotation's candidates: the group's active participants, in the order they joined", async () => {
    const tenant = await rows.tenant();
    const group = await rows.group(tenant);
    const [first, gone, invited, second] = [
      await rows.user(tenant, { name: 'Zed First' }),
      await rows.user(tenant, { status: 'deactivated' }),
      await rows.user(tenant, { status: 'invited' }),
      await rows.user(tenant, { name: 'Amy Second' }),
    ];
    const coach = await rows.user(tenant, { roles: ['coach'] });
    for (const who of [first, gone, invited, second]) await rows.member(tenant, group, who);
    await rows.member(tenant, group, coach, 'coach');
    expect(await peers.activeParticipants(tenant, group)).toEqual([first, second]);
    expect(await peers.activeParticipants(await rows.tenant(), group)).toEqual([]);
  });
});
