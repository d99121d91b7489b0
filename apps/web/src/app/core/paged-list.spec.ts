import { HttpErrorResponse } from '@angular/common/http';
import { Subject } from 'rxjs';
import type { Page } from '@rehearse/shared/contracts';
import { PagedList } from './paged-list';

describe('PagedList', () => {
  const pageOf = (page: number): Page<string> => ({ items: [`item of page ${page}`], total: 100, page, pageSize: 10 });
  let asked: { page: number; answer: Subject<Page<string>> }[];
  let list: PagedList<string>;
  beforeEach(() => {
    asked = [];
    list = new PagedList<string>((page) => {
      const answer = new Subject<Page<string>>();
      asked.push({ page, answer });
      return answer;
    }, 10);
  });
  const answer = (i: number) => {
    asked[i].answer.next(pageOf(asked[i].page));
    asked[i].answer.complete();
  };

  it('keeps the page on screen while the next loads, then shows it', async () => {
    const first = list.load();
    answer(0);
    await first;
    expect(list.page()?.page).toBe(1);
    const next = list.paged({ pageIndex: 1, pageSize: 10, length: 100 });
    expect(list.loading()).toBeTrue();
    expect(list.page()?.page).toBe(1);
    answer(1);
    await next;
    expect(list.loading()).toBeFalse();
    expect(list.page()?.page).toBe(2);
  });

  it('shows the page asked for last, whatever order the answers come in', async () => {
    const second = list.paged({ pageIndex: 1, pageSize: 10, length: 100 });
    const third = list.paged({ pageIndex: 2, pageSize: 10, length: 100 });
    answer(1);
    // the slow answer for page 2 arrives after page 3's: it was cancelled and changes nothing
    expect(asked[0].answer.observed).toBeFalse();
    answer(0);
    await Promise.all([second, third]);
    expect(list.page()?.page).toBe(3);
    expect(list.loading()).toBeFalse();
  });

  it('says what went wrong and loads again on request', async () => {
    const failing = list.load();
    asked[0].answer.error(new HttpErrorResponse({ status: 500, error: { message: 'Something went wrong' } }));
    await failing;
    expect(list.error()).toBe('Something went wrong');
    expect(list.loading()).toBeFalse();
    const again = list.load();
    expect(list.error()).toBeNull();
    answer(1);
    await again;
    expect(list.page()?.page).toBe(1);
  });

  it('searches from the first page', async () => {
    const p = list.paged({ pageIndex: 4, pageSize: 10, length: 100 });
    answer(0);
    await p;
    const s = list.search();
    expect(asked[1].page).toBe(1);
    answer(1);
    await s;
  });
});
