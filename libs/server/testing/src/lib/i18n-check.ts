/**
 * The translation checks (issue 17): every user-visible text of the web app, the e-mails and the AI
 * coach has a Dutch translation that keeps every placeholder of the English one, and no translation
 * is left over from a text that is gone; every message the API's code can answer with has a Dutch
 * entry. Used by `npm run i18n:check` (in the web build) and by a test in npm test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverMessages, shapeOf } from './server-messages';

/** A catalogue: message id → text. */
export type Messages = Record<string, string>;

/** Angular's placeholders ({$INTERPOLATION}, {$START_TAG_STRONG}, {$PH_1} …) or i18next's ({{name}}). */
export function placeholders(text: string): string[] {
  return [
    ...new Set([...text.matchAll(/\{\$[A-Z0-9_]+\}|\{\{\s*[\w.]+\s*\}\}/g)].map((m) => m[0].replace(/\s+/g, ''))),
  ].sort();
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
      problems.push(
        `${name}: ${id} has placeholders [${placeholders(t).join(' ')}] where the source has [${placeholders(text).join(' ')}]: "${text}" → "${t}"`,
      );
    }
  }
  for (const id of Object.keys(target))
    if (!(id in source)) problems.push(`${name}: ${id} translates a text that no longer exists ("${target[id]}")`);
  return problems;
}

/** The catalogues to check: the web app's (files under apps/web/src/locale), the domains' i18next ones, the API's messages. */
export interface Catalogues {
  /** each domain's e-mail texts (and the greeting they share), by name */
  mail: Record<string, { en: Messages; nl: Messages }>;
  coach: { en: Messages; nl: Messages };
  apiNl: Messages;
}

function readMessages(file: string): Messages {
  return (JSON.parse(readFileSync(file, 'utf8')) as { translations: Messages }).translations;
}

/** Every message the API's code can answer with has a Dutch entry of the same shape, with the same placeholders. */
export function apiMessageProblems(root: string, apiNl: Messages): string[] {
  const shapes = new Set(Object.keys(apiNl).map(shapeOf));
  const problems = [...serverMessages(root)]
    .filter(([message]) => !shapes.has(shapeOf(message)))
    .map(
      ([message, where]) =>
        `API nl: no translation of "${message}" (${where}) in libs/server/core/src/lib/locales/api-messages.nl.ts`,
    );
  for (const [key, text] of Object.entries(apiNl)) {
    if (placeholders(key).join() !== placeholders(text).join())
      problems.push(`API nl: "${key}" → "${text}" does not keep the placeholders`);
  }
  return problems;
}

/** Every translation problem of the committed catalogues (the web's messages.json taken as current). */
export function translationProblems(root: string, c: Catalogues): string[] {
  const dir = join(root, 'apps/web/src/locale');
  let webNl: Messages = {};
  try {
    webNl = readMessages(join(dir, 'messages.nl.json'));
  } catch {
    // no Dutch file: every message is missing
  }
  return [
    ...compareCatalogues('web nl', readMessages(join(dir, 'messages.json')), webNl),
    ...Object.entries(c.mail).flatMap(([name, texts]) => compareCatalogues(`${name} e-mail nl`, texts.en, texts.nl)),
    ...compareCatalogues('AI coach nl', c.coach.en, c.coach.nl),
    ...apiMessageProblems(root, c.apiNl),
  ];
}
