import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { AgreementRow, CriterionTrend, Me, ReportOverview } from '@rehearse/shared/contracts';
import { SessionStore } from '../../core/session.store';
import { By } from '@angular/platform-browser';
import { TrendChart } from './charts';
import { ReportsPage } from './reports.page';
import { button, settle } from '../../../testing/page-testing';

const row = (i: number): CriterionTrend => ({
  groupId: `g${i}`,
  groupName: `Group ${String(i).padStart(3, '0')}`,
  courseId: 'c',
  courseTitle: 'Calls',
  criterionId: 'k',
  criterionTitle: 'Empathy',
  month: '2026-10',
  meanScore: 3.5,
  reviews: 4,
});
const agreed = (i: number): AgreementRow => ({
  courseId: `c${i}`,
  courseTitle: `Calls (${i + 1})`,
  exerciseId: 'x',
  exerciseTitle: 'Baseline',
  pairs: 1_200,
  exact: 0.2,
  adjacent: 0.5,
  meanAbsoluteDifference: 1.6,
});
const overview = (over: Partial<ReportOverview> = {}): ReportOverview => ({
  participants: 10_000,
  active: 9_000,
  participationRate: 0.9,
  answers: 100_000,
  reviewed: 50_000,
  baselineMean: 2.1,
  finalMean: 3.4,
  criteria: Array.from({ length: 50 }, (_, i) => row(i)),
  criteriaTotal: 2_400,
  page: 1,
  pageSize: 50,
  trend: [
    { criterionId: 'k', criterionTitle: 'Empathy', month: '2026-09', meanScore: 3.1, reviews: 800 },
    { criterionId: 'k', criterionTitle: 'Empathy', month: '2026-10', meanScore: 3.5, reviews: 900 },
  ],
  agreement: [],
  asOf: null,
  ...over,
});

