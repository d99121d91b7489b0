import { domainToASCII, domainToUnicode } from 'node:url';

/** A domain with a character beyond printable ASCII, or a label in IDNA's ASCII form. */
const INTERNATIONAL = /[^ -~]|(?:^|\.)xn--/;

/**
 * An e-mail address in the one form Rehearse keeps, compares and looks up: Unicode's
 * compatibility composition (NFKC), without the white space around it, lower-cased (and composed
 * again, as lower-casing can leave a letter and a combining mark that compose), its domain as
 * IDNA writes it in Unicode (`bücher.de`, also when it comes as `xn--bcher-kva.de`).
 *
 * The same address reaches the API in several forms: "é" as one character or as "e" and a
 * combining accent (a file written on a Mac, text pasted from a PDF), letters in their full-width
 * forms (an East Asian keyboard left in that mode), "fi" as the ligature a PDF's copy gives, "@"
 * as "＠", and an internationalised domain in its ASCII form (a browser's e-mail field sends
 * `user@xn--bcher-kva.de` for `user@bücher.de` typed in it). Each is one address and so one
 * account: an address stored as it came could be invited twice, once in each form, and its owner
 * could not sign in typing it in another. Compatibility composition (rather than canonical, NFC)
 * maps those forms to plain letters, as it does for passwords (`prehash`); no address anyone can
 * receive mail at is written with them. A domain IDNA cannot read is left as it is, for the
 * validators to judge.
 */
export function normaliseEmail(address: string): string {
  const text = address.normalize('NFKC').trim().toLowerCase().normalize('NFKC');
  const at = text.lastIndexOf('@');
  const domain = text.slice(at + 1);
  // only an internationalised domain (in either form): IDNA would also read "127.1" as 127.0.0.1
  if (at < 0 || !INTERNATIONAL.test(domain)) return text;
  const ascii = domainToASCII(domain);
  return ascii ? `${text.slice(0, at + 1)}${domainToUnicode(ascii)}` : text;
}

/**
 * The class-transformer `@Transform` of an e-mail field: the address as stored, before it is
 * validated, so its length is checked as stored (lower-casing can lengthen it: "İ" becomes "i"
 * and a combining dot; composition can too: "ﬀ" becomes "ff"); anything else unchanged, for the
 * validators to refuse.
 */
export const emailAsStored = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? normaliseEmail(value) : value;
