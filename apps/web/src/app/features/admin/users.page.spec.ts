import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ActivatedRoute, convertToParamMap, provideRouter, Router } from '@angular/router';
import type { Page, UserSummary } from '@rehearse/shared/contracts';
import { UsersPage } from './users.page';
import { button, sentRequest, settle as tick } from '../../../testing/page-testing';
import { addDays } from 'date-fns';
import { isoDay } from '../../core/dates';

const USER: UserSummary = {
  id: 'u2',
  email: 'pim@example.test',
  name: 'Pim',
  phone: null,
  status: 'invited',
  roles: ['participant'],
  licence: null,
  createdAt: '2026-11-22T10:00:00Z',
};
const page = (items: UserSummary[], total = items.length, p = 1): Page<UserSummary> => ({
  items,
  total,
  page: p,
  pageSize: 25,
});

describe('UsersPage', () => {
  let fixture: ComponentFixture<UsersPage>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const settle = async () => {
    await new Promise((r) => setTimeout(r));
    await fixture.whenStable();
  };

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [UsersPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    fixture = TestBed.createComponent(UsersPage);
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
  });
  afterEach(() => http.verify());

  it('lists people with their status and roles', async () => {
    http
      .expectOne(
        (r) => r.url === '/api/admin/users' && r.params.get('page') === '1' && r.params.get('pageSize') === '25',
      )
      .flush(page([USER]));
    await settle();
    const rows = el.querySelectorAll('tbody tr');
    expect(rows.length).toBe(1);
    expect(rows[0].textContent).toContain('Pim');
    expect(rows[0].textContent).toContain('Participant');
    expect(rows[0].textContent).toContain('invited');
  });

  it('says where each licence stands today: ended (answers hidden), ending within 30 days, not begun', async () => {
    const day = (n: number) => isoDay(addDays(new Date(), n)) ?? '';
    const withLicence = (id: string, startsOn: string, expiresOn: string): UserSummary => ({
      ...USER,
      id,
      name: id,
      status: 'active',
      licence: { startsOn, expiresOn },
    });
    http
      .expectOne((r) => r.url === '/api/admin/users')
      .flush(
        page([
          withLicence('ended', day(-400), day(-3)),
          withLicence('ends-today', day(-300), day(0)),
          withLicence('tomorrow', day(-300), day(1)),
          withLicence('nine-days', day(-300), day(9)),
          withLicence('running', day(-300), day(100)),
          withLicence('upcoming', day(2), day(400)),
        ]),
      );
    await settle();
    const note = (name: string) =>
      Array.from(el.querySelectorAll('tbody tr'))
        .find((r) => r.querySelector('a')?.textContent === name)
        ?.querySelector('.licence-note')
        ?.textContent?.trim() ?? null;
    expect(note('ended')).toBe('ended: their answers are hidden');
    // the end day is the first day without it, as the API decides
    expect(note('ends-today')).toBe('ended: their answers are hidden');
    expect(note('tomorrow')).toBe('ends tomorrow');
    expect(note('nine-days')).toBe('ends in 9 days');
    expect(note('running')).toBeNull();
    expect(note('upcoming')).toBe('not begun yet');
  });

  it('filters by licence and group: from the selects, and from the address (the home page links to the licences ending soon and the participants in no group)', async () => {
    http.expectOne((r) => r.url === '/api/admin/users' && !r.params.has('licence')).flush(page([USER]));
    await settle();
    const select = el.querySelectorAll('mat-select')[2] as HTMLElement;
    select.click();
    await settle();
    (
      Array.from(document.querySelectorAll('mat-option')).find((o) => o.textContent?.trim() === 'Ended') as HTMLElement
    ).click();
    await settle();
    http
      .expectOne(
        (r) => r.url === '/api/admin/users' && r.params.get('licence') === 'ended' && r.params.get('page') === '1',
      )
      .flush(page([]));
    await settle();
    expect(el.textContent).toContain('Try other filters.');
    // the address says it too: a reload or a shared link shows the same list
    expect(TestBed.inject(Router).url).toBe('/?licence=ended');
    // opened from the home page's link
    TestBed.resetTestingModule();
    await TestBed.configureTestingModule({
      imports: [UsersPage],
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        {
          provide: ActivatedRoute,
          useValue: { snapshot: { queryParamMap: convertToParamMap({ licence: 'ending', group: 'none' }) } },
        },
      ],
    }).compileComponents();
    fixture = TestBed.createComponent(UsersPage);
    http = TestBed.inject(HttpTestingController);
    fixture.detectChanges();
    http
      .expectOne(
        (r) => r.url === '/api/admin/users' && r.params.get('licence') === 'ending' && r.params.get('group') === 'none',
      )
      .flush(page([USER]));
    await settle();
    const selects = (fixture.nativeElement as HTMLElement).querySelectorAll('mat-select');
    expect(selects[2].textContent).toContain('Ending within 30 days');
    expect(selects[3].textContent).toContain('Participants in no group');
  });

  it('has an empty state that invites the first person', async () => {
    http.expectOne((r) => r.url === '/api/admin/users').flush(page([]));
    await settle();
    expect(el.querySelector('.empty')?.textContent).toContain('Invite the first person');
  });

  it('has an error state with a retry', async () => {
    http
      .expectOne((r) => r.url === '/api/admin/users')
      .flush({ message: 'Something went wrong on our side.' }, { status: 500, statusText: 'Error' });
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('Something went wrong on our side.');
    const retry = Array.from(el.querySelectorAll('button')).find((b) => b.textContent?.includes('Try again'))!;
    retry.click();
    http.expectOne((r) => r.url === '/api/admin/users').flush(page([USER]));
    await settle();
    expect(el.querySelectorAll('tbody tr').length).toBe(1);
  });

  it('searches from the first page', async () => {
    http.expectOne((r) => r.url === '/api/admin/users').flush(page([USER], 60));
    await settle();
    const input = el.querySelector<HTMLInputElement>('input[type=search]')!;
    input.value = 'pim';
    input.dispatchEvent(new Event('input'));
    (el.querySelector('form.filters') as HTMLFormElement).dispatchEvent(new Event('submit'));
    const req = http.expectOne((r) => r.url === '/api/admin/users' && r.params.get('q') === 'pim');
    expect(req.request.params.get('page')).toBe('1');
    req.flush(page([USER]));
  });

  /** The list loaded, the import opened and `file` chosen in its file field. */
  async function importFile(file: File): Promise<void> {
    http.expectOne((r) => r.url === '/api/admin/users').flush(page([USER]));
    await settle();
    button(el, 'Import from CSV').click();
    await settle();
    const input = el.querySelector<HTMLInputElement>('input[type=file]')!;
    const dt = new DataTransfer();
    dt.items.add(file);
    input.files = dt.files;
    input.dispatchEvent(new Event('change'));
  }

  /** the cells of the import's problem table, row by row */
  const problemCells = () => Array.from(el.querySelectorAll('table.problems tbody td'), (td) => td.textContent?.trim());

  it('reports every bad row of an import and says nothing was imported', async () => {
    await importFile(new File(['name,email,role\nX,bad,participant'], 'people.csv', { type: 'text/csv' }));
    // the page reads the file before it sends it
    const req = await sentRequest(http, '/api/admin/users/import', 'the import');
    expect(req.request.body).toEqual({ csv: 'name,email,role\nX,bad,participant' });
    req.flush({ created: 0, errors: [{ row: 2, field: 'email', message: '"bad" is not a valid e-mail address' }] });
    await settle();
    expect(el.textContent).toContain('Nothing was imported');
    expect(el.textContent).toContain('"bad" is not a valid e-mail address');
    // the column as the reader calls it
    expect(problemCells()).toEqual(['2', 'email', '"bad" is not a valid e-mail address']);
  });

  it('names a problem of the whole import file as such, without a row', async () => {
    await importFile(new File(['name,email,role\n'], 'people.csv', { type: 'text/csv' }));
    (await sentRequest(http, '/api/admin/users/import', 'the import')).flush({
      created: 0,
      errors: [{ row: 0, field: 'file', message: 'The file has a header but no users' }],
    });
    await settle();
    expect(problemCells()).toEqual(['–', 'the file', 'The file has a header but no users']);
  });

  it('imports a file Excel saved as "CSV" on Windows (Windows-1252) with its accents, not as "�"', async () => {
    // "name;email;role\nJosé Núñez;jose@a.test;participant" in Windows-1252: é 0xE9, ú 0xFA, ñ 0xF1
    const bytes = [...'name;email;role\nJos\u00e9 N\u00fa\u00f1ez;jose@a.test;participant'].map((c) => c.charCodeAt(0));
    await importFile(new File([new Uint8Array(bytes)], 'people.csv', { type: 'text/csv' }));
    const req = await sentRequest(http, '/api/admin/users/import', 'the import');
    expect(req.request.body).toEqual({ csv: 'name;email;role\nJosé Núñez;jose@a.test;participant' });
    req.flush({ created: 1, errors: [] });
    await settle();
    // the list again, with the people imported
    http.expectOne((r) => r.url === '/api/admin/users').flush(page([USER]));
    await settle();
    expect(el.textContent).toContain('1 person imported and invited.');
  });

  it('gives the people selected, on this page and the next, one licence, and says how many changed', async () => {
    const person = (n: number): UserSummary => ({
      ...USER,
      id: `u${n}`,
      name: `Person ${n}`,
      email: `p${n}@example.test`,
    });
    http.expectOne((r) => r.url === '/api/admin/users').flush(page([person(1), person(2), person(3)], 28));
    await settle();
    const box = (label: string) => el.querySelector(`input[aria-label="${label}"]`) as HTMLInputElement;
    // nothing selected: nothing to do with a selection
    expect(el.querySelector('.selection')).toBeNull();
    const pickAll = el.querySelector('.pick-all input') as HTMLInputElement;
    expect(pickAll.labels?.[0]?.textContent?.trim()).toBe('Select everyone on this page');
    pickAll.click();
    await settle();
    box('Select Person 2').click();
    await settle();
    expect(el.querySelector('.selection strong')?.textContent?.trim()).toBe('2 people selected');
    expect(pickAll.indeterminate).toBeTrue();
    // the next page: the selection stays, and grows
    el.querySelector<HTMLButtonElement>('button.mat-mdc-paginator-navigation-next')!.click();
    await settle();
    http.expectOne((r) => r.url === '/api/admin/users' && r.params.get('page') === '2').flush(page([person(4)], 28, 2));
    await settle();
    box('Select Person 4').click();
    await settle();
    expect(el.querySelector('.selection strong')?.textContent?.trim()).toBe('3 people selected');

    button(el, 'Give them a licence').click();
    await settle();
    const date = (label: string, value: string) => {
      const input = Array.from(el.querySelectorAll('.selection mat-form-field'))
        .find((f) => f.querySelector('mat-label')?.textContent?.trim() === label)
        ?.querySelector('input') as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    // a day missing: nothing is sent (afterEach: http.verify)
    date('Licence from', '2027-01-01');
    button(el, 'Set the licence').click();
    await settle();
    expect(el.querySelector('.selection')?.textContent).toContain('Give the last day');
    date('Licence until', '2027-12-31');
    button(el, 'Set the licence').click();
    await settle();
    const req = http.expectOne((r) => r.method === 'PUT' && r.url === '/api/admin/users/licences');
    expect(req.request.body).toEqual({
      userIds: ['u1', 'u3', 'u4'],
      licence: { startsOn: '2027-01-01', expiresOn: '2027-12-31' },
    });
    req.flush({ changed: 2 });
    await settle();
    http.expectOne((r) => r.url === '/api/admin/users').flush(page([person(4)], 28, 2));
    await settle();
    expect(el.querySelector('[role=status]')?.textContent?.trim()).toBe(
      '2 of 3 licences changed; the others had these dates already.',
    );
    expect(el.querySelector('.selection')).toBeNull();
    expect(box('Select Person 4').checked).toBeFalse();
  });

  it('keeps the selection and says why when the licence is refused', async () => {
    http.expectOne((r) => r.url === '/api/admin/users').flush(page([USER]));
    await settle();
    (el.querySelector('input[aria-label="Select Pim"]') as HTMLInputElement).click();
    await settle();
    expect(el.querySelector('.selection strong')?.textContent?.trim()).toBe('1 person selected');
    button(el, 'Give them a licence').click();
    await settle();
    const inputs = el.querySelectorAll<HTMLInputElement>('.selection input[type=date]');
    inputs[0].value = '2027-12-31';
    inputs[0].dispatchEvent(new Event('input'));
    inputs[1].value = '2027-01-01';
    inputs[1].dispatchEvent(new Event('input'));
    button(el, 'Set the licence').click();
    await settle();
    http.expectOne('/api/admin/users/licences').flush(
      {
        code: 'validation_failed',
        message: 'The licence cannot expire before it starts',
        errors: [{ field: 'licence.expiresOn', messages: ['must not be before startsOn'] }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();
    expect(el.querySelector('.selection [role=alert]')?.textContent?.trim()).toBe(
      'The licence cannot expire before it starts: must not be before startsOn',
    );
    expect(el.querySelector('.selection strong')?.textContent?.trim()).toBe('1 person selected');
    button(el, 'Clear the selection').click();
    await settle();
    expect(el.querySelector('.selection')).toBeNull();
  });

  it('adds the active participants selected to a group found by name, and says who it leaves out', async () => {
    const ann: UserSummary = { ...USER, id: 'u1', name: 'Ann', status: 'active' };
    const bob: UserSummary = { ...USER, id: 'u2', name: 'Bob', status: 'active' };
    const ivy: UserSummary = { ...USER, id: 'u3', name: 'Ivy', status: 'invited' };
    const cora: UserSummary = { ...USER, id: 'u4', name: 'Cora', status: 'active', roles: ['coach'] };
    http.expectOne((r) => r.url === '/api/admin/users').flush(page([ann, bob, ivy, cora]));
    await tick();
    (el.querySelector('.pick-all input') as HTMLInputElement).click();
    await tick();
    button(el, 'Add them to a group').click();
    await tick();
    expect(el.querySelector('.selection p.muted')?.textContent?.trim()).toBe(
      'Only active participants join a group as participants; left out: Ivy, Cora.',
    );
    const add = button(el, 'Add them as participants');
    // no group chosen yet
    expect(add.disabled).toBeTrue();
    const input = el.querySelector('rh-group-field input') as HTMLInputElement;
    input.dispatchEvent(new Event('focus'));
    await tick();
    http
      .expectOne((r) => r.url === '/api/admin/groups')
      .flush({
        items: [{ id: 'g1', name: 'Sales North', description: '', participantCount: 12, coachCount: 1 }],
        total: 1,
        page: 1,
        pageSize: 20,
      });
    await tick();
    input.dispatchEvent(new Event('focusin'));
    await tick();
    (Array.from(document.querySelectorAll('mat-option')) as HTMLElement[])
      .find((o) => o.textContent?.includes('Sales North'))!
      .click();
    await tick();
    expect(add.disabled).toBeFalse();
    add.click();
    await tick();
    const req = http.expectOne((r) => r.method === 'PATCH' && r.url === '/api/admin/groups/g1/members');
    expect(req.request.body).toEqual({ addParticipants: ['u1', 'u2'] });
    req.flush({ id: 'g1', name: 'Sales North', description: '', participantCount: 14, coachCount: 1 });
    await tick();
    http.expectOne((r) => r.url === '/api/admin/users').flush(page([ann, bob, ivy, cora]));
    await tick();
    expect(el.querySelector('[role=status]')?.textContent?.trim()).toBe(
      '2 selected joined Sales North, which has 14 participants now.',
    );
    expect(el.querySelector('.selection')).toBeNull();
    for (const r of http.match((r) => r.url === '/api/admin/groups')) if (!r.cancelled) r.flush(page([]));
  });
});
