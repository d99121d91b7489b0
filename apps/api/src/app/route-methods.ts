import type { Express } from 'express';

interface RouteLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
}

/** A path's segments as Express compares them: case-insensitive, a trailing slash ignored. */
function segments(path: string): string[] {
  // the trailing slashes counted off, not matched (/\/+$/ tried from every slash of a long run:
  // quadratic, 95 ms for a path of 16,000)
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end--;
  const parts = path.slice(0, end).split('/');
  return parts.map((p) => {
    try {
      return decodeURIComponent(p).toLowerCase();
    } catch {
      return p.toLowerCase();
    }
  });
}

/**
 * The methods the app's routes answer at a path (HEAD where GET), for the exception filter's 405:
 * read from Express's router the first time a request finds no route (every route is registered by
 * then), and matched segment by segment (`:id` takes any one segment), as the router matches them;
 * of the routes that match, those naming most of the path literally are the resource's.
 */
export function routeMethods(express: Express): (path: string) => string[] {
  let routes: { parts: string[]; methods: string[] }[] | undefined;
  return (path) => {
    routes ??= ((express as unknown as { router: { stack: RouteLayer[] } }).router.stack ?? []).flatMap((layer) =>
      layer.route && typeof layer.route.path === 'string'
        ? [
            {
              parts: segments(layer.route.path),
              methods: Object.keys(layer.route.methods)
                .filter((m) => layer.route?.methods[m] && m !== '_all')
                .map((m) => m.toUpperCase()),
            },
          ]
        : [],
    );
    const asked = segments(path);
    const matching = routes.filter(
      (route) =>
        route.parts.length === asked.length &&
        route.parts.every((p, i) => (p.startsWith(':') ? asked[i] !== '' : p === asked[i])),
    );
    // the resource is the routes that name most of the path literally: /users/import is the
    // import's, whatever /users/:id would also take
    const literal = (route: { parts: string[] }) => route.parts.filter((p) => !p.startsWith(':')).length;
    const most = Math.max(0, ...matching.map(literal));
    const allowed = new Set<string>();
    for (const route of matching) if (literal(route) === most) for (const m of route.methods) allowed.add(m);
    if (allowed.has('GET')) allowed.add('HEAD');
    return [...allowed].sort();
  };
}
