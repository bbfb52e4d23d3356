import { describe, expect, it } from "vitest";
import { getDb } from "../../db/index";
import { BOUNDS, searchResources, type SearchFilters } from "../../app/models/resource-search.server";

const noFilters = (): SearchFilters => ({ kind: [], topic: [], publisher: [], year: [], outcome: [], network: [] });
const search = (q: string, extra: Partial<{ filters: SearchFilters; readable: number[]; sort: "relevance" | "newest" }> = {}) =>
  searchResources({ q, filters: extra.filters ?? noFilters(), sort: extra.sort ?? "relevance", page: 1, perPage: 20, readableNetworkIds: extra.readable ?? [] });

describe("resource search", () => {
  it('finds "Making sense of social prescribing" for "making sense", first, with highlights', async () => {
    const out = await search("making sense");
    expect(out.results[0]?.title).toBe("Making sense of social prescribing");
    expect(out.results[0].titleParts.filter((p) => p.hit).map((p) => p.text.toLowerCase())).toEqual(["making", "sense"]);
  });

  it("lists every deck resource when there is no query, newest first", async () => {
    const out = await search("");
    expect(out.total).toBeGreaterThanOrEqual(14);
    const dates = out.results.map((r) => r.publishedAt ?? "");
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(out.facets.kind.find((k) => k.value === "video")?.count).toBeGreaterThanOrEqual(4);
  });

  it("treats hostile search text as words and never errors", async () => {
    const hostile = [
      '"',
      '"making',
      "making AND",
      "OR OR OR",
      "NEAR(making sense, 2)",
      "*",
      "mak*",
      "^making",
      "title:making",
      "summary : sense",
      "(((",
      "making\u0000sense",
      "-sense",
      "a".repeat(5000),
      "word ".repeat(1000),
      "'; DROP TABLE resource; --",
      "<script>alert(1)</script>",
      "\u0002making\u0003",
    ];
    for (const q of hostile) {
      const out = await search(q);
      expect(Array.isArray(out.results), q.slice(0, 40)).toBe(true);
    }
    // Operators and stars are just punctuation: "mak*" still finds by prefix, like "mak".
    expect((await search("mak*")).results.some((r) => r.title === "Making sense of social prescribing")).toBe(true);
    expect(await getDb().selectFrom("resource").select("id").limit(1).execute()).toHaveLength(1);
  });

  // SQLite's FTS5 side: PostgreSQL counts and ranks every match with its own index.
  it("past the count: 'more than', facets without counts, title matches first, and pages show each match once", async () => {
    const page = (n: number, filters = noFilters()) => searchResources({ q: "social", filters, sort: "relevance", page: n, perPage: 1, readableNetworkIds: [] });
    const exact = await searchResources({ q: "social", filters: noFilters(), sort: "relevance", page: 1, perPage: 100, readableNetworkIds: [] });
    const all = exact.results.map((r) => r.id);
    expect(exact.more).toBe(false);
    expect(all.length).toBeGreaterThan(4);
    const saved = { ...BOUNDS };
    Object.assign(BOUNDS, { counted: 4, window: 1 });
    try {
      const first = await page(1);
      expect(first).toMatchObject({ more: true, total: 4 });
      expect(first.facets.kind.length).toBeGreaterThan(0);
      expect(Object.values(first.facets).flat().every((v) => v.count === null)).toBe(true);
      // Page 1 is the newest resource with the word in its title.
      const titled = await getDb().selectFrom("resource").select("id").where("status", "=", "published").where("visibility", "=", "public").where("title", "like", "%social%").orderBy("id", "desc").executeTakeFirstOrThrow();
      expect(first.results.map((r) => r.id)).toEqual([titled.id]);
      const seen: number[] = [];
      for (let n = 1; n <= 4; n++) seen.push(...(await page(n)).results.map((r) => r.id));
      expect(new Set(seen).size).toBe(4);
      for (const id of seen) expect(all).toContain(id);
      // A filter still narrows.
      const guides = await page(1, { ...noFilters(), kind: ["guide"] });
      for (const r of guides.results) expect(r.kind).toBe("guide");
    } finally {
      Object.assign(BOUNDS, saved);
    }
  });
});
