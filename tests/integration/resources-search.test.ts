import { describe, expect, it } from "vitest";
import { getDb } from "../../db/index";
import { searchResources, type SearchFilters } from "../../app/models/resource-search.server";

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
});
