import { LOCALE_ID } from '@angular/core';
import { registerLocaleData } from '@angular/common';
import localeEnGb from '@angular/common/locales/en-GB';
import { loadTranslations } from '@angular/localize';
import { bootstrapApplication } from '@angular/platform-browser';
import type { Locale } from '@rehearse/shared/contracts';
import { ANGULAR_LOCALE, startLocale } from './app/core/locale';

/**
 * Applies a language before the app starts: Dutch text, dates and numbers are loaded (as their own
 * cached chunks) only for Dutch readers. Returns the language applied: English when loading failed.
 */
async function applyLocale(locale: Locale): Promise<Locale> {
  if (locale === 'nl') {
    try {
      const [messages, data] = await Promise.all([
        import('./locale/messages.nl.json'),
        import('@angular/common/locales/nl'),
      ]);
      loadTranslations(messages.default.translations);
      registerLocaleData(data.default);
    } catch (err) {
      console.error('the Dutch translations could not be loaded; English is shown', err);
      locale = 'en';
    }
  }
  // British English is the source language: its dates and numbers ship with the app
  registerLocaleData(localeEnGb);
  $localize.locale = ANGULAR_LOCALE[locale];
  document.documentElement.lang = locale;
  return locale;
}

async function start(): Promise<void> {
  const locale = await applyLocale(startLocale());
  // the app is imported only now: texts its modules build when they load ($localize in route titles,
  // label tables) must see the translations
  const [{ App }, { appConfig }] = await Promise.all([import('./app/app'), import('./app/app.config')]);
  await bootstrapApplication(App, {
    ...appConfig,
    providers: [...appConfig.providers, { provide: LOCALE_ID, useValue: ANGULAR_LOCALE[locale] }],
  });
}

start().catch((err: unknown) => console.error(err));
