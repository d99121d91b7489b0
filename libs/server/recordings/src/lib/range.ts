import type { ByteRange } from '@rehearse/server/storage';

/**
 * One `Range: bytes=...` header against a representation of `size` bytes (RFC 9110 §14):
 * - null: no usable range (absent, another unit, several ranges, bad syntax): send the whole body;
 * - 'unsatisfiable': no byte of the range exists: 416 with `Content-Range: bytes *\/size`;
 * - else the inclusive range, clipped to the end.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return null; // includes multipart ranges (a comma), which we answer with the whole body
  const [, first, last] = m;
  if (first === '' && last === '') return null;
  if (first === '') {
    // suffix: the last N bytes
    const n = Number(last);
    if (!Number.isSafeInteger(n)) return null;
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Number(last);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return null;
  if (last !== '' && end < start) return null; // invalid: ignore the header
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}
