/**
 * Every feed route, read by two independent iCalendar parsers (ical.js and node-ical), from the
 * seeded demo data: validity, time zones across the clock changes, 304s, privacy.
 */
import ICAL from "ical.js";
import nodeIcal, { type VEvent } from "node-ical";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "../../db/index";
import { loader as allFeed } from "../../app/routes/events[.]ics";
import { loader as networkFeed } from "../../app/routes/networks.$slug.events[.]ics";
import { loader as organisationFeed } from "../../app/routes/organisations.$slug.events[.]ics";
import { loader as eventIcs } from "../../app/routes/events.$id[.]ics";
import { loader as personalFeed } from "../../app/routes/calendar.$token[.]ics";
import { action as accountCalendarAction } from "../../app/routes/account.calendar";
import { setRegistration } from "../../app/models/events/registrations.server";
import { utcToLocal } from "../../app/utils/recurrence";
import { cookieFor } from "../support/auth";
import { formRequest, getRequest } from "../support/fixtures";
import { hashToken } from "../../app/utils/totp.server";

const SP_HOUR = "Social Prescribing Hour";
const MEMBERS_ONLY = "North West link worker peer support";

type Loader = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<Response>;

async function fetchFeed(loader: Loader, path: string, params: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const res = await loader({ request: getRequest(path, { headers }), params, context: {} });
  return { res, body: res.status === 200 ? await res.text() : "" };
}

function text(v: unknown): string {
  if (typeof v === "string") return v;
  if (v && typeof v === "object" && "val" in v) return String((v as { val: unknown }).val);
  return "";
}

