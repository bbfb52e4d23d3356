/**
 * /search through its loader, on the demo data, with the local postcodes.io stand-in: what a new
 * user would type, what members-only things anonymous visitors must never see, query syntax as
 * data, and "near a postcode".
 */
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { SYNONYM_GROUPS } from "../../app/models/search/synonyms";
import { synonymMap, toFtsQuery } from "../../app/utils/fts.server";
import { dialect, getDb, nowIso } from "../../db/index";
import { startPostcodes } from "../support/postcodes";
import { cookieFor } from "../support/auth";
import { getRequest } from "../support/fixtures";

// Before anything reads the configuration: lookups go to the stand-in.
const standIn = await startPostcodes();
process.env.POSTCODES_API_URL = standIn.url;
afterAll(() => standIn.close());

const { loader } = await import("../../app/routes/search");
const { lookUpPending } = await import("../../app/models/places.server");
const { siteSearch } = await import("../../app/models/search/site-search.server");
const { matchQuery } = await import("../../app/models/search/fts.server");

type Data = Awaited<ReturnType<Awaited<ReturnType<typeof loader>>["json"]>>;

async function search(query: string, cookie?: string): Promise<Data> {
  const res = await loader({ request: getRequest(`/search?${query}`, cookie ? { cookie } : {}), params: {}, context: {} });
  expect(res.status).toBe(200);
  return res.json();
}
const titles = (d: Data, group: string) => (d.result.groups.find((g) => g.group === group)?.hits ?? []).map((h) => h.titleParts.map((p) => p.text).join(""));
const all = (d: Data) => d.result.groups.flatMap((g) => g.hits.map((h) => `${g.group}:${h.url}`)).sort();

