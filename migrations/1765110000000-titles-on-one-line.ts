import { MigrationInterface, QueryRunner } from 'typeorm';

/** Text that is not one line (NOT_ONE_LINE in libs/server/core). */
const NOT_ONE_LINE = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

/** A title as one line (asOneLine in libs/server/core): direction controls removed, control characters as spaces, spaces collapsed; unchanged when nothing would be left. */
function oneLine(title: unknown): unknown {
  if (typeof title !== 'string' || !NOT_ONE_LINE.test(title)) return title;
  const cleaned = title
    .replace(/[\u202A-\u202E\u2066-\u2069]/gu, '')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned === '' ? title : cleaned;
}

type Titled = { title?: unknown };
/** The criteria of a rubric with each title made one line (a new array when one changed, else the same). */
function criteriaOnOneLine(criteria: unknown): unknown {
  if (!Array.isArray(criteria)) return criteria;
  let changed = false;
  const out = criteria.map((c: Titled) => {
    if (!c || typeof c !== 'object' || oneLine(c.title) === c.title) return c;
    changed = true;
    return { ...c, title: oneLine(c.title) };
  });
  return changed ? out : criteria;
}

/** A course draft's content with the course's, modules' and exercises' titles made one line. */
function draftOnOneLine(content: Titled & { modules?: unknown }): Titled & { modules?: unknown } {
  const modules = Array.isArray(content.modules)
    ? content.modules.map((m: Titled & { exercises?: unknown }) =>
        m && typeof m === 'object'
          ? {
              ...m,
              title: oneLine(m.title),
              ...(Array.isArray(m.exercises)
                ? {
                    exercises: m.exercises.map((e: Titled) =>
                      e && typeof e === 'object' ? { ...e, title: oneLine(e.title) } : e,
                    ),
                  }
                : {}),
            }
          : m,
      )
    : content.modules;
  return { ...content, title: oneLine(content.title), ...(content.modules === undefined ? {} : { modules }) };
}

/**
 * Titles are one line of text from now on (the API refuses control characters and the Unicode
 * direction overrides in course, module, exercise, rubric and criterion titles, as in names). What
 * content developers can still change is made so: the courses' titles, the rubrics' and their
 * criteria's, and the course drafts' (the course's, each module's and each exercise's), each draft
 * and rubric changed counted as a new revision (an editor open from before is asked to reload
 * rather than save over it). A title that would be left empty stays. Published versions are not
 * touched: they are frozen (trigger course_versions_frozen), and the next publication replaces
 * them. Not undone: the characters removed were never wanted.
 */
export class TitlesOnOneLine1765110000000 implements MigrationInterface {
  name = 'TitlesOnOneLine1765110000000';

  async up(q: QueryRunner): Promise<void> {
    const notOneLine = `'[\\x01-\\x1F\\x7F-\\x9F\\u202A-\\u202E\\u2066-\\u2069]'`;
    const courses = (await q.query(`SELECT id, title FROM courses WHERE title ~ ${notOneLine}`)) as {
      id: string;
      title: string;
    }[];
    for (const c of courses) {
      const title = oneLine(c.title);
      if (title !== c.title) await q.query(`UPDATE courses SET title = $2 WHERE id = $1`, [c.id, title]);
    }
    const rubrics = (await q.query(`SELECT id, title, criteria FROM rubrics`)) as {
      id: string;
      title: string;
      criteria: unknown;
    }[];
    for (const r of rubrics) {
      const title = oneLine(r.title);
      const criteria = criteriaOnOneLine(r.criteria);
      if (title === r.title && criteria === r.criteria) continue;
      await q.query(
        `UPDATE rubrics SET title = $2, criteria = $3::jsonb, revision = revision + 1, updated_at = now() WHERE id = $1`,
        [r.id, title, JSON.stringify(criteria)],
      );
    }
    const drafts = (await q.query(`SELECT id, content FROM course_versions WHERE state = 'draft'`)) as {
      id: string;
      content: Titled & { modules?: unknown };
    }[];
    for (const d of drafts) {
      const content = draftOnOneLine(d.content);
      if (JSON.stringify(content) === JSON.stringify(d.content)) continue;
      await q.query(
        `UPDATE course_versions SET content = $2::jsonb, revision = revision + 1, updated_at = now() WHERE id = $1 AND state = 'draft'`,
        [d.id, JSON.stringify(content)],
      );
    }
  }

  async down(): Promise<void> {
    // nothing to restore: the characters removed were never wanted
  }
}
