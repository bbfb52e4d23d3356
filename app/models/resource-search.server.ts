/**
 * The resource repository's search: filters, disjunctive facet counts, paging. Words are matched
 * through the portal's one search index (app/models/search/fts.server.ts, kept by triggers), so
 * nothing here writes to an index and no write path can leave it behind.
 */
import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from "kysely";
import { dialect, getDb } from "../../db/index";
import type { Database } from "../../db/schema";
import { remembered } from "./search/cache.server";
import { boundedPage } from "./search/bounded.server";
import { documentId, documents, highlightsFor, index, matches, matchQuery, rank, splitHighlight, type HighlightPart } from "./search/fts.server";
import { OUTCOME_DOMAINS, RESOURCE_KINDS, TOPICS } from "../utils/vocab";
import { FACETS, type FacetName } from "../validation/resources";

type Db = Kysely<Database>;

export { splitHighlight, type HighlightPart };

// ---------------------------------------------------------------------------
// Searching

export { FACETS, type FacetName } from "../validation/resources";
export type SearchFilters = { kind: string[]; topic: string[]; publisher: string[]; year: string[]; outcome: string[]; network: string[] };
/** `count` is null when the words match too many resources to count each value (see boundedSearch). */
export type FacetValue = { value: string; label: string; count: number | null; selected: boolean };
export type SearchSort = "relevance" | "newest";

export type SearchInput = {
  q: string;
  filters: SearchFilters;
  sort: SearchSort;
  page: number;
  perPage: number;
  /** Networks whose members-only resources this viewer may see. */
  readableNetworkIds: number[];
};

export type SearchResult = {
  id: number;
  title: string;
  titleParts: HighlightPart[];
  snippetParts: HighlightPart[];
  kind: string;
  year: number | null;
  publisher: string | null;
  networkName: string;
  visibility: "public" | "members";
  publishedAt: string | null;
  url: string | null;
};

export type SearchOutput = {
  /** The words match more than `total` resources (counting stopped there). */
  more: boolean;
  q: string;
  /** True when the text held no searchable words (only punctuation or operators). */
  emptyQuery: boolean;
  total: number;
  results: SearchResult[];
  facets: Record<FacetName, FacetValue[]>;
};

const PUBLISHER = sql<string>`coalesce(r.publisher_name, o.name)`;
// A resource document's id is resource.id shifted by its kind code (migration 0040).
const RESOURCE_BASE = documentId("resource", 0);

type NetworkRow = { id: number; slug: string; short_name: string; name: string };

function inList(values: readonly (string | number)[]) {
  return sql.join(values.map((v) => sql`${v}`));
}

function years(values: string[]): number[] {
  return values.map(Number).filter(Number.isInteger);
}

/** `prefix.year IN (…)` for the whole-number years selected; none of them a year (an empty IN list, which PostgreSQL rejects): nothing. */
function yearIn(prefix: string, values: string[]) {
  const list = years(values);
  return list.length ? sql<SqlBool>`${sql.raw(prefix)}.year IN (${inList(list)})` : sql<SqlBool>`FALSE`;
}

/** Whom the viewer may see: published, and public or in one of their networks. `prefix` is a table alias. */
function visible(readable: number[], prefix: string) {
  const p = sql.raw(prefix);
  return readable.length ? sql<SqlBool>`(${p}.visibility = 'public' OR ${p}.network_id IN (${inList(readable)}))` : sql<SqlBool>`${p}.visibility = 'public'`;
}

/** The WHERE conditions for a search, leaving out one facet's own filter (for that facet's counts). */
function conditions(input: SearchInput, networkIds: number[] | null, except?: FacetName): Expression<SqlBool>[] {
  const c: Expression<SqlBool>[] = [sql<SqlBool>`r.status = 'published'`, visible(input.readableNetworkIds, "r")];
  const f = input.filters;
  if (except !== "kind" && f.kind.length) c.push(sql<SqlBool>`r.kind IN (${inList(f.kind)})`);
  if (except !== "year" && f.year.length) c.push(yearIn("r", f.year));
  if (except !== "topic" && f.topic.length) c.push(sql<SqlBool>`r.id IN (SELECT resource_id FROM resource_topic WHERE topic IN (${inList(f.topic)}))`);
  if (except !== "outcome" && f.outcome.length) c.push(sql<SqlBool>`r.id IN (SELECT resource_id FROM resource_outcome WHERE domain IN (${inList(f.outcome)}))`);
  if (except !== "publisher" && f.publisher.length) c.push(sql<SqlBool>`${PUBLISHER} IN (${inList(f.publisher)})`);
  if (except !== "network" && networkIds) c.push(networkIds.length ? sql<SqlBool>`r.network_id IN (${inList(networkIds)})` : sql<SqlBool>`FALSE`);
  return c;
}

