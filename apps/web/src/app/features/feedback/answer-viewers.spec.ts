import { ComponentFixture, TestBed } from '@angular/core/testing';
import { LOCALE_ID, provideZonelessChangeDetection } from '@angular/core';
import { formatDate } from '@angular/common';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { Page, PrivacyLogLooks } from '@rehearse/shared/contracts';
import { settle } from '../../../testing/page-testing';
import { privacyLogLooks } from '../../../testing/privacy-log-entry';
import { AnswerViewers, VIEWERS_PAGE } from './answer-viewers';

const entry = privacyLogLooks;
const page = (items: PrivacyLogLooks[], total = items.length, n = 1): Page<PrivacyLogLooks> => ({
  items,
  total,
  page: n,
  pageSize: VIEWERS_PAGE,
});
const text = (el: Element | null) => el?.textContent?.replace(/\s+/g, ' ').trim();

describe('AnswerViewers (who has seen this answer)', () => {
  let fixture: ComponentFixture<AnswerViewers>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const asked = () => http.expectOne((r) => r.url === '/api/account/privacy-log');

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [AnswerViewers],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    }).compileComponents();
    fixture = TestBed.createComponent(AnswerViewers);
    fixture.componentRef.setInput('answerId', 'a1');
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
    await settle();
  });
  afterEach(() => http.verify());

  it('lists who looked at the answer, newest first, in words', async () => {
    expect(el.querySelector('mat-progress-bar')).not.toBeNull();
    const req = asked();
    expect(req.request.params.get('answerId')).toBe('a1');
    expect(req.request.params.get('pageSize')).toBe(String(VIEWERS_PAGE));
    req.flush(
      page([
        entry(3),
        entry(2, { actorName: 'Ada Administrator', actorRole: 'administrator', objectType: 'answer', action: 'list' }),
        entry(1, { actorName: null, impersonatorName: 'Sam Support', objectType: 'transcript', action: 'view' }),
      ]),
    );
    await settle();
    const rows = Array.from(el.querySelectorAll('tbody tr')).map((r) => Array.from(r.children).map((c) => text(c)));
    expect(rows.map((r) => r.slice(1))).toEqual([
      // who and in which role in one column: what they did stays on a phone's screen
      ['Cora Coach · Coach', 'Played the recording'],
      ['Ada Administrator · Administrator', 'Saw the answer in a list'],
      ['removed user (support: Sam Support) · Coach', 'Opened the transcript'],
    ]);
    expect(rows[0][0]).toMatch(/^29 Nov 2026, \d\d?:\d\d/);
    expect(rows[0][0]).not.toContain('times');
    // one page: no pager
    expect(el.querySelector('mat-paginator')).toBeNull();
  });

  it('says so when nobody else has seen it', async () => {
    asked().flush(page([]));
    await settle();
    expect(text(el)).toContain('Nobody else has seen this answer yet.');
    expect(el.querySelector('table')).toBeNull();
  });

  it('pages through a long list, and starts again at the first page for another answer', async () => {
    asked().flush(
      page(
        Array.from({ length: VIEWERS_PAGE }, (_, i) => entry(100 - i)),
        23,
      ),
    );
    await settle();
    expect(el.querySelector('mat-paginator')).not.toBeNull();
    (el.querySelector('button.mat-mdc-paginator-navigation-next') as HTMLButtonElement).click();
    await settle();
    const second = asked();
    expect(second.request.params.get('page')).toBe('2');
    second.flush(page([entry(5)], 23, 2));
    await settle();
    expect(el.querySelectorAll('tbody tr').length).toBe(1);
    fixture.componentRef.setInput('answerId', 'a2');
    await settle();
    const other = asked();
    expect([other.request.params.get('answerId'), other.request.params.get('page')]).toEqual(['a2', '1']);
    other.flush(page([entry(9)]));
    await settle();
  });

  it('shows the server’s message and tries again on request', async () => {
    asked().flush({ message: 'The database is not answering' }, { status: 503, statusText: 'Unavailable' });
    await settle();
    expect(text(el.querySelector('[role=alert]'))).toContain('The database is not answering');
    (
      Array.from(el.querySelectorAll('button')).find((b) => b.textContent?.includes('Try again')) as HTMLButtonElement
    ).click();
    await settle();
    asked().flush(page([entry(1)]));
    await settle();
    expect(el.querySelectorAll('tbody tr').length).toBe(1);
  });

  it('says how many times when the same look came again that day, and since when', async () => {
    asked().flush(page([entry(5, { count: 4, at: '2026-11-29T12:40:00Z', firstAt: '2026-11-29T09:05:00Z' })]));
    await settle();
    const when = text(el.querySelector('tbody tr td'));
    const since = formatDate('2026-11-29T09:05:00Z', 'shortTime', TestBed.inject(LOCALE_ID));
    expect(when).toContain(`4 times since ${since}`);
  });
});
