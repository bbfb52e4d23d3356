/**
 * The PostgreSQL side of the portal's one search index: search_document.fts, a stored tsvector
 * (english configuration; title weighted 'A', keywords 'B', body 'C') with a GIN index, kept by
 * PostgreSQL with every row the triggers write (migration 2026-11-27-0040). Only ./fts.server.ts
 * calls this; everything above it sees the same exports on both dialects.
 *
 * The tsquery is built from the parsed query parts (app/utils/fts.server.ts: runs of letters and
 * digits only), each word a quoted lexeme, so what someone types can never be tsquery syntax. The
 * english configuration stems it as it stemmed the documents ("walking" meets "walk" and "walks").
 */
import { type RawBuilder, sql } from "kysely";
import { type QueryPart, queryParts, type SynonymMap } from "../../utils/fts.server";
import { HIT_END, HIT_START } from "./highlight";

/**
 * ts_rank_cd's weights for D, C, B, A: body (C) 1, keywords (B) 4, title (A) 10, as bm25 weighs
 * them on SQLite (D is unused).
 */
const WEIGHTS = "{0.1, 0.1, 0.4, 1.0}";

/** ts_headline's options: FTS5 snippet()'s 28 tokens around the best passage, with the same marks. */
const SNIPPET_OPTIONS = `StartSel="${HIT_START}", StopSel="${HIT_END}", MaxWords=28, MinWords=24, MaxFragments=1`;
const TITLE_OPTIONS = `StartSel="${HIT_START}", StopSel="${HIT_END}", HighlightAll=true`;

/** A word as a quoted tsquery lexeme (words hold only letters and digits; quoting is belt and braces). */
const lexeme = (word: string) => `'${word.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;

/**
 * Words in order; `prefix` marks the last. PostgreSQL's parser reads a number after a hyphen as
 * signed ("COVID-19" is 'covid' then '-19'), so a number may be either.
 */
function phrase(words: readonly string[], prefix = false): string {
  return words
    .map((word, i) => {
      const star = prefix && i === words.length - 1 ? ":*" : "";
      return /^\d+$/.test(word) ? `(${lexeme(word)}${star} | ${lexeme(`-${word}`)}${star})` : `${lexeme(word)}${star}`;
    })
    .join(" <-> ");
}

type Match = { all: string; prefix: string };

/**
 * The query (opaque to callers): every part but a final one-word prefix, as tsquery text for
 * to_tsquery('english', …), and that prefix word apart. The english configuration drops stop words
 * even as prefixes ("you" while typing "youth"); the prefix alone then falls back to the simple
 * configuration, which keeps the word as typed.
 */
export function matchQuery(q: string, synonyms: SynonymMap): string | null {
  const parts = queryParts(q, synonyms);
  if (!parts) return null;
  const last = parts[parts.length - 1];
  const prefixWord = "phrase" in last && last.prefix && last.phrase.length === 1 ? last.phrase[0] : null;
  const render = (part: QueryPart) => ("anyOf" in part ? `(${part.anyOf.map((p) => phrase(p)).join(" | ")})` : phrase(part.phrase, part.prefix));
  const match: Match = { all: (prefixWord ? parts.slice(0, -1) : parts).map(render).join(" & "), prefix: prefixWord ? phrase([prefixWord], true) : "" };
  return JSON.stringify(match);
}

/** The same query held to titles: every lexeme restricted to weight A (`'walk':*A`). */
export function titleOnly(match: string): string {
  const { all, prefix } = JSON.parse(match) as Match;
  const toTitles = (text: string) => text.replace(/('(?:[^']|'')*')(:\*)?/g, (_, lex: string, star?: string) => `${lex}:${star ? "*" : ""}A`);
  return JSON.stringify({ all: toTitles(all), prefix: toTitles(prefix) } satisfies Match);
}

/** The tsquery of a match (empty parts are dropped by &&). */
function tsquery(match: string): RawBuilder<unknown> {
  const { all, prefix } = JSON.parse(match) as Match;
  return sql`(to_tsquery('english', ${all}) && CASE WHEN numnode(to_tsquery('english', ${prefix})) = 0 THEN to_tsquery('simple', ${prefix}) ELSE to_tsquery('english', ${prefix}) END)`;
}

/** The documents with their index, as the match conditions and rank expect them: search_document as `d` (the tsvector is its column). */
export const DOCUMENTS = sql`search_document d`;
export const DOCUMENT_ID = sql<number>`d.id`;

export function matches(match: string, range?: [number, number]): RawBuilder<boolean> {
  if (!range) return sql<boolean>`d.fts @@ ${tsquery(match)}`;
  return sql<boolean>`d.fts @@ ${tsquery(match)} AND d.id BETWEEN ${range[0]} AND ${range[1]}`;
}

/**
 * Relevance, lower is better (as bm25's): the cover density rank, negated. Normalisation 1 divides
 * by 1 + the log of the document's length, so, as with bm25, a match counts for a little less in a
 * long document, never enough to lift a body match over a title match.
 */
export function rank(match: string): RawBuilder<number> {
  return sql<number>`-ts_rank_cd(${WEIGHTS}, d.fts, ${tsquery(match)}, 1)`;
}

/**
 * A passage of the body around the matches, with '…' where it cuts the text (as FTS5's snippet()
 * marks them): ts_headline returns the words of the text as written, so the passage without its
 * marks is found in the body to tell.
 */
export function bodySnippet(match: string): RawBuilder<string> {
  return sql<string>`(SELECT CASE WHEN h.at = 0 THEN h.text
      ELSE (CASE WHEN h.at > 1 THEN '…' ELSE '' END) || h.text || (CASE WHEN h.at + length(h.plain) <= length(h.body) THEN '…' ELSE '' END) END
    FROM (SELECT y.text, y.plain, y.body, strpos(y.body, y.plain) AS at FROM (
      SELECT x.text, translate(x.text, ${HIT_START + HIT_END}, '') AS plain, btrim(d.body) AS body
      FROM (SELECT ts_headline('english', d.body, ${tsquery(match)}, ${SNIPPET_OPTIONS}) AS text) AS x) AS y) AS h)`;
}

export function highlightsFor(match: string, ids: number[]) {
  return sql<{ id: number; title_hl: string | null; snippet: string | null }>`
    SELECT d.id, ts_headline('english', d.title, ${tsquery(match)}, ${TITLE_OPTIONS}) AS title_hl, ${bodySnippet(match)} AS snippet
    FROM search_document d WHERE d.id IN (${sql.join(ids)})`;
}
