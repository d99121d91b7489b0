import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { DeletionReceipt, Page } from '@rehearse/shared/contracts';
import { RetentionAdminPage } from './retention-admin.page';
import { settle } from '../../../testing/page-testing';

const SETTINGS = { deleteAfterDays: 45, noticeDays: 14, keepPolicy: 'approval', keepDays: 365 };
const receipts = (page: number, subject: string): Page<DeletionReceipt> => ({
  items: [
    {
      id: `d${page}`,
      kind: 'erasure',
      subjectId: subject,
      createdAt: '2026-11-20T10:00:00Z',
      verified: true,
      counts: { recordings: 2 },
      objects: [],
    },
  ],
  total: 40,
  page,
  pageSize: 20,
});

describe('RetentionAdminPage', () => {
  let fixture: ComponentFixture<RetentionAdminPage>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const button = (text: string) =>
    Array.from(el.querySelectorAll('button')).find((b) => b.textContent?.trim() === text)!;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [RetentionAdminPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    fixture = TestBed.createComponent(RetentionAdminPage);
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
    await settle();
  });
  afterEach(() => {
    http.match('/api/admin/exports/organisation');
    http.verify();
  });

  it('shows the periods, and pages through the receipts keeping the page on screen while the next loads', async () => {
    http.expectOne('/api/admin/retention-settings').flush(SETTINGS);
    http.expectOne('/api/admin/retention/requests').flush([]);
    http.expectOne((r) => r.url === '/api/admin/deletion-receipts').flush(receipts(1, 'first-page'));
    await settle();
    expect(el.querySelector<HTMLInputElement>('input[name=deleteAfterDays]')!.value).toBe('45');
    // each receipt's moment written as the other lists write one (it read "20/11/2026, 10:00", all figures)
    expect(el.textContent?.replace(/\s+/g, ' ')).toMatch(/(19|20|21) Nov 2026, \d\d?:\d\d/);
    // each receipt downloads signed, for the person or an auditor
    const signed = Array.from(el.querySelectorAll('a')).find((a) => a.textContent?.trim() === 'Signed receipt')!;
    expect(signed.getAttribute('href')).toBe('/api/admin/deletion-receipts/d1/signed');
    button('Older').click();
    await settle();
    const older = http.expectOne((r) => r.url === '/api/admin/deletion-receipts');
    expect(older.request.params.get('page')).toBe('2');
    older.flush(receipts(2, 'second-page'));
    await settle();
    expect(button('Newer').disabled).toBeFalse();
  });

  it('says why the settings did not load and tries again', async () => {
    http
      .expectOne('/api/admin/retention-settings')
      .flush({ code: 'unavailable', message: 'Try again in a moment' }, { status: 503, statusText: 'x' });
    http.expectOne('/api/admin/retention/requests');
    http.expectOne((r) => r.url === '/api/admin/deletion-receipts').flush(receipts(1, 'x'));
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('Try again in a moment');
    button('Try again').click();
    await settle();
    http.expectOne('/api/admin/retention-settings').flush(SETTINGS);
    http.expectOne('/api/admin/retention/requests').flush([]);
    await settle();
    expect(el.querySelector<HTMLInputElement>('input[name=keepDays]')!.value).toBe('365');
  });
});
