import { firstValueFrom, of } from 'rxjs';
import type { Page } from '@rehearse/shared/contracts';
import { allPages, MAX_PAGES } from './all-pages';

/** A server's list of `total` numbered entries. */
const server = (total: number) => {
  const asked: number[] = [];
  const fetch = (page: number, pageSize: number) => {
    asked.push(page);
    const from = (page - 1) * pageSize;
    const items = Array.from({ length: Math.max(0, Math.min(pageSize, total - from)) }, (_, i) => from + i);
    return of<Page<number>>({ items, total, page, pageSize });
  };
  return { asked, fetch };
};

describe('allPages', () => {
  it('asks page after page until every entry is there, and answers them as one page', async () => {
    const s = server(250);
    const all = await firstValueFrom(allPages(s.fetch));
    expect(s.asked).toEqual([1, 2, 3]);
    expect(all.items.length).toBe(250);
    expect(all.items[249]).toBe(249);
    expect(all.total).toBe(250);
  });

  it('asks once for a list that fits one page, or is empty', async () => {
    for (const total of [0, 40, 100]) {
      const s = server(total);
      expect((await firstValueFrom(allPages(s.fetch))).items.length).toBe(total);
      expect(s.asked).toEqual([1]);
    }
  });

  it('stops after MAX_PAGES pages', async () => {
    const s = server(1_000_000);
    const all = await firstValueFrom(allPages(s.fetch, 10));
    expect(s.asked.length).toBe(MAX_PAGES);
    expect(all.items.length).toBe(MAX_PAGES * 10);
  });
});
