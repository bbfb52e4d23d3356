/**
 * The portal's one search index (search_document + search_fts) is kept by triggers. After every
 * kind of write, through the models where they exist and through plain SQL where they do not,
 * the documents must equal what the source views say, and the full-text index must agree with
 * the documents (FTS5's own integrity check; on PostgreSQL, each stored tsvector against its text).
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { dialect, getDb, nowIso } from "../../db/index";
import type { SessionUser } from "../../app/utils/auth.server";
import { searchResources, type SearchFilters } from "../../app/models/resource-search.server";
import { createService, deleteService, proposeOrganisation, updateOrganisation, updateService } from "../../app/models/organisations.server";
import { createReply, createThread, deleteOwnPost, editPost, moderate, setDiscussionVisibility } from "../../app/models/discussions.server";
import { searchDiscussions } from "../../app/models/discussion-search.server";
import { organisationSchema, serviceSchema } from "../../app/validation/organisations";

const db = () => getDb();
const KINDS = ["resource", "service", "organisation", "event", "post"];
const COLUMNS = sql.raw(
  "id, kind, ref_id, parent_id, organisation_id, network_id, category_id, visibility, title, body, keywords, starts_at, ends_at, postcode, area, latitude, longitude, online",
);

/** The documents equal the union of the source views, both ways, and FTS5 agrees with them. */
async function expectIndexExact(step: string) {
  const union = sql.join(
    KINDS.map((k) => sql`SELECT ${COLUMNS} FROM ${sql.raw(`search_source_${k}`)}`),
    sql` UNION ALL `,
  );
  const sources = sql`SELECT ${COLUMNS} FROM (${union}) AS s`;
  const missing = await sql<{ id: number; title: string }>`SELECT id, title FROM (${sources}) AS s EXCEPT SELECT id, title FROM (SELECT ${COLUMNS} FROM search_document) AS d`.execute(db());
  const extra = await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT ${COLUMNS} FROM search_document EXCEPT ${sources}) AS x`.execute(db());
  const stale = await sql<{ n: number }>`SELECT count(*) AS n FROM (${sources} EXCEPT SELECT ${COLUMNS} FROM search_document) AS x`.execute(db());
  expect({ step, missing: missing.rows, extra: Number(extra.rows[0].n), stale: Number(stale.rows[0].n) }).toEqual({ step, missing: [], extra: 0, stale: 0 });
  if (dialect() === "postgres") {
    // Every document's tsvector is what its title, keywords and body give, weighted A, B and C.
    const wrong = await sql<{ n: number }>`SELECT count(*) AS n FROM search_document WHERE fts IS DISTINCT FROM (
        setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', keywords), 'B') || setweight(to_tsvector('english', body), 'C'))`.execute(db());
    expect({ step, wrongVectors: Number(wrong.rows[0].n) }).toEqual({ step, wrongVectors: 0 });
    return;
  }
  // Raises SQLITE_CORRUPT_VTAB when the index and search_document disagree.
  await sql`INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)`.execute(db());
}

async function user(email: string): Promise<SessionUser> {
  const a = await db().selectFrom("account").select(["id", "email", "name", "is_platform_admin"]).where("email", "=", email).executeTakeFirstOrThrow();
  return { id: a.id, email: a.email, name: a.name, emailVerified: true, isPlatformAdmin: a.is_platform_admin, hasTotp: true };
}

async function northWest() {
  return (await db().selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirstOrThrow()).id;
}

const noFilters = (): SearchFilters => ({ kind: [], topic: [], publisher: [], year: [], outcome: [], network: [] });
const resourceTitles = async (q: string) => (await searchResources({ q, filters: noFilters(), sort: "relevance", page: 1, perPage: 50, readableNetworkIds: [] })).results.map((r) => r.title);

const orgInput = (over: Record<string, unknown> = {}) => organisationSchema.omit({ networks: true }).parse({ name: "Quokka Wellbeing Trust", sector: "vcse", summary: "A test trust", area_served: "Lancashire", postcode: "pr1 2he", ...over });
const serviceInput = (over: Record<string, unknown> = {}) =>
  serviceSchema.parse({ name: "Wombat walking group", description: "Gentle walks for people feeling lonely", address: "Fishergate", city: "Preston", postcode: "PR1 2HE", status: "active", topics: ["nature-and-green"], ...over });

