import { sql } from "kysely";
import { boolSql, caseInsensitive, getDb, nowIso, writeTransaction, type DB } from "../../db/index";
import type { DiscussionSubjectType, DiscussionVisibility } from "../../db/types/discussions";
import type { SessionUser } from "../utils/auth.server";
import { markdownToPlainText } from "../utils/markdown.server";
import { slugify } from "../utils/text";
import { categoryIsPublic, discussionAccess, discussionReadableCategoryIds, discussionReadersAmong, moderatedNetworkIds, readableNetworkIds } from "./access.server";
import { networkStaff, notify, type NoticeCheck } from "./notifier.server";

export const POSTS_PER_PAGE = 20;
export const THREADS_PER_PAGE = 25;
export const MAX_MENTIONS = 10;
/** Posting limit per account: new threads and replies together. */
export const POST_LIMIT = { count: 10, windowSeconds: 5 * 60 };

const FORMER_MEMBER = "Former member";

// ---------------------------------------------------------------- who may do what

export async function setDiscussionVisibility(networkId: number, visibility: DiscussionVisibility, byAccountId: string): Promise<void> {
  const values = { visibility, updated_at: nowIso(), updated_by_account_id: byAccountId };
  await getDb()
    .insertInto("discussion_setting")
    .values({ network_id: networkId, ...values })
    .onConflict((oc) => oc.column("network_id").doUpdateSet(values))
    .execute();
}

