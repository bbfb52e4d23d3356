/**
 * Ranking within bounds, for words that match more documents of a kind than are counted (a
 * common word matches tens of thousands; bm25 over all of them cost ~100–250 ms). A page is cut
 * from three parts, in order:
 *   1. the newest `window` documents with the words in their title, newest first;
 *   2. the newest `window` documents matching anywhere, by relevance (bm25 over those only);
 *   3. every older match, newest first.
 * `first` (upcoming events) orders each part before anything else; `onePerThread` keeps a thread
 * once (discussions). The parts depend only on the index and the filters, never on the page
 * asked for, so paging shows every match once. The same on both dialects (./fts.server.ts).
 */
import { type RawBuilder, type SqlBool, sql } from "kysely";
import { getDb } from "../../../db/index";
import { docId, documentId, matchesBefore, matchesFrom, nthNewestMatch, rank, titleOnly, type SearchKind } from "./fts.server";

export type BoundedInput = {
  kind: SearchKind;
  match: string;
  window: number;
  offset: number;
  perPage: number;
  /** Documents as `d` with whatever the conditions read joined on: `FROM …` */
  from: RawBuilder<unknown>;
  where: RawBuilder<boolean> | RawBuilder<SqlBool>;
  first?: RawBuilder<number>;
  onePerThread?: boolean;
};

/** The document ids of one page, in order. */
export async function boundedPage(input: BoundedInput): Promise<number[]> {
  const { kind, match, window, offset, perPage, from, where, first, onePerThread } = input;
  const db = getDb();
  const lo = documentId(kind, 0);
  const firstKey = first ?? sql<number>`0`;
  const firstOrder = first ? sql`${first} DESC,` : sql``;
  const startOf = async (m: string) => (await nthNewestMatch(m, kind, window).execute(db)).rows[0]?.id ?? lo;
  type Candidate = { id: number; parent_id: number | null; first: number };
  // Title matches newest first: bm25 first counts every document holding each word (~4 ms a statement).
  const part = async (m: string, fromId: number, byRank: boolean) =>
    (
      await sql<Candidate>`
        SELECT d.id, d.parent_id, ${firstKey} AS first FROM ${from}
        WHERE ${matchesFrom(m, kind, fromId)} AND ${where} ORDER BY ${firstOrder} ${byRank ? sql`${rank(m)},` : sql``} d.id DESC`.execute(db)
    ).rows;
  const titled = await part(titleOnly(match), await startOf(titleOnly(match)), false);
  const newestFrom = await startOf(match);
  const inTitles = new Set(titled.map((c) => c.id));
  let list = [...titled, ...(await part(match, newestFrom, true)).filter((c) => !inTitles.has(c.id))];
  if (first) list = list.sort((a, b) => b.first - a.first);
  const threads = new Set<number | null>();
  if (onePerThread) list = list.filter((c) => !threads.has(c.parent_id) && Boolean(threads.add(c.parent_id)));
  const ids = list.slice(offset, offset + perPage).map((c) => c.id);
  if (ids.length < perPage && newestFrom > lo) {
    // Past the ranked parts: the older matches, newest first.
    const older = sql`${from} WHERE ${matchesBefore(match, kind, newestFrom)} AND ${where}`;
    const skip = Math.max(0, offset - list.length);
    const take = perPage - ids.length;
    const shown = onePerThread ? [...threads].filter((t): t is number => t !== null) : list.map((c) => c.id);
    const notShown = shown.length ? (onePerThread ? sql`AND d.parent_id NOT IN (${sql.join(shown)})` : sql`AND d.id NOT IN (${sql.join(shown.map(docId))})`) : sql``;
    const rest = onePerThread
      ? sql<{ id: number }>`SELECT max(d.id) AS id FROM ${older} ${notShown} GROUP BY d.parent_id ORDER BY max(d.id) DESC LIMIT ${take} OFFSET ${skip}`
      : sql<{ id: number }>`SELECT d.id FROM ${older} ${notShown} ORDER BY ${firstOrder} d.id DESC LIMIT ${take} OFFSET ${skip}`;
    ids.push(...(await rest.execute(db)).rows.map((r) => r.id));
  }
  return ids;
}
