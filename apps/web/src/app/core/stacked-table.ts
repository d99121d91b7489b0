import { afterNextRender, DestroyRef, Directive, ElementRef, inject } from '@angular/core';

/**
 * A table that becomes a list of labelled rows on a phone (styles.scss, `table.stacked`): each row
 * a block, each cell a line headed by its column's name, so every column is on screen. A table
 * wider than a phone otherwise scrolls sideways inside its card, and the columns that say the most
 * (the privacy log's "What", the queue's due date) were off screen until scrolled.
 *
 * The column names come from the table's own header cells: each body cell gets its column's name
 * in `data-label` (kept up to date as rows come and go). A row's own header (`<th scope="row">`)
 * gets none: it is the name of its row, drawn as the row's heading (a rubric's "Weighted total"
 * row is not a "Criterion"). The table, its rows and cells get their
 * ARIA roles, since a browser may stop treating a table whose display has changed as a table.
 */
@Directive({
  selector: 'table[rhStacked]',
  host: { class: 'stacked', role: 'table' },
})
export class StackedTable {
  private readonly table = inject<ElementRef<HTMLTableElement>>(ElementRef).nativeElement;

  constructor() {
    const observer = new MutationObserver(() => this.label());
    afterNextRender(() => {
      this.label();
      observer.observe(this.table, { childList: true, subtree: true, characterData: true });
    });
    inject(DestroyRef).onDestroy(() => observer.disconnect());
  }

  /** Names each body cell for its column, and gives the parts their roles (idempotent: no change, no write). */
  private label(): void {
    const names = Array.from(this.table.tHead?.rows[0]?.cells ?? []).map((th) => (th.textContent ?? '').trim());
    const set = (el: Element, name: string, value: string) => {
      if (el.getAttribute(name) !== value) el.setAttribute(name, value);
    };
    for (const group of [this.table.tHead, ...Array.from(this.table.tBodies)])
      if (group) {
        set(group, 'role', 'rowgroup');
        for (const row of Array.from(group.rows)) {
          set(row, 'role', 'row');
          for (const cell of Array.from(row.cells)) {
            if (group === this.table.tHead) set(cell, 'role', 'columnheader');
            else {
              const header = cell.tagName === 'TH';
              set(cell, 'role', header ? 'rowheader' : 'cell');
              set(cell, 'data-label', header || cell.colSpan > 1 ? '' : (names[cell.cellIndex] ?? ''));
            }
          }
        }
      }
  }
}