export async function setCategoryMembersOnly(networkId: number, categoryId: number, membersOnly: boolean): Promise<boolean> {
  const result = await getDb()
    .updateTable("discussion_category")
    .set({ members_only: membersOnly })
    .where("id", "=", categoryId)
    .where("network_id", "=", networkId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

function displayName(name: string | null, deletedAt: string | null | undefined): string {
  return !name || deletedAt ? FORMER_MEMBER : name;
}

// ---------------------------------------------------------------- categories

/** The given (readable) categories with their thread counts, grouped by network. */
export async function listCategories(categoryIds: number[]) {
  if (categoryIds.length === 0) return [];
  const rows = await getDb()
    .selectFrom("discussion_category as c")
    .innerJoin("network as n", "n.id", "c.network_id")
    .select([
      "c.id",
      "c.slug",
      "c.name",
      "c.description",
      "c.network_id",
      "c.members_only",
      "n.name as network_name",
      "n.short_name as network_short_name",
      "n.slug as network_slug",
      (eb) =>
        eb
          .selectFrom("discussion_thread as t")
          .whereRef("t.category_id", "=", "c.id")
          .where("t.hidden", "=", false)
          .select((e) => e.fn.countAll<number>().as("n"))
          .as("thread_count"),
      (eb) =>
        eb
          .selectFrom("discussion_thread as t")
          .whereRef("t.category_id", "=", "c.id")
          .where("t.hidden", "=", false)
          .select((e) => e.fn.max("t.last_post_at").as("m"))
          .as("last_post_at"),
    ])
    .where("c.id", "in", categoryIds)
    .orderBy("n.name")
    .orderBy("c.position")
    .orderBy("c.name")
    .execute();
  return rows.map((r) => ({ ...r, members_only: r.members_only, thread_count: Number(r.thread_count ?? 0) }));
}

/** A category, only when its network's discussions are readable by this person. */
export async function getCategoryForViewer(categoryId: number, user: SessionUser | null) {
  if (!Number.isSafeInteger(categoryId)) return undefined;
  const category = await getDb()
    .selectFrom("discussion_category as c")
    .innerJoin("network as n", "n.id", "c.network_id")
    .select(["c.id", "c.slug", "c.name", "c.description", "c.network_id", "c.members_only", "n.name as network_name", "n.slug as network_slug"])
    .where("c.id", "=", categoryId)
    .executeTakeFirst();
  if (!category) return undefined;
  const access = await discussionAccess(user, category.network_id, { membersOnly: category.members_only });
  if (!access.canRead) return undefined;
  return { category, access };
}

export async function listNetworkCategories(networkId: number) {
  return getDb().selectFrom("discussion_category").select(["id", "name", "slug", "members_only"]).where("network_id", "=", networkId).orderBy("position").orderBy("name").execute();
}

/** Categories the person may start a thread in (networks where they are a member). */
export async function postableCategories(user: SessionUser) {
  const db = getDb();
  const ids = await readableNetworkIds(user);
  if (ids.length === 0 || !user.emailVerified) return [];
  const rows = await db
    .selectFrom("discussion_category as c")
    .innerJoin("network as n", "n.id", "c.network_id")
    .leftJoin("discussion_setting as s", "s.network_id", "c.network_id")
    .select(["c.id", "c.name", "c.network_id", "c.members_only", "s.visibility", "n.short_name as network_short_name", "n.name as network_name"])
    .where("c.network_id", "in", ids)
    .orderBy("n.name")
    .orderBy("c.position")
    .orderBy("c.name")
    .execute();
  // Who will read what is posted: authors are told before they write (no row means members only).
  return rows.map(({ visibility, ...c }) => ({ ...c, isPublic: categoryIsPublic(visibility ?? "members", c.members_only) }));
}

// ---------------------------------------------------------------- thread lists

function threadListQuery(db: DB, accountId: string | null) {
  return db
    .selectFrom("discussion_thread as t")
    .innerJoin("discussion_category as c", "c.id", "t.category_id")
    .leftJoin("account as a", "a.id", "t.author_account_id")
    .leftJoin("discussion_thread_read as r", (join) => join.onRef("r.thread_id", "=", "t.id").on("r.account_id", "=", accountId ?? ""))
    .select([
      "t.id",
      "t.title",
      "t.network_id",
      "t.pinned",
      "t.locked",
      "t.hidden",
      "t.reply_count",
      "t.last_seq",
      "t.created_at",
      "t.last_post_at",
      "c.id as category_id",
      "c.name as category_name",
      "a.name as author_name",
      "a.deleted_at as author_deleted_at",
      "r.last_read_seq",
    ]);
}

type ThreadRow = Awaited<ReturnType<ReturnType<typeof threadListQuery>["execute"]>>[number];

function toListItem(r: ThreadRow, signedIn: boolean) {
  return {
    id: r.id,
    title: r.title,
    networkId: r.network_id,
    pinned: r.pinned,
    locked: r.locked,
    hidden: r.hidden,
    replyCount: r.reply_count,
    createdAt: r.created_at,
    lastPostAt: r.last_post_at,
    categoryId: r.category_id,
    categoryName: r.category_name,
    authorName: displayName(r.author_name, r.author_deleted_at),
    // Unread only makes sense for someone signed in; never-opened threads count as new.
    unread: signedIn ? (r.last_read_seq == null ? "new" : r.last_seq > r.last_read_seq ? "unread" : null) : null,
  } as const;
}
export type ThreadListItem = ReturnType<typeof toListItem>;

/**
 * One page of a category: pinned first, then most recently active. The ORDER BY matches
 * discussion_thread_category_idx, so even the last page of 10,000 threads walks the index only.
 */
export async function listCategoryThreads({
  categoryId,
  page,
  user,
  includeHidden,
}: {
  categoryId: number;
  page: number;
  user: SessionUser | null;
  includeHidden: boolean;
}) {
  const db = getDb();
  let count = db.selectFrom("discussion_thread").select((eb) => eb.fn.countAll<number>().as("n")).where("category_id", "=", categoryId);
  if (!includeHidden) count = count.where("hidden", "=", false);
  const total = Number((await count.executeTakeFirst())?.n ?? 0);
  const pageCount = Math.max(1, Math.ceil(total / THREADS_PER_PAGE));
  const current = Math.min(Math.max(1, page), pageCount);
  // Page the ids on the covering index first, then fetch the 25 rows with their joins.
  let ids = db
    .selectFrom("discussion_thread")
    .select("id")
    .where("category_id", "=", categoryId)
    .$if(!includeHidden, (q) => q.where("hidden", "=", false))
    .orderBy("pinned", "desc")
    .orderBy("last_post_at", "desc")
    .orderBy("id", "desc")
    .limit(THREADS_PER_PAGE)
    .offset((current - 1) * THREADS_PER_PAGE);
  const idRows = await ids.execute();
  const pageIds = idRows.map((r) => r.id);
  if (pageIds.length === 0) return { threads: [], page: current, pageCount, total };
  const rows = await threadListQuery(db, user?.id ?? null).where("t.id", "in", pageIds).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const threads = pageIds.flatMap((id) => {
    const r = byId.get(id);
    return r ? [toListItem(r, Boolean(user))] : [];
  });
  return { threads, page: current, pageCount, total };
}

/** The most recently active threads across the given (readable) categories. */
export async function listRecentThreads({ categoryIds, user, limit = 10 }: { categoryIds: number[]; user: SessionUser | null; limit?: number }) {
  if (categoryIds.length === 0) return [];
  const rows = await threadListQuery(getDb(), user?.id ?? null)
    .where("t.category_id", "in", categoryIds)
    .where("t.hidden", "=", false)
    .orderBy("t.last_post_at", "desc")
    .orderBy("t.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => toListItem(r, Boolean(user)));
}

/** Threads about an event, a resource or an organisation that this person may read (shown on that page). */
export async function listThreadsAbout({ subjectType, subjectId, user, limit = 10 }: { subjectType: DiscussionSubjectType; subjectId: number; user: SessionUser | null; limit?: number }) {
  const categoryIds = await discussionReadableCategoryIds(user);
  if (categoryIds.length === 0) return [];
  const rows = await threadListQuery(getDb(), user?.id ?? null)
    .where("t.subject_type", "=", subjectType)
    .where("t.subject_id", "=", subjectId)
    .where("t.category_id", "in", categoryIds)
    .where("t.hidden", "=", false)
    .orderBy("t.last_post_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => toListItem(r, Boolean(user)));
}

// ---------------------------------------------------------------- subjects (what a thread is about)

export type Subject = { type: DiscussionSubjectType; id: number; title: string; url: string };

/** "event:12" → the subject, when it exists and the person may see it; otherwise undefined. */
export function parseAbout(value: string | null | undefined): { type: DiscussionSubjectType; id: number } | undefined {
  const m = /^(event|resource|organisation):([1-9][0-9]{0,11})$/.exec(value ?? "");
  if (!m) return undefined;
  return { type: m[1] as DiscussionSubjectType, id: Number(m[2]) };
}

/**
 * Looks the subject up in its own domain's table. Those tables belong to other domains and may
 * not exist yet on every install, so a missing table reads as "no such subject".
 */
export async function getSubject(about: { type: DiscussionSubjectType; id: number }, user: SessionUser | null): Promise<Subject | undefined> {
  const db = getDb();
  try {
    if (about.type === "organisation") {
      const o = await db.selectFrom("organisation").select(["id", "name", "slug"]).where("id", "=", about.id).where("status", "=", "approved").executeTakeFirst();
      return o ? { type: "organisation", id: o.id, title: o.name, url: `/organisations/${o.slug}` } : undefined;
    }
    if (about.type === "resource") {
      const readable = await readableNetworkIds(user);
      const r = await db
        .selectFrom("resource")
        .select(["id", "title"])
        .where("id", "=", about.id)
        .where("status", "=", "published")
        .where((eb) => eb.or([eb("visibility", "=", "public"), eb("network_id", "in", readable.length ? readable : [-1])]))
        .executeTakeFirst();
      return r ? { type: "resource", id: r.id, title: r.title, url: `/resources/${r.id}` } : undefined;
    }
    // Events are another engineer's domain; their table is read through untyped SQL so this
    // module does not depend on their types.
    const { sql } = await import("kysely");
    const readable = await readableNetworkIds(user);
    const res = await sql<{ id: number; title: string }>`SELECT id, title FROM event WHERE id = ${about.id} AND status <> 'draft' AND (visibility = 'public' OR network_id IN (${sql.join(readable.length ? readable : [-1])}))`.execute(db);
    const e = res.rows[0];
    return e ? { type: "event", id: e.id, title: e.title, url: `/events/${e.id}` } : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- one thread

/** A thread with what this person may do in it; undefined when it does not exist or they may not see it. */
export async function getThreadForViewer(threadId: number, user: SessionUser | null) {
  if (!Number.isSafeInteger(threadId) || threadId <= 0) return undefined;
  const thread = await getDb()
    .selectFrom("discussion_thread as t")
    .innerJoin("discussion_category as c", "c.id", "t.category_id")
    .innerJoin("network as n", "n.id", "t.network_id")
    .select([
      "t.id",
      "t.title",
      "t.network_id",
      "t.category_id",
      "t.pinned",
      "t.locked",
      "t.hidden",
      "t.reply_count",
      "t.last_seq",
      "t.subject_type",
      "t.subject_id",
      "t.created_at",
      "t.author_account_id",
      "c.name as category_name",
      "c.members_only",
      "n.name as network_name",
      "n.slug as network_slug",
    ])
    .where("t.id", "=", threadId)
    .executeTakeFirst();
  if (!thread) return undefined;
  const access = await discussionAccess(user, thread.network_id, { membersOnly: thread.members_only });
  if (!access.canRead) return undefined;
  if (thread.hidden && !access.canModerate) return undefined;
  return { thread, access, canReply: access.canPost && (!thread.locked || access.canModerate) };
}

export function pageOfSeq(seq: number): number {
  return Math.max(1, Math.ceil(seq / POSTS_PER_PAGE));
}

/**
 * One page of a thread. Page n is the seq range ((n-1)*20, n*20]: an index range on
 * UNIQUE(thread_id, seq), as fast for page 100 as for page 1. Hidden posts are left out
 * for everyone but moderators; deleted ones stay as a short placeholder.
 */
export async function listThreadPosts({ threadId, page, includeHidden }: { threadId: number; page: number; includeHidden: boolean }) {
  let q = getDb()
    .selectFrom("discussion_post as p")
    .leftJoin("account as a", "a.id", "p.author_account_id")
    .leftJoin("organisation as o", "o.id", "a.organisation_id")
    .select([
      "p.id",
      "p.seq",
      "p.body",
      "p.created_at",
      "p.edited_at",
      "p.hidden",
      "p.deleted_at",
      "p.author_account_id",
      "a.name as author_name",
      "a.deleted_at as author_deleted_at",
      "a.job_title as author_job_title",
      "o.name as author_organisation",
    ])
    .where("p.thread_id", "=", threadId)
    .where("p.seq", ">", (page - 1) * POSTS_PER_PAGE)
    .where("p.seq", "<=", page * POSTS_PER_PAGE);
  if (!includeHidden) q = q.where("p.hidden", "=", false);
  const rows = await q.orderBy("p.seq").execute();
  return rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    body: r.deleted_at ? "" : r.body,
    createdAt: r.created_at,
    editedAt: r.edited_at,
    hidden: r.hidden,
    deleted: r.deleted_at !== null,
    authorId: r.author_account_id,
    authorName: displayName(r.author_name, r.author_deleted_at),
    authorJobTitle: r.author_deleted_at ? null : r.author_job_title,
    authorOrganisation: r.author_deleted_at ? null : r.author_organisation,
  }));
}

/** A post with its thread id and seq (for links, quotes, edits and reports). No visibility check: callers check the thread. */
export async function getPost(postId: number) {
  if (!Number.isSafeInteger(postId) || postId <= 0) return undefined;
  return getDb()
    .selectFrom("discussion_post as p")
    .leftJoin("account as a", "a.id", "p.author_account_id")
    .select(["p.id", "p.thread_id", "p.seq", "p.body", "p.hidden", "p.deleted_at", "p.author_account_id", "p.created_at", "p.edited_at", "a.name as author_name", "a.deleted_at as author_deleted_at"])
    .where("p.id", "=", postId)
    .executeTakeFirst();
}

/** A visible post of a thread turned into a Markdown quote to start a reply with. */
export async function quoteFor(threadId: number, postId: number, includeHidden: boolean): Promise<string | undefined> {
  const post = await getPost(postId);
  if (!post || post.thread_id !== threadId || post.deleted_at || (post.hidden && !includeHidden)) return undefined;
  const who = displayName(post.author_name, post.author_deleted_at);
  // Quote the words without earlier quotes, so quotes do not pile up reply after reply.
  const own = post.body
    .split("\n")
    .filter((line) => !line.startsWith(">"))
    .join("\n")
    .trim()
    .slice(0, 2000);
  return `> **${who.replace(/[*_`[\]\\]/g, "")}** wrote:\n>\n${own
    .split("\n")
    .map((line) => (line ? `> ${line}` : ">"))
    .join("\n")}\n\n`;
}

/** Remembers the furthest post this person has seen in a thread (unread markers). */
export async function markThreadRead(accountId: string, threadId: number, seq: number): Promise<void> {
  const now = nowIso();
  await getDb()
    .insertInto("discussion_thread_read")
    .values({ account_id: accountId, thread_id: threadId, last_read_seq: seq, updated_at: now })
    .onConflict((oc) =>
      oc.columns(["account_id", "thread_id"]).doUpdateSet({ last_read_seq: seq, updated_at: now }).where("discussion_thread_read.last_read_seq", "<", seq),
    )
    .execute();
}

export async function getLastReadSeq(accountId: string, threadId: number): Promise<number | null> {
  const row = await getDb().selectFrom("discussion_thread_read").select("last_read_seq").where("account_id", "=", accountId).where("thread_id", "=", threadId).executeTakeFirst();
  return row?.last_read_seq ?? null;
}

// ---------------------------------------------------------------- following

export async function isFollowingThread(accountId: string, threadId: number): Promise<boolean> {
  return (await getDb().selectFrom("discussion_thread_follow").select("thread_id").where("account_id", "=", accountId).where("thread_id", "=", threadId).executeTakeFirst()) !== undefined;
}

export async function setThreadFollow(accountId: string, threadId: number, follow: boolean, db: DB = getDb()): Promise<void> {
  if (follow) {
    await db.insertInto("discussion_thread_follow").values({ account_id: accountId, thread_id: threadId, created_at: nowIso() }).onConflict((oc) => oc.doNothing()).execute();
  } else {
    await db.deleteFrom("discussion_thread_follow").where("account_id", "=", accountId).where("thread_id", "=", threadId).execute();
  }
}

export async function isFollowingCategory(accountId: string, categoryId: number): Promise<boolean> {
  return (await getDb().selectFrom("discussion_category_follow").select("category_id").where("account_id", "=", accountId).where("category_id", "=", categoryId).executeTakeFirst()) !== undefined;
}

export async function setCategoryFollow(accountId: string, categoryId: number, follow: boolean): Promise<void> {
  const db = getDb();
  if (follow) {
    await db.insertInto("discussion_category_follow").values({ account_id: accountId, category_id: categoryId, created_at: nowIso() }).onConflict((oc) => oc.doNothing()).execute();
  } else {
    await db.deleteFrom("discussion_category_follow").where("account_id", "=", accountId).where("category_id", "=", categoryId).execute();
  }
}

// ---------------------------------------------------------------- mentions

const MENTION = /(^|[^\p{L}\p{N}_@/.])@([a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?)(?![a-z0-9-])/gu;

/** Handles (@sam-member) written in a post, lower-cased, at most MAX_MENTIONS. */
export function mentionedHandles(body: string): string[] {
  // Code spans and blocks are examples, not mentions.
  const text = body.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  const found = new Set<string>();
  for (const m of text.toLowerCase().matchAll(MENTION)) {
    found.add(m[2]);
    if (found.size >= MAX_MENTIONS) break;
  }
  return [...found];
}

async function ensureHandle(db: DB, accountId: string, name: string): Promise<string> {
  const existing = await db.selectFrom("discussion_handle").select("handle").where("account_id", "=", accountId).executeTakeFirst();
  if (existing) return existing.handle;
  const base = slugify(name).slice(0, 40).replace(/-+$/, "") || "member";
  for (let n = 1; n < 1000; n++) {
    const handle = n === 1 ? base : `${base}-${n}`;
    const taken = await db.selectFrom("discussion_handle").select("account_id").where("handle", "=", handle).executeTakeFirst();
    if (!taken) {
      await db.insertInto("discussion_handle").values({ account_id: accountId, handle }).onConflict((oc) => oc.doNothing()).execute();
      const mine = await db.selectFrom("discussion_handle").select("handle").where("account_id", "=", accountId).executeTakeFirst();
      if (mine) return mine.handle;
    }
  }
  throw new Error("no free handle");
}

/** How many members the picker beside the reply box offers (any member's handle can still be typed). */
export const MENTIONABLE_LIMIT = 100;
/** In a network too big to list, the picker offers the authors of this many of the discussion's latest posts. */
export const MENTION_RECENT_POSTS = 100;

/**
 * Whom the picker beside the reply box offers, by name, with their mention handles: every listed
 * member of the network when it has at most `limit` members; in a bigger network (the first
 * hundred of 20,000 by name helped nobody, and cost a fifth of the page), the listed members
 * among the authors of the discussion's latest posts, the people a reply most often answers.
 * Members who chose not to be listed in the directory are not offered. Handles are read in the
 * same query, in order from account_directory_idx; only a member who has none yet gets one made.
 */
export async function mentionableMembers(networkId: number, threadId: number, limit = MENTIONABLE_LIMIT) {
  const db = getDb();
  const listed = db
    .selectFrom("account as a")
    .leftJoin("discussion_handle as h", "h.account_id", "a.id")
    .select(["a.id", "a.name", "h.handle"])
    .where(sql<boolean>`a.profile_visible = ${boolSql(true)}`)
    .where(sql<boolean>`a.deleted_at IS NULL`)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("network_membership as m")
          .select("m.account_id")
          .whereRef("m.account_id", "=", "a.id")
          .where("m.network_id", "=", networkId)
          .where("m.status", "=", "approved"),
      ),
    )
    .orderBy(caseInsensitive("a.name"))
    .orderBy("a.id");
  // Counted from the membership index, only as far as the limit.
  const counted = await db
    .selectFrom((eb) =>
      eb.selectFrom("network_membership").select("account_id").where("network_id", "=", networkId).where("status", "=", "approved").limit(limit + 1).as("m"),
    )
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirst();
  const scope: "network" | "discussion" = Number(counted?.n ?? 0) <= limit ? "network" : "discussion";
  const offered =
    scope === "network"
      ? listed
      : listed.where("a.id", "in", (eb) =>
          eb
            .selectFrom((inner) =>
              inner.selectFrom("discussion_post").select("author_account_id").where("thread_id", "=", threadId).orderBy("seq", "desc").limit(MENTION_RECENT_POSTS).as("r"),
            )
            .select("r.author_account_id"),
        );
  const members = await offered.limit(limit).execute();
  // Members without a handle yet get one, all in one transaction (one commit, not one per member).
  const made = new Map<string, string>();
  if (members.some((m) => !m.handle)) {
    await writeTransaction(async (trx) => {
      for (const m of members) if (!m.handle) made.set(m.id, await ensureHandle(trx, m.id, m.name));
    });
  }
  return { scope, members: members.map((m) => ({ handle: m.handle ?? made.get(m.id) ?? "", name: m.name })) };
}

export async function handleOf(accountId: string, name: string): Promise<string> {
  return ensureHandle(getDb(), accountId, name);
}

/** Accounts behind the handles who may read the thread's category: only they are told. */
async function mentionTargets(db: DB, networkId: number, categoryId: number, handles: string[]): Promise<string[]> {
  if (handles.length === 0) return [];
  const rows = await db
    .selectFrom("discussion_handle as h")
    .innerJoin("account as a", "a.id", "h.account_id")
    .select("a.id")
    .where("h.handle", "in", handles)
    .where("a.deleted_at", "is", null)
    .execute();
  return discussionReadersAmong(db, networkId, categoryId, rows.map((r) => r.id));
}

// ---------------------------------------------------------------- writing

function postUrl(threadId: number, postId: number): string {
  return `/discussions/${threadId}/posts/${postId}`;
}

function quoted(title: string): string {
  return `“${title.length > 80 ? `${title.slice(0, 79)}…` : title}”`;
}

/** Tells followers and mentioned people about a new post (inside the writing transaction), through the notifier. */
async function notifyAboutPost(
  trx: DB,
  { threadId, postId, networkId, categoryId, title, body, author, isNewThread }: { threadId: number; postId: number; networkId: number; categoryId: number; title: string; body: string; author: SessionUser; isNewThread: boolean },
) {
  const url = postUrl(threadId, postId);
  const excerpt = markdownToPlainText(body, 300);
  // Checked again when the email is due: the post or thread may be hidden by then, or the reader may no longer be able to read its category.
  const check: NoticeCheck = { threadId, postId };
  const mentioned = new Set(await mentionTargets(trx, networkId, categoryId, mentionedHandles(body)));
  mentioned.delete(author.id);
  await notify(
    mentioned,
    {
      kind: "mention",
      title: `${author.name} mentioned you in ${quoted(title)}`,
      url,
      check,
      email: { subject: `${author.name} mentioned you in ${quoted(title)}`, heading: `${author.name} mentioned you`, paragraphs: [`In the discussion ${quoted(title)}:`, excerpt], action: { label: "Read and reply", url } },
    },
    trx,
  );
  const followers = isNewThread
    ? await trx.selectFrom("discussion_category_follow").select("account_id").where("category_id", "=", categoryId).execute()
    : await trx.selectFrom("discussion_thread_follow").select("account_id").where("thread_id", "=", threadId).execute();
  // Followers only hear about what they can still read (they may have left a members-only network).
  const readable = new Set(await discussionReadersAmong(trx, networkId, categoryId, followers.map((f) => f.account_id)));
  const told = followers.map((f) => f.account_id).filter((id) => id !== author.id && !mentioned.has(id) && readable.has(id));
  const line = isNewThread ? `${author.name} started ${quoted(title)}` : `${author.name} replied to ${quoted(title)}`;
  await notify(
    told,
    {
      kind: "reply",
      title: line,
      url,
      check,
      email: { subject: line, heading: isNewThread ? "A new discussion you may want to follow" : "A new reply", paragraphs: [`${line}:`, excerpt], action: { label: isNewThread ? "Read the discussion" : "Read the reply", url } },
    },
    trx,
  );
}

export async function createThread({
  user,
  categoryId,
  title,
  body,
  subject,
}: {
  user: SessionUser;
  categoryId: number;
  title: string;
  body: string;
  subject?: { type: DiscussionSubjectType; id: number } | null;
}): Promise<{ threadId: number; postId: number }> {
  return writeTransaction(async (trx) => {
    const category = await trx.selectFrom("discussion_category").select(["id", "network_id"]).where("id", "=", categoryId).executeTakeFirstOrThrow();
    const now = nowIso();
    const thread = await trx
      .insertInto("discussion_thread")
      .values({
        network_id: category.network_id,
        category_id: category.id,
        title,
        author_account_id: user.id,
        subject_type: subject?.type ?? null,
        subject_id: subject?.id ?? null,
        pinned: false,
        locked: false,
        hidden: false,
        created_at: now,
        last_post_at: now,
        reply_count: 0,
        last_seq: 1,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const post = await trx
      .insertInto("discussion_post")
      .values({ thread_id: thread.id, seq: 1, author_account_id: user.id, body, created_at: now, edited_at: null, hidden: false, deleted_at: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    await setThreadFollow(user.id, thread.id, true, trx);
    await trx.insertInto("discussion_thread_read").values({ account_id: user.id, thread_id: thread.id, last_read_seq: 1, updated_at: now }).execute();
    await notifyAboutPost(trx, { threadId: thread.id, postId: post.id, networkId: category.network_id, categoryId: category.id, title, body, author: user, isNewThread: true });
    return { threadId: thread.id, postId: post.id };
  });
}

export async function createReply({ user, threadId, body }: { user: SessionUser; threadId: number; body: string }): Promise<{ postId: number; seq: number }> {
  return writeTransaction(async (trx) => {
    const thread = await trx.selectFrom("discussion_thread").select(["id", "network_id", "category_id", "title", "last_seq"]).where("id", "=", threadId).executeTakeFirstOrThrow();
    const now = nowIso();
    const seq = thread.last_seq + 1;
    const post = await trx
      .insertInto("discussion_post")
      .values({ thread_id: thread.id, seq, author_account_id: user.id, body, created_at: now, edited_at: null, hidden: false, deleted_at: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .updateTable("discussion_thread")
      .set((eb) => ({ last_seq: seq, last_post_at: now, reply_count: eb("reply_count", "+", 1) }))
      .where("id", "=", thread.id)
      .execute();
    await setThreadFollow(user.id, thread.id, true, trx);
    await trx
      .insertInto("discussion_thread_read")
      .values({ account_id: user.id, thread_id: thread.id, last_read_seq: seq, updated_at: now })
      .onConflict((oc) => oc.columns(["account_id", "thread_id"]).doUpdateSet({ last_read_seq: seq, updated_at: now }))
      .execute();
    await notifyAboutPost(trx, { threadId: thread.id, postId: post.id, networkId: thread.network_id, categoryId: thread.category_id, title: thread.title, body, author: user, isNewThread: false });
    return { postId: post.id, seq };
  });
}

/** Edits one's own post (marked as edited); false when it is not theirs or is gone. */
export async function editPost({ user, postId, body, title }: { user: SessionUser; postId: number; body: string; title?: string }): Promise<boolean> {
  return writeTransaction(async (trx) => {
    const post = await trx.selectFrom("discussion_post").select(["id", "thread_id", "seq", "author_account_id", "deleted_at"]).where("id", "=", postId).executeTakeFirst();
    if (!post || post.author_account_id !== user.id || post.deleted_at) return false;
    await trx.updateTable("discussion_post").set({ body, edited_at: nowIso() }).where("id", "=", post.id).execute();
    if (post.seq === 1 && title) await trx.updateTable("discussion_thread").set({ title }).where("id", "=", post.thread_id).execute();
    return true;
  });
}

/** Deletes one's own post: its words are removed; a short placeholder keeps the conversation readable. */
export async function deleteOwnPost({ user, postId }: { user: SessionUser; postId: number }): Promise<boolean> {
  return writeTransaction(async (trx) => {
    const post = await trx.selectFrom("discussion_post").select(["id", "thread_id", "seq", "author_account_id", "deleted_at", "hidden"]).where("id", "=", postId).executeTakeFirst();
    if (!post || post.author_account_id !== user.id || post.deleted_at) return false;
    await trx.updateTable("discussion_post").set({ body: "", deleted_at: nowIso() }).where("id", "=", post.id).execute();
    if (post.seq > 1 && !post.hidden) {
      await trx.updateTable("discussion_thread").set((eb) => ({ reply_count: eb("reply_count", "-", 1) })).where("id", "=", post.thread_id).execute();
    }
    return true;
  });
}

// ---------------------------------------------------------------- reports and moderation

export type ReportResult = "reported" | "own-post" | "not-found";

/**
 * Records a report, acknowledges it to the reporter and alerts the network's moderators (all
 * through the notifier, in the same transaction). Nobody may report their own post.
 */
export async function reportPost({ user, postId, reason }: { user: SessionUser; postId: number; reason: string }): Promise<ReportResult> {
  return writeTransaction(async (trx) => {
    const post = await trx
      .selectFrom("discussion_post as p")
      .innerJoin("discussion_thread as t", "t.id", "p.thread_id")
      .select(["p.id", "p.author_account_id", "p.deleted_at", "t.id as thread_id", "t.title", "t.network_id"])
      .where("p.id", "=", postId)
      .executeTakeFirst();
    if (!post || post.deleted_at) return "not-found";
    if (post.author_account_id === user.id) return "own-post";
    await trx
      .insertInto("discussion_post_report")
      .values({ post_id: postId, reporter_account_id: user.id, reason, created_at: nowIso(), resolved_at: null, resolved_by_account_id: null, resolution: null })
      .execute();
    const threadUrl = `/discussions/${post.thread_id}`;
    await notify(
      [user.id],
      {
        kind: "moderation",
        title: `We have your report on a post in ${quoted(post.title)}`,
        url: threadUrl,
        email: {
          subject: `We have your report: ${quoted(post.title)}`,
          heading: "Thank you for your report",
          paragraphs: [`A moderator will look at the post you reported in ${quoted(post.title)}. We will tell you when it has been dealt with.`, `Your reason: ${reason}`],
          action: { label: "See the discussion", url: threadUrl },
        },
      },
      trx,
    );
    const moderators = await networkStaff(post.network_id, "moderator", trx);
    await notify(
      moderators.filter((id) => id !== user.id),
      {
        kind: "mod-report",
        title: `A post in ${quoted(post.title)} was reported`,
        url: "/discussions/moderation",
        check: { networkId: post.network_id, role: "moderator" },
        // One alert per post while it waits: ten reports on one post are one email.
        coalesceKey: `mod-report:${post.id}`,
        email: {
          subject: `A post was reported: ${quoted(post.title)}`,
          heading: "A post was reported",
          paragraphs: [`Someone reported a post in the discussion ${quoted(post.title)}.`, `Their reason: ${reason}`, "You can hide the post or dismiss the report from the moderation queue."],
          action: { label: "Open the moderation queue", url: "/discussions/moderation" },
        },
      },
      trx,
    );
    return "reported";
  });
}

/** Open reports in the networks given (the caller's moderated networks), one entry per post with every report on it. */
export async function listOpenReports(networkIds: number[]) {
  if (networkIds.length === 0) return [];
  const rows = await getDb()
    .selectFrom("discussion_post_report as r")
    .innerJoin("discussion_post as p", "p.id", "r.post_id")
    .innerJoin("discussion_thread as t", "t.id", "p.thread_id")
    .innerJoin("network as n", "n.id", "t.network_id")
    .leftJoin("account as reporter", "reporter.id", "r.reporter_account_id")
    .leftJoin("account as author", "author.id", "p.author_account_id")
    .select([
      "r.id as report_id",
      "r.reason",
      "r.created_at as reported_at",
      "reporter.name as reporter_name",
      "reporter.email as reporter_email",
      "p.id as post_id",
      "p.seq",
      "p.body",
      "p.hidden",
      "p.deleted_at",
      "author.name as author_name",
      "t.id as thread_id",
      "t.title as thread_title",
      "n.short_name as network_short_name",
    ])
    .where("r.resolved_at", "is", null)
    .where("t.network_id", "in", networkIds)
    .orderBy("r.created_at")
    .limit(500)
    .execute();
  const byPost = new Map<number, { postId: number; threadId: number; threadTitle: string; network: string; authorName: string; excerpt: string; hidden: boolean; deleted: boolean; reports: Array<{ id: number; reason: string; reportedAt: string; reporterName: string; reporterEmail: string | null }> }>();
  for (const r of rows) {
    let entry = byPost.get(r.post_id);
    if (!entry) {
      entry = {
        postId: r.post_id,
        threadId: r.thread_id,
        threadTitle: r.thread_title,
        network: r.network_short_name,
        authorName: r.author_name ?? FORMER_MEMBER,
        excerpt: r.deleted_at ? "(deleted by its author)" : markdownToPlainText(r.body, 400),
        hidden: r.hidden,
        deleted: r.deleted_at !== null,
        reports: [],
      };
      byPost.set(r.post_id, entry);
    }
    entry.reports.push({ id: r.report_id, reason: r.reason, reportedAt: r.reported_at, reporterName: r.reporter_name ?? FORMER_MEMBER, reporterEmail: r.reporter_email });
  }
  return [...byPost.values()];
}

/** Recently hidden posts and threads (so a moderator can restore them). */
export async function listHidden(networkIds: number[]) {
  if (networkIds.length === 0) return { posts: [], threads: [] };
  const db = getDb();
  const posts = await db
    .selectFrom("discussion_post as p")
    .innerJoin("discussion_thread as t", "t.id", "p.thread_id")
    .leftJoin("account as a", "a.id", "p.author_account_id")
    .select(["p.id", "p.body", "p.thread_id", "t.title as thread_title", "a.name as author_name"])
    .where("p.hidden", "=", true)
    .where("t.network_id", "in", networkIds)
    .orderBy("p.id", "desc")
    .limit(50)
    .execute();
  const threads = await db.selectFrom("discussion_thread").select(["id", "title"]).where("hidden", "=", true).where("network_id", "in", networkIds).orderBy("id", "desc").limit(50).execute();
  return {
    posts: posts.map((p) => ({ id: p.id, threadId: p.thread_id, threadTitle: p.thread_title, authorName: p.author_name ?? FORMER_MEMBER, excerpt: markdownToPlainText(p.body, 200) })),
    threads,
  };
}

export type ModerationAction =
  | { kind: "hide-post" | "restore-post" | "dismiss-reports"; postId: number }
  | { kind: "lock" | "unlock" | "pin" | "unpin" | "hide-thread" | "restore-thread"; threadId: number }
  | { kind: "move"; threadId: number; categoryId: number };

/**
 * A moderator's decision. The target's network must be one the moderator moderates (checked
 * here, so a forged id from another network changes nothing). Resolves open reports on a
 * post when it is hidden or its reports dismissed, and tells the author and the reporters.
 */
export async function moderate(moderator: SessionUser, action: ModerationAction): Promise<{ ok: true; threadId: number; message: string } | { ok: false }> {
  const allowed = await moderatedNetworkIds(moderator);
  return writeTransaction(async (trx) => {
    const now = nowIso();
    if ("postId" in action) {
      const post = await trx
        .selectFrom("discussion_post as p")
        .innerJoin("discussion_thread as t", "t.id", "p.thread_id")
        .select(["p.id", "p.seq", "p.hidden", "p.deleted_at", "p.body", "p.author_account_id", "t.id as thread_id", "t.title", "t.network_id"])
        .where("p.id", "=", action.postId)
        .executeTakeFirst();
      if (!post || !allowed.includes(post.network_id)) return { ok: false } as const;
      const threadUrl = `/discussions/${post.thread_id}`;
      const reporters = await trx.selectFrom("discussion_post_report").select("reporter_account_id").where("post_id", "=", post.id).where("resolved_at", "is", null).execute();
      const resolve = async (resolution: string) => {
        await trx.updateTable("discussion_post_report").set({ resolved_at: now, resolved_by_account_id: moderator.id, resolution }).where("post_id", "=", post.id).where("resolved_at", "is", null).execute();
        // The reporter hears the outcome, never who decided it.
        const ids = reporters.map((r) => r.reporter_account_id).filter((id): id is string => Boolean(id) && id !== moderator.id);
        await notify(
          ids,
          {
            kind: "moderation",
            title: `Your report on a post in ${quoted(post.title)} has been dealt with: ${resolution}`,
            url: threadUrl,
            email: {
              subject: `Your report has been dealt with: ${quoted(post.title)}`,
              heading: "Your report has been dealt with",
              paragraphs: [`Thank you for reporting a post in the discussion ${quoted(post.title)}.`, `What happened: ${resolution}.`],
              action: { label: "See the discussion", url: threadUrl },
            },
          },
          trx,
        );
      };
      if (action.kind === "dismiss-reports") {
        await resolve("a moderator looked at it and left it up");
        return { ok: true, threadId: post.thread_id, message: "Reports dismissed; the post stays up." } as const;
      }
      const hide = action.kind === "hide-post";
      if ((post.hidden) !== hide) {
        await trx.updateTable("discussion_post").set({ hidden: hide }).where("id", "=", post.id).execute();
        if (post.seq > 1 && !post.deleted_at) {
          await trx.updateTable("discussion_thread").set((eb) => ({ reply_count: eb("reply_count", hide ? "-" : "+", 1) })).where("id", "=", post.thread_id).execute();
        }
        if (post.author_account_id && post.author_account_id !== moderator.id) {
          const line = hide ? `A moderator hid your post in ${quoted(post.title)}` : `A moderator restored your post in ${quoted(post.title)}`;
          const url = hide ? threadUrl : postUrl(post.thread_id, post.id);
          await notify(
            [post.author_account_id],
            {
              kind: "moderation",
              title: line,
              url,
              email: {
                subject: line,
                heading: hide ? "Your post was hidden" : "Your post is visible again",
                paragraphs: [hide ? `${line}. Only moderators can see it now. Please keep to the network's guidelines.` : `${line}. Everyone who can read the discussion can see it again.`],
                action: { label: "See the discussion", url },
              },
            },
            trx,
          );
        }
      }
      if (hide) await resolve("a moderator hid the post");
      return { ok: true, threadId: post.thread_id, message: hide ? "The post is hidden. Only moderators can see it." : "The post is visible again." } as const;
    }

    const thread = await trx.selectFrom("discussion_thread").select(["id", "title", "network_id", "author_account_id", "hidden"]).where("id", "=", action.threadId).executeTakeFirst();
    if (!thread || !allowed.includes(thread.network_id)) return { ok: false } as const;
    const tell = async (title: string) => {
      if (thread.author_account_id && thread.author_account_id !== moderator.id) {
        const url = `/discussions/${thread.id}`;
        await notify(
          [thread.author_account_id],
          { kind: "moderation", title, url, email: { subject: title, heading: "A moderator changed your discussion", paragraphs: [`${title}.`], action: { label: "See the discussion", url } } },
          trx,
        );
      }
    };
    switch (action.kind) {
      case "lock":
      case "unlock":
        await trx.updateTable("discussion_thread").set({ locked: action.kind === "lock" }).where("id", "=", thread.id).execute();
        await tell(action.kind === "lock" ? `A moderator closed ${quoted(thread.title)} to new replies` : `A moderator reopened ${quoted(thread.title)}`);
        return { ok: true, threadId: thread.id, message: action.kind === "lock" ? "The discussion is closed to new replies." : "The discussion is open for replies again." } as const;
      case "pin":
      case "unpin":
        await trx.updateTable("discussion_thread").set({ pinned: action.kind === "pin" }).where("id", "=", thread.id).execute();
        return { ok: true, threadId: thread.id, message: action.kind === "pin" ? "The discussion is pinned to the top of its category." : "The discussion is no longer pinned." } as const;
      case "hide-thread":
      case "restore-thread": {
        const hide = action.kind === "hide-thread";
        await trx.updateTable("discussion_thread").set({ hidden: hide }).where("id", "=", thread.id).execute();
        if ((thread.hidden) !== hide) await tell(hide ? `A moderator hid your discussion ${quoted(thread.title)}` : `A moderator restored your discussion ${quoted(thread.title)}`);
        return { ok: true, threadId: thread.id, message: hide ? "The discussion is hidden. Only moderators can see it." : "The discussion is visible again." } as const;
      }
      case "move": {
        // Only to a category of the same network (the move form marks members-only categories).
        const target = await trx.selectFrom("discussion_category").select(["id", "name"]).where("id", "=", action.categoryId).where("network_id", "=", thread.network_id).executeTakeFirst();
        if (!target) return { ok: false } as const;
        await trx.updateTable("discussion_thread").set({ category_id: target.id }).where("id", "=", thread.id).execute();
        await tell(`A moderator moved ${quoted(thread.title)} to ${target.name}`);
        return { ok: true, threadId: thread.id, message: `Moved to ${target.name}.` } as const;
      }
    }
  });
}

