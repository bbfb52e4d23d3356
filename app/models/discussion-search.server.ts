import { sql } from "kysely";
import { getDb, type DB } from "../../db/index";
import { toFtsQuery } from "../utils/fts.server";
import { markdownToPlainText } from "../utils/markdown.server";

/**
 * Discussion search: the one module that touches the SQLite FTS5 table discussion_fts
 * (rowid = discussion_post.id). Writers call indexPost/unindexPost inside the same
 * transaction as the post change, so the index never drifts from the posts.
 */

export async function indexPost(trx: DB, { postId, title, body }: { postId: number; title: string; body: string }): Promise<void> {
  await sql`DELETE FROM discussion_fts WHERE rowid = ${postId}`.execute(trx);
  await sql`INSERT INTO discussion_fts (rowid, title, body) VALUES (${postId}, ${title}, ${markdownToPlainText(body)})`.execute(trx);
}

export async function unindexPost(trx: DB, postId: number): Promise<void> {
  await sql`DELETE FROM discussion_fts WHERE rowid = ${postId}`.execute(trx);
}

export type DiscussionSearchHit = { threadId: number; postId: number; seq: number; title: string; snippet: string; networkId: number };

/**
 * Threads matching what someone typed, best match first, in the categories given (the caller
 * passes discussionReadableCategoryIds(user), so members-only categories reach members alone).
 * Hidden and deleted posts, and hidden threads, never match.
 */
export async function searchDiscussions({ q, categoryIds, limit = 20 }: { q: string; categoryIds: number[]; limit?: number }): Promise<DiscussionSearchHit[]> {
  const match = toFtsQuery(q);
  if (!match || categoryIds.length === 0) return [];
  const rows = await sql<{ post_id: number; thread_id: number; seq: number; title: string; network_id: number; snippet: string; rank: number }>`
    SELECT p.id AS post_id, p.thread_id, p.seq, t.title, t.network_id,
           snippet(discussion_fts, 1, '', '', '…', 24) AS snippet, discussion_fts.rank AS rank
    FROM discussion_fts
    JOIN discussion_post p ON p.id = discussion_fts.rowid
    JOIN discussion_thread t ON t.id = p.thread_id
    WHERE discussion_fts MATCH ${match}
      AND p.hidden = 0 AND p.deleted_at IS NULL AND t.hidden = 0
      AND t.category_id IN (${sql.join(categoryIds)})
    ORDER BY discussion_fts.rank
    LIMIT 200`.execute(getDb());
  const seen = new Set<number>();
  const hits: DiscussionSearchHit[] = [];
  for (const r of rows.rows) {
    if (seen.has(r.thread_id)) continue;
    seen.add(r.thread_id);
    hits.push({ threadId: r.thread_id, postId: r.post_id, seq: r.seq, title: r.title, snippet: r.snippet, networkId: r.network_id });
    if (hits.length >= limit) break;
  }
  return hits;
}
