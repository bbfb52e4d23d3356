/**
 * How search reads words, on whichever dialect the suite runs (SQLite FTS5, or PostgreSQL's
 * tsvector with RT_TEST_DB=postgres): stemming, prefixes, synonyms, ranking (title over keywords
 * over body, upcoming over past), snippets with marks and '…', members-only documents kept from
 * everyone outside, and query syntax of both engines read as plain words.
 */
import { describe, expect, it } from "vitest";
import { getDb, nowIso } from "../../db/index";
import { searchResources, type SearchFilters } from "../../app/models/resource-search.server";
import { searchDiscussions } from "../../app/models/discussion-search.server";
import { siteSearch, type SiteSearchInput } from "../../app/models/search/site-search.server";

const db = () => getDb();
const noFilters = (): SearchFilters => ({ kind: [], topic: [], publisher: [], year: [], outcome: [], network: [] });
const resources = (q: string, readable: number[] = []) => searchResources({ q, filters: noFilters(), sort: "relevance", page: 1, perPage: 20, readableNetworkIds: readable });
const anonymous: SiteSearchInput["viewer"] = { readableNetworkIds: [], readableCategoryIds: [] };
const site = (q: string, viewer = anonymous, now?: string) =>
  siteSearch({ q, groups: [], topic: null, networkId: null, area: null, near: null, withinMiles: 10, pages: {}, perPage: 20, viewer, now });
const siteTitles = async (q: string, group: string, viewer = anonymous, now?: string) =>
  ((await site(q, viewer, now)).groups.find((g) => g.group === group)?.hits ?? []).map((h) => h.titleParts.map((p) => p.text).join(""));

async function northWest() {
  return (await db().selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirstOrThrow()).id;
}

