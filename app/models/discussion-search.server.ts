import { sql } from "kysely";
import { getDb } from "../../db/index";
import { bodySnippet, documents, matches, matchQuery, rank } from "./search/fts.server";

/**
 * Discussion search over the portal's one search index (posts are documents of kind "post", kept by
 * triggers on posts, threads and discussion settings; hidden and deleted posts and hidden threads
 * have no document, so they never match).
 */

export type DiscussionSearchHit = { threadId: number; postId: number; seq: number; title: string; snippet: string; networkId: number };

/**
 * Threads matching what someone typed, best match first, in the categories given (the caller
 * passes discussionReadableCategoryIds(user), so members-only categories reach members alone).
 */
export async function searchDiscussions({ q, categoryIds, limit = 20 }: { q: string; categoryIds: number[]; limit?: number }): Promise<DiscussionSearchHit[]> {
  const match = matchQuery(q);
  if (!match || categoryIds.length === 0) return [];
  const rows = await sql<{ post_id: number; thread_id: number; seq: number; title: string; network_id: number; snippet: string; rank: number }>`
    SELECT p.id AS post_id, p.thread_id, p.seq, t.title, t.network_id, ${bodySnippet(match)} AS snippet, ${rank(match)} AS rank
    FROM ${documents()}
    JOIN discussion_post p ON p.id = d.ref_id
    JOIN discussion_thread t ON t.id = p.thread_id
    WHERE ${matches(match, "post")} AND d.category_id IN (${sql.join(categoryIds)})
    ORDER BY rank
    LIMIT 200`.execute(getDb());
  const seen = new Set<number>();
  const hits: DiscussionSearchHit[] = [];
  for (const r of rows.rows) {
    if (seen.has(r.thread_id)) continue;
    seen.add(r.thread_id);
    // This page shows the passage as plain text: the match marks are dropped.
    hits.push({ threadId: r.thread_id, postId: r.post_id, seq: r.seq, title: r.title, snippet: r.snippet.replace(/[\u0002\u0003]/g, ""), networkId: r.network_id });
    if (hits.length >= limit) break;
  }
  return hits;
}
