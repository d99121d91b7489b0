/**
 * A text file's text, in the encoding it was saved in: UTF-8 (with or without its byte-order mark),
 * UTF-16 in either byte order (with its mark, as Excel's "Unicode Text" saves), or else
 * Windows-1252, the Western European encoding Excel on Windows saves "CSV (comma delimited)" in.
 * `File.text()` reads every file as UTF-8, and turned each "é" of a Windows-1252 file into "�":
 * names imported that way lost their accents without a word.
 */
export async function textOf(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const marked = byteOrderMark(bytes);
  if (marked) return new TextDecoder(marked).decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** The encoding a byte-order mark names (the decoder leaves the mark out of the text). */
function byteOrderMark(b: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  return null;
}
