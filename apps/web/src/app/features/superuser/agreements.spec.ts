import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Agreements } from './agreements';
import { provideDates } from '../../core/dates';

describe('Agreements', () => {
  let fixture: ComponentFixture<Agreements>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const settle = async () => {
    for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 5));
    await fixture.whenStable();
  };

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [Agreements],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideDates()],
    }).compileComponents();
    fixture = TestBed.createComponent(Agreements);
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
    const first = http.expectOne((r) => r.url === '/api/superuser/tenants');
    expect([
      first.request.params.get('page'),
      first.request.params.get('pageSize'),
      first.request.params.has('q'),
    ]).toEqual(['1', '25', false]);
    first.flush({
      items: [
        { tenantId: 't1', name: 'Acme', slug: 'acme', endsOn: null, destroyOn: null, users: 12, privacyLog: 'intact' },
      ],
      total: 1,
      page: 1,
      pageSize: 25,
    });
    await settle();
  });
  afterEach(() => http.verify());

  it('sets the end of an agreement and shows when the organisation will be destroyed', async () => {
    const input = el.querySelector('input[aria-label="Agreement of Acme ends on"]') as HTMLInputElement;
    // typed the British way (day first), not the browser's
    input.value = '31/03/2027';
    input.dispatchEvent(new Event('input'));
    await settle();
    save().click();
    const req = http.expectOne('/api/superuser/tenants/t1/agreement');
    expect(req.request.method).toBe('PUT');
    expect(req.request.body).toEqual({ endsOn: '2027-03-31' });
    req.flush({
      tenantId: 't1',
      name: 'Acme',
      slug: 'acme',
      endsOn: '2027-03-31',
      destroyOn: '2027-05-15',
      users: 12,
      privacyLog: 'intact',
    });
    await settle();
    expect(el.textContent).toContain('15 May 2027');
    // written the app's way once it leaves the field
    input.dispatchEvent(new Event('blur'));
    await settle();
    expect(input.value).toBe('31 Mar 2027');
  });

  const save = () =>
    Array.from(el.querySelectorAll('button')).find((b) => b.textContent?.includes('Save')) as HTMLButtonElement;

  it("says why the server refused an end: one that would destroy the organisation before its administrators' notice", async () => {
    const input = el.querySelector('input[aria-label="Agreement of Acme ends on"]') as HTMLInputElement;
    input.value = '01/01/2020';
    input.dispatchEvent(new Event('input'));
    await settle();
    save().click();
    http.expectOne('/api/superuser/tenants/t1/agreement').flush(
      {
        code: 'validation_failed',
        message: 'The request is not valid',
        errors: [
          {
            field: 'endsOn',
            messages: [
              "the organisation would be destroyed on 2020-02-15, before its administrators had 14 days' notice: the agreement may end on 2026-11-04 at the earliest",
            ],
          },
        ],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain(
      'the agreement may end on 2026-11-04 at the earliest',
    );
    // nothing on the page claims it was set
    expect(el.querySelector('tbody')?.textContent).not.toContain('2020');
  });

  it('refuses what is no date instead of clearing the agreement’s end: it says what to type and Save waits', async () => {
    const input = el.querySelector('input[aria-label="Agreement of Acme ends on"]') as HTMLInputElement;
    for (const typed of ['end of March', '31/03/27']) {
      input.value = typed;
      input.dispatchEvent(new Event('input'));
      await settle();
      expect(el.querySelector('[role=alert]')?.textContent).toBe('A date such as 5 Oct 2026, between 2000 and 2099');
      expect(input.getAttribute('aria-invalid')).toBe('true');
      expect(save().disabled).toBeTrue();
    }
    // nothing was sent (afterEach: http.verify)
    input.value = '';
    input.dispatchEvent(new Event('input'));
    await settle();
    expect(el.querySelector('[role=alert]')).toBeNull();
    expect(save().disabled).toBeFalse();
  });

  it('finds organisations by name or slug, says when none matches, and pages through many', async () => {
    const search = el.querySelector<HTMLInputElement>('input[type=search]')!;
    search.value = 'zz';
    search.dispatchEvent(new Event('input'));
    await settle();
    el.querySelector<HTMLButtonElement>('form button[type=submit]')!.click();
    await settle();
    const asked = http.expectOne((r) => r.url === '/api/superuser/tenants');
    expect([asked.request.params.get('q'), asked.request.params.get('page')]).toEqual(['zz', '1']);
    asked.flush({ items: [], total: 0, page: 1, pageSize: 25 });
    await settle();
    expect(el.querySelector('tbody')?.textContent?.trim()).toBe('No organisation matches.');
    // 60 organisations: a paginator, and its next page asked for with the same search
    search.value = '';
    search.dispatchEvent(new Event('input'));
    await settle();
    el.querySelector<HTMLButtonElement>('form button[type=submit]')!.click();
    await settle();
    const org = (n: number) => ({
      tenantId: `t${n}`,
      name: `Org ${n}`,
      slug: `org-${n}`,
      endsOn: null,
      destroyOn: null,
      users: n,
      privacyLog: 'unchecked' as const,
    });
    http
      .expectOne((r) => r.url === '/api/superuser/tenants')
      .flush({ items: Array.from({ length: 25 }, (_, i) => org(i + 1)), total: 60, page: 1, pageSize: 25 });
    await settle();
    expect(el.querySelectorAll('tbody tr').length).toBe(25);
    el.querySelector<HTMLButtonElement>('button.mat-mdc-paginator-navigation-next')!.click();
    await settle();
    const next = http.expectOne((r) => r.url === '/api/superuser/tenants');
    expect([next.request.params.get('page'), next.request.params.has('q')]).toEqual(['2', false]);
    next.flush({ items: [org(26)], total: 60, page: 2, pageSize: 25 });
    await settle();
    expect(el.querySelector('tbody')?.textContent).toContain('Org 26');
  });

  it("says what the nightly check of each organisation's privacy log found", async () => {
    const search = el.querySelector<HTMLInputElement>('input[type=search]')!;
    search.value = 'o';
    search.dispatchEvent(new Event('input'));
    await settle();
    el.querySelector<HTMLButtonElement>('form button[type=submit]')!.click();
    await settle();
    const states = ['intact', 'changed', 'removed', 'unchecked'] as const;
    http
      .expectOne((r) => r.url === '/api/superuser/tenants')
      .flush({
        items: states.map((privacyLog, i) => ({
          tenantId: `t${i}`,
          name: `Org ${i}`,
          slug: `org-${i}`,
          endsOn: null,
          destroyOn: null,
          users: 1,
          privacyLog,
        })),
        total: 4,
        page: 1,
        pageSize: 25,
      });
    await settle();
    const cells = Array.from(el.querySelectorAll('tbody tr')).map((tr) => tr.querySelectorAll('td')[4]);
    expect(cells.map((c) => c.textContent?.trim())).toEqual([
      'Intact',
      'Changed outside Rehearse',
      'Entries removed outside Rehearse',
      'Not checked yet',
    ]);
    expect(cells.map((c) => !!c.querySelector('.error-text'))).toEqual([false, true, true, false]);
  });

  it('says why the organisations did not load, and tries again', async () => {
    el.querySelector<HTMLButtonElement>('form button[type=submit]')!.click();
    await settle();
    http
      .expectOne((r) => r.url === '/api/superuser/tenants')
      .flush({ code: 'unavailable', message: 'Try again in a moment' }, { status: 503, statusText: 'x' });
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('Try again in a moment');
    Array.from(el.querySelectorAll('button'))
      .find((b) => b.textContent?.includes('Try again'))!
      .click();
    await settle();
    http.expectOne((r) => r.url === '/api/superuser/tenants').flush({ items: [], total: 0, page: 1, pageSize: 25 });
    await settle();
    expect(el.querySelector('[role=alert]')).toBeNull();
    expect(el.querySelector('tbody')?.textContent?.trim()).toBe('No organisations.');
  });

  describe('registering an organisation', () => {
    const button = (text: string) =>
      Array.from(el.querySelectorAll('button')).find((b) => b.textContent?.trim() === text) as HTMLButtonElement;
    const field = (label: string) => {
      const f = Array.from(el.querySelectorAll('rh-register-organisation mat-form-field')).find(
        (x) => x.querySelector('mat-label')?.textContent?.trim() === label,
      );
      return f?.querySelector('input') as HTMLInputElement;
    };
    const type = async (label: string, value: string) => {
      field(label).value = value;
      field(label).dispatchEvent(new Event('input'));
      await settle();
    };
    const open = async () => {
      button('Register an organisation').click();
      await settle();
      await type('Organisation’s name', 'Zorggroep Noord-Holland B.V.');
      await type('Administrator’s name', 'Lena de Vries');
      await type('Their e-mail address', 'lena@zorggroep.example');
    };

    it('registers it with a short name made from its name, then lists it and says who was invited', async () => {
      await open();
      expect(field('Short name (slug)').value).toBe('zorggroep-noord-holland-b-v');
      // typed by hand, the short name no longer follows the name
      await type('Short name (slug)', 'zorggroep-nh');
      await type('Organisation’s name', 'Zorggroep Noord-Holland');
      expect(field('Short name (slug)').value).toBe('zorggroep-nh');
      (el.querySelector('rh-register-organisation mat-checkbox input') as HTMLInputElement).click();
      await settle();
      button('Register and invite').click();
      await settle();
      const req = http.expectOne((r) => r.method === 'POST' && r.url === '/api/superuser/tenants');
      expect(req.request.body).toEqual({
        name: 'Zorggroep Noord-Holland',
        slug: 'zorggroep-nh',
        requirePasswordComplexity: true,
        administrator: { name: 'Lena de Vries', email: 'lena@zorggroep.example', locale: 'en' },
      });
      const created = {
        tenantId: 't9',
        name: 'Zorggroep Noord-Holland',
        slug: 'zorggroep-nh',
        endsOn: null,
        destroyOn: null,
        users: 1,
        privacyLog: 'unchecked' as const,
      };
      req.flush(created, { status: 201, statusText: 'Created' });
      await settle();
      const listed = http.expectOne((r) => r.method === 'GET' && r.url === '/api/superuser/tenants');
      expect(listed.request.params.get('q')).toBe('zorggroep-nh');
      listed.flush({ items: [created], total: 1, page: 1, pageSize: 25 });
      await settle();
      expect(el.querySelector('[role=status]')?.textContent?.trim()).toBe(
        'Zorggroep Noord-Holland is registered; Lena de Vries is invited as its administrator, with a link on its way to lena@zorggroep.example.',
      );
      expect(el.querySelector('rh-register-organisation')).toBeNull();
      expect(el.querySelector('tbody')?.textContent).toContain('Zorggroep Noord-Holland');
    });

    it('sends nothing while a field is missing or the short name is malformed, and keeps the form with the server’s reason when it refuses', async () => {
      await open();
      await type('Short name (slug)', 'Zorggroep NH');
      button('Register and invite').click();
      await settle();
      expect(el.querySelector('rh-register-organisation')?.textContent).toContain(
        'Use lower-case letters, digits and dashes, with a letter or digit at each end',
      );
      // nothing sent (afterEach: http.verify)
      await type('Short name (slug)', 'acme');
      button('Register and invite').click();
      await settle();
      http
        .expectOne((r) => r.method === 'POST' && r.url === '/api/superuser/tenants')
        .flush(
          { code: 'conflict', message: 'A tenant with slug "acme" already exists' },
          { status: 409, statusText: 'Conflict' },
        );
      await settle();
      expect(el.querySelector('rh-register-organisation [role=alert]')?.textContent).toBe(
        'A tenant with slug "acme" already exists',
      );
      expect(field('Organisation’s name').value).toBe('Zorggroep Noord-Holland B.V.');
      button('Cancel').click();
      await settle();
      expect(el.querySelector('rh-register-organisation')).toBeNull();
    });
  });
});
