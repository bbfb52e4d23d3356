/**
 * The fast search paths (stored facet counts kept by triggers, the one-MATCH temporary
 * matched set) against a plain reference computed here from the raw tables: totals,
 * newest-first order and every facet's counts, for several viewers and filter mixes,
 * before and after writes of every kind (publish, move, retag, reject, delete, rename
 * or delete a publisher).
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { getDb, nowIso } from "../../db/index";
import { FACETS, searchResources, type FacetName, type SearchFilters } from "../../app/models/resource-search.server";
import { documents, matches, matchQuery } from "../../app/models/search/fts.server";

type Ref = { id: number; network_id: number; visibility: string; status: string; kind: string; year: number | null; publisher: string | null; published_at: string | null; topics: string[]; outcomes: string[] };

async function reference(): Promise<{ rows: Ref[]; networks: Array<{ id: number; slug: string }> }> {
  const db = getDb();
  const rows = await db
    .selectFrom("resource as r")
    .leftJoin("organisation as o", "o.id", "r.publisher_organisation_id")
    .select(["r.id", "r.network_id", "r.visibility", "r.status", "r.kind", "r.year", "r.published_at", (eb) => eb.fn.coalesce("r.publisher_name", "o.name").as("publisher")])
    .execute();
  const topics = await db.selectFrom("resource_topic").selectAll().execute();
  const outcomes = await db.selectFrom("resource_outcome").selectAll().execute();
  const networks = await db.selectFrom("network").select(["id", "slug"]).execute();
  return {
    networks,
    rows: rows.map((r) => ({
      ...r,
      topics: topics.filter((t) => t.resource_id === r.id).map((t) => t.topic),
      outcomes: outcomes.filter((o) => o.resource_id === r.id).map((o) => o.domain),
    })),
  };
}

async function expected(q: string, filters: SearchFilters, readable: number[]) {
  const { rows, networks } = await reference();
  const fts = matchQuery(q);
  const matched = fts
    ? new Set((await sql<{ id: number }>`SELECT d.ref_id AS id FROM ${documents()} WHERE ${matches(fts)} AND d.kind = 'resource'`.execute(getDb())).rows.map((r) => r.id))
    : null;
  const networkIds = filters.network.length ? networks.filter((n) => filters.network.includes(n.slug)).map((n) => n.id) : null;
  const passes = (r: Ref, except?: FacetName) =>
    r.status === "published" &&
    (r.visibility === "public" || readable.includes(r.network_id)) &&
    (!matched || matched.has(r.id)) &&
    (except === "kind" || !filters.kind.length || filters.kind.includes(r.kind)) &&
    (except === "year" || !filters.year.length || (r.year !== null && filters.year.map(Number).filter(Number.isInteger).includes(r.year))) &&
    (except === "topic" || !filters.topic.length || r.topics.some((t) => filters.topic.includes(t))) &&
    (except === "outcome" || !filters.outcome.length || r.outcomes.some((o) => filters.outcome.includes(o))) &&
    (except === "publisher" || !filters.publisher.length || (r.publisher !== null && filters.publisher.includes(r.publisher))) &&
    (except === "network" || !networkIds || networkIds.includes(r.network_id));
  const values = (r: Ref, facet: FacetName): string[] =>
    facet === "kind"
      ? [r.kind]
      : facet === "year"
        ? r.year === null ? [] : [String(r.year)]
        : facet === "topic"
          ? r.topics
          : facet === "outcome"
            ? r.outcomes
            : facet === "publisher"
              ? r.publisher === null ? [] : [r.publisher]
              : [networks.find((n) => n.id === r.network_id)!.slug];
  const facets = {} as Record<FacetName, Record<string, number>>;
  for (const facet of FACETS) {
    const counts: Record<string, number> = {};
    for (const r of rows) if (passes(r, facet)) for (const v of values(r, facet)) counts[v] = (counts[v] ?? 0) + 1;
    facets[facet] = counts;
  }
  const hits = rows.filter((r) => passes(r)).sort((a, b) => (b.published_at ?? "").localeCompare(a.published_at ?? "") || b.id - a.id);
  return { total: hits.length, newest: hits.slice(0, 20).map((r) => r.id), facets };
}

const none = (): SearchFilters => ({ kind: [], topic: [], publisher: [], year: [], outcome: [], network: [] });

async function compare(q: string, filters: SearchFilters, readable: number[]) {
  const label = JSON.stringify({ q, filters, readable });
  const want = await expected(q, filters, readable);
  const got = await searchResources({ q, filters, sort: "newest", page: 1, perPage: 20, readableNetworkIds: readable });
  expect(got.total, label).toBe(want.total);
  expect(
    got.results.map((r) => r.id),
    label,
  ).toEqual(want.newest);
  for (const facet of FACETS) {
    // Selected values with no matches stay listed at 0 so they can be unticked; the reference leaves them out.
    const counts = Object.fromEntries(got.facets[facet].filter((v) => (v.count ?? -1) > 0).map((v) => [v.value, v.count]));
    expect(counts, `${label} ${facet}`).toEqual(want.facets[facet]);
  }
  const relevance = await searchResources({ q, filters, sort: "relevance", page: 1, perPage: 20, readableNetworkIds: readable });
  expect(relevance.total, label).toBe(want.total);
  expect(new Set(relevance.results.map((r) => r.id)).size, label).toBe(Math.min(20, want.total));
}

async function compareAll() {
  const nw = (await getDb().selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirstOrThrow()).id;
  const anyPublisher = (await reference()).rows.find((r) => r.status === "published" && r.publisher)?.publisher ?? "x";
  const filterSets: SearchFilters[] = [
    none(),
    { ...none(), kind: ["video"] },
    { ...none(), kind: ["video", "report"], topic: ["arts-and-health"] },
    { ...none(), year: ["2017"], publisher: [anyPublisher] },
    { ...none(), network: ["north-west"] },
    { ...none(), outcome: ["system"], topic: ["commissioning-and-funding"], network: ["north-west"] },
    { ...none(), year: ["not-a-year"] },
    { ...none(), network: ["no-such-network"] },
  ];
  for (const readable of [[], [nw]])
    for (const q of ["", "social", "social prescribing", "zzzqqq"]) for (const filters of filterSets) await compare(q, filters, readable);
}

describe("fast facet counts and matched sets agree with a plain recount", () => {
  it("on the demo data, for guests and members, with and without words and filters", async () => {
    await compareAll();
  });

  it("after every kind of write, including cascades", async () => {
    const db = getDb();
    const now = nowIso();
    const nw = (await db.selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirstOrThrow()).id;
    const national = (await db.selectFrom("network").select("id").where("slug", "=", "national").executeTakeFirstOrThrow()).id;
    const org = await db
      .insertInto("organisation")
      .values({ uuid: "facet-test-org", slug: "facet-test-org", name: "Facet Test Trust", sector: "vcse", status: "approved", created_at: now, updated_at: now } as never)
      .returning("id")
      .executeTakeFirstOrThrow();
    const add = async (over: Record<string, unknown>, topics: string[], outcomes: string[]) => {
      const r = await db
        .insertInto("resource")
        .values({ network_id: nw, visibility: "public", status: "published", kind: "guide", title: "Facet social test", summary: "social prescribing", publisher_organisation_id: org.id, publisher_name: null, year: 2017, url: "https://example.org/f", licence: "", contributor_account_id: null, created_at: now, updated_at: now, published_at: now, rejection_reason: null, moderated_by_account_id: null, moderated_at: null, ...over } as never)
        .returning("id")
        .executeTakeFirstOrThrow();
      if (topics.length) await db.insertInto("resource_topic").values(topics.map((topic) => ({ resource_id: r.id, topic }))).execute();
      if (outcomes.length) await db.insertInto("resource_outcome").values(outcomes.map((domain) => ({ resource_id: r.id, domain }))).execute();
      return r.id;
    };
    const a = await add({}, ["arts-and-health", "commissioning-and-funding"], ["system", "person"]);
    const b = await add({ visibility: "members", kind: "video", year: null }, ["arts-and-health"], ["community"]);
    const c = await add({ status: "pending", published_at: null, publisher_organisation_id: null, publisher_name: "Free Text Publisher" }, ["arts-and-health"], []);
    await compareAll();

    await db.updateTable("resource").set({ status: "published", published_at: nowIso() }).where("id", "=", c).execute(); // approved
    await db.updateTable("resource").set({ network_id: national, visibility: "members", kind: "report", year: 2019 }).where("id", "=", a).execute(); // moved
    await db.deleteFrom("resource_topic").where("resource_id", "=", a).execute(); // retagged
    await db.insertInto("resource_topic").values({ resource_id: a, topic: "dementia" }).execute();
    await db.updateTable("resource").set({ status: "rejected" }).where("id", "=", b).execute();
    await db.updateTable("organisation").set({ name: "Renamed Facet Trust" }).where("id", "=", org.id).execute();
    await compareAll();

    await db.updateTable("resource").set({ status: "published" }).where("id", "=", b).execute();
    await db.deleteFrom("organisation").where("id", "=", org.id).execute(); // publisher_organisation_id SET NULL
    await db.deleteFrom("resource").where("id", "=", c).execute(); // tags cascade
    await compareAll();
    expect((await db.selectFrom("resource").select("publisher_organisation_id").where("id", "=", a).executeTakeFirstOrThrow()).publisher_organisation_id).toBeNull();

    // The stored counts never go negative and match a full recount exactly.
    const negative = await db.selectFrom("resource_facet_count").select("facet").where("count", "<", 0).execute();
    expect(negative).toEqual([]);
  });
});
