/**
 * Remix 2 (React Router 6.30) does the same route work again for every page it renders: it
 * flattens and ranks the whole route tree on every match (three matches per page), and rebuilds
 * the server route tree and its data routes for every render. With Roundtable's ~95 routes that
 * was about 1.5 ms of a 6 ms page (CPU profile under autocannon, home page, 2026-11-27): more than
 * the page's own loaders. React Router 7 fixed this upstream by computing the branches once
 * (remix-run/react-router#14967 and #14971); Remix 2 will not get the fix.
 *
 * Until we move to React Router 7, the same idea here, applied once at start-up to the server's
 * copies of the three functions (the browser bundle is untouched). Each memo is keyed by the
 * identity of what it is given, which the build creates once, so a new build (or a test's second
 * app) never sees another's routes:
 * - the server route tree, by the build's route manifest (checked against the route modules);
 * - the data routes made from it, by that tree;
 * - route matches, by the routes and the path, for a bounded number of paths; each caller gets
 *   its own copy of the matches, so nothing it does to them reaches the next request.
 * If a future version no longer has these functions where expected, nothing is changed and pages
 * render as before, only slower (tests/unit/route-memo.test.ts fails to say so).
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

type RouteLike = { id?: string; children?: RouteLike[] };
type Match = { params: Record<string, string | undefined>; pathname: string; pathnameBase: string; route: RouteLike };
type Location = string | { pathname?: string };
type MatchRoutes = (routes: RouteLike[], location: Location, basename?: string) => Match[] | null;
type ConvertRoutes = (routes: RouteLike[], mapRouteProperties: unknown, parentPath?: string[], manifest?: Record<string, RouteLike>) => RouteLike[];
type CreateServerRoutes = (manifest: Record<string, unknown>, routeModules: Record<string, unknown>, future: unknown, isSpaMode: boolean, ...rest: unknown[]) => RouteLike[];

/** Distinct paths remembered per route tree (event and thread pages each have their own path). */
export const MATCHES_KEPT = 2000;
const INSTALLED = Symbol.for("roundtable.routeMemo");

function pathnameOf(location: Location, parsePath: (path: string) => { pathname?: string }): string {
  return (typeof location === "string" ? parsePath(location).pathname : location.pathname) || "/";
}

function memoMatchRoutes(original: MatchRoutes, parsePath: (path: string) => { pathname?: string }): MatchRoutes {
  const byRoutes = new WeakMap<object, Map<string, Match[] | null>>();
  return function matchRoutes(routes, location, basename = "/") {
    const pathname = pathnameOf(location, parsePath);
    let cache = byRoutes.get(routes);
    if (!cache) byRoutes.set(routes, (cache = new Map()));
    const key = `${basename}\u0000${pathname}`;
    let matches = cache.get(key);
    if (matches === undefined) {
      matches = original(routes, { pathname }, basename);
      if (cache.size >= MATCHES_KEPT) cache.delete(cache.keys().next().value!);
      cache.set(key, matches);
    }
    return matches && matches.map((m) => ({ ...m, params: { ...m.params } }));
  };
}

function memoConvertRoutes(original: ConvertRoutes): ConvertRoutes {
  const byRoutes = new WeakMap<object, Map<unknown, { dataRoutes: RouteLike[]; manifest: Record<string, RouteLike> }>>();
  return function convertRoutesToDataRoutes(routes, mapRouteProperties, parentPath, manifest) {
    // Only the whole-tree call into an empty manifest is remembered (the one made per render).
    if (parentPath !== undefined || (manifest && Object.keys(manifest).length > 0)) return original(routes, mapRouteProperties, parentPath, manifest);
    let byMapper = byRoutes.get(routes);
    if (!byMapper) byRoutes.set(routes, (byMapper = new Map()));
    let made = byMapper.get(mapRouteProperties);
    if (!made) {
      const filled: Record<string, RouteLike> = {};
      made = { dataRoutes: original(routes, mapRouteProperties, undefined, filled), manifest: filled };
      byMapper.set(mapRouteProperties, made);
    }
    if (manifest) Object.assign(manifest, made.manifest);
    return made.dataRoutes;
  };
}

function memoServerRoutes(original: CreateServerRoutes): CreateServerRoutes {
  type Made = { modules: Record<string, unknown>; future: unknown; isSpaMode: boolean; routes: RouteLike[] };
  const byManifest = new WeakMap<object, Made>();
  const sameModules = (a: Record<string, unknown>, b: Record<string, unknown>) => {
    for (const id in a) if (a[id] !== b[id]) return false;
    for (const id in b) if (!(id in a)) return false;
    return true;
  };
  return function createServerRoutes(manifest, routeModules, future, isSpaMode, ...rest) {
    if (rest.length > 0) return original(manifest, routeModules, future, isSpaMode, ...rest);
    const made = byManifest.get(manifest);
    if (made && made.future === future && made.isSpaMode === isSpaMode && sameModules(made.modules, routeModules)) return made.routes;
    const routes = original(manifest, routeModules, future, isSpaMode);
    byManifest.set(manifest, { modules: { ...routeModules }, future, isSpaMode, routes });
    return routes;
  };
}

/**
 * Installs the three memos on the server's copies of @remix-run/router and @remix-run/react.
 * Returns which were installed (all three on the versions in package.json). Safe to call twice.
 */
export function installRouteMemo(): { matchRoutes: boolean; convertRoutes: boolean; serverRoutes: boolean } {
  const router = require("@remix-run/router") as Record<string | symbol, unknown>;
  const reactRoutes = require("@remix-run/react/dist/routes.js") as Record<string | symbol, unknown>;
  const done = router[INSTALLED] as ReturnType<typeof installRouteMemo> | undefined;
  if (done) return done;
  const installed = { matchRoutes: false, convertRoutes: false, serverRoutes: false };
  if (typeof router.matchRoutes === "function" && typeof router.parsePath === "function") {
    router.matchRoutes = memoMatchRoutes(router.matchRoutes as MatchRoutes, router.parsePath as (path: string) => { pathname?: string });
    installed.matchRoutes = true;
  }
  if (typeof router.UNSAFE_convertRoutesToDataRoutes === "function") {
    router.UNSAFE_convertRoutesToDataRoutes = memoConvertRoutes(router.UNSAFE_convertRoutesToDataRoutes as ConvertRoutes);
    installed.convertRoutes = true;
  }
  if (typeof reactRoutes.createServerRoutes === "function") {
    reactRoutes.createServerRoutes = memoServerRoutes(reactRoutes.createServerRoutes as CreateServerRoutes);
    installed.serverRoutes = true;
  }
  router[INSTALLED] = installed;
  return installed;
}
