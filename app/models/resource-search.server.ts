/**
 * Full-text search over resources with SQLite FTS5: the only module that knows
 * about resource_fts, MATCH, bm25(), snippet() and highlight(). A PostgreSQL
 * implementation (tsvector + ts_rank + ts_headline) can sit beside it with the
 * same exports. User text reaches MATCH only through toFtsQuery, which turns it
 * into quoted words, so search-box syntax can never error or filter columns.
 */
import { type Expression, type Kysely, type SqlBool, sql } from "kysely";
import { getDb } from "../../db/index";
import type { Database } from "../../db/schema";
import { toFtsQuery } from "../utils/fts.server";
import { OUTCOME_DOMAINS, RESOURCE_KINDS, TOPICS, topicLabel } from "../utils/vocab";
import type { FacetName } from "../validation/resources";

type Db = Kysely<Database>;

const KIND_LABELS: Record<string, string> = Object.fromEntries(RESOURCE_KINDS.map((k) => [k.value, k.label]));

// snippet()/highlight() wrap hits in these; stored text never contains control
// characters (cleanSingleLine/cleanMultiline remove them), so they cannot be forged.
const HIT_START = "\u0002";
const HIT_END = "\u0003";

/** Text cut into plain and matched parts, rendered by React as text and <mark>: never raw HTML. */
export type HighlightPart = { text: string; hit: boolean };

export function splitHighlight(s: string | null | undefined): HighlightPart[] {
  const parts: HighlightPart[] = [];
  let hit = false;
  let buffer = "";
  for (const ch of s ?? "") {
    if (ch === HIT_START || ch === HIT_END) {
      if (buffer) parts.push({ text: buffer, hit });
      buffer = "";
      hit = ch === HIT_START;
      continue;
    }
    buffer += ch;
  }
  if (buffer) parts.push({ text: buffer, hit });
  return parts;
}

// ---------------------------------------------------------------------------
// Keeping the index in step: called by app/models/resources.server.ts inside
// the same transaction as every write to resource, resource_topic or the
// publisher, so a commit never leaves the index behind (and a rollback undoes both).

function keywordText(kind: string, year: number | null, topics: string[], outcomes: string[]): string {
  return [KIND_LABELS[kind] ?? kind, year ? String(year) : "", ...topics.map(topicLabel), ...outcomes.map((o) => OUTCOME_DOMAINS.find((d) => d.value === o)?.label ?? "")]
    .filter(Boolean)
    .join(" · ");
}

export async function syncResourceIndex(db: Db, resourceId: number): Promise<void> {
  await db.deleteFrom("resource_fts").where("rowid", "=", resourceId).execute();
  const r = await db
    .selectFrom("resource as r")
    .leftJoin("organisation as o", "o.id", "r.publisher_organisation_id")
    .select(["r.id", "r.title", "r.summary", "r.kind", "r.year", "r.publisher_name", "o.name as org_name"])
    .where("r.id", "=", resourceId)
    .executeTakeFirst();
  if (!r) return;
  const topics = (await db.selectFrom("resource_topic").select("topic").where("resource_id", "=", resourceId).execute()).map((t) => t.topic);
  const outcomes = (await db.selectFrom("resource_outcome").select("domain").where("resource_id", "=", resourceId).execute()).map((t) => t.domain);
  await db
    .insertInto("resource_fts")
    .values({
      rowid: r.id,
      title: r.title,
      summary: r.summary,
      publisher: [r.org_name, r.publisher_name].filter(Boolean).join(" · "),
      topics: keywordText(r.kind, r.year, topics, outcomes),
    })
    .execute();
}

export async function removeResourceIndex(db: Db, resourceId: number): Promise<void> {
  await db.deleteFrom("resource_fts").where("rowid", "=", resourceId).execute();
}