describe("/search", () => {
  it('"walking" finds the walk-and-talk service, a discussion and resources, grouped with counts', async () => {
    const d = await search("q=walking");
    expect(titles(d, "service")).toContain("Eden Valley Walk and Talk (demo)");
    expect(titles(d, "discussion")).toContain("Walking groups for people who are lonely");
    expect(titles(d, "resource")).toContain("Walk and talk groups: a short guide for link workers (demo)");
    const service = d.result.groups.find((g) => g.group === "service");
    expect(service?.total).toBeGreaterThanOrEqual(1);
    expect(service?.hits[0].titleParts.some((p) => p.hit && /walk/i.test(p.text))).toBe(true);
  });

  it('"walk" finds what "walking" finds, and "lonely" what "loneliness" finds', async () => {
    expect(all(await search("q=walk"))).toEqual(all(await search("q=walking")));
    const lonely = all(await search("q=lonely"));
    expect(lonely).toEqual(all(await search("q=loneliness")));
    expect(lonely.length).toBeGreaterThan(2);
    // The synonyms reach isolation and befriending too.
    expect(all(await search("q=isolation"))).toEqual(lonely);
  });

  it("treats any query text as words and never errors", async () => {
    for (const q of ['"', "walk AND", "NEAR(walk, 2)", "*", "title:walk", "(((", "a\u0000b", "x".repeat(3000), "'; DROP TABLE service; --", "\u0002walk\u0003"]) {
      const d = await search(new URLSearchParams({ q }).toString());
      expect(Array.isArray(d.result.groups)).toBe(true);
    }
    const blank = await search("q=%21%21%21");
    expect(blank.result.blank).toBe(true);
  });

  it("never shows members-only things to anonymous visitors", async () => {
    const db = getDb();
    const nw = (await db.selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirstOrThrow()).id;
    const national = (await db.selectFrom("network").select("id").where("slug", "=", "national").executeTakeFirstOrThrow()).id;
    const now = nowIso();
    await db
      .insertInto("resource")
      .values({ network_id: nw, visibility: "members", status: "published", kind: "guide", title: "Zebrafinch members guide", summary: "Only for members", publisher_organisation_id: null, publisher_name: "Test", year: 2020, url: "https://example.org/z", licence: "", contributor_account_id: null, created_at: now, updated_at: now, published_at: now, rejection_reason: null, moderated_by_account_id: null, moderated_at: null })
      .execute();
    // A members-only category inside North West's public discussions, and the national network's members-only discussions.
    const author = (await db.selectFrom("account").select("id").where("email", "=", "member@example.org").executeTakeFirstOrThrow()).id;
    const hiddenCat = await db.insertInto("discussion_category").values({ network_id: nw, slug: "zebra-private", name: "Private", description: "", position: 9, created_at: now, members_only: true }).returning("id").executeTakeFirstOrThrow();
    const nationalCat = (await db.selectFrom("discussion_category").select("id").where("network_id", "=", national).executeTakeFirstOrThrow()).id;
    for (const [network, category, title] of [
      [nw, hiddenCat.id, "Zebrafinch private thread"],
      [national, nationalCat, "Zebrafinch national thread"],
    ] as const) {
      const t = await db
        .insertInto("discussion_thread")
        .values({ network_id: network, category_id: category, title, author_account_id: author, subject_type: null, subject_id: null, pinned: false, locked: false, hidden: false, created_at: now, last_post_at: now, reply_count: 0, last_seq: 1 })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db.insertInto("discussion_post").values({ thread_id: t.id, seq: 1, author_account_id: author, body: "zebrafinch", created_at: now, edited_at: null, hidden: false, deleted_at: null }).execute();
    }
    await db
      .insertInto("event")
      .values({
        uid: "zebrafinch@roundtable", sequence: 0, network_id: nw, organisation_id: null, organiser_account_id: null, kind: "workshop", title: "Zebrafinch members workshop", description: "",
        start_local: "2030-01-05T10:00", end_local: "2030-01-05T12:00", time_zone: "Europe/London", start_utc: "2030-01-05T10:00:00.000Z", end_utc: "2030-01-05T12:00:00.000Z", series_end_utc: "2030-01-05T12:00:00.000Z",
        all_day: false, recurrence: null, rrule: null, venue: null, address: null, postcode: null, online_url: null, online_url_registrants_only: false, capacity: null, access_bsl: false, access_captions: false, access_step_free: false,
        accessibility_notes: null, visibility: "members", status: "scheduled", cancelled_at: null, created_at: now, updated_at: now,
      })
      .execute();

    const anonymous = await search("q=zebrafinch");
    expect(anonymous.result.total).toBe(0);
    expect(anonymous.members).toBeNull();
    const member = await search("q=zebrafinch", await cookieFor("member@example.org"));
    expect(titles(member, "resource")).toEqual(["Zebrafinch members guide"]);
    expect(titles(member, "event")).toEqual(["Zebrafinch members workshop"]);
    expect(titles(member, "discussion")).toEqual(["Zebrafinch private thread"]);
    const nationalMember = await search("q=zebrafinch", await cookieFor("national@example.org"));
    expect(titles(nationalMember, "discussion")).toEqual(["Zebrafinch national thread"]);
    // Members appear only for signed-in members.
    expect((await search("q=olivia")).members).toBeNull();
    expect((await search("q=olivia", await cookieFor("member@example.org"))).members?.total).toBeGreaterThanOrEqual(1);
  });

  it("near PR1 2HE lists the Preston service before the Carlisle one, with miles, and marks online services", async () => {
    await lookUpPending();
    const d = await search("q=drop-in&near=pr12he&within=100");
    expect(d.errors).toEqual({});
    expect(d.near).toBe("PR1 2HE");
    const hits = d.result.groups.find((g) => g.group === "service")?.hits ?? [];
    const names = hits.map((h) => h.titleParts.map((p) => p.text).join(""));
    expect(names.indexOf("Preston link worker drop-in (demo)")).toBeGreaterThanOrEqual(0);
    expect(names.indexOf("Preston link worker drop-in (demo)")).toBeLessThan(names.indexOf("Carlisle link worker drop-in (demo)"));
    const carlisle = hits.find((h) => h.url.includes("carlisle"));
    expect(carlisle?.miles).toBeGreaterThan(70);
    expect(carlisle?.miles).toBeLessThan(85);
    // Without words: the services near the postcode, nearest first; online ones marked.
    const nearby = await search("near=PR1+2HE&within=5&kind=service");
    const list = nearby.result.groups[0].hits;
    expect(list[0].miles).toBeLessThan(1);
    expect(list.some((h) => h.online && h.miles === null)).toBe(true);
    expect(list.every((h) => h.miles === null || h.miles <= 5)).toBe(true);
  });

  it("saves a service while the postcode service is down, and the job locates it later", async () => {
    const { createService } = await import("../../app/models/organisations.server");
    const { serviceSchema } = await import("../../app/validation/organisations");
    const org = await getDb().selectFrom("organisation").select("id").where("slug", "=", "demo-preston-social-prescribing").executeTakeFirstOrThrow();
    const admin = (await getDb().selectFrom("account").select("id").where("email", "=", "organiser@example.org").executeTakeFirstOrThrow()).id;
    standIn.down();
    let id: number;
    try {
      id = await createService(org.id, admin, serviceSchema.parse({ name: "Harris Museum coffee morning", description: "Coffee", address: "Market Square", city: "Preston", postcode: "pr12pp", status: "active" }));
    } finally {
      standIn.up();
    }
    const doc = () => getDb().selectFrom("search_document").select(["postcode", "latitude"]).where("kind", "=", "service").where("ref_id", "=", id).executeTakeFirstOrThrow();
    expect(await doc()).toEqual({ postcode: "PR1 2PP", latitude: null });
    const row = await getDb().selectFrom("postcode_location").selectAll().where("postcode", "=", "PR1 2PP").executeTakeFirstOrThrow();
    expect(row.status).toBe("pending");
    expect(row.next_attempt_at).not.toBeNull();
    // Not due yet: the job leaves it; once due, it is found and the search document gets the place.
    expect(await lookUpPending({ now: new Date() })).toBe(0);
    expect(await lookUpPending({ now: new Date(Date.now() + 60 * 60 * 1000) })).toBe(1);
    expect((await doc()).latitude).toBeCloseTo(53.759, 2);
  });

  it("explains an invalid or unknown postcode, and an unreachable postcode service", async () => {
    expect((await search("q=walk&near=not+a+postcode")).errors.near).toMatch(/full UK postcode/);
    expect((await search("q=walk&near=ZZ9+9ZZ")).errors.near).toMatch(/could not find the postcode ZZ9 9ZZ/);
    standIn.down();
    try {
      expect((await search("q=walk&near=CA2+7HZ")).errors.near).toMatch(/cannot look up postcodes right now/);
    } finally {
      standIn.up();
    }
  });
});

