import { describe, expect, it } from "vitest";
import { getDb } from "../../db/index";
import { loader as indexLoader } from "../../app/routes/discussions._index";
import { action as threadAction, loader as threadLoader } from "../../app/routes/discussions.$id";
import { loader as postLinkLoader } from "../../app/routes/discussions.$id_.posts.$postId";
import { action as newAction } from "../../app/routes/discussions.new";
import { action as editAction, loader as editLoader } from "../../app/routes/discussions.posts.$postId.edit";
import { action as reportAction } from "../../app/routes/discussions.posts.$postId.report";
import { action as modAction, loader as modLoader } from "../../app/routes/discussions.moderation";
import { loader as categoryLoader } from "../../app/routes/discussions.c.$categoryId";
import { listForDigest, listThreadsAbout, MENTION_RECENT_POSTS, MENTIONABLE_LIMIT, mentionableMembers, mentionedHandles, setDiscussionVisibility } from "../../app/models/discussions.server";
import { listNotifications } from "../../app/models/notifications.server";
import { cookieFor } from "../support/auth";
import { formRequest, getRequest } from "../support/fixtures";

const ctx = { context: {} };

async function expectStatus(p: Promise<unknown>, status: number) {
  try {
    const res = await p;
    expect(res instanceof Response ? res.status : "no response").toBe(status);
  } catch (e) {
    expect(e instanceof Response ? e.status : e).toBe(status);
  }
}