async function addResource(over: { title: string; summary: string; publisher_name?: string; visibility?: "public" | "members"; published_at?: string }) {
  const now = nowIso();
  const { visibility = "public", publisher_name = "Search Language Tests", published_at = now, ...text } = over;
  const r = await db()
    .insertInto("resource")
    .values({ network_id: await northWest(), visibility, status: "published", kind: "guide", ...text, publisher_organisation_id: null, publisher_name, year: 2024, url: "https://example.org/r", licence: "", contributor_account_id: null, created_at: now, updated_at: now, published_at, rejection_reason: null, moderated_by_account_id: null, moderated_at: null })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

async function addEvent(title: string, description: string, startUtc: string, visibility: "public" | "members" = "public") {
  const now = nowIso();
  const end = new Date(Date.parse(startUtc) + 2 * 3600_000).toISOString();
  const r = await db()
    .insertInto("event")
    .values({
      uid: `${title.replace(/\W+/g, "-")}@search-language`, sequence: 0, network_id: await northWest(), organisation_id: null, organiser_account_id: null, kind: "workshop", title, description,
      start_local: startUtc.slice(0, 16), end_local: end.slice(0, 16), time_zone: "Europe/London", start_utc: startUtc, end_utc: end, series_end_utc: end,
      all_day: false, recurrence: null, rrule: null, venue: null, address: null, postcode: null, online_url: null, online_url_registrants_only: false, capacity: null, access_bsl: false, access_captions: false, access_step_free: false,
      accessibility_notes: null, visibility, status: "scheduled", cancelled_at: null, created_at: now, updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

describe("search language, on this dialect", () => {
  it('stems: "walk", "walks", "walked" and "walking" meet; a word\'s start finds it', async () => {
    const walking = (await site("walking")).groups.map((g) => [g.group, g.hits.map((h) => h.url)]);
    expect(walking.length).toBeGreaterThan(2);
    for (const q of ["walk", "walks", "walked", "WALKING"]) expect((await site(q)).groups.map((g) => [g.group, g.hits.map((h) => h.url)]), q).toEqual(walking);
    await addResource({ title: "Butterwort befriending scheme", summary: "A scheme." });
    expect((await resources("butterw")).results.map((r) => r.title)).toEqual(["Butterwort befriending scheme"]);
    // Only the last word is a prefix: earlier words must be whole.
    expect((await resources("butter scheme")).results).toEqual([]);
    expect((await resources("butterwort sch")).results.map((r) => r.title)).toEqual(["Butterwort befriending scheme"]);
  });

  it("a word being typed finds what was added since it was last searched for", async () => {
    await addResource({ title: "Fernhollow walks", summary: "Along the tarn." });
    expect((await resources("fernho")).results.map((r) => r.title)).toEqual(["Fernhollow walks"]);
    // A new word under the same start: the terms the prefix covers are worked out again.
    await addResource({ title: "Fernholme crafts", summary: "Feathers and ink." });
    expect((await resources("fernho")).results.map((r) => r.title).sort()).toEqual(["Fernholme crafts", "Fernhollow walks"].sort());
    expect((await siteTitles("fernho", "resource")).sort()).toEqual(["Fernholme crafts", "Fernhollow walks"].sort());
  });

  it("finds a word being typed even when it starts like a common word", async () => {
    // "you" and "the" are stop words in PostgreSQL's english configuration; as the word being typed they still find "youth" and "theatre".
    await addResource({ title: "Youthful theatre nights", summary: "Zarzuela for all ages." });
    expect((await resources("you")).results.map((r) => r.title)).toContain("Youthful theatre nights");
    expect((await resources("zarzuela the")).results.map((r) => r.title)).toEqual(["Youthful theatre nights"]);
  });

  it("applies the synonyms list: either word of a group finds both", async () => {
    await addResource({ title: "Allotment plots for newcomers", summary: "Grow vegetables with neighbours." });
    await addResource({ title: "Community gardening days", summary: "Weeding and planting." });
    const both = ["Allotment plots for newcomers", "Community gardening days"];
    for (const q of ["gardening", "allotment", "green space"]) expect((await resources(q)).results.map((r) => r.title).filter((t) => both.includes(t)).sort(), q).toEqual(both);
  });

  it("finds hyphenated words and numbers as written (COVID-19, well-being)", async () => {
    await addResource({ title: "Recovery after COVID-19 for wellness groups", summary: "Support for well-being after illness." });
    for (const q of ["covid-19", "covid 19", '"covid-19"', "COVID"]) expect((await resources(q)).results.map((r) => r.title), q).toContain("Recovery after COVID-19 for wellness groups");
    expect((await resources("well-being")).results.map((r) => r.title)).toContain("Recovery after COVID-19 for wellness groups");
  });

  it("ranks a match in the title over one in the keywords over one in the body", async () => {
    await addResource({ title: "Notes on quillwort", summary: "A short note." });
    await addResource({ title: "Wetland plants", summary: "Quillwort grows under water. Quillwort is small. Many quillwort species." });
    await addResource({ title: "Pond survey", summary: "A survey of ponds.", publisher_name: "Quillwort Society" });
    expect((await resources("quillwort")).results.map((r) => r.title)).toEqual(["Notes on quillwort", "Pond survey", "Wetland plants"]);
    expect(await siteTitles("quillwort", "resource")).toEqual(["Notes on quillwort", "Pond survey", "Wetland plants"]);
  });

  it("lists upcoming events before past ones, however well the past one matches", async () => {
    const now = "2031-06-01T12:00:00.000Z";
    await addEvent("Marram grass walk", "Dunes.", "2031-05-01T10:00:00.000Z");
    await addEvent("Dune walk", "We look at marram grass on the dunes.", "2031-07-01T10:00:00.000Z");
    expect(await siteTitles("marram", "event", anonymous, now)).toEqual(["Dune walk", "Marram grass walk"]);
    const events = (await site("marram", anonymous, now)).groups.find((g) => g.group === "event")?.hits ?? [];
    expect(events.map((h) => h.upcoming)).toEqual([true, false]);
  });

  it("pages through every match once, in rank order, however many ranks tie", async () => {
    for (let i = 0; i < 6; i++) await addResource({ title: "Kittiwake colony", summary: "Seabirds." });
    const paged = async (q: string, page: number, perPage: number) =>
      (await siteSearch({ q, groups: ["resource"], topic: null, networkId: null, area: null, near: null, withinMiles: 10, pages: { resource: page }, perPage, viewer: anonymous })).groups[0];
    for (const q of ["kittiwake", "social"]) {
      const whole = await paged(q, 1, 100);
      expect(whole.total, q).toBeGreaterThan(5);
      const seen: number[] = [];
      for (let page = 1; page <= whole.total; page++) seen.push(...(await paged(q, page, 1)).hits.map((h) => h.refId));
      expect(seen, q).toEqual(whole.hits.map((h) => h.refId));
      // The resources page too, by relevance.
      const all = await searchResources({ q, filters: noFilters(), sort: "relevance", page: 1, perPage: 100, readableNetworkIds: [] });
      const pages: number[] = [];
      for (let page = 1; page <= all.total; page++) pages.push(...(await searchResources({ q, filters: noFilters(), sort: "relevance", page, perPage: 1, readableNetworkIds: [] })).results.map((r) => r.id));
      expect(pages, q).toEqual(all.results.map((r) => r.id));
    }
  });

  it("marks matched words in titles and snippets, and cuts a long body at '…'", async () => {
    const filler = (word: string, n: number) => Array.from({ length: n }, (_, i) => `${word}${String.fromCharCode(97 + (i % 26))}`).join(" ");
    await addResource({ title: "Samphire foraging guide", summary: `${filler("lorem", 40)} Samphire grows on salt marshes. ${filler("ipsum", 40)}` });
    const hit = (await resources("samphire")).results[0];
    expect(hit.title).toBe("Samphire foraging guide");
    expect(hit.titleParts).toEqual([
      { text: "Samphire", hit: true },
      { text: " foraging guide", hit: false },
    ]);
    const snippet = hit.snippetParts.map((p) => p.text).join("");
    expect(hit.snippetParts.filter((p) => p.hit).map((p) => p.text)).toEqual(["Samphire"]);
    expect(snippet.startsWith("…")).toBe(true);
    expect(snippet.endsWith("…")).toBe(true);
    expect(snippet.length).toBeLessThan(400);
    // The site search shows the same marks; a stemmed match is marked as written.
    const service = (await site("samphires")).groups.find((g) => g.group === "resource")?.hits[0];
    expect(service?.titleParts[0]).toEqual({ text: "Samphire", hit: true });
    // A short body is shown whole, without '…'.
    await addResource({ title: "Glasswort", summary: "Samphire by another name." });
    const short = (await resources("glasswort samphire")).results.find((r) => r.title === "Glasswort");
    expect(short?.snippetParts.map((p) => p.text).join("")).toBe("Samphire by another name.");
  });

  it("keeps members-only resources, events and discussions from everyone outside their network", async () => {
    const nw = await northWest();
    await addResource({ title: "Tamarisk members briefing", summary: "Tamarisk notes.", visibility: "members" });
    await addEvent("Tamarisk members meeting", "Tamarisk.", "2031-03-01T10:00:00.000Z", "members");
    const now = nowIso();
    const author = (await db().selectFrom("account").select("id").where("email", "=", "member@example.org").executeTakeFirstOrThrow()).id;
    const category = await db().insertInto("discussion_category").values({ network_id: nw, slug: "tamarisk-private", name: "Tamarisk", description: "", position: 9, created_at: now, members_only: true }).returning("id").executeTakeFirstOrThrow();
    const thread = await db()
      .insertInto("discussion_thread")
      .values({ network_id: nw, category_id: category.id, title: "Tamarisk private thread", author_account_id: author, subject_type: null, subject_id: null, pinned: false, locked: false, hidden: false, created_at: now, last_post_at: now, reply_count: 0, last_seq: 1 })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db().insertInto("discussion_post").values({ thread_id: thread.id, seq: 1, author_account_id: author, body: "tamarisk", created_at: now, edited_at: null, hidden: false, deleted_at: null }).execute();

    expect((await site("tamarisk")).total).toBe(0);
    expect((await resources("tamarisk")).total).toBe(0);
    const otherCategories = (await db().selectFrom("discussion_category").select("id").where("members_only", "=", false).execute()).map((c) => c.id);
    expect(await searchDiscussions({ q: "tamarisk", categoryIds: otherCategories })).toEqual([]);

    const member = { readableNetworkIds: [nw], readableCategoryIds: [...otherCategories, category.id] };
    expect(await siteTitles("tamarisk", "resource", member)).toEqual(["Tamarisk members briefing"]);
    expect(await siteTitles("tamarisk", "event", member)).toEqual(["Tamarisk members meeting"]);
    expect(await siteTitles("tamarisk", "discussion", member)).toEqual(["Tamarisk private thread"]);
    expect((await resources("tamarisk", [nw])).results.map((r) => r.title)).toEqual(["Tamarisk members briefing"]);
    expect((await searchDiscussions({ q: "tamarisk", categoryIds: member.readableCategoryIds })).map((h) => h.title)).toEqual(["Tamarisk private thread"]);
  });

  it("reads the query syntax of both engines as plain words and never errors", async () => {
    await addResource({ title: "Heather moorland walks", summary: "Walks across the heather." });
    const hostile = [
      `'"():*&|!<->\\`,
      "'",
      "\\",
      "heather:*",
      "heather & !moorland",
      "heather | nothing",
      "heather <-> moorland",
      "heather <2> moorland",
      "!heather",
      "'heather'",
      "heather' | 'x",
      "heather\\' & 'x",
      "heather:A",
      "heather:*A",
      "(heather",
      "heather)",
      "NEAR(heather moorland)",
      "heather NOT moorland",
      "heather OR nothing",
      "title:heather",
      "{heather}",
      "heather^2",
      "$$heather$$",
      "E'heather'",
      "heather; DROP TABLE resource; --",
      "\u0000heather",
      "h".repeat(3000),
    ];
    const categories = (await db().selectFrom("discussion_category").select("id").execute()).map((c) => c.id);
    for (const q of hostile) {
      const label = q.slice(0, 40);
      expect(Array.isArray((await resources(q)).results), label).toBe(true);
      expect(Array.isArray((await site(q)).groups), label).toBe(true);
      expect(Array.isArray(await searchDiscussions({ q, categoryIds: categories })), label).toBe(true);
    }
    // Operators are just punctuation: the words around them are searched, all of them.
    const titles = async (q: string) => (await resources(q)).results.map((r) => r.title);
    for (const q of ["heather:*", "heather & !moorland", "heather <-> moorland", "'heather'", "!heather"]) expect(await titles(q), q).toContain("Heather moorland walks");
    expect(await titles("heather | nothing")).not.toContain("Heather moorland walks");
    // Nothing but syntax: nothing to search for.
    expect((await resources(`'"():*&|!<->\\`)).emptyQuery).toBe(true);
    expect((await site(`'"():*&|!<->\\`)).blank).toBe(true);
    expect(await db().selectFrom("resource").select("id").limit(1).execute()).toHaveLength(1);
  });
});