/** The same filters over the matched set `m` (which already holds only visible, published rows). */
function matchConditions(input: SearchInput, networkIds: number[] | null, except?: FacetName) {
  const c = [sql<SqlBool>`TRUE`];
  const f = input.filters;
  if (except !== "kind" && f.kind.length) c.push(sql<SqlBool>`m.kind IN (${inList(f.kind)})`);
  if (except !== "year" && f.year.length) c.push(yearIn("m", f.year));
  if (except !== "topic" && f.topic.length) c.push(sql<SqlBool>`m.id IN (SELECT resource_id FROM resource_topic WHERE topic IN (${inList(f.topic)}))`);
  if (except !== "outcome" && f.outcome.length) c.push(sql<SqlBool>`m.id IN (SELECT resource_id FROM resource_outcome WHERE domain IN (${inList(f.outcome)}))`);
  if (except !== "publisher" && f.publisher.length) c.push(sql<SqlBool>`m.publisher IN (${inList(f.publisher)})`);
  if (except !== "network" && networkIds) c.push(networkIds.length ? sql<SqlBool>`m.network_id IN (${inList(networkIds)})` : sql<SqlBool>`FALSE`);
  return sql.join(c, sql` AND `);
}

function base(db: Db, conds: Expression<SqlBool>[]) {
  let qb = db.selectFrom("resource as r").leftJoin("organisation as o", "o.id", "r.publisher_organisation_id");
  for (const cond of conds) qb = qb.where(cond);
  return qb;
}

function shorten(s: string, n: number): string {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length <= n ? one : `${one.slice(0, n - 1).replace(/\s+\S*$/, "")}…`;
}

// How a search runs (one MATCH per page, not one per count):
// - No words and no filters (the plain list page): the total and every facet come from
//   resource_facet_count (kept by triggers), and the page is read newest-first from
//   resource_listing_idx, so nothing scans all resources.
// - Otherwise the candidate rows go once into the connection's temporary table
//   resource_search_match (id, bm25 rank and the facet columns): with words, every
//   visible match before any filter; without words, every visible row passing all the
//   filters. The total, the page and each facet's counts are then small GROUP BYs over
//   that set; a facet with a selection leaves its own filter out (disjunctive facets).
//   All of it runs inside one read transaction, which holds the single connection (no
//   other request can touch the temporary table meanwhile) and gives every figure on the
//   page the same snapshot.

type Plan = {
  input: SearchInput;
  fts: string | null;
  networkIds: number[] | null;
  networks: NetworkRow[];
  selected: FacetName[];
  readable: number[];
};

async function plan(input: SearchInput, db: Db): Promise<Plan> {
  const fts = matchQuery(input.q);
  const networks = await db.selectFrom("network").select(["id", "slug", "short_name", "name"]).execute();
  const networkIds = input.filters.network.length ? networks.filter((n) => input.filters.network.includes(n.slug)).map((n) => n.id) : null;
  const selected = FACETS.filter((f) => input.filters[f].length > 0);
  return { input, fts, networkIds, networks, selected, readable: input.readableNetworkIds };
}

/** The connection's temporary matched set (SQLite's schema for temporary tables is "temp", PostgreSQL's "pg_temp"). */
const matchTable = () => sql.raw(dialect() === "postgres" ? "pg_temp.resource_search_match" : "temp.resource_search_match");
/** SQLite's CROSS JOIN keeps the tables in the order written (a planner hint); PostgreSQL has no such join with ON and plans the order itself. */
const joinInOrder = () => sql.raw(dialect() === "postgres" ? "JOIN" : "CROSS JOIN");