/** Re-indexes every resource published by an organisation (after it is renamed). */
export async function syncPublisherIndex(db: Db, organisationId: number): Promise<void> {
  const rows = await db.selectFrom("resource").select("id").where("publisher_organisation_id", "=", organisationId).execute();
  for (const row of rows) await syncResourceIndex(db, row.id);
}

/** Raw row for bulk loading (benchmarks, rebuilds): the same text syncResourceIndex writes. */
export function ftsRow(r: { id: number; title: string; summary: string; kind: string; year: number | null; publisher: string; topics: string[]; outcomes: string[] }) {
  return { rowid: r.id, title: r.title, summary: r.summary, publisher: r.publisher, topics: keywordText(r.kind, r.year, r.topics, r.outcomes) };
}

/** Merges FTS5's b-tree segments (after bulk loads). */
export async function optimiseIndex(db: Db = getDb()): Promise<void> {
  await sql`INSERT INTO resource_fts(resource_fts) VALUES ('optimize')`.execute(db);
}

// ---------------------------------------------------------------------------
// Searching

export { FACETS, type FacetName } from "../validation/resources";
export type SearchFilters = { kind: string[]; topic: string[]; publisher: string[]; year: string[]; outcome: string[]; network: string[] };
export type FacetValue = { value: string; label: string; count: number; selected: boolean };
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
  q: string;
  /** True when the text held no searchable words (only punctuation or operators). */
  emptyQuery: boolean;
  total: number;
  results: SearchResult[];
  facets: Record<FacetName, FacetValue[]>;
};

const PUBLISHER = sql<string>`coalesce(r.publisher_name, o.name)`;

function inList(values: readonly (string | number)[]) {
  return sql.join(values.map((v) => sql`${v}`));
}

/** The WHERE conditions for a search, leaving out one facet's own filter (for that facet's counts). */
function conditions(input: SearchInput, fts: string | null, networkIds: number[] | null, except?: FacetName, matchJoined = false): Expression<SqlBool>[] {
  const c: Expression<SqlBool>[] = [sql<SqlBool>`r.status = 'published'`];
  c.push(
    input.readableNetworkIds.length
      ? sql<SqlBool>`(r.visibility = 'public' OR r.network_id IN (${inList(input.readableNetworkIds)}))`
      : sql<SqlBool>`r.visibility = 'public'`,
  );
  if (fts && !matchJoined) c.push(sql<SqlBool>`r.id IN (SELECT rowid FROM resource_fts WHERE resource_fts MATCH ${fts})`);
  const f = input.filters;
  if (except !== "kind" && f.kind.length) c.push(sql<SqlBool>`r.kind IN (${inList(f.kind)})`);
  if (except !== "year" && f.year.length) c.push(sql<SqlBool>`r.year IN (${inList(f.year.map(Number).filter(Number.isInteger))})`);
  if (except !== "topic" && f.topic.length) c.push(sql<SqlBool>`r.id IN (SELECT resource_id FROM resource_topic WHERE topic IN (${inList(f.topic)}))`);
  if (except !== "outcome" && f.outcome.length) c.push(sql<SqlBool>`r.id IN (SELECT resource_id FROM resource_outcome WHERE domain IN (${inList(f.outcome)}))`);
  if (except !== "publisher" && f.publisher.length) c.push(sql<SqlBool>`${PUBLISHER} IN (${inList(f.publisher)})`);
  if (except !== "network" && networkIds) c.push(networkIds.length ? sql<SqlBool>`r.network_id IN (${inList(networkIds)})` : sql<SqlBool>`0`);
  return c;
}

function base(db: Db, conds: Expression<SqlBool>[]) {
  let qb = db.selectFrom("resource as r").leftJoin("organisation as o", "o.id", "r.publisher_organisation_id");
  for (const cond of conds) qb = qb.where(cond);
  return qb;
}

