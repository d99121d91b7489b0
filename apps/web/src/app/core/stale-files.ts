import type { NavigationError } from '@angular/router';

/**
 * Whether a navigation failed because a file of the app could not be fetched: after an upgrade, a
 * tab opened before it asks for the files of the version before, which the server no longer has
 * (their names change with their content). Each browser words it its own way.
 */
export function isStaleFile(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /Failed to fetch dynamically imported module|error loading dynamically imported module|Importing a module script failed|Failed to load module script/i.test(
    message,
  );
}

/** Where the last reload for a stale file went, and when (this tab's sessionStorage). */
const KEY = 'rehearse.staleReload';
interface StaleReload {
  url?: unknown;
  at?: unknown;
}
/** The same address is not loaded again for a stale file within this time: a server that truly lacks a file must not make the page reload for ever. */
export const RELOAD_GUARD_MS = 60_000;

/**
 * Loads `url` from the server, as a link followed by hand would: the current version's
 * index.html and files. Once per address per minute; false (nothing done) where that was done
 * already or this tab cannot keep a record of it (no session storage).
 */
export function reloadOnce(
  url: string,
  storage: Pick<Storage, 'getItem' | 'setItem'>,
  location: Pick<Location, 'assign'>,
  now = Date.now(),
): boolean {
  let last: StaleReload | null = null;
  try {
    last = JSON.parse(storage.getItem(KEY) ?? 'null') as StaleReload | null;
  } catch {
    // not ours to read: as if nothing were kept
  }
  if (last?.url === url && typeof last.at === 'number' && now - last.at >= 0 && now - last.at < RELOAD_GUARD_MS)
    return false;
  try {
    storage.setItem(KEY, JSON.stringify({ url, at: now }));
  } catch {
    // without a record of this reload, a second one could follow it for ever
    return false;
  }
  location.assign(url);
  return true;
}

/** The router's navigation error handler: a stale file loads the page from the server once. */
export function reloadForStaleFiles(error: NavigationError): void {
  if (isStaleFile(error.error)) reloadOnce(error.url, sessionStorage, location);
}
