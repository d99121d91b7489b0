/** The languages Rehearse speaks: its web app, e-mails and the AI coach's explanations. */
export const LOCALES = ['en', 'nl'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Each language named in itself, as a language picker shows it. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', nl: 'Nederlands' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The first of a list of language tags (navigator.languages, or an Accept-Language header with
 * its q-values) that Rehearse speaks, or null: "nl-BE" is Dutch, "en-US;q=0.8" English.
 */
export function negotiateLocale(preferred: readonly string[] | string | null | undefined): Locale | null {
  const tags =
    typeof preferred === 'string'
      ? preferred
          .split(',')
          .map((part, i) => {
            const [tag = '', ...params] = part.trim().split(';');
            const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
            const weight = q ? Number(q.slice(2)) : 1;
            return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, i };
          })
          .filter((t) => t.tag && t.weight > 0)
          .sort((a, b) => b.weight - a.weight || a.i - b.i)
          .map((t) => t.tag)
      : (preferred ?? []);
  for (const tag of tags) {
    const base = tag.toLowerCase().split(/[-_]/)[0];
    if (isLocale(base)) return base;
  }
  return null;
}
