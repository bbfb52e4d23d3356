import { describe, expect, it } from "vitest";
import { getDb } from "../../db/index";
import { loader as indexLoader } from "../../app/routes/discussions._index";
import { loader as threadLoader } from "../../app/routes/discussions.$id";
import { loader as categoryLoader } from "../../app/routes/discussions.c.$categoryId";
import { action as modAction, loader as modLoader } from "../../app/routes/discussions.moderation";
import { discussionReadableCategoryIds } from "../../app/models/access.server";
import { listForDigest, listThreadsAbout } from "../../app/models/discussions.server";
import { searchDiscussions } from "../../app/models/discussion-search.server";
import { adminCookie, cookieFor } from "../support/auth";
import { formRequest, getRequest } from "../support/fixtures";

// Item 14 of issue 12: a network admin can keep one category for members only even when the
// network's discussions are public; its threads then reach members alone, everywhere.
const ctx = { context: {} };
const ARTS = "Arts on prescription: what is working for your link workers?";
const MAGIC = "Breathe Magic: magic-based therapy with occupational therapists";
const COF = "Everyone measuring the same things: the Common Outcomes Framework";

async function status(p: Promise<unknown>): Promise<number> {
  try {
    const res = await p;
    return res instanceof Response ? res.status : 200;
  } catch (e) {
    if (e instanceof Response) return e.status;
    throw e;
  }
}
async function ids() {
  const db = getDb();
  const nw = await db.selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirstOrThrow();
  const arts = await db.selectFrom("discussion_category").select("id").where("network_id", "=", nw.id).where("slug", "=", "arts-and-health").executeTakeFirstOrThrow();
  const thread = await db.selectFrom("discussion_thread").select("id").where("title", "=", ARTS).executeTakeFirstOrThrow();
  return { network: nw.id, category: arts.id, thread: thread.id };
}
async function setReaders(readers: "members" | "network", cookie: string) {
  const { network, category } = await ids();
  return modAction({ request: formRequest("/discussions/moderation", { intent: "category-visibility", networkId: String(network), categoryId: String(category), readers }, { cookie }), params: {}, ...ctx });
}
async function index(cookie?: string, q = "") {
  return (await indexLoader({ request: getRequest(`/discussions${q ? `?q=${encodeURIComponent(q)}` : ""}`, { cookie }), params: {}, ...ctx })).json();
}

describe("members-only discussion categories", () => {
  it("only a network admin may make a category members-only", async () => {
    expect([403, 404]).toContain(await status(setReaders("members", await cookieFor("moderator@example.org"))));
    expect(await status(setReaders("members", await cookieFor("national@example.org")))).toBe(404);
    const { category } = await ids();
    const row = await getDb().selectFrom("discussion_category").select("members_only").where("id", "=", category).executeTakeFirstOrThrow();
    expect(row.members_only).toBe(false);
  });

  it("keeps a members-only category of a public network out of public pages, search, related threads and public digests", async () => {
    const admin = await adminCookie();
    const { category, thread } = await ids();
    const before = await index();
    expect(before.recent.map((t: { title: string }) => t.title)).toContain(ARTS);

    const res = await setReaders("members", admin);
    expect(res.status).toBe(302);
    const settings = (await (await modLoader({ request: getRequest("/discussions/moderation", { cookie: admin }), params: {}, ...ctx })).json()).settings;
    expect(settings.flatMap((s: { categories: Array<{ id: number; members_only: boolean }> }) => s.categories).find((c: { id: number }) => c.id === category)?.members_only).toBe(true);

    // Anyone, and a signed-in person from another network: the category and its threads are gone.
    for (const cookie of [undefined, await cookieFor("national@example.org")]) {
      const page = await index(cookie);
      expect(page.recent.map((t: { title: string }) => t.title)).not.toContain(ARTS);
      expect(page.recent.map((t: { title: string }) => t.title)).toContain(COF);
      const categories = page.networks.flatMap((n: { categories: Array<{ id: number }> }) => n.categories.map((c) => c.id));
      expect(categories).not.toContain(category);
      expect((await index(cookie, "magic-based therapy")).results).toEqual([]);
      expect(await status(threadLoader({ request: getRequest(`/discussions/${thread}`, { cookie }), params: { id: String(thread) }, ...ctx }))).toBe(404);
      expect(await status(categoryLoader({ request: getRequest(`/discussions/c/${category}`, { cookie }), params: { categoryId: String(category) }, ...ctx }))).toBe(404);
    }
    const org = await getDb().selectFrom("organisation").select("id").where("slug", "=", "breathe-magic").executeTakeFirstOrThrow();
    expect(await listThreadsAbout({ subjectType: "organisation", subjectId: org.id, user: null })).toEqual([]);
    expect(await searchDiscussions({ q: "magic", categoryIds: await discussionReadableCategoryIds(null) })).toEqual([]);

    const since = new Date(Date.now() - 60 * 24 * 3600_000).toISOString();
    const { network } = await ids();
    const publicDigest = await listForDigest({ since, networkIds: [network], includeMembersOnly: false, limit: 50 });
    expect(publicDigest.map((i) => i.title)).not.toContain(ARTS);
    expect(publicDigest.map((i) => i.title)).not.toContain(MAGIC);
    expect(publicDigest.map((i) => i.title)).toContain(COF);
    const membersDigest = await listForDigest({ since, networkIds: [network], includeMembersOnly: true, limit: 50 });
    expect(membersDigest.map((i) => i.title)).toContain(ARTS);

    // Members still read, find and list it, marked as members only.
    const sam = await cookieFor("member@example.org");
    const member = await index(sam);
    expect(member.recent.map((t: { title: string }) => t.title)).toContain(ARTS);
    const listed = member.networks.flatMap((n: { categories: Array<{ id: number; members_only: boolean }> }) => n.categories).find((c: { id: number }) => c.id === category);
    expect(listed?.members_only).toBe(true);
    expect((await index(sam, "magic-based therapy")).results?.map((r: { title: string }) => r.title)).toContain(MAGIC);
    expect(await status(threadLoader({ request: getRequest(`/discussions/${thread}`, { cookie: sam }), params: { id: String(thread) }, ...ctx }))).toBe(200);

    expect((await setReaders("network", admin)).status).toBe(302);
    expect((await index()).recent.map((t: { title: string }) => t.title)).toContain(ARTS);
  });
});
