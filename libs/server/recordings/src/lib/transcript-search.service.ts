import { Injectable } from '@nestjs/common';
import { Page, TranscriptSearchHit } from '@rehearse/shared/contracts';
import { AccessService, Actor, PrivacyLogService, PrivacyRead } from '@rehearse/server/access';
import { PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { SEARCH_CANDIDATES, SEARCH_RARE_ESTIMATE } from './recordings.common';
import { TranscriptSearchRepository } from './transcript-search.repository';

/** Transcript search for coaches (their participants' answers) and administrators (the tenant's). */
@Injectable()
export class TranscriptSearchService {
  constructor(
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
    private readonly searchRows: TranscriptSearchRepository,
    private readonly people: PeopleDirectoryRepository,
  ) {}

  /**
   * Full-text search over the transcripts of recordings the actor may see; every hit on someone
   * else's recording is privacy-logged.
   *
   * Shaped for a large organisation: the passages a person may see are narrowed first (their own,
   * plus those of the people they coach; all of the organisation only for an administrator), the
   * newest SEARCH_CANDIDATES matching passages are taken (an index walk for a common word, the
   * full-text index for a rare one), and only those are ranked, so neither the work nor the answer
   * grows with the organisation. Beyond that many matches the total is a lower bound.
   */
  async search(actor: Actor, q: string, page: number, pageSize: number): Promise<Page<TranscriptSearchHit>> {
    // whose transcripts: the access core's scope for the list (own; coached; the organisation's)
    const scope = this.access.listScope(actor, 'recordings.search');
    const { tenantId } = scope;
    const who = {
      userId: scope.userId,
      admin: scope.relations.has('administrator'),
      coach: scope.relations.has('coach'),
    };
    // every statement of a search on one connection, taken from the pool once (parsing and the
    // estimate took a connection each before; at 20 searches at once no difference was measurable
    // beyond this machine's noise, 2026-12-03)
    return this.privacy.readWithLog(actor, async (m) => {
      // a coach's rare word is looked up in the full-text index, a common one found by walking their
      // answers: PostgreSQL's estimate of the matches decides (an administrator's plan decides itself)
      const { tsq, estimate } = await this.searchRows.words(tenantId, q, !who.admin, m);
      if (!tsq) return { value: { items: [], total: 0, page, pageSize }, log: [] };
      const start = estimate !== null && estimate <= SEARCH_RARE_ESTIMATE ? 'index' : 'walk';
      const rows = await this.searchRows.search(
        tenantId,
        tsq,
        who,
        scope.today,
        { limit: pageSize, offset: (page - 1) * pageSize },
        m,
        start,
      );
      // the participants' names, from accounts (a page names at most pageSize people)
      const names = await this.people.names(
        tenantId,
        rows.map((r) => r.owner_id),
        m,
      );
      const items = rows.map((r): TranscriptSearchHit => ({
        recordingId: r.recording_id,
        answerId: r.answer_id,
        participantId: r.owner_id,
        participantName: names.get(r.owner_id) ?? '',
        courseId: r.course_id,
        courseTitle: r.course_title,
        exerciseId: r.exercise_id,
        exerciseTitle: r.exercise_title ?? '',
        start: r.start_s,
        end: r.end_s,
        snippet: r.snippet,
        engine: r.engine,
        submittedAt: r.submitted_at.toISOString(),
      }));
      const seen = new Set<string>();
      const log: PrivacyRead[] = [];
      for (const h of items) {
        if (seen.has(h.recordingId)) continue;
        seen.add(h.recordingId);
        log.push({
          subjectId: h.participantId,
          tenantId,
          objectType: 'transcript',
          objectId: h.recordingId,
          action: 'search',
        });
      }
      const capped = (rows[0]?.candidates ?? 0) >= SEARCH_CANDIDATES;
      return {
        value: { items, total: rows[0]?.total ?? 0, page, pageSize, ...(capped ? { totalIsLowerBound: true } : {}) },
        log,
      };
    });
  }
}