async function fillMatchTable(trx: Db, p: Plan, withRank: boolean): Promise<void> {
  await sql`CREATE TEMP TABLE IF NOT EXISTS resource_search_match (
      id INTEGER PRIMARY KEY, rank REAL, kind TEXT NOT NULL, year INTEGER, network_id INTEGER NOT NULL, publisher TEXT, published_at TEXT
    )`.execute(trx);
  await sql`DELETE FROM ${matchTable()}`.execute(trx);
  if (p.fts) {
    const idx = index();
    await sql`
      INSERT INTO ${matchTable()} (id, rank, kind, year, network_id, publisher, published_at)
      SELECT r.id, ${withRank ? rank(p.fts) : sql`NULL`}, r.kind, r.year, r.network_id, ${PUBLISHER}, r.published_at
      FROM ${idx.source}
      JOIN resource r ON r.id = ${idx.documentId} - ${RESOURCE_BASE}
      LEFT JOIN organisation o ON o.id = r.publisher_organisation_id
      WHERE ${matches(p.fts, "resource")} AND r.status = 'published' AND ${visible(p.readable, "r")}`.execute(trx);
  } else {
    const rows = base(trx, conditions(p.input, p.networkIds)).select([
      "r.id",
      sql`CAST(NULL AS REAL)`.as("rank"),
      "r.kind",
      "r.year",
      "r.network_id",
      PUBLISHER.as("publisher"),
      "r.published_at",
    ]);
    await sql`INSERT INTO ${matchTable()} (id, rank, kind, year, network_id, publisher, published_at) SELECT * FROM ${rows} AS x`.execute(trx);
  }
}

type CountRow = { value: string | number; count: number };

/** One facet's counts over a source that exposes id, kind, year, network_id and publisher as `m`. */
async function facetCounts(db: Db, facet: FacetName, source: Expression<unknown>, where: Expression<unknown>): Promise<CountRow[]> {
  const from = sql`${source} AS m`;
  const q =
    facet === "kind"
      ? sql<CountRow>`SELECT m.kind AS value, count(*) AS count FROM ${from} WHERE ${where} GROUP BY m.kind`
      : facet === "topic"
        ? sql<CountRow>`SELECT t.topic AS value, count(*) AS count FROM ${from} ${joinInOrder()} resource_topic t ON t.resource_id = m.id WHERE ${where} GROUP BY t.topic`
        : facet === "outcome"
          ? sql<CountRow>`SELECT oc.domain AS value, count(*) AS count FROM ${from} ${joinInOrder()} resource_outcome oc ON oc.resource_id = m.id WHERE ${where} GROUP BY oc.domain`
          : facet === "publisher"
            ? sql<CountRow>`SELECT m.publisher AS value, count(*) AS count FROM ${from} WHERE ${where} AND m.publisher IS NOT NULL
                GROUP BY m.publisher ORDER BY count(*) DESC, m.publisher LIMIT 20`
            : facet === "year"
              ? sql<CountRow>`SELECT m.year AS value, count(*) AS count FROM ${from} WHERE ${where} AND m.year IS NOT NULL GROUP BY m.year ORDER BY m.year DESC LIMIT 20`
              : sql<CountRow>`SELECT m.network_id AS value, count(*) AS count FROM ${from} WHERE ${where} GROUP BY m.network_id`;
  return (await q.execute(db)).rows;
}

/** One facet's counts over everything the viewer may see, from resource_facet_count. */
async function storedFacetCounts(db: Db, facet: FacetName, readable: number[]): Promise<CountRow[]> {
  const vis = visible(readable, "c");
  const q =
    facet === "publisher"
      ? sql<CountRow>`
          SELECT value, sum(count) AS count FROM (
            SELECT c.value AS value, c.count AS count FROM resource_facet_count c WHERE c.facet = 'publisher_name' AND ${vis}
            UNION ALL
            SELECT o.name, c.count FROM resource_facet_count c JOIN organisation o ON o.id = CAST(c.value AS INTEGER)
            WHERE c.facet = 'publisher_org' AND ${vis}
          ) AS v GROUP BY value HAVING sum(count) > 0 ORDER BY sum(count) DESC, value LIMIT 20`
      : facet === "year"
        ? sql<CountRow>`SELECT CAST(c.value AS INTEGER) AS value, sum(c.count) AS count FROM resource_facet_count c
            WHERE c.facet = 'year' AND ${vis} GROUP BY c.value HAVING sum(c.count) > 0 ORDER BY CAST(c.value AS INTEGER) DESC LIMIT 20`
        : facet === "network"
          ? sql<CountRow>`SELECT c.network_id AS value, sum(c.count) AS count FROM resource_facet_count c
              WHERE c.facet = 'total' AND ${vis} GROUP BY c.network_id HAVING sum(c.count) > 0`
          : sql<CountRow>`SELECT c.value AS value, sum(c.count) AS count FROM resource_facet_count c
              WHERE c.facet = ${facet} AND ${vis} GROUP BY c.value HAVING sum(c.count) > 0`;
  return (await q.execute(db)).rows;
}

