import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AnswerRelation } from '@rehearse/shared/contracts';
import { answersShown, coachesOwner, sharedWithPeer } from './relations';

/** Which relations may count for this actor (each needs its role permission; see ANSWER_RELATIONS). */
export interface RelationGrants {
  coach: boolean;
  peer: boolean;
  administrator: boolean;
}

/**
 * The access core's reads: every relation query (own, coach of the enrolment, peer through a
 * share, administrator of the tenant, subject of an export) in one place, over the relation tables
 * other libraries own (answers, enrolments, group_members, answer_shares, courses, licences,
 * recordings' owner and answer, data_exports' subject, groups' coaches) — read here and nowhere else for access decisions (docs/architecture.md, "Who owns which
 * table"). Every method takes the tenant first; an answer hidden by its owner's expired licence
 * (check 4) is the base scope: it is not found, whatever the relation.
 */
@Injectable()
export class AccessRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The actor's relations to each visible answer of the tenant among `ids` (absent: none at all);
   * for `recording`, to the answer each of the tenant's answer recordings among `ids` belongs to,
   * keyed by the recording (one statement either way).
   */
  async answerRelations(
    tenantId: string,
    actorId: string,
    ids: string[],
    grants: RelationGrants,
    today: string,
    m: EntityManager = this.db.manager,
    of: 'answer' | 'recording' = 'answer',
  ): Promise<Map<string, AnswerRelation[]>> {
    if (!ids.length) return new Map();
    const source =
      of === 'recording'
        ? `recordings o JOIN answers a ON a.id = o.answer_id AND a.tenant_id = o.tenant_id
          WHERE o.id = ANY($1::uuid[]) AND o.tenant_id = $2 AND o.purpose = 'answer'`
        : `answers a WHERE a.id = ANY($1::uuid[]) AND a.tenant_id = $2`;
    const rows: { id: string; owner: boolean; coach: boolean; peer: boolean; administrator: boolean }[] = await m.query(
      `SELECT ${of === 'recording' ? 'o.id' : 'a.id'},
                a.user_id = $3 AS owner,
                ($4::boolean AND ${coachesOwner('a.user_id', 'a.course_id', '$3')}) AS coach,
                ($5::boolean AND ${sharedWithPeer('a.id', 'a.user_id', 'a.course_id', '$3', '$7')}) AS peer,
                $6::boolean AS administrator
           FROM ${source} AND ${answersShown('a.user_id', '$7')}`,
      [ids, tenantId, actorId, grants.coach, grants.peer, grants.administrator, today],
    );
    const out = new Map<string, AnswerRelation[]>();
    for (const r of rows) {
      const relations = (['owner', 'coach', 'peer', 'administrator'] as const).filter((k) => r[k]);
      if (relations.length) out.set(r.id, relations);
    }
    return out;
  }

  /** Each of the tenant's exports among `ids`: whose data it holds (null: the organisation's). */
  async exportsOf(
    tenantId: string,
    ids: string[],
    m: EntityManager = this.db.manager,
  ): Promise<Map<string, { subjectId: string | null; scope: 'user' | 'tenant' }>> {
    if (!ids.length) return new Map();
    const rows: { id: string; subject_id: string | null; scope: 'user' | 'tenant' }[] = await m.query(
      `SELECT e.id, e.subject_id, e.scope FROM data_exports e WHERE e.id = ANY($1::uuid[]) AND e.tenant_id = $2`,
      [ids, tenantId],
    );
    return new Map(rows.map((r) => [r.id, { subjectId: r.subject_id, scope: r.scope }]));
  }

  /** The people of the tenant among `ids` (any status: a deactivated person's data is still theirs). */
  async peopleOf(tenantId: string, ids: string[], m: EntityManager = this.db.manager): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows: { id: string }[] = await m.query(
      `SELECT u.id FROM users u WHERE u.id = ANY($1::uuid[]) AND u.tenant_id = $2`,
      [ids, tenantId],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** The groups of the tenant among `ids` that the actor coaches. */
  async coachedGroups(
    tenantId: string,
    actorId: string,
    ids: string[],
    m: EntityManager = this.db.manager,
  ): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows: { group_id: string }[] = await m.query(
      `SELECT gm.group_id FROM group_members gm
        WHERE gm.group_id = ANY($1::uuid[]) AND gm.user_id = $2 AND gm.role = 'coach' AND gm.tenant_id = $3`,
      [ids, actorId, tenantId],
    );
    return new Set(rows.map((r) => r.group_id));
  }
}
