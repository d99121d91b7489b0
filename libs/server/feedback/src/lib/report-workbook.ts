import writeXlsxFile, { type Cell, type Row } from 'write-excel-file/node';
import type { Locale, ReportOverview } from '@rehearse/shared/contracts';

/** Which table of the reports a download holds. */
export type ReportTable = 'criteria' | 'agreement';
/** How a table is downloaded: CSV, or an Excel workbook. */
export type ReportFormat = 'csv' | 'xlsx';

/** The column headings of each table, as the reports page names them. */
const HEADINGS: Record<Locale, Record<ReportTable, string[]>> = {
  en: {
    criteria: ['Group', 'Course', 'Criterion', 'Month', 'Mean score', 'Reviews'],
    agreement: ['Course', 'Exercise', 'Pairs', 'Same level', 'Within one level', 'Mean difference'],
  },
  nl: {
    criteria: ['Groep', 'Cursus', 'Criterium', 'Maand', 'Gemiddelde score', 'Beoordelingen'],
    agreement: ['Cursus', 'Oefening', 'Paren', 'Zelfde niveau', 'Binnen één niveau', 'Gemiddeld verschil'],
  },
};

const SHEETS: Record<Locale, Record<ReportTable, string>> = {
  en: { criteria: 'Scores', agreement: 'AI agreement' },
  nl: { criteria: 'Scores', agreement: 'AI-overeenstemming' },
};

const WIDTHS: Record<ReportTable, number[]> = {
  criteria: [28, 36, 28, 12, 12, 10],
  agreement: [36, 36, 8, 12, 16, 16],
};

/** Text as text: a cell that starts with "=" stays words (an .xlsx cell is a formula only when marked so). */
const text = (value: string): Cell => ({ value, type: String });
const number = (value: number | null, format?: string): Cell =>
  value === null ? null : { value, type: Number, ...(format ? { format } : {}) };
/** "2026-11" as the first day of that month, shown as Excel names months in the reader's language. */
const month = (yyyyMm: string): Cell => {
  const [y, m] = yyyyMm.split('-').map(Number);
  return { value: new Date(Date.UTC(y, m - 1, 1)), type: Date, format: 'mmm yyyy' };
};

/**
 * One table of the reports as an Excel workbook: numbers as numbers and months as dates, so a
 * spreadsheet in any language shows them in its own way (a CSV's "3.5" is three and a half to
 * English Excel, and text or a date to Dutch Excel, which also splits a CSV's columns by
 * semicolons), the headings in the reader's language, the heading row kept in view.
 */
export async function reportWorkbook(o: ReportOverview, table: ReportTable, locale: Locale): Promise<Buffer> {
  const rows: Row[] =
    table === 'agreement'
      ? o.agreement.map((r) => [
          text(r.courseTitle),
          text(r.exerciseTitle),
          number(r.pairs),
          number(r.exact, '0%'),
          number(r.adjacent, '0%'),
          number(r.meanAbsoluteDifference, '0.00'),
        ])
      : o.criteria.map((r) => [
          text(r.groupName),
          text(r.courseTitle),
          text(r.criterionTitle),
          month(r.month),
          number(r.meanScore, '0.00'),
          number(r.reviews),
        ]);
  const headings: Row = HEADINGS[locale][table].map((value) => ({ value, type: String, fontWeight: 'bold' }));
  return writeXlsxFile([headings, ...rows], {
    sheet: SHEETS[locale][table],
    columns: WIDTHS[table].map((width) => ({ width })),
    stickyRowsCount: 1,
  }).toBuffer();
}
