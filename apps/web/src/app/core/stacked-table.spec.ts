import { Component, provideZonelessChangeDetection, signal, Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { StackedTable } from './stacked-table';

@Component({
  imports: [StackedTable],
  template: `
    <div [style.width.px]="width()">
    <table rhStacked>
      <thead><tr><th scope="col">{{ names[0] }}</th><th scope="col">{{ names[1] }}</th><th scope="col"></th></tr></thead>
      <tbody>
        @for (r of rows(); track r) { <tr><td>{{ r }}</td><td>{{ who }}</td><td><button>{{ open }}</button></td></tr> }
        <tr><th scope="row">{{ total }}</th><td>{{ who }}</td><td></td></tr>
        <tr><td colspan="3">{{ rest }}</td></tr>
      </tbody>
    </table>
    </div>
  `,
})
class Host {
  protected readonly names = ['When', 'Who'];
  /** one long word: the columns fit 1,200 px, not 200 */
  protected readonly who = 'Cora-Wolfeschlegelsteinhausenbergerdorff';
  protected readonly open = 'Open';
  protected readonly rest = 'The export has the rest.';
  protected readonly total = 'Weighted total';
  readonly rows = signal(['4 Dec 2026']);
  /** the table's box: wide enough for its columns, or not */
  readonly width = signal(200);
}

/** two columns of one long word each: they do not fit 200 or 300 px */
abstract class LongWords {
  protected readonly title = 'Criterion';
  protected readonly long = 'Wolfeschlegelsteinhausenbergerdorff';
}

@Component({
  imports: [StackedTable],
  template: `
    <div [style.width.px]="200">
      <details>
        <summary>{{ title }}</summary>
        <div [hidden]="hidden()">
          <table rhStacked>
            <thead><tr><th scope="col">{{ title }}</th><th scope="col">{{ title }}</th></tr></thead>
            <tbody><tr><td>{{ long }}</td><td>{{ long }}</td></tr></tbody>
          </table>
        </div>
      </details>
    </div>
  `,
})
class InDetails extends LongWords {
  /** not drawn when the table is (display: none: no width to measure; a closed <details> in some browsers) */
  readonly hidden = signal(true);
}

@Component({
  imports: [StackedTable],
  template: `
    <div [style.display]="'grid'" [style.width.px]="300">
      <div>
        <table rhStacked>
          <thead><tr><th scope="col">{{ title }}</th><th scope="col">{{ title }}</th></tr></thead>
          <tbody><tr><td>{{ long }}</td><td>{{ long }}</td></tr></tbody>
        </table>
      </div>
    </div>
  `,
})
class InGrid extends LongWords {}

@Component({
  imports: [StackedTable],
  template: `
    <div [style.width.px]="200">
      <span>
        <table rhStacked>
          <thead><tr><th scope="col">{{ title }}</th><th scope="col">{{ title }}</th></tr></thead>
          <tbody><tr><td>{{ long }}</td><td>{{ long }}</td></tr></tbody>
        </table>
      </span>
    </div>
  `,
})
class InInline extends LongWords {}

@Component({
  imports: [StackedTable],
  template: `
    <div [style.width.px]="400">
      <table rhStacked>
        <thead><tr>@for (c of columns(); track $index) { <th scope="col">{{ c }}</th> }</tr></thead>
        <tbody><tr>@for (c of columns(); track $index) { <td>{{ c }}</td> }</tr></tbody>
      </table>
    </div>
  `,
})
class Narrow {
  readonly columns = signal(['When', 'Who']);
}

const settle = () => new Promise((r) => setTimeout(r, 10));

/** The host drawn (`before` sets its inputs first) and its table. */
async function render<T>(component: Type<T>, before?: (host: T) => void) {
  TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
  const fixture = TestBed.createComponent(component);
  before?.(fixture.componentInstance);
  fixture.detectChanges();
  await fixture.whenStable();
  await settle();
  const el: HTMLElement = fixture.nativeElement;
  return { fixture, el, table: el.querySelector('table') as HTMLTableElement };
}

describe('StackedTable (a table that is a list of labelled rows on a phone)', () => {
  it('names each cell for its column, keeps doing so as rows come, and gives the parts their roles', async () => {
    const { fixture, table } = await render(Host);
    const labels = () =>
      Array.from(table.tBodies[0].rows).map((r) => Array.from(r.cells).map((c) => c.getAttribute('data-label')));
    // 200 px: its columns do not fit, so it is a list of rows
    expect(table.classList).toContain('stackable');
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

  it('keeps its columns where they fit, and stacks them when its box narrows or a wider row comes', async () => {
    const { fixture, table } = await render(Host, (host) => host.width.set(1200));
    const stacked = () => table.classList.contains('stacked');
    expect(stacked()).toBe(false);
    expect(getComputedStyle(table).display).toBe('table');
    // the box narrows (a phone turned upright, a window made smaller)
    const resize = async (width: number) => {
      fixture.componentInstance.width.set(width);
      fixture.detectChanges();
      window.dispatchEvent(new Event('resize'));
      await settle();
    };
    await resize(200);
    expect(stacked()).toBe(true);
    expect(getComputedStyle(table.tBodies[0].rows[0]).display).toBe('block');
    // and widens again
    await resize(1200);
    expect(stacked()).toBe(false);
    // a row too wide for the box comes: stacked (a cell's long word wraps at 20em, so the box is narrower)
    await resize(640);
    expect(stacked()).toBe(false);
    fixture.componentInstance.rows.set(['4 Dec 2026', 'W'.repeat(200)]);
    fixture.detectChanges();
    await settle();
    expect(stacked()).toBe(true);
  });

  it('a table not drawn when it came (no width) is measured when a <details> around it opens', async () => {
    const { fixture, el, table } = await render(InDetails);
    expect(table.classList.contains('stacked')).toBe(false);
    fixture.componentInstance.hidden.set(false);
    fixture.detectChanges();
    (el.querySelector('details') as HTMLDetailsElement).open = true;
    // toggle is an event of its own, after the change
    await new Promise((r) => setTimeout(r, 50));
    expect(table.classList.contains('stacked')).toBe(true);
  });

  it('a table in a grid item (a box that grows with it) stacks where the grid ends', async () => {
    const { table } = await render(InGrid);
    expect(table.classList.contains('stacked')).toBe(true);
  });

  it('a table whose parent is inline (a component’s host element, which has no width of its own) is measured too', async () => {
    const { table } = await render(InInline);
    expect(table.classList.contains('stacked')).toBe(true);
  });

  it('on a phone, two short columns stay a table; three are rows even though they would fit', async () => {
    const { fixture, table } = await render(Narrow);
    expect(table.classList.contains('stacked')).toBe(false);
    fixture.componentInstance.columns.set(['When', 'Who', 'What']);
    fixture.detectChanges();
    await settle();
    expect(table.classList.contains('stacked')).toBe(true);
  });
});