async function threadIdByTitle(title: string) {
  return (await getDb().selectFrom("discussion_thread").select("id").where("title", "=", title).executeTakeFirstOrThrow()).id;
}
async function accountId(email: string) {
  return (await getDb().selectFrom("account").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
}
async function categoryId(network: string, slug: string) {
  return (
    await getDb()
      .selectFrom("discussion_category as c")
      .innerJoin("network as n", "n.id", "c.network_id")
      .select("c.id")
      .where("n.slug", "=", network)
      .where("c.slug", "=", slug)
      .executeTakeFirstOrThrow()
  ).id;
}
async function loadThread(id: number, cookie?: string, query = "") {
  const res = await threadLoader({ request: getRequest(`/discussions/${id}${query}`, { cookie }), params: { id: String(id) }, ...ctx });
  return res.json();
}
async function reply(id: number, cookie: string, body: string) {
  return threadAction({ request: formRequest(`/discussions/${id}`, { intent: "reply", body }, { cookie }), params: { id: String(id) }, ...ctx });
}

const COF = "Everyone measuring the same things: the Common Outcomes Framework";
const WELCOME = "Welcome to the national Social Prescribing Network";

describe("reading and visibility", () => {
  it("shows the North West demo threads to anyone, and the national (members-only) ones only to its members", async () => {
    const anon = await (await indexLoader({ request: getRequest("/discussions"), params: {}, ...ctx })).json();
    const titles = anon.recent.map((t: { title: string }) => t.title);
    expect(titles).toContain(COF);
    expect(titles).toContain("The voluntary sector is not free");
    expect(titles).not.toContain(WELCOME);
    const national = await threadIdByTitle(WELCOME);
    await expectStatus(threadLoader({ request: getRequest(`/discussions/${national}`), params: { id: String(national) }, ...ctx }), 404);
    await expectStatus(threadLoader({ request: getRequest(`/discussions/${national}`, { cookie: await cookieFor("member@example.org") }), params: { id: String(national) }, ...ctx }), 404);
    const data = await loadThread(national, await cookieFor("national@example.org"));
    expect(data.thread.title).toBe(WELCOME);
  });

  it("answers 404 for nonsense ids", async () => {
    for (const id of ["0", "-1", "abc", "99999999", "1e3", "../1"]) {
      await expectStatus(threadLoader({ request: getRequest(`/discussions/x`), params: { id }, ...ctx }), 404);
    }
  });

  it("a network that turns discussions to members only hides them from the public", async () => {
    const nw = (await getDb().selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirstOrThrow()).id;
    const id = await threadIdByTitle(COF);
    await setDiscussionVisibility(nw, "members", await accountId("admin@example.org"));
    await expectStatus(threadLoader({ request: getRequest(`/discussions/${id}`), params: { id: String(id) }, ...ctx }), 404);
    const cat = await categoryId("north-west", "evaluation");
    await expectStatus(categoryLoader({ request: getRequest(`/discussions/c/${cat}`), params: { categoryId: String(cat) }, ...ctx }), 404);
    expect((await loadThread(id, await cookieFor("member@example.org"))).thread.title).toBe(COF);
    await setDiscussionVisibility(nw, "public", await accountId("admin@example.org"));
    expect((await loadThread(id)).thread.title).toBe(COF);
  });
});

describe("the core journey", () => {
  it("a member starts a thread; another replies with a quote and a mention; the first is notified", async () => {
    const sam = await cookieFor("member@example.org");
    const olivia = await cookieFor("organiser@example.org");
    const res = await newAction({
      request: formRequest("/discussions/new", { categoryId: String(await categoryId("north-west", "link-workers")), title: "Caseloads in rural Cumbria", body: "How many people does each of your link workers support?" }, { cookie: sam }),
      params: {},
      ...ctx,
    });
    expect(res.status).toBe(302);
    const id = Number(/\/discussions\/(\d+)$/.exec(res.headers.get("Location") ?? "")?.[1]);
    expect(id).toBeGreaterThan(0);

    const first = await loadThread(id, olivia);
    const openingId = first.posts[0].id;
    const quoted = await loadThread(id, olivia, `?quote=${openingId}`);
    expect(quoted.quote).toContain("> **Sam Member** wrote:");
    expect(quoted.quote).toContain("> How many people does each of your link workers support?");

    const r = await reply(id, olivia, `${quoted.quote}About 250 each. @sam-member what is yours?`);
    expect(r.status).toBe(302);
    expect(r.headers.get("Location")).toMatch(new RegExp(`^/discussions/${id}\\?page=1#post-\\d+$`));

    const samId = await accountId("member@example.org");
    const { items } = await listNotifications({ accountId: samId, unreadOnly: true });
    const mention = items.find((n) => n.kind === "mention");
    expect(mention?.title).toBe("Olivia Organiser mentioned you in “Caseloads in rural Cumbria”");
    expect(mention?.url).toMatch(new RegExp(`^/discussions/${id}/posts/\\d+$`));
    // One notification per post: the mention, not also a "reply" for the same post.
    expect(items.filter((n) => n.url === mention?.url)).toHaveLength(1);

    // Opening the thread marks its notifications read.
    await loadThread(id, sam);
    expect((await listNotifications({ accountId: samId, unreadOnly: true })).items.filter((n) => n.url.startsWith(`/discussions/${id}/`))).toHaveLength(0);

    const after = await loadThread(id, sam);
    expect(after.posts).toHaveLength(2);
    expect(after.posts[1].html).toContain("<blockquote>");
  });

  it("followers hear about replies, and category followers about new threads", async () => {
    const id = await threadIdByTitle("The voluntary sector is not free");
    const mo = await cookieFor("moderator@example.org");
    await threadAction({ request: formRequest(`/discussions/${id}`, { intent: "follow" }, { cookie: mo }), params: { id: String(id) }, ...ctx });
    await reply(id, await cookieFor("organiser@example.org"), "Another thought on funding.");
    const { items } = await listNotifications({ accountId: await accountId("moderator@example.org"), unreadOnly: true });
    expect(items.some((n) => n.kind === "reply" && n.title === "Olivia Organiser replied to “The voluntary sector is not free”")).toBe(true);
  });
});

describe("hostile and bad input", () => {
  const PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "[click me](javascript:alert(3))",
    "[x](JaVaScRiPt:alert(4))",
    "[y](jav&#x61;script:alert(5))",
    "<scr<script>ipt>alert(6)</script>",
    '<a href="javascript:alert(7)">a</a>',
    "![img](javascript:alert(8))",
    '<svg onload="alert(9)">',
    "[ok](https://example.org)",
  ].join("\n\n");

  it("renders XSS payloads as inert text", async () => {
    const id = await threadIdByTitle(COF);
    const res = await reply(id, await cookieFor("member@example.org"), PAYLOADS);
    expect(res.status).toBe(302);
    const page = Number(new URL(res.headers.get("Location")!, "http://x").searchParams.get("page"));
    const data = await loadThread(id, undefined, `?page=${page}`);
    const html: string = data.posts.at(-1)!.html;
    // Only the one safe link is a real element; everything else is escaped text.
    expect(html).not.toMatch(/<(script|img|svg|iframe)\b/i);
    expect(html).not.toMatch(/<[^>]*\son\w+=/i);
    expect(html).not.toMatch(/(href|src)="\s*javascript:/i);
    expect(html.match(/<a /g)).toHaveLength(1);
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain('<a href="https://example.org" rel="ugc nofollow noopener">ok</a>');
  });

  it("refuses an empty or a 100,000-character post with a field error and keeps the draft", async () => {
    const id = await threadIdByTitle(COF);
    const cookie = await cookieFor("member@example.org");
    for (const body of ["", "   \n  ", "x".repeat(100_000)]) {
      const res = await reply(id, cookie, body);
      expect(res.status).toBe(400);
      const data = await res.json();
      expect(data.errors.body).toMatch(/Enter your reply|20,000 characters or fewer/);
      expect(data.values.body).toBe(body);
    }
    const res = await newAction({ request: formRequest("/discussions/new", { categoryId: "999999", title: "", body: "draft text" }, { cookie }), params: {}, ...ctx });
    expect(res.status).toBe(400);
    const data = await res.json();
    expect(data.errors.title).toBe("Enter a title");
    expect(data.values.body).toBe("draft text");
  });

  it("will not post into a category of a network the person is not in", async () => {
    const res = await newAction({
      request: formRequest("/discussions/new", { categoryId: String(await categoryId("national", "general")), title: "Sneaky", body: "Hello" }, { cookie: await cookieFor("member@example.org") }),
      params: {},
      ...ctx,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors.categoryId).toBe("Choose a category");
  });

  it("rate-limits posting with a clear message and keeps the draft", async () => {
    const id = await threadIdByTitle("Arts on prescription: what is working for your link workers?");
    const cookie = await cookieFor("national@example.org");
    // national@ is not a North West member: make them one for this test.
    const nw = (await getDb().selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirstOrThrow()).id;
    await getDb()
      .insertInto("network_membership")
      .values({ network_id: nw, account_id: await accountId("national@example.org"), role: "member", status: "approved", message: null, created_at: new Date().toISOString(), decided_at: null, decided_by_account_id: null })
      .execute();
    for (let i = 0; i < 10; i++) expect((await reply(id, cookie, `Reply number ${i}`)).status).toBe(302);
    const res = await reply(id, cookie, "One too many");
    expect(res.status).toBe(429);
    const data = await res.json();
    expect(data.errors.body).toMatch(/posted a lot/);
    expect(data.values.body).toBe("One too many");
  });
});

describe("editing and deleting one's own posts", () => {
  it("marks an edit, refuses other people's posts, and deletes leaving a placeholder", async () => {
    const id = await threadIdByTitle("Preston regional conference on 13 December: who is going?");
    const sam = await cookieFor("member@example.org");
    const data = await loadThread(id, sam);
    const mine = data.posts.find((p: { mine: boolean }) => p.mine)!;
    const theirs = data.posts.find((p: { mine: boolean }) => !p.mine)!;
    await expectStatus(editLoader({ request: getRequest(`/discussions/posts/${theirs.id}/edit`, { cookie: sam }), params: { postId: String(theirs.id) }, ...ctx }), 404);
    await expectStatus(editAction({ request: formRequest(`/discussions/posts/${theirs.id}/edit`, { intent: "delete" }, { cookie: sam }), params: { postId: String(theirs.id) }, ...ctx }), 404);
    const res = await editAction({ request: formRequest(`/discussions/posts/${mine.id}/edit`, { intent: "edit", body: "I will be there, with two colleagues." }, { cookie: sam }), params: { postId: String(mine.id) }, ...ctx });
    expect(res.status).toBe(302);
    let after = (await loadThread(id, sam)).posts.find((p: { id: number }) => p.id === mine.id)!;
    expect(after.editedAt).not.toBeNull();
    expect(after.html).toContain("two colleagues");
    await editAction({ request: formRequest(`/discussions/posts/${mine.id}/edit`, { intent: "delete" }, { cookie: sam }), params: { postId: String(mine.id) }, ...ctx });
    after = (await loadThread(id, sam)).posts.find((p: { id: number }) => p.id === mine.id)!;
    expect(after.deleted).toBe(true);
    expect(after.html).toBe("");
    const row = await getDb().selectFrom("discussion_post").select("body").where("id", "=", mine.id).executeTakeFirstOrThrow();
    expect(row.body).toBe("");
  });
});

describe("reports and moderation", () => {
  it("a member reports a post; the moderator sees who reported what and hides it; it is gone for everyone else", async () => {
    const id = await threadIdByTitle("Breathe Magic: magic-based therapy with occupational therapists");
    const sam = await cookieFor("member@example.org");
    const mo = await cookieFor("moderator@example.org");
    const olivia = await cookieFor("organiser@example.org");
    await reply(id, olivia, "Buy cheap tickets at my site!");
    const posts = (await loadThread(id, sam)).posts;
    const spam = posts.at(-1)!;

    const bad = await reportAction({ request: formRequest(`/discussions/posts/${spam.id}/report`, { reason: "" }, { cookie: sam }), params: { postId: String(spam.id) }, ...ctx });
    expect(bad.status).toBe(400);
    const ok = await reportAction({ request: formRequest(`/discussions/posts/${spam.id}/report`, { reason: "Advertising <b>spam</b>" }, { cookie: sam }), params: { postId: String(spam.id) }, ...ctx });
    expect(ok.status).toBe(302);

    // Not a moderator: no queue, no hiding.
    await expectStatus(modLoader({ request: getRequest("/discussions/moderation", { cookie: sam }), params: {}, ...ctx }), 404);
    await expectStatus(modAction({ request: formRequest("/discussions/moderation", { intent: "hide-post", postId: String(spam.id) }, { cookie: olivia }), params: {}, ...ctx }), 404);
    await expectStatus(threadAction({ request: formRequest(`/discussions/${id}`, { intent: "hide-post", postId: String(spam.id) }, { cookie: sam }), params: { id: String(id) }, ...ctx }), 404);

    const queue = await (await modLoader({ request: getRequest("/discussions/moderation", { cookie: mo }), params: {}, ...ctx })).json();
    const entry = queue.reports.find((r: { postId: number }) => r.postId === spam.id)!;
    expect(entry.reports[0].reporterName).toBe("Sam Member");
    expect(entry.reports[0].reason).toBe("Advertising <b>spam</b>");

    const hide = await modAction({ request: formRequest("/discussions/moderation", { intent: "hide-post", postId: String(spam.id) }, { cookie: mo }), params: {}, ...ctx });
    expect(hide.status).toBe(302);

    expect((await loadThread(id, sam)).posts.map((p: { id: number }) => p.id)).not.toContain(spam.id);
    expect((await loadThread(id)).posts.map((p: { id: number }) => p.id)).not.toContain(spam.id);
    expect((await loadThread(id, olivia)).posts.map((p: { id: number }) => p.id)).not.toContain(spam.id);
    const modView = (await loadThread(id, mo)).posts.find((p: { id: number }) => p.id === spam.id)!;
    expect(modView.hidden).toBe(true);
    await expectStatus(postLinkLoader({ request: getRequest(`/discussions/${id}/posts/${spam.id}`, { cookie: sam }), params: { id: String(id), postId: String(spam.id) }, ...ctx }), 404);
    await expectStatus(editLoader({ request: getRequest(`/discussions/posts/${spam.id}/edit`, { cookie: olivia }), params: { postId: String(spam.id) }, ...ctx }), 404);

    // (Read already: opening the thread marks its notifications read.)
    const author = await listNotifications({ accountId: await accountId("organiser@example.org") });
    expect(author.items.some((n) => n.kind === "moderation" && n.title.startsWith("A moderator hid your post"))).toBe(true);
    const reporter = await listNotifications({ accountId: await accountId("member@example.org") });
    expect(reporter.items.some((n) => n.kind === "moderation" && n.title.includes("a moderator hid the post"))).toBe(true);
    const queueAfter = await (await modLoader({ request: getRequest("/discussions/moderation", { cookie: mo }), params: {}, ...ctx })).json();
    expect(queueAfter.reports.find((r: { postId: number }) => r.postId === spam.id)).toBeUndefined();
  });

  it("lock stops replies; pin; move only within the network; a national moderator id cannot touch North West", async () => {
    const id = await threadIdByTitle("Arts on prescription: what is working for your link workers?");
    const mo = await cookieFor("moderator@example.org");
    const act = (intent: string, extra: Record<string, string> = {}, cookie = mo) =>
      threadAction({ request: formRequest(`/discussions/${id}`, { intent, ...extra }, { cookie }), params: { id: String(id) }, ...ctx });
    expect((await act("lock")).status).toBe(302);
    const res = await reply(id, await cookieFor("member@example.org"), "Can I still reply?");
    expect(res.status).toBe(403);
    expect((await res.json()).values.body).toBe("Can I still reply?");
    expect((await act("unlock")).status).toBe(302);
    expect((await act("pin")).status).toBe(302);
    expect((await loadThread(id)).thread.pinned).toBe(true);
    await expectStatus(act("move", { categoryId: String(await categoryId("national", "general")) }), 404);
    expect((await act("move", { categoryId: String(await categoryId("north-west", "link-workers")) })).status).toBe(302);
    expect((await loadThread(id)).thread.categoryName).toBe("Link workers");
  });

  it("a hidden thread is gone for everyone but moderators", async () => {
    const cat = await categoryId("north-west", "funding-the-vcse");
    const sam = await cookieFor("member@example.org");
    const res = await newAction({ request: formRequest("/discussions/new", { categoryId: String(cat), title: "Off-topic thread", body: "Hello" }, { cookie: sam }), params: {}, ...ctx });
    const id = Number(/(\d+)$/.exec(res.headers.get("Location")!)![1]);
    await threadAction({ request: formRequest(`/discussions/${id}`, { intent: "hide-thread" }, { cookie: await cookieFor("moderator@example.org") }), params: { id: String(id) }, ...ctx });
    await expectStatus(threadLoader({ request: getRequest(`/discussions/${id}`, { cookie: sam }), params: { id: String(id) }, ...ctx }), 404);
    const list = await (await categoryLoader({ request: getRequest(`/discussions/c/${cat}`), params: { categoryId: String(cat) }, ...ctx })).json();
    expect(list.threads.map((t: { id: number }) => t.id)).not.toContain(id);
  });
});

describe("long threads", () => {
  it("pages by 20 and a link to any post lands on its page", async () => {
    const db = getDb();
    const id = await threadIdByTitle("Preston regional conference on 13 December: who is going?");
    const thread = await db.selectFrom("discussion_thread").select("last_seq").where("id", "=", id).executeTakeFirstOrThrow();
    const author = await accountId("admin@example.org");
    const now = new Date().toISOString();
    for (let seq = thread.last_seq + 1; seq <= 130; seq++) {
      await db.insertInto("discussion_post").values({ thread_id: id, seq, author_account_id: author, body: `Post ${seq}`, created_at: now, edited_at: null, hidden: false, deleted_at: null }).execute();
    }
    await db.updateTable("discussion_thread").set({ last_seq: 130 }).where("id", "=", id).execute();
    const p3 = await loadThread(id, undefined, "?page=3");
    expect(p3.page).toBe(3);
    expect(p3.pageCount).toBe(7);
    expect(p3.posts[0].seq).toBe(41);
    expect(p3.posts[p3.posts.length - 1].seq).toBe(60);
    const p99 = await loadThread(id, undefined, "?page=99");
    expect(p99.page).toBe(7);
    expect(p99.posts[0].seq).toBe(121);
    const post77 = await db.selectFrom("discussion_post").select("id").where("thread_id", "=", id).where("seq", "=", 77).executeTakeFirstOrThrow();
    const res = await postLinkLoader({ request: getRequest(`/discussions/${id}/posts/${post77.id}`), params: { id: String(id), postId: String(post77.id) }, ...ctx });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/discussions/${id}?page=4#post-${post77.id}`);
    // A post of another thread under this thread's address is not found.
    const other = await db.selectFrom("discussion_post").select("id").where("thread_id", "!=", id).executeTakeFirstOrThrow();
    await expectStatus(postLinkLoader({ request: getRequest(`/x`), params: { id: String(id), postId: String(other.id) }, ...ctx }), 404);
  });
});

describe("search, related threads and the digest", () => {
  it("finds discussions by words, never members-only or hidden ones for the wrong person, and survives FTS syntax", async () => {
    const search = async (q: string, cookie?: string) => (await (await indexLoader({ request: getRequest(`/discussions?q=${encodeURIComponent(q)}`, { cookie }), params: {}, ...ctx })).json()).results ?? [];
    expect((await search("outcomes framework")).map((r: { title: string }) => r.title)).toContain(COF);
    expect(await search("Welcome national")).toEqual([]);
    expect((await search("Welcome national", await cookieFor("national@example.org"))).map((r: { title: string }) => r.title)).toContain(WELCOME);
    expect(await search("cheap tickets")).toEqual([]);
    for (const q of ['"', "NEAR(a b)", "title:foo", "*", "a OR", ")("]) expect(Array.isArray(await search(q))).toBe(true);
  });

  it("lists threads about an organisation for its page", async () => {
    const org = await getDb().selectFrom("organisation").select("id").where("slug", "=", "breathe-magic").executeTakeFirstOrThrow();
    const threads = await listThreadsAbout({ subjectType: "organisation", subjectId: org.id, user: null });
    expect(threads.map((t) => t.title)).toEqual(["Breathe Magic: magic-based therapy with occupational therapists"]);
  });

  it("gives the digest active discussions with a plain-text summary", async () => {
    const nw = (await getDb().selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirstOrThrow()).id;
    const nat = (await getDb().selectFrom("network").select("id").where("slug", "=", "national").executeTakeFirstOrThrow()).id;
    const since = new Date(Date.now() - 30 * 24 * 3600_000).toISOString();
    const items = await listForDigest({ since, networkIds: [nw, nat], includeMembersOnly: false, limit: 50 });
    expect(items.length).toBeGreaterThan(0);
    expect(items.map((i) => i.title)).not.toContain(WELCOME);
    for (const i of items) {
      expect(i.url).toMatch(/^\/discussions\/\d+\/posts\/\d+$/);
      // Plain text (the digest escapes it): no Markdown syntax left, at most 200 characters.
      expect(i.summary.length).toBeGreaterThan(0);
      expect(Array.from(i.summary).length).toBeLessThanOrEqual(200);
      expect(i.summary).not.toContain("**");
      expect(i.meta).toMatch(/repl|New discussion/);
    }
    const withMembers = await listForDigest({ since, networkIds: [nat], includeMembersOnly: true });
    expect(withMembers.map((i) => i.title)).toContain(WELCOME);
  });
});

describe("mentions", () => {
  it("reads handles, not email addresses or code", () => {
    expect(mentionedHandles("Hi @sam-member and @Olivia-Organiser, mail me at jo@example.org `@not-me` @mo-moderator.")).toEqual(["sam-member", "olivia-organiser", "mo-moderator"]);
  });

  it("offers the network's listed members by name, with handles, and not those who chose not to be listed", async () => {
    const db = getDb();
    const id = await threadIdByTitle("Preston regional conference on 13 December: who is going?");
    const olivia = await cookieFor("organiser@example.org");
    const offered = (await loadThread(id, olivia)).members as Array<{ name: string; handle: string }>;
    expect(offered.map((m) => m.name)).toContain("Sam Member");
    expect(offered.find((m) => m.name === "Sam Member")?.handle).toBe("sam-member");
    const names = offered.map((m) => m.name.toLowerCase());
    expect(names).toEqual([...names].sort());
    expect(offered.length).toBeLessThanOrEqual(MENTIONABLE_LIMIT);

    await db.updateTable("account").set({ profile_visible: false }).where("email", "=", "member@example.org").execute();
    try {
      expect(((await loadThread(id, olivia)).members as Array<{ name: string }>).map((m) => m.name)).not.toContain("Sam Member");
    } finally {
      await db.updateTable("account").set({ profile_visible: true }).where("email", "=", "member@example.org").execute();
    }
  });

  it("in a network bigger than the picker, offers the listed people who wrote the discussion's latest posts", async () => {
    const db = getDb();
    const id = await threadIdByTitle("Preston regional conference on 13 December: who is going?");
    const { network_id: networkId } = await db.selectFrom("discussion_thread").select("network_id").where("id", "=", id).executeTakeFirstOrThrow();
    // Who wrote the discussion's latest posts (the paging test above adds many by one person),
    // and of those, the listed members of its network.
    const latest = await db.selectFrom("discussion_post").select("author_account_id").where("thread_id", "=", id).orderBy("seq", "desc").limit(MENTION_RECENT_POSTS).execute();
    const authors = await db
      .selectFrom("account as a")
      .innerJoin("network_membership as m", (j) => j.onRef("m.account_id", "=", "a.id").on("m.network_id", "=", networkId).on("m.status", "=", "approved"))
      .select(["a.id", "a.name"])
      .where("a.id", "in", latest.map((p) => p.author_account_id ?? ""))
      .where("a.profile_visible", "=", true)
      .where("a.deleted_at", "is", null)
      .execute();
    expect(authors.length).toBeGreaterThanOrEqual(1);
    const older = await db
      .selectFrom("discussion_post as p")
      .innerJoin("account as a", "a.id", "p.author_account_id")
      .select("a.name")
      .where("p.thread_id", "=", id)
      .where("a.id", "not in", authors.map((a) => a.id))
      .execute();
    const small = await mentionableMembers(networkId, id);
    expect(small.scope).toBe("network");
    expect(small.members.length).toBeGreaterThan(authors.length);

    // With room for fewer than the network's listed members, the discussion's people are offered.
    const big = await mentionableMembers(networkId, id, authors.length);
    expect(big.scope).toBe("discussion");
    expect(big.members.map((m) => m.name).sort()).toEqual(authors.map((a) => a.name).sort());
    const names = big.members.map((m) => m.name.toLowerCase());
    expect(names).toEqual([...names].sort());
    expect(big.members.every((m) => /^[a-z0-9-]+$/.test(m.handle))).toBe(true);
    for (const { name } of older) expect(big.members.map((m) => m.name)).not.toContain(name);

    const hidden = authors[0];
    await db.updateTable("account").set({ profile_visible: false }).where("id", "=", hidden.id).execute();
    try {
      expect((await mentionableMembers(networkId, id, authors.length)).members.map((m) => m.name)).not.toContain(hidden.name);
    } finally {
      await db.updateTable("account").set({ profile_visible: true }).where("id", "=", hidden.id).execute();
    }
  });
});
