import i18next from 'i18next';
import { DEFAULT_LOCALE, isLocale, type Locale, LOCALES } from '@rehearse/shared/contracts';

/** The key of a plural text without its _one/_other ending: i18next picks the form by `count`. */
type PluralKey<K extends string> = K extends `${infer Base}_one` | `${infer Base}_other` ? Base : never;

/** A text by key, in one language, with {{name}} placeholders filled (and _one/_other plurals by `count`). */
export type Translate<K extends string> = (key: K | PluralKey<K>, params?: Record<string, string | number>) => string;

/**
 * One domain's texts in every language Rehearse speaks, through i18next (plural rules per language,
 * interpolation). Each domain keeps its own catalogue: typing the Dutch one as `Record<keyof typeof
 * en, string>` makes a missing or stray translation a compile error. Values are interpolated as
 * given: escape them for HTML before passing them.
 */
export function translations<K extends string>(
  catalogues: Record<Locale, Record<K, string>>,
): (locale: string | null | undefined) => Translate<K> {
  const i18n = i18next.createInstance();
  void i18n.init({
    resources: Object.fromEntries(LOCALES.map((l) => [l, { translation: catalogues[l] }])),
    lng: DEFAULT_LOCALE,
    fallbackLng: DEFAULT_LOCALE,
    initAsync: false,
    interpolation: { escapeValue: false },
  });
  const fixed = Object.fromEntries(LOCALES.map((l) => [l, i18n.getFixedT(l)])) as Record<
    Locale,
    (key: string, params?: object) => string
  >;
  return (locale) => {
    const l = isLocale(locale) ? locale : DEFAULT_LOCALE;
    const t = fixed[l];
    // numbers are written the language's way (213.7 / 213,7); `count` stays a number: it picks the plural form
    const numbers = (params: Record<string, string | number>) =>
      Object.fromEntries(
        Object.entries(params).map(([k, v]) => [k, typeof v === 'number' && k !== 'count' ? formatNumber(l, v) : v]),
      );
    return (key, params) => t(key, params ? numbers(params) : {});
  };
}

/** A number as people of that language write it, with at most `digits` decimals (or exactly, with `fixed`). */
export function formatNumber(locale: string | null | undefined, value: number, digits = 2, fixed = false): string {
  return new Intl.NumberFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', {
    maximumFractionDigits: digits,
    minimumFractionDigits: fixed ? digits : 0,
    useGrouping: false,
  }).format(value);
}

/** A date (YYYY-MM-DD or a Date) as people of that language write it: "30 November 2026", "30 november 2026". */
export function longDate(locale: string | null | undefined, value: string | Date): string {
  const date = typeof value === 'string' ? new Date(`${value.slice(0, 10)}T00:00:00Z`) : value;
  return new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(
    date,
  );
}