export async function searchResources(input: SearchInput, db: Db = getDb()): Promise<SearchOutput> {
  const q = input.q;
  const fts = q.trim() ? toFtsQuery(q) : null;
  const emptyQuery = q.trim() !== "" && fts === null;
  const networks = await db.selectFrom("network").select(["id", "slug", "short_name", "name"]).execute();
  const networkIds = input.filters.network.length ? networks.filter((n) => input.filters.network.includes(n.slug)).map((n) => n.id) : null;
  const sort: SearchSort = fts ? input.sort : "newest";
  const offset = (input.page - 1) * input.perPage;

  const where = conditions(input, fts, networkIds);
  const totalRow = await base(db, where).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst();
  const total = Number(totalRow?.n ?? 0);

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
    title_hl: string | null;
    snippet: string | null;
  };
  let rows: Row[];
  const columns = [
    "r.id",
    "r.title",
    "r.summary",
    "r.kind",
    "r.year",
    "r.visibility",
    "r.published_at",
    "r.url",
    "n.name as network_name",
  ] as const;
  if (fts) {
    // Join the index directly for the ranking and snippets: bm25 weights favour the title,
    // then the publisher, then keywords, then the summary.
    let qb = db
      .selectFrom("resource_fts")
      .innerJoin("resource as r", "r.id", "resource_fts.rowid")
      .leftJoin("organisation as o", "o.id", "r.publisher_organisation_id")
      .innerJoin("network as n", "n.id", "r.network_id")
      .select(columns)
      .select([
        PUBLISHER.as("publisher"),
        sql<string>`highlight(resource_fts, 0, ${HIT_START}, ${HIT_END})`.as("title_hl"),
        sql<string>`snippet(resource_fts, 1, ${HIT_START}, ${HIT_END}, '…', 32)`.as("snippet"),
      ])
      .where(sql<SqlBool>`resource_fts MATCH ${fts}`);
    for (const cond of conditions(input, fts, networkIds, undefined, true)) qb = qb.where(cond);
    qb =
      sort === "relevance"
        ? qb.orderBy(sql`bm25(resource_fts, 10.0, 1.0, 4.0, 2.0)`).orderBy("r.published_at", "desc")
        : qb.orderBy("r.published_at", "desc").orderBy("r.id", "desc");
    rows = await qb.limit(input.perPage).offset(offset).execute();
  } else {
    rows = await base(db, where)
      .innerJoin("network as n", "n.id", "r.network_id")
      .select(columns)
      .select([PUBLISHER.as("publisher"), sql<string | null>`NULL`.as("title_hl"), sql<string | null>`NULL`.as("snippet")])
      .orderBy("r.published_at", "desc")
      .orderBy("r.id", "desc")
      .limit(input.perPage)
      .offset(offset)
      .execute();
  }

  const results: SearchResult[] = rows.map((r) => ({
    id: r.id,
    title: r.title,
    titleParts: r.title_hl ? splitHighlight(r.title_hl) : [{ text: r.title, hit: false }],
    snippetParts: r.snippet ? splitHighlight(r.snippet) : [{ text: shorten(r.summary, 240), hit: false }],
    kind: r.kind,
    year: r.year,
    publisher: r.publisher,
    networkName: r.network_name,
    visibility: r.visibility,
    publishedAt: r.published_at,
    url: r.url,
  }));

  const facets = await countFacets(db, input, fts, networkIds, networks);
  return { q, emptyQuery, total, results, facets };
}

/** Only the facet counts of a search (the benchmark times them on their own). */
export async function searchResourceFacets(input: SearchInput, db: Db = getDb()): Promise<Record<FacetName, FacetValue[]>> {
  const fts = input.q.trim() ? toFtsQuery(input.q) : null;
  const networks = await db.selectFrom("network").select(["id", "slug", "short_name", "name"]).execute();
  const networkIds = input.filters.network.length ? networks.filter((n) => input.filters.network.includes(n.slug)).map((n) => n.id) : null;
  return countFacets(db, input, fts, networkIds, networks);
}

function shorten(s: string, n: number): string {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length <= n ? one : `${one.slice(0, n - 1).replace(/\s+\S*$/, "")}…`;
}