/** Every facet's counts, each over the right set for the plan (see the note above). */
async function countFacets(db: Db, p: Plan, matchTableFilled: boolean): Promise<Record<FacetName, FacetValue[]>> {
  const counts = {} as Record<FacetName, CountRow[]>;
  // Facets without a selection of their own all count over the same set, so kind, year and
  // network can share one GROUP BY pass over the matched set.
  const shared: FacetName[] = matchTableFilled ? (["kind", "year", "network"] as const).filter((f) => !p.selected.includes(f)) : [];
  if (shared.length > 1) {
    const where = p.fts ? matchConditions(p.input, p.networkIds) : sql`TRUE`;
    const rows = (
      await sql<{ kind: string; year: number | null; network_id: number; count: number }>`
        SELECT m.kind, m.year, m.network_id, count(*) AS count FROM ${matchTable()} AS m WHERE ${where} GROUP BY m.kind, m.year, m.network_id`.execute(db)
    ).rows;
    const sum = (key: (r: (typeof rows)[number]) => string | number | null) => {
      const totals = new Map<string | number, number>();
      for (const r of rows) {
        const k = key(r);
        if (k !== null) totals.set(k, (totals.get(k) ?? 0) + Number(r.count));
      }
      return [...totals].map(([value, count]) => ({ value, count }));
    };
    if (shared.includes("kind")) counts.kind = sum((r) => r.kind);
    if (shared.includes("network")) counts.network = sum((r) => r.network_id);
    if (shared.includes("year")) counts.year = sum((r) => r.year).sort((a, b) => Number(b.value) - Number(a.value)).slice(0, 20);
  }
  for (const facet of FACETS) {
    if (counts[facet]) continue;
    const ownFilter = p.selected.includes(facet);
    if (!p.fts && (p.selected.length === 0 || (p.selected.length === 1 && ownFilter))) {
      // Nothing else narrows this facet: its counts are the viewer's stored totals.
      counts[facet] = await storedFacetCounts(db, facet, p.readable);
    } else if (matchTableFilled && (p.fts || !ownFilter)) {
      counts[facet] = await facetCounts(db, facet, matchTable(), p.fts ? matchConditions(p.input, p.networkIds, facet) : sql`TRUE`);
    } else {
      // No words, and this facet and another one both have selections: count this one on its own.
      const rows = base(db, conditions(p.input, p.networkIds, facet)).select(["r.id", "r.kind", "r.year", "r.network_id", PUBLISHER.as("publisher")]);
      counts[facet] = await facetCounts(db, facet, sql`(${rows})`, sql`TRUE`);
    }
  }
  return shapeFacets(p, counts);
}

function shapeFacets(p: Plan, counts: Record<FacetName, CountRow[]>): Record<FacetName, FacetValue[]> {
  const f = p.input.filters;
  const mark = (facet: FacetName, rows: Array<{ value: string; label: string; count: number }>): FacetValue[] => {
    const selected = new Set(f[facet]);
    const out = rows.map((r) => ({ ...r, count: Number(r.count), selected: selected.has(r.value) }));
    // A selected value with no matches stays listed so it can be unticked.
    for (const v of selected) if (!out.some((o) => o.value === v)) out.push({ value: v, label: v, count: 0, selected: true });
    return out;
  };
  const find = (facet: FacetName, value: string | number) => counts[facet].find((r) => r.value === value);
  const kind = mark(
    "kind",
    RESOURCE_KINDS.flatMap((k) => {
      const row = find("kind", k.value);
      return row ? [{ value: k.value, label: k.label, count: Number(row.count) }] : [];
    }),
  );
  const topic = mark(
    "topic",
    TOPICS.flatMap((t) => {
      const row = find("topic", t.value);
      return row ? [{ value: t.value, label: t.label, count: Number(row.count) }] : [];
    }).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)),
  );
  const outcome = mark(
    "outcome",
    OUTCOME_DOMAINS.flatMap((d) => {
      const row = find("outcome", d.value);
      return row ? [{ value: d.value, label: d.label, count: Number(row.count) }] : [];
    }),
  );
  const publisher = mark(
    "publisher",
    counts.publisher.map((r) => ({ value: String(r.value), label: String(r.value), count: Number(r.count) })),
  );
  const year = mark(
    "year",
    counts.year.map((r) => ({ value: String(r.value), label: String(r.value), count: Number(r.count) })),
  );
  const network = mark(
    "network",
    p.networks.flatMap((n) => {
      const row = find("network", n.id);
      return row ? [{ value: n.slug, label: n.short_name || n.name, count: Number(row.count) }] : [];
    }),
  );
  return { kind, topic, publisher, year, outcome, network };
}

