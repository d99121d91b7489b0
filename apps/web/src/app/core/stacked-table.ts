import { afterNextRender, DestroyRef, Directive, ElementRef, inject } from '@angular/core';

/**
 * A table that becomes a list of labelled rows where its columns do not fit (styles.scss,
 * `table.stacked`): each row a block, each cell a line headed by its column's name, so every
 * column is on screen. A table wider than its box otherwise scrolls sideways inside its card (on a
 * phone the privacy log's "What" and the queue's due date were off screen until scrolled) or runs
 * past the screen (on a 1024 px tablet, the people list with a long name and e-mail address).
 *
 * Whether it fits is measured, not guessed from the screen's width: the table is laid out as a
 * table and compared with its box when it is drawn and whenever the window's width or the rows
 * change or a <details> around it opens (before the browser paints, so neither layout flashes).
 * A table of two columns that fits keeps them on a phone too; three or more in under 30em are
 * rows even when they would fit, each cell squeezed.
 *
 * The column names come from the table's own header cells: each body cell gets its column's name
 * in `data-label` (kept up to date as rows come and go). A row's own header (`<th scope="row">`)
 * gets none: it is the name of its row, drawn as the row's heading (a rubric's "Weighted total"
 * row is not a "Criterion"). The table, its rows and cells get their ARIA roles, since a browser
 * may stop treating a table whose display has changed as a table.
 */
@Directive({
  selector: 'table[rhStacked]',
  host: { class: 'stackable', role: 'table' },
})
export class StackedTable {
  private readonly table = inject<ElementRef<HTMLTableElement>>(ElementRef).nativeElement;
  /** the window's and the box's widths when last measured: the same measure nothing again ('': not yet drawn) */
  private measured = '';

  constructor() {
    const observer = new MutationObserver(() => {
      this.label();
      this.fit(true);
    });
    // the window's width, not a ResizeObserver on the box: stacking changes the box's height in
    // the observer's own callback, which the browser reports as an error ("ResizeObserver loop")
    // measured again two frames later: what else the new width changes (a chart redrawn to it)
    // may still have been as wide as before when the window's resize was heard
    const resized = () => {
      this.fit(false);
      requestAnimationFrame(() => requestAnimationFrame(() => this.fit(true)));
    };
    afterNextRender(() => {
      this.label();
      this.fit(true);
      observer.observe(this.table, { childList: true, subtree: true, characterData: true });
      window.addEventListener('resize', resized, { passive: true });
      // a table in a closed <details> has no width until it opens (the rubric under "How this is
      // scored"); toggle does not bubble, so it is heard on its way down
      document.addEventListener('toggle', resized, { capture: true, passive: true });
    });
    inject(DestroyRef).onDestroy(() => {
      observer.disconnect();
      window.removeEventListener('resize', resized);
      document.removeEventListener('toggle', resized, { capture: true });
    });
  }

  /**
   * Stacks the table when, laid out as a table, it does not fit (`overflows`); `always`: the rows
   * changed, else only a new width of the window or the box measures again.
   */
  private fit(always: boolean): void {
    const box = this.table.parentElement;
    if (!box) return;
    // not drawn (hidden, or in a closed <details> in some browsers): measured once it is (the
    // table's own boxes: its parent may be an inline element, a component's host, with no width)
    if (this.table.getClientRects().length === 0) {
      this.measured = '';
      return;
    }
    const screen = document.documentElement.clientWidth;
    const key = `${screen} ${Math.round(box.getBoundingClientRect().width)}`;
    if (!always && key === this.measured) return;
    this.measured = key;
    // measured laid out as a table; the class set again before the browser paints
    this.table.classList.remove('stacked');
    this.table.classList.toggle('stacked', this.overflows(screen) || this.cramped());
  }

  /**
   * Whether the table runs past the window or past the content of its box or of any box around
   * it (a grid or flex item grows with its content: the grid's own box is where it ends).
   */
  private overflows(screen: number): boolean {
    const right = this.table.getBoundingClientRect().right;
    if (right > screen + 1) return true;
    for (let el = this.table.parentElement; el && el !== document.documentElement; el = el.parentElement) {
      const style = getComputedStyle(el);
      const inner =
        el.getBoundingClientRect().right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
      if (right > inner + 1) return true;
    }
    return false;
  }

  /**
   * Three columns or more in under 30em (a phone): they may fit, but only with a date or a name
   * broken over three lines ("4 Dec / 2026, / 13:03"); as labelled rows each reads on one. Two
   * columns (a rubric's criteria and scores) stay a table.
   */
  private cramped(): boolean {
    const columns = this.table.tHead?.rows[0]?.cells.length ?? 0;
    const em = parseFloat(getComputedStyle(this.table).fontSize) || 16;
    return columns >= 3 && this.table.offsetWidth < 30 * em;
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
