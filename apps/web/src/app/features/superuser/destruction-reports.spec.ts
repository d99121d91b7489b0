import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { DestructionReportSummary } from '@rehearse/shared/contracts';
import { DestructionReports } from './destruction-reports';
import { provideDates } from '../../core/dates';

describe('DestructionReports', () => {
  let fixture: ComponentFixture<DestructionReports>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const settle = async () => {
    for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 5));
    await fixture.whenStable();
  };
  const report = (n: number, over: Partial<DestructionReportSummary> = {}): DestructionReportSummary => ({
    id: `r${n}`,
    organisationId: `0b7e5a2c-0000-4000-8000-00000000000${n % 10}`,
    organisationName: `Org ${n}`,
    organisationSlug: `org-${n}`,
    createdAt: '2026-10-01T02:00:00.000Z',
    verified: true,
    counts: { users: 1200, objects: 31000 },
    ...over,
  });
  const asked = () => http.expectOne((r) => r.url === '/api/superuser/destruction-reports');
  const submit = async (q: string) => {
    const search = el.querySelector<HTMLInputElement>('input[type=search]')!;
    search.value = q;
    search.dispatchEvent(new Event('input'));
    await settle();
    el.querySelector<HTMLButtonElement>('form button[type=submit]')!.click();
    await settle();
  };

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [DestructionReports],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideDates()],
    }).compileComponents();
    fixture = TestBed.createComponent(DestructionReports);
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
  });
  afterEach(() => http.verify());

  it('names each destroyed organisation with what went, whether the storage confirmed it, and its report to download', async () => {
    const first = asked();
    expect([
      first.request.params.get('page'),
      first.request.params.get('pageSize'),
      first.request.params.has('q'),
    ]).toEqual(['1', '10', false]);
    first.flush({
      items: [
        report(1, { organisationName: 'Northwind Sales', organisationSlug: 'northwind' }),
        report(2, { verified: false, counts: { users: 3 } }),
        // written before reports named the organisation
        report(3, { organisationName: null, organisationSlug: null }),
        // destroyed again: a restored backup brought it back
        report(4, {
          organisationName: 'Northwind Sales',
          organisationSlug: 'northwind',
          reason:
            'Destroyed again: destroyed before, the organisation came back with a database restored from an earlier backup',
        }),
      ],
      total: 4,
      page: 1,
      pageSize: 10,
    });
    await settle();
    const rows = Array.from(el.querySelectorAll('tbody tr'));
    expect(rows.length).toBe(4);
    const cells = (tr: Element) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent?.trim());
    expect(cells(rows[0]).slice(1)).toEqual([
      'Northwind Sales northwind',
      '1,200',
      '31,000',
      'every object confirmed gone',
      'Download report Signed report',
    ]);
    expect(cells(rows[0])[0]).toContain('1 Oct 2026');
    const link = rows[0].querySelector('a')!;
    expect(link.getAttribute('href')).toBe('/api/superuser/destruction-reports/r1');
    expect(link.getAttribute('download')).toBe('destruction-report-northwind-2026-10-01.json');
    // signed by the installation: the server names the download (destruction-report-<slug>-<date>.jwt)
    const signed = rows[0].querySelectorAll('a')[1];
    expect(signed.textContent?.trim()).toBe('Signed report');
    expect(signed.getAttribute('href')).toBe('/api/superuser/destruction-reports/r1/signed');
    expect(signed.getAttribute('title')).toContain("the installation's public key");
    // a count the report lacks is 0; what the storage did not confirm is said, as an error
    expect(cells(rows[1]).slice(2, 5)).toEqual(['3', '0', 'not every object confirmed gone: deleting them is retried']);
    expect(rows[1].querySelector('.error-text')).not.toBeNull();
    expect(cells(rows[2])[1]).toBe('Name not kept (organisation 0b7e5a2c-0000-4000-8000-000000000003)');
    expect(rows[2].querySelector('a')!.getAttribute('download')).toBe(
      'destruction-report-0b7e5a2c-0000-4000-8000-000000000003-2026-10-01.json',
    );
    // why, where it was not the end of the agreement; no reason shown where there is none
    // (on a line of its own under the name)
    expect(rows[3].querySelector('.reason')?.textContent?.trim()).toBe(
      // the report's reason as signed (English) written as the page's words, in the reader's language
      'Why: Destroyed again: it had been destroyed before, and came back with a database restored from an earlier backup',
    );
    expect(rows[0].querySelector('.reason')).toBeNull();
    // four reports fit one page: no paginator
    expect(el.querySelector('mat-paginator')).toBeNull();
  });

  it('says when no organisation has been destroyed, and when none matches a search', async () => {
    asked().flush({ items: [], total: 0, page: 1, pageSize: 10 });
    await settle();
    expect(el.querySelector('tbody')?.textContent?.trim()).toBe('No organisation has been destroyed.');
    await submit('  north ');
    const search = asked();
    expect([search.request.params.get('q'), search.request.params.get('page')]).toEqual(['north', '1']);
    search.flush({ items: [], total: 0, page: 1, pageSize: 10 });
    await settle();
    expect(el.querySelector('tbody')?.textContent?.trim()).toBe('No destroyed organisation matches.');
  });

  it('pages through many reports with the same search', async () => {
    asked().flush({ items: [], total: 0, page: 1, pageSize: 10 });
    await settle();
    await submit('org');
    asked().flush({ items: Array.from({ length: 10 }, (_, i) => report(i + 1)), total: 23, page: 1, pageSize: 10 });
    await settle();
    expect(el.querySelectorAll('tbody tr').length).toBe(10);
    el.querySelector<HTMLButtonElement>('button.mat-mdc-paginator-navigation-next')!.click();
    await settle();
    const next = asked();
    expect([next.request.params.get('page'), next.request.params.get('q')]).toEqual(['2', 'org']);
    next.flush({ items: [report(11)], total: 23, page: 2, pageSize: 10 });
    await settle();
    expect(el.querySelector('tbody')?.textContent).toContain('Org 11');
  });

  it('says why the reports did not load, and tries again', async () => {
    asked().flush({ code: 'unavailable', message: 'Try again in a moment' }, { status: 503, statusText: 'x' });
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('Try again in a moment');
    expect(el.querySelector('table')).toBeNull();
    Array.from(el.querySelectorAll('button'))
      .find((b) => b.textContent?.includes('Try again'))!
      .click();
    await settle();
    asked().flush({ items: [report(1)], total: 1, page: 1, pageSize: 10 });
    await settle();
    expect(el.querySelector('[role=alert]')).toBeNull();
    expect(el.querySelector('tbody')?.textContent).toContain('Org 1');
  });
});