type Row = {
  id: number;
  title: string;
  summary: string;
  kind: string;
  year: number | null;
  publisher: string | null;
  network_name: string;
  visibility: "public" | "members";
  published_at: string | null;
  url: string | null;
};

export async function searchResources(input: SearchInput, db: Db = getDb()): Promise<SearchOutput> {
  return remembered(`resources:${JSON.stringify(input)}`, () => runSearch(input, db));
}

async function runSearch(input: SearchInput, db: Db): Promise<SearchOutput> {
  const q = input.q;
  const p = await plan(input, db);
  const emptyQuery = q.trim() !== "" && p.fts === null;
  const sort: SearchSort = p.fts ? input.sort : "newest";
  const offset = (input.page - 1) * input.perPage;

  if (!p.fts && p.selected.length === 0) {
    // The plain list: stored counts, and one page read newest-first from resource_listing_idx.
    const totalRow = await sql<{ n: number | null }>`
      SELECT sum(c.count) AS n FROM resource_facet_count c WHERE c.facet = 'total' AND ${visible(p.readable, "c")}`.execute(db);
    const rows: Row[] = await db
      .selectFrom("resource as r")
      .leftJoin("organisation as o", "o.id", "r.publisher_organisation_id")
      .innerJoin("network as n", "n.id", "r.network_id")
      .select(["r.id", "r.title", "r.summary", "r.kind", "r.year", "r.visibility", "r.published_at", "r.url", "n.name as network_name", PUBLISHER.as("publisher")])
      .where(sql<SqlBool>`r.status = 'published'`)
      .where(visible(p.readable, "r"))
      .orderBy("r.published_at", "desc")
      .orderBy("r.id", "desc")
      .limit(input.perPage)
      .offset(offset)
      .execute();
    const facets = await countFacets(db, p, false);
    return { q, emptyQuery, more: false, total: Number(totalRow.rows[0]?.n ?? 0), results: rows.map((r) => toResult(r, null)), facets };
  }

  if (p.fts) {
    // How many resources the words match before any filter (the set the facets count over), counted only so far.
    const matched = await sql<{ n: number }>`
      SELECT count(*) AS n FROM (SELECT 1 AS x FROM ${documents()} WHERE ${matches(p.fts, "resource")} AND ${visible(p.readable, "d")} LIMIT ${BOUNDS.counted + 1}) AS c`.execute(db);
    if (Number(matched.rows[0]?.n ?? 0) > BOUNDS.counted) return boundedSearch(p, p.fts, db, sort, offset, emptyQuery);
  }

  return db.transaction().execute(async (trx) => {
    await fillMatchTable(trx, p, sort === "relevance");
    const where = p.fts ? matchConditions(input, p.networkIds) : sql<SqlBool>`TRUE`;
    const totalRow = await sql<{ n: number }>`SELECT count(*) AS n FROM ${matchTable()} m WHERE ${where}`.execute(trx);
    // Sort and cut the page inside the small matched set first, then fetch just those rows.
    const order = sort === "relevance" ? sql`m.rank, m.published_at DESC, m.id DESC` : sql`m.published_at DESC, m.id DESC`;
    const page = await sql<Row>`
      SELECT r.id, r.title, r.summary, r.kind, r.year, r.visibility, r.published_at, r.url, n.name AS network_name, m.publisher
      FROM (SELECT m.id, m.rank, m.published_at, m.publisher FROM ${matchTable()} m WHERE ${where} ORDER BY ${order} LIMIT ${input.perPage} OFFSET ${offset}) AS m
      ${joinInOrder()} resource r ON r.id = m.id
      JOIN network n ON n.id = r.network_id
      ORDER BY ${order}`.execute(trx);
    // Highlights and snippets only for the rows on this page.
    const marks = new Map<number, { title_hl: string | null; snippet: string | null }>();
    if (p.fts && page.rows.length) {
      const hl = await highlightsFor(p.fts, page.rows.map((r) => documentId("resource", r.id))).execute(trx);
      for (const h of hl.rows) marks.set(h.id - RESOURCE_BASE, h);
    }
    const facets = await countFacets(trx, p, true);
    await sql`DELETE FROM ${matchTable()}`.execute(trx);
    return { q, emptyQuery, more: false, total: Number(totalRow.rows[0]?.n ?? 0), results: page.rows.map((r) => toResult(r, marks.get(r.id) ?? null)), facets };
  });
}

