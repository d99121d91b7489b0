import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import { PrivacyLogPage } from './privacy-log.page';
import { privacyLogEntry } from '../../../testing/privacy-log-entry';
import { settle } from '../../../testing/page-testing';

describe('PrivacyLogPage', () => {
  let fixture: ComponentFixture<PrivacyLogPage>;
  let http: HttpTestingController;
  let el: HTMLElement;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [PrivacyLogPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(PrivacyLogPage);
    el = fixture.nativeElement;
  });
  afterEach(() => http.verify());

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
    expect(back?.getAttribute('href')).toBe('/admin/privacy-log');
    // another person's looks (the address changed): from the first page again
    fixture.componentRef.setInput('actorId', 'a');
    await settle();
    http.expectOne((r) => r.params.get('actorId') === 'a' && r.params.get('page') === '1').flush(page([]));
    await settle();
    expect(text()).toContain('Only the looks by this person');
    expect(text()).toContain("This person has not looked at anyone else's data.");
  });
});
