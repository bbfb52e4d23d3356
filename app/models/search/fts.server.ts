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
import { dialect } from "../../../db/index";
import { type SynonymMap, synonymMap, toFtsQuery } from "../../utils/fts.server";
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
  return onPostgres() ? pg.matchQuery(q, SYNONYMS) : toFtsQuery(q, SYNONYMS);
}

// Document ids encode the kind (migration 0040): kind code × 2^32 + the source row's id.
const KIND_CODES: Record<SearchKind, number> = { resource: 1, service: 2, organisation: 3, event: 4, post: 5 };
const SHIFT = 4294967296;

export function documentId(kind: SearchKind, refId: number): number {
  return KIND_CODES[kind] * SHIFT + refId;
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
  return sql<boolean>`search_fts MATCH ${match} AND search_fts.rowid BETWEEN ${lo} AND ${lo + SHIFT - 1}`;
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
  return sql<{ id: number; title_hl: string | null; snippet: string | null }>`
    SELECT rowid AS id, ${TITLE_HIGHLIGHT} AS title_hl, ${BODY_SNIPPET} AS snippet
    FROM search_fts WHERE search_fts MATCH ${match} AND +rowid IN (${sql.join(ids)})`;
}

/** Merges FTS5's b-tree segments (after bulk loads; SQLite only). */
export const OPTIMISE = sql`INSERT INTO search_fts(search_fts) VALUES ('optimize')`;
