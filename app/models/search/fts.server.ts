/**
 * The SQLite FTS5 side of the portal's one search index (search_document + search_fts, kept by
 * triggers: migration 2026-11-27-0040). The only module that writes MATCH, bm25(), snippet() and
 * highlight(). A PostgreSQL port implements these same exports with a tsvector column on
 * search_document (setweight title 'A', keywords 'B', body 'C'), websearch-style tsquery built
 * from the same parsed terms, ts_rank_cd and ts_headline; everything above this module only
 * sees SQL fragments and the document table.
 *
 * User text reaches MATCH only through matchQuery, which quotes every word, so search-box syntax
 * can never error or filter columns.
 */
import { type RawBuilder, sql } from "kysely";
import { type SynonymMap, synonymMap, toFtsQuery } from "../../utils/fts.server";
import { SYNONYM_GROUPS } from "./synonyms";
import type { SearchKind } from "../../../db/types/search";

export type { SearchKind };

const SYNONYMS: SynonymMap = synonymMap(SYNONYM_GROUPS);

/** The MATCH expression for what someone typed (stemmed words, prefix on the last, synonyms), or null when nothing is searchable. */
export function matchQuery(q: string): string | null {
  return q.trim() ? toFtsQuery(q, SYNONYMS) : null;
}

// Document ids encode the kind (migration 0040): kind code × 2^32 + the source row's id.
const KIND_CODES: Record<SearchKind, number> = { resource: 1, service: 2, organisation: 3, event: 4, post: 5 };
const SHIFT = 4294967296;

export function documentId(kind: SearchKind, refId: number): number {
  return KIND_CODES[kind] * SHIFT + refId;
}

// snippet()/highlight() wrap hits in these; stored text never contains control characters
// (cleanSingleLine/cleanMultiline remove them), so they cannot be forged.
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

/**
 * `search_fts MATCH ? AND rowid in kind's range`: the documents of one kind (or all) matching.
 * Use with `FROM search_fts JOIN search_document d ON d.id = search_fts.rowid`.
 */
export function matches(match: string, kind?: SearchKind): RawBuilder<boolean> {
  if (!kind) return sql<boolean>`search_fts MATCH ${match}`;
  const lo = KIND_CODES[kind] * SHIFT;
  return sql<boolean>`search_fts MATCH ${match} AND search_fts.rowid BETWEEN ${lo} AND ${lo + SHIFT - 1}`;
}

/** Relevance, lower is better: the title counts ten times the body, keywords (publisher, topics, place) four. */
export const RANK = sql<number>`bm25(search_fts, 10.0, 1.0, 4.0)`;

/** Title with matched words marked, and a short passage of the body around the matches. */
export const TITLE_HIGHLIGHT = sql<string>`highlight(search_fts, 0, ${HIT_START}, ${HIT_END})`;
export const BODY_SNIPPET = sql<string>`snippet(search_fts, 1, ${HIT_START}, ${HIT_END}, '…', 28)`;

/**
 * Highlights for a handful of documents already chosen (one page). "+rowid" keeps the id list a
 * plain filter: handed to FTS5 as a constraint it would re-run the MATCH (and its prefix merge) per id.
 */
export function highlightsFor(match: string, ids: number[]) {
  return sql<{ id: number; title_hl: string | null; snippet: string | null }>`
    SELECT rowid AS id, ${TITLE_HIGHLIGHT} AS title_hl, ${BODY_SNIPPET} AS snippet
    FROM search_fts WHERE search_fts MATCH ${match} AND +rowid IN (${sql.join(ids)})`;
}

/** Merges FTS5's b-tree segments (after bulk loads). */
export const OPTIMISE = sql`INSERT INTO search_fts(search_fts) VALUES ('optimize')`;
