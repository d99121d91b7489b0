import type { AbstractControl, ValidationErrors } from '@angular/forms';

/**
 * Something that can be an e-mail address, internationalised ones included (`josé@bücher.de`),
 * as the API takes them; errors as `Validators.email` names them (`{ email: true }`), so a form's
 * messages stay as they are. Angular's own validator takes ASCII only: a person whose address has
 * an "é" before its "@" (registered from a file or by the API) could not even sign in. Full-width
 * forms count as their plain letters, as the API keeps them. An empty value is `required`'s to
 * refuse. What this lets through the API checks again, and names in its answer.
 */
export function emailAddress(control: AbstractControl): ValidationErrors | null {
  const value: unknown = control.value;
  if (typeof value !== 'string' || value === '') return null;
  return ADDRESS.test(value.normalize('NFKC').trim()) ? null : { email: true };
}

/** a local part and a domain of at least two labels, without white space or a second "@" */
const ADDRESS = /^[^\s@]{1,64}@[^\s@.]+(?:\.[^\s@.]+)+$/u;
