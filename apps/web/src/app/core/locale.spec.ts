import { clearTranslations, loadTranslations } from '@angular/localize';
import nl from '../../locale/messages.nl.json';
import { activeLocale, chooseLocale, followAccountLocale, startLocale } from './locale';
import { actorRoleName, ARIA, recogniserAccuracy } from './labels';
import { describeRead } from './privacy-words';

describe('the language of the web app', () => {
  const KEY = 'rehearse.locale';
  afterEach(() => {
    localStorage.removeItem(KEY);
    clearTranslations();
  });

  it('starts in the language this device remembers from the account, else the browser’s', () => {
    spyOnProperty(navigator, 'languages', 'get').and.returnValue(['nl-BE', 'en']);
    expect(startLocale()).toBe('nl');
    localStorage.setItem(KEY, 'en');
    expect(startLocale()).toBe('en');
    // something else stored there is ignored
    localStorage.setItem(KEY, 'klingon');
    expect(startLocale()).toBe('nl');
  });

  it('a browser in a language Rehearse does not speak gets English', () => {
    spyOnProperty(navigator, 'languages', 'get').and.returnValue(['de-DE', 'fr']);
    expect(startLocale()).toBe('en');
  });

  it('remembers the account’s language on this device; no choice on the account changes nothing', () => {
    expect(followAccountLocale(null)).toBe(false);
    expect(localStorage.getItem(KEY)).toBeNull();
    // the test page runs in English: the account's English needs no reload
    expect(activeLocale()).toBe('en');
    expect(followAccountLocale('en')).toBe(false);
    expect(localStorage.getItem(KEY)).toBe('en');
  });

  it('the account’s other language, or one chosen on the sign-in page, loads the page again in it', () => {
    const reload = jasmine.createSpy('reload');
    expect(followAccountLocale('nl', reload)).toBe(true);
    expect(reload).toHaveBeenCalledTimes(1);
    expect(localStorage.getItem(KEY)).toBe('nl');
    chooseLocale('en', reload);
    expect(reload).toHaveBeenCalledTimes(1); // already English: nothing to load
    expect(localStorage.getItem(KEY)).toBe('en');
    chooseLocale('nl', reload);
    expect(reload).toHaveBeenCalledTimes(2);
    expect(localStorage.getItem(KEY)).toBe('nl');
  });

  it('with the Dutch translations loaded, texts built in code are Dutch, with their data in place', () => {
    loadTranslations(nl.translations);
    expect(ARIA.progressIn('Klachten aan de telefoon')).toBe('Voortgang in Klachten aan de telefoon');
    expect(ARIA.moveModuleUp('Openen')).toBe('Module Openen omhoog');
    expect(recogniserAccuracy('pocketsphinx', 'en-us')).toBe(
      'ongeveer 44 op de 100 woorden verkeerd verstaan in echte spraak: controleer bevindingen op woordniveau door te luisteren',
    );
    clearTranslations();
    expect(ARIA.progressIn('Complaints')).toBe('Progress in Complaints');
  });

  it('names the roles a privacy-log row records', () => {
    expect(actorRoleName('administrator+coach')).toBe('Administrator, Coach');
    expect(actorRoleName('superuser')).toBe('Superuser');
    expect(actorRoleName('superuser-as-participant')).toBe('Superuser as Participant');
    expect(actorRoleName('user')).toBe('user');
    expect(actorRoleName('something-new')).toBe('something-new');
  });

  it('every Dutch translation keeps the placeholders of its English message (the build checks the ids)', () => {
    const translations = nl.translations as Record<string, string>;
    expect(Object.keys(translations).length).toBeGreaterThan(700);
    for (const [id, text] of Object.entries(translations))
      expect({ id, empty: !text.trim() }).toEqual({ id, empty: false });
    // privacy-log wording is built per entry ("Geopend: de opname"): each object carries its own article
    loadTranslations(translations);
    expect(describeRead('view', 'recording')).toMatch(/^Geopend: /);
  });
});