describe('ReportsPage', () => {
  let fixture: ComponentFixture<ReportsPage>;
  let http: HttpTestingController;
  let el: HTMLElement;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [ReportsPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    TestBed.inject(SessionStore).me.set({ id: 'a', roles: ['administrator'] } as unknown as Me);
    fixture = TestBed.createComponent(ReportsPage);
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
  });
  afterEach(() => http.verify());

  it('shows one page of the scores table with a paginator over all of it, and asks the server for the next page', async () => {
    http
      .expectOne(
        (r) => r.url === '/api/reports/overview' && r.params.get('page') === '1' && r.params.get('pageSize') === '50',
      )
      .flush(overview());
    await settle();
    expect(el.querySelectorAll('tbody tr').length).toBe(50);
    expect(el.querySelector('mat-paginator')?.textContent).toContain('2400');
    const next = el.querySelector<HTMLButtonElement>('button.mat-mdc-paginator-navigation-next');
    next?.click();
    await settle();
    // the first page stays on screen while the second loads
    expect(el.querySelectorAll('tbody tr').length).toBe(50);
    http
      .expectOne((r) => r.url === '/api/reports/overview' && r.params.get('page') === '2')
      .flush(overview({ page: 2, criteria: [row(50)] }));
    await settle();
    expect(el.querySelector('tbody tr')?.textContent).toContain('Group 050');
  });

  it('writes an organisation’s counts with their thousands grouped, as its reader writes them', async () => {
    http.expectOne((r) => r.url === '/api/reports/overview').flush(overview());
    await settle();
    // each tile: its figure, then what it counts
    const tiles = Array.from(el.querySelectorAll('.tile')).map((t) =>
      Array.from(t.querySelectorAll('span'))
        .map((x) => x.textContent?.replace(/\s+/g, ' ').trim())
        .join(' '),
    );
    expect(tiles).toContain('90% participation (9,000 of 10,000)');
    expect(tiles).toContain('50,000 / 100,000 answers with coach feedback');
  });

  it('names the months as its reader does, in the table and on the chart', async () => {
    http.expectOne((r) => r.url === '/api/reports/overview').flush(overview());
    await settle();
    const cells = Array.from(el.querySelector('tbody tr')?.querySelectorAll('td') ?? []).map((td) =>
      td.textContent?.trim(),
    );
    expect(cells[3]).toBe('Oct 2026');
    const chart = fixture.debugElement.query(By.directive(TrendChart)).componentInstance as TrendChart;
    expect(chart.drawn?.data.labels).toEqual(['Sept 2026', 'Oct 2026']);
  });

  it('asks for 10 rows a page on a phone’s screen, where each row is a block of its own', async () => {
    http.expectOne((r) => r.url === '/api/reports/overview').flush(overview());
    const narrow = spyOn(window, 'matchMedia').and.callFake(
      (q: string) => ({ matches: q === '(max-width: 700px)', media: q }) as MediaQueryList,
    );
    const phone = TestBed.createComponent(ReportsPage);
    phone.detectChanges();
    await settle();
    expect(narrow).toHaveBeenCalled();
    http
      .expectOne((r) => r.url === '/api/reports/overview' && r.params.get('pageSize') === '10')
      .flush(overview({ pageSize: 10, criteria: Array.from({ length: 10 }, (_, i) => row(i)) }));
    await settle();
    expect(phone.nativeElement.querySelectorAll('tbody tr').length).toBe(10);
  });

  it('shows the AI agreement of many courses 25 exercises at a time, and the first page again for another group', async () => {
    http
      .expectOne((r) => r.url === '/api/reports/overview')
      .flush(overview({ agreement: Array.from({ length: 40 }, (_, i) => agreed(i)) }));
    await settle();
    const card = () =>
      Array.from(el.querySelectorAll<HTMLElement>('.card')).find((c) =>
        c.querySelector('h2')?.textContent?.includes('agreement'),
      )!;
    const courses = () =>
      Array.from(card().querySelectorAll('tbody tr td:first-child')).map((td) => td.textContent?.trim());
    expect(courses().length).toBe(25);
    expect(courses()[0]).toBe('Calls (1)');
    expect(card().querySelector('mat-paginator')?.textContent).toContain('of 40');
    card().querySelector<HTMLButtonElement>('button.mat-mdc-paginator-navigation-next')!.click();
    await settle();
    // paged in the page: the overview is not asked for again
    expect(http.match((r) => r.url === '/api/reports/overview').length).toBe(0);
    expect(courses()).toEqual(Array.from({ length: 15 }, (_, i) => `Calls (${i + 26})`));
    // another group's report starts on its first page
    (fixture.componentInstance as unknown as { groupId: { set(v: string): void } }).groupId.set('g1');
    await settle();
    http
      .expectOne((r) => r.url === '/api/reports/overview' && r.params.get('groupId') === 'g1')
      .flush(overview({ agreement: Array.from({ length: 30 }, (_, i) => agreed(i)) }));
    await settle();
    expect(courses()[0]).toBe('Calls (1)');
    expect(courses().length).toBe(25);
  });

  it('has no paginator under an agreement table of one page', async () => {
    http
      .expectOne((r) => r.url === '/api/reports/overview')
      .flush(overview({ criteriaTotal: 50, agreement: Array.from({ length: 3 }, (_, i) => agreed(i)) }));
    await settle();
    expect(el.querySelectorAll('mat-paginator').length).toBe(0);
    expect(el.textContent).toContain('Calls (3)');
  });

  it('says how old the figures are when they come from the organisation’s snapshot', async () => {
    http.expectOne((r) => r.url === '/api/reports/overview').flush(overview({ asOf: '2026-11-30T09:05:00Z' }));
    await settle();
    expect(el.querySelector('[role=status]')?.textContent).toContain('recounted every five minutes');
  });

  it('has no paginator and says so when nobody has been scored yet', async () => {
    http
      .expectOne((r) => r.url === '/api/reports/overview')
      .flush(overview({ criteria: [], criteriaTotal: 0, trend: [] }));
    await settle();
    expect(el.querySelector('mat-paginator')).toBeNull();
    expect(el.textContent).toContain('No published coach feedback yet.');
  });

  it('says why the report did not load and tries again', async () => {
    http
      .expectOne((r) => r.url === '/api/reports/overview')
      .flush({ code: 'unavailable', message: 'Try again in a moment' }, { status: 503, statusText: 'x' });
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('Try again in a moment');
    button(el, 'Try again').click();
    await settle();
    http.expectOne((r) => r.url === '/api/reports/overview').flush(overview());
    await settle();
    expect(el.querySelector('[role=alert]')).toBeNull();
    expect(el.querySelectorAll('tbody tr').length).toBe(50);
  });

  it('filters by a group found by name on the server (not a list of the first 100), and back to all', async () => {
    http.expectOne((r) => r.url === '/api/reports/overview').flush(overview());
    await settle();
    // no list of groups is loaded with the page
    expect(http.match((r) => r.url === '/api/admin/groups').length).toBe(0);
    const input = el.querySelector<HTMLInputElement>('rh-group-filter input')!;
    input.dispatchEvent(new Event('focus'));
    await settle();
    http
      .expectOne((r) => r.url === '/api/admin/groups' && !r.params.has('q'))
      .flush({
        items: [{ id: 'g1', name: 'Alpha', description: '', participantCount: 1, coachCount: 1 }],
        total: 250,
        page: 1,
        pageSize: 20,
      });
    input.value = 'Zul';
    input.dispatchEvent(new Event('input'));
    await new Promise((r) => setTimeout(r, 300));
    await settle();
    http
      .expectOne((r) => r.url === '/api/admin/groups' && r.params.get('q') === 'Zul')
      .flush({
        items: [{ id: 'g250', name: 'Zulu', description: '', participantCount: 1, coachCount: 1 }],
        total: 1,
        page: 1,
        pageSize: 20,
      });
    await settle();
    input.dispatchEvent(new Event('focusin'));
    await settle();
    const zulu = Array.from(document.querySelectorAll<HTMLElement>('mat-option')).find((o) =>
      o.textContent?.includes('Zulu'),
    );
    expect(zulu).toBeDefined();
    zulu!.click();
    await settle();
    http
      .expectOne(
        (r) => r.url === '/api/reports/overview' && r.params.get('groupId') === 'g250' && r.params.get('page') === '1',
      )
      .flush(overview());
    await settle();
    for (const r of http.match((r) => r.url === '/api/admin/groups'))
      if (!r.cancelled) r.flush({ items: [], total: 0, page: 1, pageSize: 20 });
    // "All groups" again
    input.dispatchEvent(new Event('focusin'));
    await settle();
    Array.from(document.querySelectorAll<HTMLElement>('mat-option'))
      .find((o) => o.textContent?.includes('All groups'))!
      .click();
    await settle();
    http.expectOne((r) => r.url === '/api/reports/overview' && !r.params.has('groupId')).flush(overview());
    await settle();
    for (const r of http.match((r) => r.url === '/api/admin/groups'))
      if (!r.cancelled) r.flush({ items: [], total: 0, page: 1, pageSize: 20 });
  });

  it('offers each table for Excel and as CSV, for the group in view', async () => {
    http.expectOne((r) => r.url === '/api/reports/overview').flush(overview());
    await settle();
    button(el, 'Download').click();
    await settle();
    const links = () =>
      Array.from(document.querySelectorAll<HTMLAnchorElement>('.mat-mdc-menu-panel a[mat-menu-item]')).map((a) => [
        a.textContent?.trim(),
        a.getAttribute('href'),
        a.hasAttribute('download'),
      ]);
    expect(links()).toEqual([
      ['Scores for Excel (.xlsx)', '/api/reports/export?table=criteria&format=xlsx', true],
      ['Scores as CSV', '/api/reports/export?table=criteria&format=csv', true],
      ['AI agreement for Excel (.xlsx)', '/api/reports/export?table=agreement&format=xlsx', true],
      ['AI agreement as CSV', '/api/reports/export?table=agreement&format=csv', true],
    ]);
    (fixture.componentInstance as unknown as { groupId: { set(v: string): void } }).groupId.set('g7');
    await settle();
    http.expectOne((r) => r.url === '/api/reports/overview' && r.params.get('groupId') === 'g7').flush(overview());
    await settle();
    expect(links()[0][1]).toBe('/api/reports/export?groupId=g7&table=criteria&format=xlsx');
  });
});
