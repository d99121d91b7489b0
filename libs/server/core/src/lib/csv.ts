/** Spreadsheet programs execute cells that start with these characters: neutralise them. */
export function safeCell(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  return typeof v === 'number' ? s : /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}