/** One GROUP BY query per facet over the matched set (every filter except the facet's own). */
async function countFacets(
  db: Db,
  input: SearchInput,
  fts: string | null,
  networkIds: number[] | null,
  networks: Array<{ id: number; slug: string; short_name: string; name: string }>,
): Promise<Record<FacetName, FacetValue[]>> {
  const f = input.filters;
  const mark = (facet: FacetName, rows: Array<{ value: string; label: string; count: number }>): FacetValue[] => {
    const selected = new Set(f[facet]);
    const out = rows.map((r) => ({ ...r, count: Number(r.count), selected: selected.has(r.value) }));
    // A selected value with no matches stays listed so it can be unticked.
    for (const v of selected) if (!out.some((o) => o.value === v)) out.push({ value: v, label: v, count: 0, selected: true });
    return out;
  };

  const kindRows = await base(db, conditions(input, fts, networkIds, "kind"))
    .select(["r.kind as value", (eb) => eb.fn.countAll<number>().as("count")])
    .groupBy("r.kind")
    .execute();
  const kind = mark(
    "kind",
    RESOURCE_KINDS.flatMap((k) => {
      const row = kindRows.find((r) => r.value === k.value);
      return row ? [{ value: k.value, label: k.label, count: row.count }] : [];
    }),
  );

  const topicRows = await base(db, conditions(input, fts, networkIds, "topic"))
    .innerJoin("resource_topic as t", "t.resource_id", "r.id")
    .select(["t.topic as value", (eb) => eb.fn.countAll<number>().as("count")])
    .groupBy("t.topic")
    .execute();
  const topic = mark(
    "topic",
    TOPICS.flatMap((t) => {
      const row = topicRows.find((r) => r.value === t.value);
      return row ? [{ value: t.value, label: t.label, count: row.count }] : [];
    }).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)),
  );

  const outcomeRows = await base(db, conditions(input, fts, networkIds, "outcome"))
    .innerJoin("resource_outcome as oc", "oc.resource_id", "r.id")
    .select(["oc.domain as value", (eb) => eb.fn.countAll<number>().as("count")])
    .groupBy("oc.domain")
    .execute();
  const outcome = mark(
    "outcome",
    OUTCOME_DOMAINS.flatMap((d) => {
      const row = outcomeRows.find((r) => r.value === d.value);
      return row ? [{ value: d.value, label: d.label, count: row.count }] : [];
    }),
  );

  const publisherRows = await base(db, conditions(input, fts, networkIds, "publisher"))
    .select([PUBLISHER.as("value"), (eb) => eb.fn.countAll<number>().as("count")])
    .where(PUBLISHER, "is not", null)
    .groupBy(PUBLISHER)
    .orderBy(sql`count(*)`, "desc")
    .orderBy(PUBLISHER)
    .limit(20)
    .execute();
  const publisher = mark(
    "publisher",
    publisherRows.map((r) => ({ value: r.value, label: r.value, count: r.count })),
  );

  const yearRows = await base(db, conditions(input, fts, networkIds, "year"))
    .select(["r.year as value", (eb) => eb.fn.countAll<number>().as("count")])
    .where("r.year", "is not", null)
    .groupBy("r.year")
    .orderBy("r.year", "desc")
    .limit(20)
    .execute();
  const year = mark(
    "year",
    yearRows.map((r) => ({ value: String(r.value), label: String(r.value), count: r.count })),
  );

  const networkRows = await base(db, conditions(input, fts, networkIds, "network"))
    .select(["r.network_id as value", (eb) => eb.fn.countAll<number>().as("count")])
    .groupBy("r.network_id")
    .execute();
  const network = mark(
    "network",
    networks.flatMap((n) => {
      const row = networkRows.find((r) => r.value === n.id);
      return row ? [{ value: n.slug, label: n.short_name || n.name, count: row.count }] : [];
    }),
  );

  return { kind, topic, publisher, year, outcome, network };
}