describe("common words at scale (bounded counting and ranking)", () => {
  const viewer = { readableNetworkIds: [], readableCategoryIds: [] };
  const resources = (q: string, page: number, perPage: number, limits?: { counted: number; window: number }) =>
    siteSearch({ q, groups: ["resource"], topic: null, networkId: null, area: null, near: null, withinMiles: 10, pages: { resource: page }, perPage, viewer, limits });
  const ids = (out: Awaited<ReturnType<typeof resources>>) => out.groups[0]?.hits.map((h) => h.refId) ?? [];

  // SQLite's FTS5 side (PostgreSQL ranks every match with its own index).
  it.runIf(dialect() === "sqlite")("names the few terms a typed prefix covers, matching exactly what the prefix matches", async () => {
    const db = getDb();
    const rowids = async (match: string) => (await sql<{ id: number }>`SELECT rowid AS id FROM search_fts WHERE search_fts MATCH ${match} ORDER BY rowid`.execute(db)).rows.map((r) => r.id);
    for (const q of ["social prescrib", "walking gro", "making sense", "link work", "volunt", "communit"]) {
      const plain = toFtsQuery(q, synonymMap(SYNONYM_GROUPS));
      expect(plain).toMatch(/\*$/);
      expect({ q, ids: await rowids(matchQuery(q) ?? "") }).toEqual({ q, ids: await rowids(plain ?? "") });
    }
    expect(matchQuery("social prescrib")).not.toMatch(/\*/);
  });

  it("past the count it says 'more', ranks title matches first, and pages show each match once", async () => {
    const exact = await resources("social", 1, 100);
    const all = ids(exact);
    expect(exact.groups[0].more).toBe(false);
    expect(all.length).toBeGreaterThan(4);
    const capped = await resources("social", 1, 1, { counted: 4, window: 1 });
    expect(capped.groups[0]).toMatchObject({ total: 4, more: true, pageCount: 4 });
    // Page 1 is the newest resource with the word in its title.
    const titled = await getDb().selectFrom("resource").select("id").where("status", "=", "published").where("visibility", "=", "public").where("title", "like", "%social%").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(ids(capped)).toEqual([titled.id]);
    // Pages 3 and 4 are past the two ranked windows (one title match, one newest match).
    const seen: number[] = [];
    for (let page = 1; page <= 4; page++) seen.push(...ids(await resources("social", page, 1, { counted: 4, window: 1 })));
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
    for (const id of seen) expect(all).toContain(id);
  });
});
