import { DEFAULT_LOCALE, isLocale, type Locale, negotiateLocale } from '@rehearse/shared/contracts';

const KEY = 'rehearse.locale';

/**
 * Angular's locale data per language: how each writes dates and numbers (en: "30 Nov 2026", 213.7;
 * nl: "30 nov 2026", 213,7). English is British, as the product's words are.
 */
export const ANGULAR_LOCALE: Record<Locale, string> = { en: 'en-GB', nl: 'nl' };

/** The language this page was started in: the account's choice remembered on this device, else the browser's. */
export function startLocale(): Locale {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(KEY);
  } catch {
    // storage blocked: the browser's language decides
  }
  if (isLocale(saved)) return saved;
  return negotiateLocale(navigator.languages?.length ? navigator.languages : [navigator.language]) ?? DEFAULT_LOCALE;
}

/** Chooses the language on this device before anyone signs in: the page loads again in it. */
export function chooseLocale(locale: Locale, reload: () => void = () => location.reload()): void {
  followAccountLocale(locale, reload);
}

/** The language of the running app (set once in main.ts before the app starts). */
export function activeLocale(): Locale {
  const lang = document.documentElement.lang;
  return isLocale(lang) ? lang : DEFAULT_LOCALE;
}

/**
 * Makes the account's language this device's: when it differs from the running app's, the page
 * loads again in it (translations are applied once, before the app starts). Returns whether it reloads.
 */
export function followAccountLocale(locale: Locale | null, reload: () => void = () => location.reload()): boolean {
  if (!locale) return false;
  try {
    localStorage.setItem(KEY, locale);
  } catch {
    return false; // nowhere to remember it: no reload loop
  }
  if (locale === activeLocale()) return false;
  reload();
  return true;
}
