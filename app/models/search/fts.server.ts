/**
 * The portal's one search index (search_document, kept by triggers: migration 2026-11-27-0040),
 * behind one interface on both dialects: the only module that writes match, rank and highlight
 * SQL. Everything above it only sees these exports, SQL fragments and the document table.
 * - SQLite (here): FTS5's search_fts over search_document; MATCH, bm25(), snippet(), highlight().
 * - PostgreSQL (./fts.pg.server.ts): search_document.fts, a weighted tsvector with a GIN index;
 *   @@, ts_rank_cd, ts_headline.
 *
 * User text reaches the index only through matchQuery, which keeps words alone (quoted for FTS5,
 * quoted lexemes for a tsquery), so search-box syntax can never error or filter columns.
 */
import { type RawBuilder, sql } from "kysely";
import { dialect, getSqlite } from "../../../db/index";
import { type SynonymMap, synonymMap, toFtsQuery } from "../../utils/fts.server";
import { VersionedCache } from "../../utils/versioned-cache";
import * as pg from "./fts.pg.server";
import { HIT_END, HIT_START } from "./highlight";
import { SYNONYM_GROUPS } from "./synonyms";
import type { SearchKind } from "../../../db/types/search";

export { splitHighlight, type HighlightPart } from "./highlight";
export type { SearchKind };

const SYNONYMS: SynonymMap = synonymMap(SYNONYM_GROUPS);
const onPostgres = () => dialect() === "postgres";

/**
 * The query for what someone typed (stemmed words, prefix on the last, synonyms), or null when
 * nothing is searchable: an FTS5 MATCH expression, or on PostgreSQL the parts of a tsquery.
 */
export function matchQuery(q: string): string | null {
  if (!q.trim()) return null;
  if (onPostgres()) return pg.matchQuery(q, SYNONYMS);
  const match = toFtsQuery(q, SYNONYMS);
  return match && namePrefixTerms(match);
}

// Past what the prefix indexes cover (2 and 3 characters), FTS5 answers a prefix ("prescrib*")
// by merging the lists of every term it covers before reading a row: 2–25 ms per statement for a
// common word, and a search runs a dozen statements. When the terms it covers are few, naming
// them ("prescrib" OR "prescript") matches exactly the same documents and reads like any word.
const MAX_PREFIX_TERMS = 20;

/**
 * What namePrefixTerms made of a match, under the search index's version (search_version, raised
 * by triggers on every document change): the terms a prefix covers change only with the index.
 * Working it out prepares and runs half a dozen statements (a third of a /search request).
 */
type PrefixTerms = { version: { get(): unknown }; seen: VersionedCache<string> };
const prefixTermsByDb = new WeakMap<object, PrefixTerms>();

/**
 * The match with a trailing single-word prefix replaced by the index's terms it covers, when
 * they are few and each is its own stem (so the tokenizer leaves it as it is); otherwise as it
 * was. Synchronous on the one connection, so nothing runs between the steps.
 */
function namePrefixTerms(match: string): string {
  const last = /"([^"\s]+)"\*$/.exec(match);
  if (!last || last[1].length <= 3) return match;
  const db = getSqlite();
  let memo = prefixTermsByDb.get(db);
  if (!memo) prefixTermsByDb.set(db, (memo = { version: db.prepare("SELECT version FROM search_version WHERE id = 1"), seen: new VersionedCache(500) }));
  const version = (memo.version.get() as { version: number } | undefined)?.version ?? 0;
  return memo.seen.get(match, version) ?? memo.seen.set(match, version, nameTerms(db, match, last));
}

