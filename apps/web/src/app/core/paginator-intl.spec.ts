import { LocalizedPaginatorIntl } from './paginator-intl';

describe('the paginator’s words', () => {
  const intl = new LocalizedPaginatorIntl();

  it('says which rows of how many a page shows', () => {
    expect(intl.getRangeLabel(0, 10, 23)).toBe('1 – 10 of 23');
    expect(intl.getRangeLabel(2, 10, 23)).toBe('21 – 23 of 23');
    expect(intl.getRangeLabel(0, 10, 0)).toBe('0 of 0');
  });

  it('labels its controls', () => {
    expect(intl.itemsPerPageLabel).toBe('Items per page:');
    expect(intl.nextPageLabel).toBe('Next page');
    expect(intl.previousPageLabel).toBe('Previous page');
  });
});
