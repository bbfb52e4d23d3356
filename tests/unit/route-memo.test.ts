import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { installRouteMemo, MATCHES_KEPT } from "../../app/utils/route-memo.server";

const require = createRequire(import.meta.url);
type Routes = Parameters<typeof import("@remix-run/router").matchRoutes>[0];
const router = require("@remix-run/router") as typeof import("@remix-run/router");
const reactRoutes = require("@remix-run/react/dist/routes.js") as { createServerRoutes: (...args: unknown[]) => Routes };

// The originals, taken before the memos go in, to compare against.
const originalMatch = router.matchRoutes;
const originalConvert = router.UNSAFE_convertRoutesToDataRoutes;
const originalServerRoutes = reactRoutes.createServerRoutes;
const installed = installRouteMemo();

// A tree shaped like Roundtable's: a root layout, index, static, dynamic, nested and splat routes.
const manifest: Record<string, { id: string; parentId?: string; path?: string; index?: boolean; hasLoader: boolean }> = {
  root: { id: "root", path: "", hasLoader: true },
  "routes/_index": { id: "routes/_index", parentId: "root", index: true, hasLoader: true },
  "routes/events._index": { id: "routes/events._index", parentId: "root", path: "events", index: true, hasLoader: true },
  "routes/events.calendar": { id: "routes/events.calendar", parentId: "root", path: "events/calendar", hasLoader: true },
  "routes/events.$id": { id: "routes/events.$id", parentId: "root", path: "events/:id", hasLoader: true },
  "routes/networks.$slug": { id: "routes/networks.$slug", parentId: "root", path: "networks/:slug", hasLoader: true },
  "routes/networks.$slug.events": { id: "routes/networks.$slug.events", parentId: "routes/networks.$slug", path: "events", hasLoader: true },
  "routes/$": { id: "routes/$", parentId: "root", path: "*", hasLoader: true },
};
const modules = () => Object.fromEntries(Object.keys(manifest).map((id) => [id, moduleOf[id]]));
const moduleOf: Record<string, { default: () => null }> = Object.fromEntries(Object.keys(manifest).map((id) => [id, { default: () => null }]));
const future = {}; // the build's future flags: one object for the life of the build
const build = (fn: typeof originalServerRoutes) => fn(manifest, modules(), future, false);
const PATHS = ["/", "/events", "/events/", "/events/calendar", "/events/42", "/events/42?tab=x#y", "/networks/north-west", "/networks/north-west/events", "/nowhere/at/all", "/Events/CALENDAR"];
type Tree = Array<{ id?: string; path?: string; index?: boolean; loader?: unknown; children?: Tree }>;
const shape = (routes: Tree): unknown => routes.map((r) => ({ id: r.id, path: r.path, index: r.index, loader: typeof r.loader, children: r.children && shape(r.children) }));
const plain = (matches: ReturnType<typeof router.matchRoutes>) => matches?.map((m) => ({ id: m.route.id, params: m.params, pathname: m.pathname, pathnameBase: m.pathnameBase }));

describe("route memo (Remix 2 re-matching every route on every page)", () => {
  it("is installed on the versions in package.json (fails when an upgrade moves what it wraps)", () => {
    expect(installed).toEqual({ matchRoutes: true, convertRoutes: true, serverRoutes: true });
    expect(installRouteMemo()).toBe(installed);
  });

  it("builds the server route tree once per build, and again when a route module changes", () => {
    const first = build(reactRoutes.createServerRoutes);
    expect(build(reactRoutes.createServerRoutes)).toBe(first);
    expect(shape(first)).toEqual(shape(build(originalServerRoutes)));
    moduleOf["routes/events.$id"] = { default: () => null };
    const rebuilt = build(reactRoutes.createServerRoutes);
    expect(rebuilt).not.toBe(first);
    expect(build(reactRoutes.createServerRoutes)).toBe(rebuilt);
  });

  it("makes the data routes once per tree and still fills the caller's manifest", () => {
    const tree = build(reactRoutes.createServerRoutes);
    const mapper = (route: object) => ({ hasErrorBoundary: "ErrorBoundary" in route });
    type Manifest = Parameters<typeof originalConvert>[3];
    const m1: Manifest = {};
    const m2: Manifest = {};
    const d1 = router.UNSAFE_convertRoutesToDataRoutes(tree, mapper, undefined, m1);
    const d2 = router.UNSAFE_convertRoutesToDataRoutes(tree, mapper, undefined, m2);
    expect(d2).toBe(d1);
    expect(Object.keys(m2).sort()).toEqual(Object.keys(manifest).sort());
    expect(m2["routes/events.$id"]).toBe(m1["routes/events.$id"]);
    expect(d1).toEqual(originalConvert(tree, mapper, undefined, {}));
  });

  it("matches every path exactly as React Router does, first time and remembered", () => {
    const data = router.UNSAFE_convertRoutesToDataRoutes(build(reactRoutes.createServerRoutes), () => ({ hasErrorBoundary: false }), undefined, {});
    for (const path of PATHS) {
      const expected = plain(originalMatch(data, path));
      expect(plain(router.matchRoutes(data, path)), path).toEqual(expected);
      expect(plain(router.matchRoutes(data, path)), `${path} (remembered)`).toEqual(expected);
      expect(plain(router.matchRoutes(data, { pathname: path.replace(/[?#].*/, "") })), `${path} as a location`).toEqual(expected);
    }
    expect(plain(router.matchRoutes(data, "/app/events/42", "/app"))).toEqual(plain(originalMatch(data, "/app/events/42", "/app")));
    expect(router.matchRoutes(data, "/elsewhere", "/app")).toBeNull();
  });

  it("gives each caller its own matches: changing one does not reach the next request", () => {
    const data = router.UNSAFE_convertRoutesToDataRoutes(build(reactRoutes.createServerRoutes), () => ({ hasErrorBoundary: false }), undefined, {});
    const first = router.matchRoutes(data, "/events/42")!;
    (first[first.length - 1].params as Record<string, string>).id = "tampered";
    first.pop();
    const again = router.matchRoutes(data, "/events/42")!;
    expect(again.map((m) => m.route.id)).toEqual(["root", "routes/events.$id"]);
    expect(again[1].params.id).toBe("42");
  });

  it("remembers a bounded number of paths (hostile paths cannot grow it without end)", () => {
    const data = router.UNSAFE_convertRoutesToDataRoutes(build(reactRoutes.createServerRoutes), () => ({ hasErrorBoundary: false }), undefined, {});
    for (let i = 0; i < MATCHES_KEPT + 500; i++) router.matchRoutes(data, `/events/${i}`);
    // The oldest were let go and are worked out again, correctly.
    expect(plain(router.matchRoutes(data, "/events/0"))).toEqual(plain(originalMatch(data, "/events/0")));
    expect(plain(router.matchRoutes(data, `/events/${MATCHES_KEPT + 499}`))?.[1].params).toEqual({ id: String(MATCHES_KEPT + 499) });
  });
});
