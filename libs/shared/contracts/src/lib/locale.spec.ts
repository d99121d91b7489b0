import { isLocale, negotiateLocale } from './locale';

describe('the languages Rehearse speaks', () => {
  it('picks the first language it speaks from an Accept-Language header, by weight', () => {
    expect(negotiateLocale('nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7')).toBe('nl');
    expect(negotiateLocale('nl-BE')).toBe('nl');
    expect(negotiateLocale('de-DE,de;q=0.9,en;q=0.5')).toBe('en');
    expect(negotiateLocale('en;q=0.2, nl;q=0.8')).toBe('nl');
    expect(negotiateLocale('EN-gb')).toBe('en');
    // q=0 means "not this one"
    expect(negotiateLocale('nl;q=0, en')).toBe('en');
  });

  it('has no answer for languages it does not speak, nor for nonsense', () => {
    for (const header of ['de-DE', 'fr, es;q=0.4', '', '*', ';;;', 'q=1', ',,', 'nl;q=abc', 'n', 'english'])
      expect(negotiateLocale(header)).toBeNull();
    expect(negotiateLocale(undefined)).toBeNull();
    expect(negotiateLocale(null)).toBeNull();
  });

  it('reads a browser’s list of languages in order', () => {
    expect(negotiateLocale(['fr-FR', 'nl', 'en'])).toBe('nl');
    expect(negotiateLocale(['en-US', 'nl'])).toBe('en');
    expect(negotiateLocale([])).toBeNull();
  });

  it('knows its locales exactly', () => {
    expect(['en', 'nl'].every(isLocale)).toBe(true);
    for (const x of ['EN', 'nl-NL', 'de', '', null, 7, ['nl']]) expect(isLocale(x)).toBe(false);
  });
});
