import { Component, provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { StackedTable } from './stacked-table';

@Component({
  imports: [StackedTable],
  template: `
    <table rhStacked>
      <thead><tr><th scope="col">{{ names[0] }}</th><th scope="col">{{ names[1] }}</th><th scope="col"></th></tr></thead>
      <tbody>
        @for (r of rows(); track r) { <tr><td>{{ r }}</td><td>{{ who }}</td><td><button>{{ open }}</button></td></tr> }
        <tr><th scope="row">{{ total }}</th><td>{{ who }}</td><td></td></tr>
        <tr><td colspan="3">{{ rest }}</td></tr>
      </tbody>
    </table>
  `,
})
class Host {
  protected readonly names = ['When', 'Who'];
  protected readonly who = 'Cora';
  protected readonly open = 'Open';
  protected readonly rest = 'The export has the rest.';
  protected readonly total = 'Weighted total';
  readonly rows = signal(['4 Dec 2026']);
}

describe('StackedTable (a table that is a list of labelled rows on a phone)', () => {
  const settle = () => new Promise((r) => setTimeout(r, 10));

  it('names each cell for its column, keeps doing so as rows come, and gives the parts their roles', async () => {
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
    const fixture = TestBed.createComponent(Host);
    fixture.detectChanges();
    await fixture.whenStable();
    await settle();
    const el: HTMLElement = fixture.nativeElement;
    const table = el.querySelector('table') as HTMLTableElement;
    const labels = () =>
      Array.from(table.tBodies[0].rows).map((r) => Array.from(r.cells).map((c) => c.getAttribute('data-label')));
    expect(table.classList).toContain('stacked');
    expect(table.getAttribute('role')).toBe('table');
    // a column without a name (the buttons'), a row's own header (the name of its row, not a
    // "When") and a cell across the columns have no name
    expect(labels()).toEqual([['When', 'Who', ''], ['', 'Who', ''], ['']]);
    expect(Array.from(table.querySelectorAll('[role]')).map((e) => `${e.tagName}:${e.getAttribute('role')}`)).toEqual([
      'THEAD:rowgroup',
      'TR:row',
      'TH:columnheader',
      'TH:columnheader',
      'TH:columnheader',
      'TBODY:rowgroup',
      'TR:row',
      'TD:cell',
      'TD:cell',
      'TD:cell',
      'TR:row',
      'TH:rowheader',
      'TD:cell',
      'TD:cell',
      'TR:row',
      'TD:cell',
    ]);
    // the next page's rows
    fixture.componentInstance.rows.set(['3 Dec 2026', '2 Dec 2026']);
    fixture.detectChanges();
    await settle();
    expect(labels()).toEqual([['When', 'Who', ''], ['When', 'Who', ''], ['', 'Who', ''], ['']]);
    expect(table.tBodies[0].rows[1].getAttribute('role')).toBe('row');
  });
});