/** How far a search is counted, and how many of the newest matches are ranked past that (tests lower them). */
export const BOUNDS = { counted: 1000, window: 200 };

/**
 * Words matching more than BOUNDS.counted resources (a common word matches tens of thousands):
 * the total is counted only that far ("more than 1,000"), the facets list their values without
 * counts, and "best match" is ranked within bounds as on /search (./search/bounded.server.ts).
 */
async function boundedSearch(p: Plan, fts: string, db: Db, sort: SearchSort, offset: number, emptyQuery: boolean): Promise<SearchOutput> {
  const { input } = p;
  const from = sql`${documents()} JOIN resource r ON r.id = d.ref_id LEFT JOIN organisation o ON o.id = r.publisher_organisation_id`;
  const filtered = sql.join(conditions(input, p.networkIds), sql` AND `) as RawBuilder<SqlBool>;
  const countRow = await sql<{ n: number }>`
    SELECT count(*) AS n FROM (SELECT 1 AS x FROM ${from} WHERE ${matches(fts, "resource")} AND ${filtered} LIMIT ${BOUNDS.counted + 1}) AS c`.execute(db);
  const counted = Number(countRow.rows[0]?.n ?? 0);
  const total = Math.min(counted, BOUNDS.counted);
  const pageIds = async (): Promise<number[]> => {
    if (sort === "newest") {
      const rows = await sql<{ id: number }>`
        SELECT d.id FROM ${from} WHERE ${matches(fts, "resource")} AND ${filtered} ORDER BY r.published_at DESC, r.id DESC LIMIT ${input.perPage} OFFSET ${offset}`.execute(db);
      return rows.rows.map((r) => r.id);
    }
    return boundedPage({ kind: "resource", match: fts, window: BOUNDS.window, offset, perPage: input.perPage, from, where: filtered });
  };
  const ids = counted === 0 ? [] : await pageIds();
  const rows = ids.length
    ? (
        await sql<Row>`
          SELECT r.id, r.title, r.summary, r.kind, r.year, r.visibility, r.published_at, r.url, n.name AS network_name, ${PUBLISHER} AS publisher
          FROM resource r JOIN network n ON n.id = r.network_id LEFT JOIN organisation o ON o.id = r.publisher_organisation_id
          WHERE r.id IN (${sql.join(ids.map((id) => id - RESOURCE_BASE))})`.execute(db)
      ).rows
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ordered = ids.flatMap((id) => byId.get(id - RESOURCE_BASE) ?? []);
  const marks = new Map<number, { title_hl: string | null; snippet: string | null }>();
  if (ids.length) for (const h of (await highlightsFor(fts, ids).execute(db)).rows) marks.set(h.id - RESOURCE_BASE, h);
  // Every value the viewer could filter by, without counts: counting each over this many matches is what took the time.
  const facets = shapeFacets(p, Object.fromEntries(await Promise.all(FACETS.map(async (f) => [f, await storedFacetCounts(db, f, p.readable)]))) as Record<FacetName, CountRow[]>);
  for (const f of FACETS) facets[f] = facets[f].map((v) => ({ ...v, count: null }));
  return { q: input.q, emptyQuery, more: counted > BOUNDS.counted, total, results: ordered.map((r) => toResult(r, marks.get(r.id) ?? null)), facets };
}

function toResult(r: Row, marks: { title_hl: string | null; snippet: string | null } | null): SearchResult {
  return {
    id: r.id,
    title: r.title,
    titleParts: marks?.title_hl ? splitHighlight(marks.title_hl) : [{ text: r.title, hit: false }],
    snippetParts: marks?.snippet ? splitHighlight(marks.snippet) : [{ text: shorten(r.summary, 240), hit: false }],
    kind: r.kind,
    year: r.year,
    publisher: r.publisher,
    networkName: r.network_name,
    visibility: r.visibility,
    publishedAt: r.published_at,
    url: r.url,
  };
}

/** Only the facet counts of a search (the benchmark times them on their own). */
export async function searchResourceFacets(input: SearchInput, db: Db = getDb()): Promise<Record<FacetName, FacetValue[]>> {
  const p = await plan(input, db);
  if (!p.fts && p.selected.length === 0) return countFacets(db, p, false);
  return db.transaction().execute(async (trx) => {
    await fillMatchTable(trx, p, false);
    const facets = await countFacets(trx, p, true);
    await sql`DELETE FROM ${matchTable()}`.execute(trx);
    return facets;
  });
}
