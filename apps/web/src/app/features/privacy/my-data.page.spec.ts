import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { Me, MyRetention } from '@rehearse/shared/contracts';
import { SessionStore } from '../../core/session.store';
import { MyDataPage } from './my-data.page';
import { RetentionBanner } from './retention-banner';
import { DataExports, EXPORT_POLL_MS } from './data-exports';
import { button } from '../../../testing/page-testing';

const status = (extra: Partial<MyRetention> = {}): MyRetention => ({
  licenceExpiresOn: '2026-12-01',
  hidden: true,
  deletionDueOn: '2027-01-15',
  noticeSentAt: '2026-12-31T10:00:00Z',
  mayAskToKeep: true,
  keep: null,
  keepPolicy: 'approval',
  recordings: 3,
  mediaDeletedAt: null,
  receiptId: null,
  ...extra,
});

describe('my data and the retention banner', () => {
  let http: HttpTestingController;
  // the page's data is a resource, a pending task until answered: time passes and change detection runs
  const settle = async (f: ComponentFixture<unknown>) => {
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 5));
      TestBed.tick();
    }
    f.detectChanges();
  };

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [MyDataPage, RetentionBanner, DataExports],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  it('tells the trainee their work is hidden, when the recordings go, and sends the keep request', async () => {
    const f = TestBed.createComponent(MyDataPage);
    const el: HTMLElement = f.nativeElement;
    f.detectChanges();
    http.expectOne('/api/my/retention').flush(status());
    await settle(f);
    http.expectOne('/api/my/exports').flush([]);
    await settle(f);
    expect(el.textContent).toContain('Your licence expired on 1 Dec 2026');
    expect(el.querySelector('.due')?.textContent).toContain('Your 3 recordings will be deleted on 15 Jan 2027');
    const keep = Array.from(el.querySelectorAll('button')).find((b) =>
      b.textContent?.includes('Keep my recordings'),
    ) as HTMLButtonElement;
    keep.click();
    const req = http.expectOne('/api/my/retention/keep');
    expect(req.request.method).toBe('POST');
    req.flush(
      status({ mayAskToKeep: false, keep: { status: 'requested', until: null, requestedAt: '2027-01-02T09:00:00Z' } }),
    );
    await settle(f);
    expect(el.textContent).toContain('You asked to keep them on 2 Jan 2027');
    expect(Array.from(el.querySelectorAll('button')).some((b) => b.textContent?.includes('Keep my recordings'))).toBe(
      false,
    );
  });

  it('after the deletion, offers its receipt signed; without a receipt, no link', async () => {
    const f = TestBed.createComponent(MyDataPage);
    const el: HTMLElement = f.nativeElement;
    f.detectChanges();
    const deleted = { deletionDueOn: null, mayAskToKeep: false, recordings: 0, mediaDeletedAt: '2027-01-15T03:00:00Z' };
    http.expectOne('/api/my/retention').flush(status({ ...deleted, receiptId: 'r-1' }));
    await settle(f);
    http.expectOne('/api/my/exports').flush([]);
    await settle(f);
    expect(el.textContent).toContain('Your recordings were deleted on 15 Jan 2027');
    const link = Array.from(el.querySelectorAll('a')).find(
      (a) => a.textContent?.trim() === 'Download the receipt, signed',
    );
    expect(link?.getAttribute('href')).toBe('/api/my/deletion-receipts/r-1/signed');
    expect(el.textContent).toContain("with the installation's public key at /api/receipts/keys");
    // a deletion from before receipts were kept
    const g = TestBed.createComponent(MyDataPage);
    g.detectChanges();
    http.expectOne('/api/my/retention').flush(status(deleted));
    await settle(g);
    http.expectOne('/api/my/exports').flush([]);
    await settle(g);
    const other: HTMLElement = g.nativeElement;
    expect(other.textContent).toContain('Your recordings were deleted on 15 Jan 2027');
    expect(Array.from(other.querySelectorAll('a')).some((a) => a.textContent?.includes('receipt, signed'))).toBe(false);
  });

  it('shows the server’s reason when the request is refused', async () => {
    const f = TestBed.createComponent(MyDataPage);
    const el: HTMLElement = f.nativeElement;
    f.detectChanges();
    http.expectOne('/api/my/retention').flush(status());
    await settle(f);
    http.expectOne('/api/my/exports').flush([]);
    await settle(f);
    (
      Array.from(el.querySelectorAll('button')).find((b) =>
        b.textContent?.includes('Keep my recordings'),
      ) as HTMLButtonElement
    ).click();
    http
      .expectOne('/api/my/retention/keep')
      .flush({ code: 'conflict', message: 'You already asked (requested)' }, { status: 409, statusText: 'Conflict' });
    await settle(f);
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('You already asked');
  });

  it('puts a banner over every page while the licence is expired, and none otherwise', async () => {
    TestBed.inject(SessionStore).set({
      id: 'me',
      name: 'Pim',
      permissions: ['courses.learn'],
      roles: ['participant'],
    } as unknown as Me);
    const f = TestBed.createComponent(RetentionBanner);
    f.detectChanges();
    http.expectOne('/api/my/retention').flush(status());
    await settle(f);
    expect((f.nativeElement as HTMLElement).querySelector('[role="alert"]')?.textContent).toContain(
      'Your recordings will be deleted on 15 Jan 2027',
    );

    const g = TestBed.createComponent(RetentionBanner);
    g.detectChanges();
    http.expectOne('/api/my/retention').flush(status({ hidden: false, deletionDueOn: null }));
    await settle(g);
    expect((g.nativeElement as HTMLElement).querySelector('[role="alert"]')).toBeNull();
  });

  /** an export that ended (past its days, or withdrawn): the fields every such answer has */
  const expiredExport = {
    progress: 100,
    sizeBytes: null,
    createdAt: '2026-11-22T10:00:00Z',
    finishedAt: '2026-11-22T10:05:00Z',
    expiresAt: null,
    state: 'expired',
  };

  it('says of an organisation’s export withdrawn by an erasure why it went, and of one past its days only that it expired', async () => {
    const f = TestBed.createComponent(DataExports);
    f.componentRef.setInput('userId', 'organisation');
    const el: HTMLElement = f.nativeElement;
    f.detectChanges();
    const base = { ...expiredExport, scope: 'tenant', subjectId: null, subjectName: 'Northwind' };
    http.expectOne('/api/admin/exports/organisation').flush([
      {
        ...base,
        id: 'w1',
        error: 'Withdrawn: a person in it was erased. Export the organisation again.',
        withdrawn: 'erasure',
      },
      { ...base, id: 'e1', error: null },
    ]);
    await settle(f);
    const items = Array.from(el.querySelectorAll('li')).map((li) => li.textContent?.replace(/\s+/g, ' ').trim());
    expect(items[0]).toContain('withdrawn: someone in it was erased since. Make a new export.');
    expect(items[1]).toMatch(/· expired$/);
  });

  /** The person's own exports list, with one export of theirs as the server gives it: the element and its line's text. */
  async function myExport(fields: Record<string, unknown>) {
    const f = TestBed.createComponent(DataExports);
    const el: HTMLElement = f.nativeElement;
    f.detectChanges();
    http
      .expectOne('/api/my/exports')
      .flush([{ ...expiredExport, scope: 'user', subjectId: 'u1', subjectName: 'Pim', ...fields }]);
    await settle(f);
    return { el, item: el.querySelector('li')?.textContent?.replace(/\s+/g, ' ').trim() };
  }

  it('says of a failed export what to do, then the server’s reason as it gave it', async () => {
    const { el, item } = await myExport({ state: 'failed', id: 'f1', error: 'could not be queued' });
    expect(item).toMatch(/· failed\. Make a new export; if that fails too, pass on this reason: could not be queued$/);
    expect(el.querySelector('li [data-reason]')?.textContent).toBe('could not be queued');
    expect(el.querySelector('li a')).toBeNull();
  });

  it('says of an export withdrawn because a licence ended since it was made why it went', async () => {
    const { el, item } = await myExport({
      id: 'l1',
      error:
        'Withdrawn: a licence ended since it was made, hiding answers it holds. Make a new export: it leaves them out.',
      withdrawn: 'licence',
    });
    expect(item).toContain(
      'withdrawn: a licence ended since it was made, hiding answers in it. Make a new export: it leaves them out.',
    );
    expect(el.querySelector('li a')).toBeNull();
  });

  it('starts an export, shows its progress while the worker builds it, then the download link', async () => {
    const f = TestBed.createComponent(DataExports);
    const el: HTMLElement = f.nativeElement;
    f.detectChanges();
    http.expectOne('/api/my/exports').flush([]);
    await settle(f);
    (
      Array.from(el.querySelectorAll('button')).find((b) =>
        b.textContent?.includes('Make an export'),
      ) as HTMLButtonElement
    ).click();
    const base = {
      id: 'x1',
      subjectId: 'me',
      subjectName: 'Pim',
      sizeBytes: null,
      error: null,
      createdAt: '2026-11-22T10:00:00Z',
      finishedAt: null,
      expiresAt: null,
    };
    const start = http.expectOne('/api/my/exports');
    expect(start.request.method).toBe('POST');
    start.flush({ ...base, state: 'queued', progress: 0 });
    await settle(f);
    await new Promise((r) => setTimeout(r, EXPORT_POLL_MS + 50));
    http.expectOne('/api/exports/x1').flush({ ...base, state: 'building', progress: 40 });
    await settle(f);
    expect(el.textContent).toContain('being built… 40 %');
    // asked for when, written as the other lists write a moment (it read "22/11/2026, 10:00", all figures)
    expect(el.textContent?.replace(/\s+/g, ' ')).toMatch(/2[123] Nov 2026, \d\d?:\d\d/);
    expect(el.querySelector('mat-progress-bar')?.getAttribute('aria-valuenow')).toBe('40');
    await new Promise((r) => setTimeout(r, EXPORT_POLL_MS + 50));
    http
      .expectOne('/api/exports/x1')
      .flush({ ...base, state: 'ready', progress: 100, sizeBytes: 3 * 1048576, expiresAt: '2026-11-29T10:00:00Z' });
    await settle(f);
    const link = el.querySelector('a[download]') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('/api/exports/x1/download');
    expect(link.textContent).toContain('3.0 MB');
    expect(el.textContent).toContain('until 29 Nov 2026');
  });

  it('my data: says why it did not load and tries again', async () => {
    const f = TestBed.createComponent(MyDataPage);
    const el: HTMLElement = f.nativeElement;
    f.detectChanges();
    http
      .expectOne('/api/my/retention')
      .flush({ code: 'unavailable', message: 'Try again in a moment' }, { status: 503, statusText: 'x' });
    await settle(f);
    expect(el.querySelector('[role=alert]')?.textContent).toContain('Try again in a moment');
    button(el, 'Try again').click();
    await settle(f);
    http.expectOne('/api/my/retention').flush(status());
    await settle(f);
    http.expectOne('/api/my/exports').flush([]);
    await settle(f);
    expect(el.textContent).toContain('Your licence expired on 1 Dec 2026');
  });
});
