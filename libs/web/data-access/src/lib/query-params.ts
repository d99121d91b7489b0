import { HttpParams } from '@angular/common/http';

/**
 * A request's query from a filter object: every key with a value, in the object's order; one with
 * none (undefined, null or '') is left out rather than sent as "undefined" or empty.
 */
export function queryParams(values: Record<string, string | number | null | undefined>): HttpParams {
  let params = new HttpParams();
  for (const [key, value] of Object.entries(values))
    if (value !== undefined && value !== null && value !== '') params = params.set(key, value);
  return params;
}