describe("the search index is kept exact by triggers", () => {
  it("matches its sources after the seed", async () => {
    await expectIndexExact("seed");
    const counts = await sql<{ kind: string; n: number }>`SELECT kind, count(*) AS n FROM search_document GROUP BY kind`.execute(db());
    expect(counts.rows.map((r) => r.kind).sort()).toEqual([...KINDS].sort());
  });

  it("finds an organisation's resources by its new name after a rename (issue 12 item 17)", async () => {
    const resource = await db()
      .selectFrom("resource as r")
      .innerJoin("organisation as o", "o.id", "r.publisher_organisation_id")
      .select(["r.title", "o.id as org_id", "o.name", "o.sector", "o.summary"])
      .where("r.status", "=", "published")
      .where("r.visibility", "=", "public")
      .where("r.publisher_name", "is", null)
      .executeTakeFirstOrThrow();
    const org = await db().selectFrom("organisation").selectAll().where("id", "=", resource.org_id).executeTakeFirstOrThrow();
    const form = Object.fromEntries(Object.entries(org).map(([k, v]) => [k, v ?? ""]));
    await updateOrganisation(org.id, organisationSchema.omit({ networks: true }).parse({ ...form, name: "Zanzibarian Heritage Collective" }));
    expect(await resourceTitles("Zanzibarian")).toContain(resource.title);
    await expectIndexExact("organisation renamed");
    await updateOrganisation(org.id, organisationSchema.omit({ networks: true }).parse(form));
    expect(await resourceTitles("Zanzibarian")).toEqual([]);
    await expectIndexExact("organisation renamed back");
  });

  it("follows organisations and services through propose, approve, edit, topics, delete and cascade", async () => {
    const proposer = await user("member@example.org");
    const { id: orgId } = await proposeOrganisation(proposer, { ...orgInput(), networks: [await northWest()] });
    // Pending: not searchable yet.
    expect(await db().selectFrom("search_document").select("id").where("kind", "=", "organisation").where("ref_id", "=", orgId).execute()).toHaveLength(0);
    await expectIndexExact("proposed");
    await db().updateTable("organisation").set({ status: "approved", updated_at: nowIso() }).where("id", "=", orgId).execute();
    await expectIndexExact("approved");
    const serviceId = await createService(orgId, proposer.id, serviceInput());
    await expectIndexExact("service created");
    const doc = await db().selectFrom("search_document").selectAll().where("kind", "=", "service").where("ref_id", "=", serviceId).executeTakeFirstOrThrow();
    expect(doc.keywords).toContain("Quokka Wellbeing Trust");
    expect(doc.keywords).toContain("nature and green");
    expect(doc.postcode).toBe("PR1 2HE");
    expect(doc.area).toBe("PR");
    await updateService(orgId, serviceId, serviceInput({ name: "Wombat rambling group", topics: ["arts-and-health"] }));
    await expectIndexExact("service edited, topics changed");
    await updateOrganisation(orgId, orgInput({ name: "Quokka Community Trust" }));
    await expectIndexExact("organisation renamed");
    expect((await db().selectFrom("search_document").select("keywords").where("id", "=", doc.id).executeTakeFirstOrThrow()).keywords).toContain("Quokka Community Trust");
    await updateService(orgId, serviceId, serviceInput({ status: "inactive" }));
    expect(await db().selectFrom("search_document").select("id").where("id", "=", doc.id).execute()).toHaveLength(0);
    await expectIndexExact("service closed");
    await updateService(orgId, serviceId, serviceInput());
    await deleteService(orgId, serviceId);
    await expectIndexExact("service deleted");
    await createService(orgId, proposer.id, serviceInput({ name: "Second service" }));
    await db().deleteFrom("organisation").where("id", "=", orgId).execute();
    await expectIndexExact("organisation deleted with its services (cascade)");
    expect(await db().selectFrom("search_document").select("id").where("organisation_id", "=", orgId).execute()).toHaveLength(0);
  });

  it("follows events through insert, topics, edit, cancel and delete", async () => {
    const nw = await northWest();
    const now = nowIso();
    const { id } = await db()
      .insertInto("event")
      .values({
        uid: "search-index-test@roundtable",
        sequence: 0,
        network_id: nw,
        organisation_id: null,
        organiser_account_id: null,
        kind: "workshop",
        title: "Capybara craft morning",
        description: "Making things together",
        start_local: "2027-01-05T10:00",
        end_local: "2027-01-05T12:00",
        time_zone: "Europe/London",
        start_utc: "2027-01-05T10:00:00.000Z",
        end_utc: "2027-01-05T12:00:00.000Z",
        series_end_utc: "2027-01-05T12:00:00.000Z",
        all_day: false,
        recurrence: null,
        rrule: null,
        venue: "Harris Museum",
        address: "Market Square, Preston",
        postcode: "PR1 2PP",
        online_url: null,
        online_url_registrants_only: false,
        capacity: null,
        access_bsl: false,
        access_captions: false,
        access_step_free: false,
        accessibility_notes: null,
        visibility: "public",
        status: "scheduled",
        cancelled_at: null,
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await expectIndexExact("event inserted");
    expect((await db().selectFrom("postcode_location").select("status").where("postcode", "=", "PR1 2PP").executeTakeFirst())?.status).toBe("pending");
    await db().insertInto("event_topic").values({ event_id: id, topic: "arts-and-health" }).execute();
    await db().updateTable("event").set({ title: "Capybara craft afternoon", visibility: "members" }).where("id", "=", id).execute();
    await expectIndexExact("event edited");
    await db().updateTable("postcode_location").set({ status: "found", latitude: 53.759, longitude: -2.699 }).where("postcode", "=", "PR1 2PP").execute();
    expect(await db().selectFrom("search_document").select(["latitude", "longitude"]).where("kind", "=", "event").where("ref_id", "=", id).executeTakeFirst()).toEqual({ latitude: 53.759, longitude: -2.699 });
    await expectIndexExact("postcode located");
    await db().updateTable("event").set({ status: "cancelled" }).where("id", "=", id).execute();
    await expectIndexExact("event cancelled");
    await db().deleteFrom("event").where("id", "=", id).execute();
    await expectIndexExact("event deleted");
  });

  it("follows discussions through new threads, replies, edits, deletes, moderation and settings", async () => {
    const member = await user("member@example.org");
    const moderator = await user("moderator@example.org");
    const nw = await northWest();
    const category = (await db().selectFrom("discussion_category").select("id").where("network_id", "=", nw).executeTakeFirstOrThrow()).id;
    const { threadId, postId } = await createThread({ user: member, categoryId: category, title: "Platypus pottery club", body: "Does anyone refer to **pottery**?" });
    await expectIndexExact("thread started");
    expect((await searchDiscussions({ q: "platypus", categoryIds: [category] })).map((h) => h.threadId)).toEqual([threadId]);
    const reply = await createReply({ user: member, threadId, body: "Echidna evenings too" });
    await expectIndexExact("reply");
    await editPost({ user: member, postId, body: "Does anyone refer to ceramics?", title: "Platypus ceramics club" });
    await expectIndexExact("opening post and title edited");
    expect(await searchDiscussions({ q: "pottery", categoryIds: [category] })).toEqual([]);
    expect((await searchDiscussions({ q: "ceramics", categoryIds: [category] })).map((h) => h.threadId)).toEqual([threadId]);
    await moderate(moderator, { kind: "hide-post", postId: reply.postId });
    await expectIndexExact("reply hidden");
    expect(await searchDiscussions({ q: "echidna", categoryIds: [category] })).toEqual([]);
    await moderate(moderator, { kind: "restore-post", postId: reply.postId });
    await expectIndexExact("reply restored");
    await moderate(moderator, { kind: "hide-thread", threadId });
    await expectIndexExact("thread hidden");
    expect(await searchDiscussions({ q: "platypus", categoryIds: [category] })).toEqual([]);
    await moderate(moderator, { kind: "restore-thread", threadId });
    await setDiscussionVisibility(nw, "public", moderator.id);
    await expectIndexExact("discussions made public");
    await setDiscussionVisibility(nw, "members", moderator.id);
    await expectIndexExact("discussions made members-only");
    await deleteOwnPost({ user: member, postId: reply.postId });
    await expectIndexExact("reply deleted by its author");
    expect(await searchDiscussions({ q: "echidna", categoryIds: [category] })).toEqual([]);
  });

  it("rebuilds nothing by hand: no application code writes the index", async () => {
    const { execSync } = await import("node:child_process");
    const writers = execSync("grep -rlE 'into\\(\"search_(document|fts)\"|INTO search_document|INTO search_fts ?\\(rowid' app db/seed || true", { encoding: "utf8" }).trim();
    expect(writers).toBe("");
  });
});
