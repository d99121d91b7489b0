import { registerLocaleData } from '@angular/common';
import localeEnGb from '@angular/common/locales/en-GB';
import localeNl from '@angular/common/locales/nl';
import { LOCALE_ID } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { DateTimePipe } from './date-time.pipe';

describe('DateTimePipe', () => {
  const at = new Date(2026, 10, 29, 10, 34, 48);

  it('writes the date and the time to the minute, without seconds', () => {
    registerLocaleData(localeEnGb);
    TestBed.configureTestingModule({ providers: [DateTimePipe, { provide: LOCALE_ID, useValue: 'en-GB' }] });
    const text = TestBed.inject(DateTimePipe).transform(at);
    expect(text).toContain('29 Nov 2026');
    expect(text).toContain('10:34');
    expect(text).not.toContain('48');
  });

  it('in the page’s language, and nothing for no moment', () => {
    registerLocaleData(localeNl);
    TestBed.configureTestingModule({ providers: [DateTimePipe, { provide: LOCALE_ID, useValue: 'nl' }] });
    const pipe = TestBed.inject(DateTimePipe);
    expect(pipe.transform(at)).toContain('29 nov 2026');
    expect(pipe.transform(at)).toContain('10:34');
    expect(pipe.transform(null)).toBe('');
  });
});
