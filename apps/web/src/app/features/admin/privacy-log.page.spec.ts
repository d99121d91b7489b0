import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter, Router } from '@angular/router';
import { PrivacyLogPage } from './privacy-log.page';
import { provideDates, startOfDay } from '../../core/dates';
import { privacyLogEntry } from '../../../testing/privacy-log-entry';
import { settle } from '../../../testing/page-testing';

describe('PrivacyLogPage', () => {
  let fixture: ComponentFixture<PrivacyLogPage>;
  let http: HttpTestingController;
  let el: HTMLElement;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [PrivacyLogPage],
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        provideDates(),
      ],
    }).compileComponents();
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(PrivacyLogPage);
    el = fixture.nativeElement;
  });
  const INTEGRITY = '/api/admin/privacy-log/integrity';
  const unchecked = { checkedAt: null, entriesChecked: 0, broken: null, brokenAtId: null };
  afterEach(() => {
    // (the last check of the log, asked for once by every page: the tests below that are not about it answer it here)
    for (const r of http.match(INTEGRITY)) r.flush(unchecked);
    http.verify();
  });

  const page = (items: ReturnType<typeof privacyLogEntry>[]) => ({ items, total: items.length, page: 1, pageSize: 25 });
  const text = () => (el.textContent ?? '').replace(/\s+/g, ' ');

  it("everyone's looks, each looker's name leading to their looks alone", async () => {
    fixture.detectChanges();
    await settle();
    http
      .expectOne((r) => r.url === '/api/admin/privacy-log' && !r.params.has('actorId'))
      .flush(page([privacyLogEntry(1), privacyLogEntry(2, { actorId: 'a', actorName: 'Ada Admin' })]));
    await settle();
    const who = Array.from(el.querySelectorAll<HTMLAnchorElement>('tbody td:nth-child(2) a'));
    expect(who.map((a) => [a.textContent?.trim(), a.getAttribute('href')])).toEqual([
      ['Cora Coach', '/?actorId=c'],
      ['Ada Admin', '/?actorId=a'],
    ]);
    expect(el.querySelector('a[download]')?.getAttribute('href')).toBe('/api/admin/privacy-log/export');
    expect(text()).not.toContain('Only the looks by');
  });

  it('says when the log was last checked for changes, and what was found: intact, an entry changed, entries removed', async () => {
    const integrity = () => el.querySelector('.integrity');
    const show = async (answer: object | 'error') => {
      fixture = TestBed.createComponent(PrivacyLogPage);
      el = fixture.nativeElement;
      fixture.detectChanges();
      await settle();
      http.match((r) => r.url === '/api/admin/privacy-log').forEach((r) => r.flush(page([])));
      // (the page made before each test asks too)
      const asked = http.match(INTEGRITY);
      expect(asked.length).toBeGreaterThan(0);
      for (const r of asked)
        if (answer === 'error') r.flush({ message: 'no' }, { status: 500, statusText: 'Server Error' });
        else r.flush(answer);
      await settle();
    };
    await show(unchecked);
    expect(integrity()?.textContent).toContain('Not checked for changes yet');
    expect(integrity()?.getAttribute('role')).toBeNull();
    const checkedAt = '2026-01-01T03:00:12.000Z';
    await show({ checkedAt, entriesChecked: 1240343, broken: null, brokenAtId: null });
    expect(integrity()?.textContent).toMatch(
      /Checked for changes 1 Jan 2026, \d\d:00:12: all 1,240,343 entries written until then intact\. The log is checked every night\./,
    );
    await show({ checkedAt, entriesChecked: 7, broken: 'changed', brokenAtId: '884213' });
    expect(integrity()?.getAttribute('role')).toBe('alert');
    expect(integrity()?.textContent).toContain('entry 884213 was changed outside Rehearse');
    expect(integrity()?.textContent).toContain('Tell your operator now');
    await show({ checkedAt, entriesChecked: 7, broken: 'removed', brokenAtId: '884213' });
    expect(integrity()?.getAttribute('role')).toBe('alert');
    expect(integrity()?.textContent).toContain('entries up to entry 884213 were removed outside Rehearse');
    await show('error');
    expect(integrity()?.textContent).toContain('could not be read');
  });

  it('one person’s looks: says whose, exports only theirs, and goes back to everyone’s', async () => {
    fixture.componentRef.setInput('actorId', 'c');
    fixture.detectChanges();
    await settle();
    http
      .expectOne(
        (r) => r.url === '/api/admin/privacy-log' && r.params.get('actorId') === 'c' && r.params.get('page') === '1',
      )
      .flush(page([privacyLogEntry(1), privacyLogEntry(2)]));
    await settle();
    expect(text()).toContain('Only the looks by Cora Coach');
    expect(el.querySelector('a[download]')?.getAttribute('href')).toBe('/api/admin/privacy-log/export?actorId=c');
    // the filtered person's name is no link to the page already shown
    expect(el.querySelectorAll('tbody td:nth-child(2) a').length).toBe(0);
    const back = Array.from(el.querySelectorAll<HTMLAnchorElement>('a')).find((a) =>
      a.textContent?.includes("Show everyone's"),
    );
    // (to the same page without the person: the page's own address, here the test's '/')
    expect(back?.getAttribute('href')).toBe('/');
    // another person's looks (the address changed): from the first page again
    fixture.componentRef.setInput('actorId', 'a');
    await settle();
    http.expectOne((r) => r.params.get('actorId') === 'a' && r.params.get('page') === '1').flush(page([]));
    await settle();
    expect(text()).toContain('Only the looks by this person');
    expect(text()).toContain("This person has not looked at anyone else's data.");
  });

  it("the looks at one person's data (their page leads here): says whose, exports only those, and goes back to everyone's", async () => {
    fixture.componentRef.setInput('subjectId', 'p1');
    fixture.detectChanges();
    await settle();
    http
      .expectOne(
        (r) => r.url === '/api/admin/privacy-log' && r.params.get('subjectId') === 'p1' && !r.params.has('actorId'),
      )
      .flush(page([privacyLogEntry(1, { subjectId: 'p1', subjectName: 'Pim Participant' })]));
    await settle();
    expect(text()).toContain("Only the looks at Pim Participant's data");
    expect(el.querySelector('a[download]')?.getAttribute('href')).toBe('/api/admin/privacy-log/export?subjectId=p1');
    expect(Array.from(el.querySelectorAll('a')).some((a) => a.textContent?.includes("Show everyone's"))).toBeTrue();
    // a looker's name narrows it further, keeping the person (the address's other filters stay)
    const who = el.querySelector<HTMLAnchorElement>('tbody td:nth-child(2) a');
    expect(who?.getAttribute('href')).toBe('/?actorId=c');
    fixture.componentRef.setInput('actorId', 'c');
    await settle();
    http.expectOne((r) => r.params.get('subjectId') === 'p1' && r.params.get('actorId') === 'c').flush(page([]));
    await settle();
    expect(text()).toContain("Only the looks by this person at that person's data");
    expect(text()).toContain("This person has not looked at that person's data.");
    fixture.componentRef.setInput('actorId', undefined);
    await settle();
    http.expectOne((r) => r.params.get('subjectId') === 'p1' && !r.params.has('actorId')).flush(page([]));
    await settle();
    expect(text()).toContain("Nobody has looked at this person's data.");
  });

  it("a period from the address: from its first day's start to the start of the day after its last, in the list and the CSV", async () => {
    fixture.componentRef.setInput('from', '2026-03-01');
    fixture.componentRef.setInput('to', '2026-03-31');
    fixture.detectChanges();
    await settle();
    const from = startOfDay(new Date(2026, 2, 1));
    const before = startOfDay(new Date(2026, 3, 1));
    // the moments with the reader's offset: 2026-03-01T00:00:00+01:00 in Amsterdam
    expect(from).toMatch(/^2026-03-01T00:00:00[+-]\d\d:\d\d$/);
    expect(new Date(from).getTime()).toBe(new Date(2026, 2, 1).getTime());
    http
      .expectOne(
        (r) =>
          r.url === '/api/admin/privacy-log' &&
          r.params.get('from') === from &&
          r.params.get('before') === before &&
          r.params.get('page') === '1',
      )
      .flush(page([]));
    await settle();
    expect(text()).toContain('No entries in this period.');
    const csv = new URL(el.querySelector('a[download]')?.getAttribute('href') ?? '', 'http://x');
    expect(csv.pathname).toBe('/api/admin/privacy-log/export');
    expect([csv.searchParams.get('from'), csv.searchParams.get('before')]).toEqual([from, before]);
    // the fields show the period's days (the app's way of writing a date)
    const fields = Array.from(el.querySelectorAll<HTMLInputElement>('form.filters mat-form-field input'));
    expect(fields.map((f) => f.value)).toEqual(['1 Mar 2026', '31 Mar 2026']);

    // one end only
    fixture.componentRef.setInput('from', undefined);
    await settle();
    http.expectOne((r) => !r.params.has('from') && r.params.get('before') === before).flush(page([privacyLogEntry(1)]));
    await settle();
    expect(el.querySelectorAll('tbody tr').length).toBe(1);
  });

  it('choosing a day puts the period in the address; "Any time" takes it out', async () => {
    const navigate = spyOn(TestBed.inject(Router), 'navigate').and.resolveTo(true);
    fixture.detectChanges();
    await settle();
    http.expectOne((r) => r.url === '/api/admin/privacy-log').flush(page([privacyLogEntry(1)]));
    await settle();
    expect(text()).not.toContain('Any time');
    const [fromField] = Array.from(el.querySelectorAll<HTMLInputElement>('form.filters mat-form-field input'));
    fromField.value = '1 Mar 2026';
    fromField.dispatchEvent(new Event('input'));
    fromField.dispatchEvent(new Event('change'));
    await settle();
    expect(navigate).toHaveBeenCalledWith(
      [],
      jasmine.objectContaining({ queryParams: { from: '2026-03-01' }, queryParamsHandling: 'merge' }),
    );
    // (the router's input binding gives the page the address's days)
    fixture.componentRef.setInput('from', '2026-03-01');
    await settle();
    http.expectOne((r) => r.params.has('from')).flush(page([]));
    await settle();
    const anyTime = Array.from(el.querySelectorAll<HTMLButtonElement>('button')).find(
      (b) => b.textContent?.trim() === 'Any time',
    );
    anyTime?.click();
    expect(navigate).toHaveBeenCalledWith(
      [],
      jasmine.objectContaining({ queryParams: { from: null, to: null }, queryParamsHandling: 'merge' }),
    );
  });

  it('a period that ends before it begins says so and asks for nothing', async () => {
    fixture.componentRef.setInput('from', '2026-03-31');
    fixture.componentRef.setInput('to', '2026-03-01');
    fixture.detectChanges();
    await settle();
    http.expectNone('/api/admin/privacy-log');
    expect(el.querySelector('[role=alert]')?.textContent).toContain('The period ends before it begins');
    // and no CSV of it to download (the API would refuse it)
    expect(el.querySelector('a[download]')).toBeNull();
    // a day the calendar lacks is no end of a period (not 2 March)
    fixture.componentRef.setInput('from', '2026-02-30');
    await settle();
    http
      .expectOne((r) => !r.params.has('from') && r.params.get('before') === startOfDay(new Date(2026, 2, 2)))
      .flush(page([]));
    await settle();
    fixture.componentRef.setInput('from', '2026-03-31');
    fixture.componentRef.setInput('to', '2026-03-01');
    await settle();
    http.expectNone('/api/admin/privacy-log');
    // the same day at both ends is a day
    fixture.componentRef.setInput('to', '2026-03-31');
    await settle();
    http.expectOne((r) => r.params.get('before') === startOfDay(new Date(2026, 3, 1))).flush(page([]));
    await settle();
    expect(el.querySelector('[role=alert]')).toBeNull();
  });

  it("the operator's support staff alone: a box that puts by=support in the address, sent to the list and the CSV", async () => {
    const navigate = spyOn(TestBed.inject(Router), 'navigate').and.resolveTo(true);
    fixture.detectChanges();
    await settle();
    http.expectOne((r) => r.url === '/api/admin/privacy-log' && !r.params.has('by')).flush(page([privacyLogEntry(1)]));
    await settle();
    const box = el.querySelector<HTMLInputElement>('mat-checkbox input[type=checkbox]');
    expect(box?.checked).toBeFalse();
    box?.click();
    await settle();
    expect(navigate).toHaveBeenCalledWith(
      [],
      jasmine.objectContaining({ queryParams: { by: 'support' }, queryParamsHandling: 'merge' }),
    );
    // (the router's input binding gives the page the address's filter)
    fixture.componentRef.setInput('by', 'support');
    await settle();
    http.expectOne((r) => r.params.get('by') === 'support' && r.params.get('page') === '1').flush(page([]));
    await settle();
    expect(el.querySelector<HTMLInputElement>('mat-checkbox input[type=checkbox]')?.checked).toBeTrue();
    expect(text()).toContain("Support staff have not looked at anyone's data in your organisation.");
    expect(el.querySelector('a[download]')?.getAttribute('href')).toBe('/api/admin/privacy-log/export?by=support');
    // anything else in the address is no filter
    fixture.componentRef.setInput('by', 'everyone');
    await settle();
    http.expectOne((r) => r.url === '/api/admin/privacy-log' && !r.params.has('by')).flush(page([]));
    await settle();
  });
});
