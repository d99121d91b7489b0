import { registerLocaleData } from '@angular/common';
import localeNl from '@angular/common/locales/nl';
import { LOCALE_ID } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { LocalizedPaginatorIntl } from './paginator-intl';

describe('the paginator’s words', () => {
  const inLocale = (locale: string) => {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [LocalizedPaginatorIntl, { provide: LOCALE_ID, useValue: locale }] });
    return TestBed.inject(LocalizedPaginatorIntl);
  };
  let intl: LocalizedPaginatorIntl;
  beforeEach(() => (intl = inLocale('en-US')));

  it('says which rows of how many a page shows', () => {
    expect(intl.getRangeLabel(0, 10, 23)).toBe('1 – 10 of 23');
    expect(intl.getRangeLabel(2, 10, 23)).toBe('21 – 23 of 23');
    expect(intl.getRangeLabel(0, 10, 0)).toBe('0 of 0');
  });

  it('writes a large organisation’s numbers the reader’s way', () => {
    expect(intl.getRangeLabel(0, 25, 10035)).toBe('1 – 25 of 10,035');
    expect(intl.getRangeLabel(400, 25, 10035)).toBe('10,001 – 10,025 of 10,035');
    registerLocaleData(localeNl);
    // (the words stay English here: the Dutch ones come with the Dutch build)
    expect(inLocale('nl').getRangeLabel(0, 25, 10035)).toBe('1 – 25 of 10.035');
  });

  it('labels its controls', () => {
    expect(intl.itemsPerPageLabel).toBe('Items per page:');
    expect(intl.nextPageLabel).toBe('Next page');
    expect(intl.previousPageLabel).toBe('Previous page');
  });
});