// ---------------------------------------------------------------- digest

/**
 * Active discussions for the email digest: threads with posts since `since`, newest activity first.
 * Members-only networks are included only when `includeMembersOnly` (the subscriber is a member).
 */
export async function listForDigest({
  since,
  networkIds,
  includeMembersOnly,
  threadIds,
  categoryIds,
  limit = 10,
}: {
  since: string;
  networkIds: number[];
  includeMembersOnly: boolean;
  threadIds?: number[];
  categoryIds?: number[];
  limit?: number;
}): Promise<Array<{ id: number; title: string; url: string; summary: string; meta: string }>> {
  if (networkIds.length === 0) return [];
  const db = getDb();
  let allowedNetworks = networkIds;
  if (!includeMembersOnly) {
    const open = await db.selectFrom("discussion_setting").select("network_id").where("visibility", "=", "public").where("network_id", "in", networkIds).execute();
    allowedNetworks = open.map((r) => r.network_id);
    if (allowedNetworks.length === 0) return [];
  }
  let q = db
    .selectFrom("discussion_thread as t")
    .innerJoin("discussion_category as c", "c.id", "t.category_id")
    .select(["t.id", "t.title"])
    .where("t.network_id", "in", allowedNetworks)
    .where("t.hidden", "=", false)
    .where("t.last_post_at", ">", since);
  // A public digest never carries a members-only category.
  if (!includeMembersOnly) q = q.where("c.members_only", "=", false);
  if (threadIds) q = threadIds.length ? q.where("t.id", "in", threadIds) : q.where("t.id", "=", -1);
  if (categoryIds) q = categoryIds.length ? q.where("t.category_id", "in", categoryIds) : q.where("t.id", "=", -1);
  const threads = await q.orderBy("t.last_post_at", "desc").limit(limit).execute();
  const out = [];
  for (const t of threads) {
    const posts = await db
      .selectFrom("discussion_post")
      .select(["id", "seq", "body"])
      .where("thread_id", "=", t.id)
      .where("hidden", "=", false)
      .where("deleted_at", "is", null)
      .where("created_at", ">", since)
      .orderBy("seq", "desc")
      .execute();
    if (posts.length === 0) continue;
    const latest = posts[0];
    const replies = posts.filter((p) => p.seq > 1).length;
    const isNew = posts.some((p) => p.seq === 1);
    out.push({
      id: t.id,
      title: t.title,
      url: postUrl(t.id, latest.id),
      summary: markdownToPlainText(latest.body, 200),
      meta: isNew ? (replies ? `New discussion, ${replies} ${replies === 1 ? "reply" : "replies"}` : "New discussion") : `${replies} new ${replies === 1 ? "reply" : "replies"}`,
    });
  }
  return out;
}
