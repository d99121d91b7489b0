/**
 * The translation checks (issue 17): every user-visible text of the web app, the e-mails and the AI
 * coach has a Dutch translation that keeps every placeholder of the English one, and no translation
 * is left over from a text that is gone. Used by `npm run i18n:check` (in the build) and by a test.
 */

/** A catalogue: message id → text. */
export type Messages = Record<string, string>;

/** Angular's placeholders ({$INTERPOLATION}, {$START_TAG_STRONG}, {$PH_1} …) or i18next's ({{name}}). */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\$[A-Z0-9_]+\}|\{\{\s*[\w.]+\s*\}\}/g)].map((m) => m[0].replace(/\s+/g, '')))].sort();
}

/**
 * What is wrong between a source catalogue and one translation of it, one line per problem. Works
 * for Angular's catalogues (by message id) and i18next's (by key: Dutch and English both have
 * exactly the plural forms _one and _other, so keys match one to one).
 */
export function compareCatalogues(name: string, source: Messages, target: Messages): string[] {
  const problems: string[] = [];
  for (const [id, text] of Object.entries(source)) {
    const t = target[id];
    if (t === undefined) problems.push(`${name}: no translation of ${id} "${text}"`);
    else if (!t.trim()) problems.push(`${name}: empty translation of ${id} "${text}"`);
    else if (placeholders(t).join() !== placeholders(text).join()) {
      problems.push(`${name}: ${id} has placeholders [${placeholders(t).join(' ')}] where the source has [${placeholders(text).join(' ')}]: "${text}" → "${t}"`);
    }
  }
  for (const id of Object.keys(target)) if (!(id in source)) problems.push(`${name}: ${id} translates a text that no longer exists ("${target[id]}")`);
  return problems;
}