function nameTerms(db: ReturnType<typeof getSqlite>, match: string, last: RegExpExecArray): string {
  db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms USING fts5vocab(main, search_fts, row);
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_stemmer USING fts5(x, tokenize = 'porter unicode61 remove_diacritics 2');
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_stemmer_terms USING fts5vocab(temp, search_stemmer, instance);`);
  const stems = (words: string[]): string[] => {
    const insert = db.prepare("INSERT INTO temp.search_stemmer (rowid, x) VALUES (?, ?)");
    words.forEach((w, i) => insert.run(i + 1, w));
    const rows = db.prepare("SELECT doc, term FROM temp.search_stemmer_terms").all() as Array<{ doc: number; term: string }>;
    db.prepare("DELETE FROM temp.search_stemmer").run();
    const out = words.map(() => "");
    for (const r of rows) out[r.doc - 1] = out[r.doc - 1] ? "\u0000" : r.term; // more than one token: not a single stem
    return out;
  };
  const [stem] = stems([last[1]]);
  if (!stem || stem.length <= 3 || stem.includes("\u0000")) return match;
  const terms = (db.prepare("SELECT term FROM temp.search_terms WHERE term >= ? AND term < ? LIMIT ?").all(stem, `${stem}\u{10FFFF}`, MAX_PREFIX_TERMS + 1) as Array<{ term: string }>).map((r) => r.term);
  if (terms.length === 0 || terms.length > MAX_PREFIX_TERMS) return match;
  if (stems(terms).some((t, i) => t !== terms[i])) return match;
  const named = terms.length === 1 ? `"${terms[0]}"` : `(${terms.map((t) => `"${t}"`).join(" OR ")})`;
  const before = match.slice(0, last.index).trimEnd();
  // FTS5 has no implicit AND next to a parenthesised group.
  return before ? `${before} AND ${named}` : named;
}

// Document ids encode the kind (migration 0040): kind code × 2^32 + the source row's id.
const KIND_CODES: Record<SearchKind, number> = { resource: 1, service: 2, organisation: 3, event: 4, post: 5 };
const SHIFT = 4294967296;

export function documentId(kind: SearchKind, refId: number): number {
  return KIND_CODES[kind] * SHIFT + refId;
}

/**
 * A document id written into the SQL as an integer. better-sqlite3 binds a JavaScript number
 * past 2^31 as a REAL, and FTS5 then ignores a rowid range and walks every match of the words
 * (~5 ms for a common word, on every statement).
 */
export function docId(id: number): RawBuilder<number> {
  if (!Number.isSafeInteger(id)) throw new Error(`not a document id: ${id}`);
  return sql.lit(id) as unknown as RawBuilder<number>;
}

/** The documents with their index, for `FROM`: search_document as `d`, which matches() and rank() read. */
export function documents(): RawBuilder<unknown> {
  return onPostgres() ? pg.DOCUMENTS : sql`search_fts JOIN search_document d ON d.id = search_fts.rowid`;
}

/**
 * The index alone, for `FROM` where the documents' own columns are not needed (matches() and
 * rank() work over it too), and its document id (kind code × 2^32 + source id).
 */
export function index(): { source: RawBuilder<unknown>; documentId: RawBuilder<number> } {
  return onPostgres() ? { source: pg.DOCUMENTS, documentId: pg.DOCUMENT_ID } : { source: sql`search_fts`, documentId: sql<number>`search_fts.rowid` };
}

/** The documents of one kind (or all) matching: a condition over documents() or index(). */
export function matches(match: string, kind?: SearchKind): RawBuilder<boolean> {
  const lo = kind ? KIND_CODES[kind] * SHIFT : 0;
  if (onPostgres()) return pg.matches(match, kind ? [lo, lo + SHIFT - 1] : undefined);
  if (!kind) return sql<boolean>`search_fts MATCH ${match}`;
  return sql<boolean>`search_fts MATCH ${match} AND search_fts.rowid BETWEEN ${docId(lo)} AND ${docId(lo + SHIFT - 1)}`;
}

/**
 * Bounded ranking (a common word matches tens of thousands of documents; ranking them all costs
 * ~2.5 µs each): the same query held to titles, and the id from which the newest `n` matches of
 * a kind start (ids only grow, so a higher id is a newer document). Ranking then reads only
 * `matchesFrom` that id: FTS5 seeks the rowid range instead of scoring every match. The same on
 * PostgreSQL (titles: the query's lexemes held to weight A), so both dialects page alike.
 */
export function titleOnly(match: string): string {
  if (onPostgres()) return pg.titleOnly(match);
  return `{title} : (${match})`;
}

export function matchesFrom(match: string, kind: SearchKind, fromId: number): RawBuilder<boolean> {
  const hi = KIND_CODES[kind] * SHIFT + SHIFT - 1;
  if (onPostgres()) return pg.matches(match, [fromId, hi]);
  return sql<boolean>`search_fts MATCH ${match} AND search_fts.rowid BETWEEN ${docId(fromId)} AND ${docId(hi)}`;
}

/**
 * Every match of some kinds with its relevance, from one statement: bm25 first counts every
 * document holding each word (~4 ms for a common word), once per statement, so ranking several
 * small groups together pays that once.
 */
export function ranksOf(match: string, kinds: SearchKind[]) {
  const codes = kinds.map((k) => KIND_CODES[k]);
  const lo = Math.min(...codes) * SHIFT;
  const hi = (Math.max(...codes) + 1) * SHIFT - 1;
  return sql<{ id: number; rank: number }>`
    SELECT search_fts.rowid AS id, bm25(search_fts, 10.0, 1.0, 4.0) AS rank FROM search_fts
    WHERE search_fts MATCH ${match} AND search_fts.rowid BETWEEN ${docId(lo)} AND ${docId(hi)} AND (search_fts.rowid >> 32) IN (${sql.join(codes.map((c) => sql.lit(c)))})`;
}

/** Whether ranksOf saves work here: PostgreSQL's ts_rank_cd has no per-statement cost to share, so each group ranks its own matches. */
export function ranksOnceForGroups(): boolean {
  return !onPostgres();
}

/** The matches older than `beforeId`. */
export function matchesBefore(match: string, kind: SearchKind, beforeId: number): RawBuilder<boolean> {
  if (onPostgres()) return pg.matches(match, [KIND_CODES[kind] * SHIFT, beforeId - 1]);
  return sql<boolean>`search_fts MATCH ${match} AND search_fts.rowid BETWEEN ${docId(KIND_CODES[kind] * SHIFT)} AND ${docId(beforeId - 1)}`;
}

/** The id of the n-th newest document of `kind` matching (n ≥ 1), or null when fewer match. */
export function nthNewestMatch(match: string, kind: SearchKind, n: number) {
  const { source, documentId: id } = index();
  return sql<{ id: number }>`SELECT ${id} AS id FROM ${source} WHERE ${matches(match, kind)} ORDER BY ${id} DESC LIMIT 1 OFFSET ${n - 1}`;
}

/** Relevance, lower is better: the title counts ten times the body, keywords (publisher, topics, place) four. */
export function rank(match: string): RawBuilder<number> {
  return onPostgres() ? pg.rank(match) : sql<number>`bm25(search_fts, 10.0, 1.0, 4.0)`;
}

/** Title with matched words marked (SQLite), and a short passage of the body around the matches. */
const TITLE_HIGHLIGHT = sql<string>`highlight(search_fts, 0, ${HIT_START}, ${HIT_END})`;
const BODY_SNIPPET = sql<string>`snippet(search_fts, 1, ${HIT_START}, ${HIT_END}, '…', 28)`;

export function bodySnippet(match: string): RawBuilder<string> {
  return onPostgres() ? pg.bodySnippet(match) : BODY_SNIPPET;
}

/**
 * Highlights for a handful of documents already chosen (one page). "+rowid" keeps the id list a
 * plain filter: handed to FTS5 as a constraint it would re-run the MATCH (and its prefix merge) per id.
 */
export function highlightsFor(match: string, ids: number[]) {
  if (onPostgres()) return pg.highlightsFor(match, ids);
  // Each run of nearby ids bounds what FTS5 walks (not every match of a common word in between).
  const runs: number[][] = [];
  for (const id of [...ids].sort((a, b) => a - b)) {
    const run = runs.at(-1);
    if (run && id - run[run.length - 1] <= NEARBY_IDS) run.push(id);
    else runs.push([id]);
  }
  return sql<{ id: number; title_hl: string | null; snippet: string | null }>`${sql.join(
    runs.map(
      (run) => sql`
        SELECT rowid AS id, ${TITLE_HIGHLIGHT} AS title_hl, ${BODY_SNIPPET} AS snippet
        FROM search_fts WHERE search_fts MATCH ${match} AND rowid BETWEEN ${docId(run[0])} AND ${docId(run[run.length - 1])} AND +rowid IN (${sql.join(run.map(docId))})`,
    ),
    sql` UNION ALL `,
  )}`;
}

const NEARBY_IDS = 2000;

/** Merges FTS5's b-tree segments (after bulk loads; SQLite only). */
export const OPTIMISE = sql`INSERT INTO search_fts(search_fts) VALUES ('optimize')`;
