/**
 * Discussions at scale: one thread with 5,000 replies and one category with 10,000 threads.
 * Measures the page loaders' server time (markdown rendering included) for the first and the
 * last page, a permalink to the last reply, and search. Prints figures; never fails.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { stats, time } from "./support";

const REPLIES = Number(process.env.BENCH_REPLIES ?? 5_000);
const THREADS = Number(process.env.BENCH_THREADS ?? 10_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rt-bench-discussions-"));
process.env.DATABASE_PATH = path.join(dir, "bench.db");
process.env.UPLOADS_DIR = path.join(dir, "uploads");
process.env.OUTBOX_DIR = path.join(dir, "outbox");
process.env.NODE_ENV = "test";

const { getDb, getSqlite, closeDb } = await import("../../db/index");
const { migrateToLatest } = await import("../../db/migrate");
const { seedFoundation } = await import("../../db/seed/foundation");
const threadRoute = await import("../../app/routes/discussions.$id");
const categoryRoute = await import("../../app/routes/discussions.c.$categoryId");
const postLink = await import("../../app/routes/discussions.$id_.posts.$postId");
const indexRoute = await import("../../app/routes/discussions._index");
const { POSTS_PER_PAGE, THREADS_PER_PAGE } = await import("../../app/models/discussions.server");

let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const WORDS = "social prescribing link worker outcomes framework arts museum dance funding volunteers community evaluation referral wellbeing carers preston conference".split(" ");
const sentence = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(" ");
const body = () => `${sentence(25)}\n\n- **${sentence(3)}**\n- [${sentence(2)}](https://example.org/${Math.floor(rand() * 1000)})\n\n> ${sentence(10)}`;


const db = getDb();
await migrateToLatest(db);
await seedFoundation(db);
const sqlite = getSqlite();
const networkId = (sqlite.prepare("SELECT id FROM network WHERE slug = 'north-west'").get() as { id: number }).id;
const now = new Date("2026-11-25T12:00:00Z").getTime();
const iso = (msAgo: number) => new Date(now - msAgo).toISOString();

const t0 = performance.now();
sqlite.transaction(() => {
  sqlite.prepare("INSERT INTO account (id, email, email_verified_at, name, password_hash, profile_visible, is_platform_admin, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, 1, 0, ?, ?)").run("bench-author", "bench@example.org", iso(0), "Bench Author", iso(0), iso(0));
  sqlite.prepare("INSERT INTO discussion_setting (network_id, visibility, updated_at) VALUES (?, 'public', ?)").run(networkId, iso(0));
  const cat = sqlite.prepare("INSERT INTO discussion_category (network_id, slug, name, description, position, created_at) VALUES (?, ?, ?, '', 0, ?)");
  const longCat = Number(cat.run(networkId, "long", "Long thread", iso(0)).lastInsertRowid);
  const bigCat = Number(cat.run(networkId, "big", "Big category", iso(0)).lastInsertRowid);
  const thread = sqlite.prepare(
    "INSERT INTO discussion_thread (network_id, category_id, title, author_account_id, pinned, locked, hidden, created_at, last_post_at, reply_count, last_seq) VALUES (?, ?, ?, 'bench-author', ?, 0, ?, ?, ?, ?, ?)",
  );
  const post = sqlite.prepare("INSERT INTO discussion_post (thread_id, seq, author_account_id, body, created_at, hidden) VALUES (?, ?, 'bench-author', ?, ?, ?)");

  const longId = Number(thread.run(networkId, longCat, "A very long thread", 0, 0, iso(REPLIES * 60_000), iso(0), REPLIES, REPLIES + 1).lastInsertRowid);
  for (let seq = 1; seq <= REPLIES + 1; seq++) {
    const b = body();
    post.run(longId, seq, b, iso((REPLIES + 1 - seq) * 60_000), seq % 97 === 0 ? 1 : 0);
  }
  for (let i = 0; i < THREADS; i++) {
    const title = `${sentence(6)} ${i}`;
    const id = Number(thread.run(networkId, bigCat, title, i % 2500 === 0 ? 1 : 0, i % 101 === 0 ? 1 : 0, iso(i * 3_600_000), iso(i * 600_000), 1, 2).lastInsertRowid);
    const b = body();
    post.run(id, 1, b, iso(i * 3_600_000), 0);
    post.run(id, 2, sentence(12), iso(i * 600_000), 0);
  }
  (globalThis as { ids?: unknown }).ids = { longId, bigCat };
})();
const { longId, bigCat } = (globalThis as unknown as { ids: { longId: number; bigCat: number } }).ids;
const insertMs = performance.now() - t0;

const lastThreadPage = Math.ceil((REPLIES + 1) / POSTS_PER_PAGE);
const visibleThreads = (sqlite.prepare("SELECT count(*) AS n FROM discussion_thread WHERE category_id = ? AND hidden = 0").get(bigCat) as { n: number }).n;
const lastCategoryPage = Math.ceil(visibleThreads / THREADS_PER_PAGE);
const lastPost = sqlite.prepare("SELECT id FROM discussion_post WHERE thread_id = ? AND hidden = 0 ORDER BY seq DESC LIMIT 1").get(longId) as { id: number };

const req = (p: string) => new Request(`http://localhost:3000${p}`);
const ctx = { context: {} };
const check = async (res: Promise<Response>, what: string) => {
  const r = await res;
  if (r.status !== 200 && r.status !== 302) throw new Error(`${what} answered ${r.status}`);
  return r;
};
const ops: Array<[string, () => Promise<unknown>]> = [
  [`thread page 1 (${POSTS_PER_PAGE} posts)`, () => check(threadRoute.loader({ request: req(`/discussions/${longId}`), params: { id: String(longId) }, ...ctx }), "thread first")],
  [`thread last page (${lastThreadPage})`, () => check(threadRoute.loader({ request: req(`/discussions/${longId}?page=${lastThreadPage}`), params: { id: String(longId) }, ...ctx }), "thread last")],
  [`thread page ${lastThreadPage - 1} (full, near the end)`, () => check(threadRoute.loader({ request: req(`/discussions/${longId}?page=${lastThreadPage - 1}`), params: { id: String(longId) }, ...ctx }), "thread near last")],
  ["link to the last reply", () => check(postLink.loader({ request: req(`/discussions/${longId}/posts/${lastPost.id}`), params: { id: String(longId), postId: String(lastPost.id) }, ...ctx }), "permalink")],
  [`category page 1 (${THREADS_PER_PAGE} threads)`, () => check(categoryRoute.loader({ request: req(`/discussions/c/${bigCat}`), params: { categoryId: String(bigCat) }, ...ctx }), "category first")],
  [`category last page (${lastCategoryPage})`, () => check(categoryRoute.loader({ request: req(`/discussions/c/${bigCat}?page=${lastCategoryPage}`), params: { categoryId: String(bigCat) }, ...ctx }), "category last")],
  ["search 'outcomes framework'", () => check(indexRoute.loader({ request: req(`/discussions?q=outcomes+framework`), params: {}, ...ctx }), "search")],
];

console.log(`Inserted ${REPLIES + 1} posts in one thread and ${THREADS} threads (${THREADS * 2} posts) in ${(insertMs / 1000).toFixed(1)} s\n`);
console.log("operation                              median ms    p99 ms");
const results: Record<string, { median: number; p99: number }> = {};
for (const [name, fn] of ops) {
  const s = stats(await time(fn));
  results[name] = s;
  console.log(`${name.padEnd(38)} ${s.median.toFixed(2).padStart(9)} ${s.p99.toFixed(2).padStart(9)}`);
}
const names = ops.map(([n]) => n);
console.log(`\nlast/first page, thread:   ${(results[names[1]].median / results[names[0]].median).toFixed(2)}×`);
console.log(`full page near the end/first, thread: ${(results[names[2]].median / results[names[0]].median).toFixed(2)}×`);
console.log(`last/first page, category: ${(results[names[5]].median / results[names[4]].median).toFixed(2)}×`);

await closeDb();
fs.rmSync(dir, { recursive: true, force: true });
