/**
 * Importing partners' calendars end to end through the real routes, the real import job and a
 * local calendar server: an organiser adds an Outlook feed and its events appear (the weekly
 * one recurring in our feed in UK time); a change upstream updates ours, a removal cancels it;
 * an organisation editor's calendar waits for approval; imported events can be hidden.
 */
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/index";
import { importDueCalendars } from "../../app/models/calendar-import.server";
import { action as calendarsAction, loader as calendarsLoader } from "../../app/routes/organisations.$slug_.calendars";
import { action as eventAction, loader as eventLoader } from "../../app/routes/events.$id";
import { loader as orgFeed } from "../../app/routes/organisations.$slug.events[.]ics";
import { loader as listLoader } from "../../app/routes/events._index";
import { loader as networkLoader } from "../../app/routes/networks.$slug";
import { cookieFor } from "../support/auth";
import { fixtureText, startCalendarServer, type CalendarServer } from "../support/calendar-server";
import { formRequest, getRequest } from "../support/fixtures";

process.env.ICS_IMPORT_ALLOW_PRIVATE = "on";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyHandler = (args: any) => Promise<Response>;
const call = async (fn: AnyHandler, request: Request, params: Record<string, string> = {}) => {
  try {
    return await fn({ request, params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
};

const WALK_UID = "040000008200E00074C5B7101A82E00800000000B0E1C5A5B25DDA01000000000000000010000000B8A6E0D0C3F3B54A9E3F1D0F7A9C6E21";
const CALL_UID = "040000008200E00074C5B7101A82E00800000000D1F2A3B4C5D6DA01000000000000000010000000AA11BB22CC33DD44EE55FF6677889900";

let server: CalendarServer;
let organiser: string;
let member: string;
let orgSlug: string;
let northWestId: number;
let clock = Date.parse("2026-11-27T12:00:00Z");
/** Each run happens "two hours later", so every source is due. */
const tick = () => new Date((clock += 2 * 3_600_000));

async function eventFor(sourceId: number, key: string) {
  return getDb()
    .selectFrom("imported_event")
    .innerJoin("event", "event.id", "imported_event.event_id")
    .selectAll("event")
    .where("imported_event.source_id", "=", sourceId)
    .where("imported_event.external_key", "=", key)
    .executeTakeFirstOrThrow();
}

async function addCalendar(cookie: string, url: string, extra: Record<string, string> = {}) {
  const res = await call(calendarsAction, formRequest(`/organisations/${orgSlug}/calendars`, { intent: "add", url, keywords: "", networkId: String(northWestId), kind: "workshop", ...extra }, { cookie }), { slug: orgSlug });
  return res;
}

async function latestSource() {
  return getDb().selectFrom("calendar_source").selectAll().orderBy("id", "desc").executeTakeFirstOrThrow();
}

beforeAll(async () => {
  server = await startCalendarServer();
  organiser = await cookieFor("organiser@example.org");
  member = await cookieFor("member@example.org");
  const db = getDb();
  northWestId = (await db.selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirstOrThrow()).id;
  const org = await db.selectFrom("organisation").select(["id", "slug"]).where("slug", "=", "dancing-recall").executeTakeFirstOrThrow();
  orgSlug = org.slug;
  await db.insertInto("organisation_network").values({ organisation_id: org.id, network_id: northWestId }).onConflict((oc) => oc.doNothing()).execute();
});

afterAll(async () => {
  await server.close();
});

describe("an organiser imports a partner's Outlook calendar", () => {
  let sourceId: number;

  it("adds the calendar from the organisation's page and sees its status", async () => {
    server.set("/outlook.ics", fixtureText("outlook"));
    const res = await addCalendar(organiser, `${server.url}/outlook.ics`);
    expect(res.status).toBe(302);
    const source = await latestSource();
    sourceId = source.id;
    expect(source.status).toBe("approved");
    const page = await call(calendarsLoader, getRequest(`/organisations/${orgSlug}/calendars`, { cookie: organiser }), { slug: orgSlug });
    const data = await page.json();
    expect(data.sources[0]).toMatchObject({ status: "approved", lastFetchedAt: null, eventsImported: 0 });
  });

  it("imports its events outside the web request, the weekly one recurring in our feed in UK time", async () => {
    const summary = await importDueCalendars({ now: tick() });
    expect(summary).toMatchObject({ fetched: 1, failed: 0, created: 3 });
    const walk = await eventFor(sourceId, WALK_UID);
    expect(walk).toMatchObject({ title: "Wellbeing walk and talk", status: "scheduled", start_local: "2026-12-02T19:00", time_zone: "Europe/London", venue: "Victoria Park gates, Widnes" });

    const feed = await call(orgFeed, getRequest(`/organisations/${orgSlug}/events.ics`), { slug: orgSlug });
    const vcal = new ICAL.Component(ICAL.parse(await feed.text()));
    const vevents = vcal.getAllSubcomponents("vevent").filter((v) => v.getFirstPropertyValue("summary") === "Wellbeing walk and talk");
    const master = vevents.find((v) => !v.getFirstProperty("recurrence-id"))!;
    expect(master.getFirstProperty("dtstart")!.getParameter("tzid")).toBe("Europe/London");
    expect(String(master.getFirstPropertyValue("dtstart"))).toBe("2026-12-02T19:00:00");
    expect(String(master.getFirstPropertyValue("rrule"))).toMatch(/FREQ=WEEKLY.*BYDAY=WE/);
    expect(master.getAllProperties("exdate").map((p) => String(p.getFirstValue()))).toContain("2026-12-23T19:00:00");
    const moved = vevents.find((v) => v.getFirstProperty("recurrence-id"));
    expect(String(moved?.getFirstPropertyValue("dtstart"))).toBe("2026-12-16T18:00:00");

    const page = await call(calendarsLoader, getRequest(`/organisations/${orgSlug}/calendars`, { cookie: organiser }), { slug: orgSlug });
    const data = await page.json();
    expect(data.sources[0]).toMatchObject({ eventsImported: 3, lastError: null });
    expect(data.sources[0].lastFetchedAt).not.toBeNull();
  });

  it("says where an imported event is from, linking back", async () => {
    const walk = await eventFor(sourceId, WALK_UID);
    const res = await call(eventLoader, getRequest(`/events/${walk.id}`), { id: String(walk.id) });
    const data = await res.json();
    expect(data.importedFrom).toMatchObject({ name: "127.0.0.1", url: `/organisations/${orgSlug}` });
  });

  it("asks with If-None-Match next time and changes nothing on a 304", async () => {
    const before = await eventFor(sourceId, WALK_UID);
    const summary = await importDueCalendars({ now: tick() });
    expect(summary).toMatchObject({ unchanged: 1, created: 0, updated: 0 });
    expect(server.requests.at(-1)?.ifNoneMatch).toMatch(/^"/);
    expect((await eventFor(sourceId, WALK_UID)).sequence).toBe(before.sequence);
  });

  it("updates ours when the partner changes an event, raising SEQUENCE", async () => {
    const before = await eventFor(sourceId, WALK_UID);
    server.set("/outlook.ics", fixtureText("outlook").replaceAll("SUMMARY;LANGUAGE=en-GB:Wellbeing walk and talk", "SUMMARY;LANGUAGE=en-GB:Wellbeing walk, talk and tea"));
    const summary = await importDueCalendars({ now: tick() });
    expect(summary).toMatchObject({ fetched: 1, created: 0, updated: 1, cancelled: 0 });
    const after = await eventFor(sourceId, WALK_UID);
    expect(after.id).toBe(before.id);
    expect(after.title).toBe("Wellbeing walk, talk and tea");
    expect(after.sequence).toBeGreaterThan(before.sequence);
  });

  it("cancels ours when the partner removes an event, and restores it if it comes back", async () => {
    const text = fixtureText("outlook").replaceAll("SUMMARY;LANGUAGE=en-GB:Wellbeing walk and talk", "SUMMARY;LANGUAGE=en-GB:Wellbeing walk, talk and tea");
    const withoutCall = text.replace(/BEGIN:VEVENT\r\nDESCRIPTION:Partners' planning[\s\S]*?END:VEVENT\r\n/, "");
    expect(withoutCall).not.toContain(CALL_UID);
    server.set("/outlook.ics", withoutCall);
    const summary = await importDueCalendars({ now: tick() });
    expect(summary).toMatchObject({ cancelled: 1 });
    const cancelled = await eventFor(sourceId, CALL_UID);
    expect(cancelled.status).toBe("cancelled");

    server.set("/outlook.ics", text);
    await importDueCalendars({ now: tick() });
    expect((await eventFor(sourceId, CALL_UID)).status).toBe("scheduled");
  });

  it("keeps the events and records the problem when the calendar breaks", async () => {
    server.set("/outlook.ics", "<html><body>Sign in to Outlook</body></html>", "text/html");
    const summary = await importDueCalendars({ now: tick() });
    expect(summary.failed).toBe(1);
    const source = await getDb().selectFrom("calendar_source").selectAll().where("id", "=", sourceId).executeTakeFirstOrThrow();
    expect(source.last_error).toMatch(/web page, not a calendar/);
    expect((await eventFor(sourceId, WALK_UID)).status).toBe("scheduled");
    server.set("/outlook.ics", fixtureText("outlook"));
  });

  it("lets an organiser hide one imported event, and it stays hidden when the partner changes it", async () => {
    const walk = await eventFor(sourceId, WALK_UID);
    const res = await call(eventAction, formRequest(`/events/${walk.id}`, { intent: "hide", occurrence: "" }, { cookie: organiser }), { id: String(walk.id) });
    expect(res.status).toBe(302);
    expect((await eventFor(sourceId, WALK_UID)).status).toBe("draft");
    server.set("/outlook.ics", fixtureText("outlook").replace("Victoria Park gates", "Victoria Park main gates"));
    await importDueCalendars({ now: tick() });
    const after = await eventFor(sourceId, WALK_UID);
    expect(after.venue).toBe("Victoria Park main gates, Widnes");
    expect(after.status).toBe("draft");
    const anonymous = await call(eventLoader, getRequest(`/events/${walk.id}`), { id: String(walk.id) });
    expect(anonymous.status).toBe(404);
    await call(eventAction, formRequest(`/events/${walk.id}`, { intent: "show", occurrence: "" }, { cookie: organiser }), { id: String(walk.id) });
    expect((await eventFor(sourceId, WALK_UID)).status).toBe("scheduled");
  });

  it("refuses a member who is not an organiser or editor to hide events", async () => {
    const walk = await eventFor(sourceId, WALK_UID);
    const res = await call(eventAction, formRequest(`/events/${walk.id}`, { intent: "hide", occurrence: "" }, { cookie: member }), { id: String(walk.id) });
    expect(res.status).toBe(404);
  });
});

describe("an organisation editor's calendar waits for a network organiser", () => {
  let sourceId: number;
  let editor: string;

  beforeAll(async () => {
    const db = getDb();
    const account = await db.selectFrom("account").select("id").where("email", "=", "member@example.org").executeTakeFirstOrThrow();
    const org = await db.selectFrom("organisation").select("id").where("slug", "=", orgSlug).executeTakeFirstOrThrow();
    await db.updateTable("organisation_member").set({ role: "admin", status: "approved" }).where("organisation_id", "=", org.id).where("account_id", "=", account.id).execute();
    editor = await cookieFor("member@example.org");
    server.set("/google.ics", fixtureText("google"));
  });

  it("keeps a member without rights out of the page", async () => {
    const national = await cookieFor("national@example.org");
    const res = await call(calendarsLoader, getRequest(`/organisations/${orgSlug}/calendars`, { cookie: national }), { slug: orgSlug });
    expect(res.status).toBe(404);
    const anonymous = await call(calendarsLoader, getRequest(`/organisations/${orgSlug}/calendars`), { slug: orgSlug });
    expect(anonymous.status).toBe(302);
  });

  it("shows every field error at once and keeps what was typed", async () => {
    const res = await addCalendar(editor, "javascript:alert(1)", { networkId: "", kind: "party" });
    expect(res.status).toBe(400);
    const data = await res.json();
    expect(Object.keys(data.errors).sort()).toEqual(["kind", "networkId", "url"]);
    expect(data.values.url).toBe("javascript:alert(1)");
  });

  it("imports its events as drafts, published only once an organiser approves", async () => {
    const res = await addCalendar(editor, `${server.url}/google.ics`, { keywords: "paint, coffee" });
    expect(res.status).toBe(302);
    const source = await latestSource();
    sourceId = source.id;
    expect(source.status).toBe("pending");
    await importDueCalendars({ now: tick() });
    const paint = await eventFor(sourceId, "3k9t2v8q1m0example1@google.com");
    expect(paint.status).toBe("draft");
    expect(await getDb().selectFrom("imported_event").select("external_key").where("source_id", "=", sourceId).execute()).toHaveLength(2);
    const list = await (await call(listLoader, getRequest("/events"))).json();
    expect(JSON.stringify(list)).not.toContain("Paint and chat");

    // The network's organisers find it on the network page; other members do not.
    const forOrganiser = await (await call(networkLoader, getRequest("/networks/north-west", { cookie: organiser }), { slug: "north-west" })).json();
    expect(forOrganiser.pendingCalendars).toEqual([expect.objectContaining({ url: `/organisations/${orgSlug}/calendars#source-${sourceId}`, events: 2 })]);
    const forEditor = await (await call(networkLoader, getRequest("/networks/north-west", { cookie: editor }), { slug: "north-west" })).json();
    expect(forEditor.pendingCalendars).toEqual([]);

    // The editor cannot approve their own calendar.
    const self = await call(calendarsAction, formRequest(`/organisations/${orgSlug}/calendars`, { intent: "approve", sourceId: String(sourceId) }, { cookie: editor }), { slug: orgSlug });
    expect(self.status).toBe(404);

    const approve = await call(calendarsAction, formRequest(`/organisations/${orgSlug}/calendars`, { intent: "approve", sourceId: String(sourceId) }, { cookie: organiser }), { slug: orgSlug });
    expect(approve.status).toBe(302);
    expect((await eventFor(sourceId, "3k9t2v8q1m0example1@google.com")).status).toBe("scheduled");
    const source2 = await getDb().selectFrom("calendar_source").select("name").where("id", "=", sourceId).executeTakeFirstOrThrow();
    expect(source2.name).toBe("Halton Community Arts");
  });

  it("cancels the events of a removed calendar", async () => {
    const paint = await eventFor(sourceId, "3k9t2v8q1m0example1@google.com");
    const res = await call(calendarsAction, formRequest(`/organisations/${orgSlug}/calendars`, { intent: "remove", sourceId: String(sourceId) }, { cookie: editor }), { slug: orgSlug });
    expect(res.status).toBe(302);
    const after = await getDb().selectFrom("event").select("status").where("id", "=", paint.id).executeTakeFirstOrThrow();
    expect(after.status).toBe("cancelled");
  });
});