function icalJs(ics: string) {
  ICAL.TimezoneService.reset();
  const root = new ICAL.Component(ICAL.parse(ics));
  for (const tz of root.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
  return root;
}

function nodeEvents(ics: string): VEvent[] {
  return Object.values(nodeIcal.sync.parseICS(ics)).flatMap((c) => (c && c.type === "VEVENT" ? [c as VEvent] : []));
}

/** The checks every feed must pass, with both parsers. Returns the summaries. */
function checkFeed(ics: string, { calendarName }: { calendarName?: boolean } = {}): string[] {
  expect(ics.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
  expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  for (const line of ics.split("\r\n")) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
  const unfolded = ics.replace(/\r\n[ \t]/g, "");
  expect(unfolded).not.toMatch(/@example\.org/); // no attendee emails anywhere
  expect(unfolded).not.toMatch(/^ATTENDEE/m);
  if (calendarName !== false) {
    expect(unfolded).toMatch(/^NAME:/m);
    expect(unfolded).toMatch(/^X-WR-CALNAME:/m);
    expect(unfolded).toMatch(/^REFRESH-INTERVAL;VALUE=DURATION:/m);
    expect(unfolded).toMatch(/^SOURCE;VALUE=URI:http:\/\/localhost:3000\//m);
  }
  const root = icalJs(ics);
  const vevents = root.getAllSubcomponents("vevent");
  const summaries = vevents.map((v) => String(v.getFirstPropertyValue("summary")));
  if (vevents.length > 0) {
    expect(root.getAllSubcomponents("vtimezone").map((t) => t.getFirstPropertyValue("tzid"))).toEqual(["Europe/London"]);
    for (const v of vevents) {
      const dtstart = v.getFirstProperty("dtstart");
      if (dtstart?.type === "date-time") expect(dtstart.getParameter("tzid")).toBe("Europe/London");
      expect(String(v.getFirstPropertyValue("uid"))).toMatch(/@roundtable$/);
    }
  }
  const nodeSummaries = nodeEvents(ics).map((e) => text(e.summary));
  for (const s of summaries) expect(nodeSummaries).toContain(s);
  return summaries;
}

let organiserCookie: string;
let memberCookie: string;
let nationalCookie: string;

beforeAll(async () => {
  organiserCookie = await cookieFor("organiser@example.org");
  memberCookie = await cookieFor("member@example.org");
  nationalCookie = await cookieFor("national@example.org");
});

async function eventId(title: string): Promise<number> {
  const row = await getDb().selectFrom("event").select("id").where("title", "=", title).executeTakeFirstOrThrow();
  return row.id;
}

describe("public feeds from the demo data", () => {
  it("the all-events feed has the deck's events and the Social Prescribing Hour, and no members-only event", async () => {
    const { res, body } = await fetchFeed(allFeed as Loader, "/events.ics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    const summaries = checkFeed(body);
    for (const t of ["Women's and children's services: national round table", "Placebo: panel discussion and performances at the Whitworth", "Arts in Health: led by Cumberland Infirmary", SP_HOUR]) {
      expect(summaries).toContain(t);
    }
    expect(summaries.some((s) => s.startsWith("North West social prescribing regional conference"))).toBe(true);
    expect(summaries.some((s) => s.startsWith("A Natural Health Service"))).toBe(true);
    expect(summaries).not.toContain(MEMBERS_ONLY);
    // The Preston conference is an all-day event: a DATE, not a midnight time.
    const unfolded = body.replace(/\r\n[ \t]/g, "");
    expect(unfolded).toMatch(/DTSTART;VALUE=DATE:\d{4}1213/);
  });

  it("network, organisation and topic feeds parse and are scoped", async () => {
    const nw = await fetchFeed(networkFeed as Loader, "/networks/north-west/events.ics", { slug: "north-west" });
    expect(nw.res.status).toBe(200);
    const nwSummaries = checkFeed(nw.body);
    expect(nwSummaries).toContain("Placebo: panel discussion and performances at the Whitworth");
    expect(nwSummaries).not.toContain(SP_HOUR);
    expect(nwSummaries).not.toContain(MEMBERS_ONLY);

    const national = await fetchFeed(networkFeed as Loader, "/networks/national/events.ics", { slug: "national" });
    expect(checkFeed(national.body)).toContain(SP_HOUR);

    const org = await fetchFeed(organisationFeed as Loader, "/organisations/voluntary-sector-north-west/events.ics", { slug: "voluntary-sector-north-west" });
    expect(org.res.status).toBe(200);
    const orgSummaries = checkFeed(org.body);
    expect(orgSummaries.some((s) => s.startsWith("North West social prescribing regional conference"))).toBe(true);
    expect(orgSummaries).not.toContain(MEMBERS_ONLY);

    const topic = await fetchFeed(allFeed as Loader, "/events.ics?topic=link-workers");
    expect(topic.res.status).toBe(200);
    const topicSummaries = checkFeed(topic.body);
    expect(topicSummaries).toContain(SP_HOUR);
    expect(topicSummaries).not.toContain("Placebo: panel discussion and performances at the Whitworth");
    expect(topicSummaries).not.toContain(MEMBERS_ONLY);

    expect((await networkFeed({ request: getRequest("/networks/nope/events.ics"), params: { slug: "nope" }, context: {} })).status).toBe(404);
    expect((await allFeed({ request: getRequest("/events.ics?topic=%0d%0aX"), params: {}, context: {} })).status).toBe(404);
  });

  it("the single-event download parses and has no calendar name (so Outlook adds, not subscribes)", async () => {
    const id = await eventId("Arts in Health: led by Cumberland Infirmary");
    const { res, body } = await fetchFeed(eventIcs as Loader, `/events/${id}.ics`, { id: String(id) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="arts-in-health-led-by-cumberland-infirmary\.ics"/);
    expect(checkFeed(body, { calendarName: false })).toEqual(["Arts in Health: led by Cumberland Infirmary"]);
    expect(body).not.toMatch(/X-WR-CALNAME/);
    // Members-only events are 404 to the public and to members of other networks.
    const secret = await eventId(MEMBERS_ONLY);
    expect((await eventIcs({ request: getRequest(`/events/${secret}.ics`), params: { id: String(secret) }, context: {} })).status).toBe(404);
    expect((await eventIcs({ request: getRequest(`/events/${secret}.ics`, { cookie: nationalCookie }), params: { id: String(secret) }, context: {} })).status).toBe(404);
    const asMember = await eventIcs({ request: getRequest(`/events/${secret}.ics`, { cookie: memberCookie }), params: { id: String(secret) }, context: {} });
    expect(asMember.status).toBe(200);
    expect(asMember.headers.get("cache-control")).toMatch(/^private/);
  });
});

describe("Social Prescribing Hour from the seeded feed", () => {
  it("expands to Wednesday 20:00 UK time on both sides of both clock changes, in ical.js and node-ical", async () => {
    const { body } = await fetchFeed(allFeed as Loader, "/events.ics");
    const from = new Date();
    const to = new Date(from.getTime() + 400 * 86_400_000);

    // ical.js, using only the VTIMEZONE in the feed.
    const root = icalJs(body);
    const master = root.getAllSubcomponents("vevent").find((v) => v.getFirstPropertyValue("summary") === SP_HOUR);
    expect(master).toBeDefined();
    expect(master!.getFirstProperty("dtstart")!.getParameter("tzid")).toBe("Europe/London");
    expect(String(master!.getFirstPropertyValue("rrule"))).toContain("FREQ=WEEKLY");
    const ev = new ICAL.Event(master!);
    const it = ev.iterator();
    const icalStarts: Date[] = [];
    for (let next = it.next(); next; next = it.next()) {
      const d = next.toJSDate();
      if (d >= to) break;
      if (d >= from) icalStarts.push(d);
    }
    // node-ical, with its own time-zone handling.
    const nodeMaster = nodeEvents(body).find((e) => text(e.summary) === SP_HOUR)!;
    const nodeStarts = nodeIcal.expandRecurringEvent(nodeMaster, { from, to }).map((i) => i.start);

    for (const starts of [icalStarts, nodeStarts]) {
      expect(starts.length).toBeGreaterThanOrEqual(55);
      for (const d of starts) {
        expect(utcToLocal(d, "Europe/London").slice(11)).toBe("20:00");
        expect(d.getUTCDay()).toBe(3);
      }
      const offsets = new Set(starts.map((d) => d.getUTCHours()));
      // 20:00 GMT is 20:00Z, 20:00 BST is 19:00Z: both must occur within 400 days.
      expect([...offsets].sort()).toEqual([19, 20]);
    }
    expect(nodeStarts.map((d) => d.toISOString())).toEqual(icalStarts.map((d) => d.toISOString()));
  });
});

describe("conditional requests", () => {
  it("answers 304 to If-None-Match and If-Modified-Since, and changes its ETag when an event changes", async () => {
    const first = await fetchFeed(allFeed as Loader, "/events.ics");
    const etag = first.res.headers.get("etag")!;
    const lastModified = first.res.headers.get("last-modified")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(new Date(lastModified).toString()).not.toBe("Invalid Date");

    const inm = await allFeed({ request: getRequest("/events.ics", { headers: { "If-None-Match": etag } }), params: {}, context: {} });
    expect(inm.status).toBe(304);
    expect(await inm.text()).toBe("");
    expect(inm.headers.get("etag")).toBe(etag);
    const ims = await allFeed({ request: getRequest("/events.ics", { headers: { "If-Modified-Since": lastModified } }), params: {}, context: {} });
    expect(ims.status).toBe(304);
    const stale = await allFeed({ request: getRequest("/events.ics", { headers: { "If-None-Match": '"old"' } }), params: {}, context: {} });
    expect(stale.status).toBe(200);

    const id = await eventId("Arts in Health: led by Cumberland Infirmary");
    await getDb().updateTable("event").set({ title: "Arts in Health: led by Cumberland Infirmary", sequence: 9, updated_at: new Date(Date.now() + 5000).toISOString() }).where("id", "=", id).execute();
    const after = await allFeed({ request: getRequest("/events.ics", { headers: { "If-None-Match": etag } }), params: {}, context: {} });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(etag);
    expect(await after.text()).toMatch(/SEQUENCE:9/);
  });
});

describe("the personal feed", () => {
  it("is made once, stored only as a hash, includes members-only events of the member's networks, and 404s after revoking", async () => {
    const res = await accountCalendarAction({ request: formRequest("/account/calendar", { intent: "create" }, { cookie: memberCookie }), params: {}, context: {} });
    expect(res.status).toBe(200);
    const { feedUrl } = (await res.json()) as { feedUrl: string };
    const token = /\/calendar\/([A-Za-z0-9_-]+)\.ics$/.exec(feedUrl)![1];
    expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(16);
    const member = await getDb().selectFrom("account").select("id").where("email", "=", "member@example.org").executeTakeFirstOrThrow();
    const stored = await getDb().selectFrom("feed_token").selectAll().where("account_id", "=", member.id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    // Empty to begin with: no registrations, no follows.
    let feed = await fetchFeed(personalFeed as Loader, `/calendar/${token}.ics`, { token });
    expect(feed.res.status).toBe(200);
    expect(feed.res.headers.get("cache-control")).toMatch(/^private/);
    expect(checkFeed(feed.body)).toEqual([]);

    // Register for the members-only series and follow the Whitworth.
    const secret = await eventId(MEMBERS_ONLY);
    const occurrence = (await getDb().selectFrom("event").select("start_local").where("id", "=", secret).executeTakeFirstOrThrow()).start_local;
    const user = { id: member.id, email: "member@example.org", name: "Member", emailVerified: true, isPlatformAdmin: false, hasTotp: false };
    const reg = await setRegistration({ user, eventId: secret, occurrence, going: true });
    expect(reg).toEqual({ ok: true, status: "going" });
    const whitworth = await getDb().selectFrom("organisation").select("id").where("slug", "=", "the-whitworth").executeTakeFirstOrThrow();
    await getDb().insertInto("organisation_follow").values({ account_id: member.id, organisation_id: whitworth.id, created_at: new Date().toISOString() }).execute();

    feed = await fetchFeed(personalFeed as Loader, `/calendar/${token}.ics`, { token });
    const summaries = checkFeed(feed.body);
    expect(summaries).toContain(MEMBERS_ONLY);
    expect(summaries).toContain("Placebo: panel discussion and performances at the Whitworth");
    expect(summaries).not.toContain(SP_HOUR);
    // The registrants-only link is not in the feed; the member reads it on the event page.
    expect(feed.body.replace(/\r\n[ \t]/g, "")).not.toContain("meet.example.org");

    const revoke = await accountCalendarAction({ request: formRequest("/account/calendar", { intent: "revoke" }, { cookie: memberCookie }), params: {}, context: {} });
    expect(revoke.status).toBe(302);
    expect((await personalFeed({ request: getRequest(`/calendar/${token}.ics`), params: { token }, context: {} })).status).toBe(404);
    expect((await personalFeed({ request: getRequest("/calendar/not-a-token.ics"), params: { token: "not-a-token" }, context: {} })).status).toBe(404);
  });
});

describe("event blocks kept in the database (a feed after a restart)", () => {
  /** buildFeed from a fresh copy of the module: nothing in memory, as after a restart. */
  async function buildAfterRestart(): Promise<string> {
    vi.resetModules();
    const { buildFeed } = await import("../../app/models/events/feeds.server");
    return buildFeed({ kind: "all" }, { url: "http://localhost/events.ics", pageUrl: "http://localhost/events" });
  }

  it("are stored when built, read back instead of rebuilt, rebuilt when their event changes, and give the same feed", async () => {
    const db = getDb();
    await db.deleteFrom("feed_event_block").execute();
    const fromScratch = await buildAfterRestart();
    const stored = await db.selectFrom("feed_event_block").select(["event_id", "block"]).execute();
    expect(stored.length).toBe(fromScratch.split("BEGIN:VEVENT").length - 1 - (fromScratch.match(/RECURRENCE-ID/g) ?? []).length);
    expect(await buildAfterRestart()).toBe(fromScratch);

    // Read back, not rebuilt: a mark put into a stored block reaches the next feed.
    const one = stored.find((b) => b.block.includes(`SUMMARY:${SP_HOUR}`))!;
    await db.updateTable("feed_event_block").set({ block: one.block.replace(`SUMMARY:${SP_HOUR}`, "SUMMARY:Read from the database") }).where("event_id", "=", one.event_id).execute();
    expect(await buildAfterRestart()).toContain("SUMMARY:Read from the database");

    // The event changes: its block no longer matches and is built again (and stored).
    await db.updateTable("event").set({ title: "Social Prescribing Hour (renamed)", updated_at: new Date().toISOString() }).where("id", "=", one.event_id).execute();
    const after = await buildAfterRestart();
    expect(after).not.toContain("Read from the database");
    expect(after).toContain("SUMMARY:Social Prescribing Hour (renamed)");
    const again = await db.selectFrom("feed_event_block").select("block").where("event_id", "=", one.event_id).executeTakeFirstOrThrow();
    expect(again.block).toContain("SUMMARY:Social Prescribing Hour (renamed)");
    await db.updateTable("event").set({ title: SP_HOUR, updated_at: new Date().toISOString() }).where("id", "=", one.event_id).execute();
  });
});

