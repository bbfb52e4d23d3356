/**
 * Organising events through the real loaders and actions: validation of hostile input,
 * permissions, one-occurrence changes, registrations with a waiting list, CSV, reminders.
 */
import fs from "node:fs";
import path from "node:path";
import ICAL from "ical.js";
import nodeIcal, { type VEvent } from "node-ical";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/index";
import { action as newAction, loader as newLoader } from "../../app/routes/events.new";
import { action as editAction } from "../../app/routes/events.$id_.edit";
import { action as eventAction, loader as eventLoader } from "../../app/routes/events.$id";
import { action as occurrenceAction } from "../../app/routes/events.$id_.occurrences.$rid";
import { loader as listLoader } from "../../app/routes/events._index";
import { loader as monthLoader } from "../../app/routes/events.calendar";
import { loader as pastLoader } from "../../app/routes/events.past";
import { loader as allFeed } from "../../app/routes/events[.]ics";
import { loader as csvLoader } from "../../app/routes/events.$id.attendees[.]csv";
import { listForDigest, listEventsFor } from "../../app/models/events/queries.server";
import { csvCell } from "../../app/models/events/registrations.server";
import { sendDueReminders } from "../../app/models/events/reminders.server";
import { runNoticeSend } from "../../app/models/notifier-sender.server";
import { expandOccurrences } from "../../app/utils/recurrence";
import { cookieFor } from "../support/auth";
import { formRequest, getRequest } from "../support/fixtures";

type Args = { request: Request; params: Record<string, string>; context: object };
type Fn = (args: Args) => Promise<Response>;

let organiser: string;
let member: string;
let national: string;
let northWestId: number;

beforeAll(async () => {
  organiser = await cookieFor("organiser@example.org");
  member = await cookieFor("member@example.org");
  national = await cookieFor("national@example.org");
  northWestId = (await getDb().selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirstOrThrow()).id;
});

function futureDate(days: number, weekday?: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  if (weekday !== undefined) d.setUTCDate(d.getUTCDate() + ((weekday - d.getUTCDay() + 7) % 7));
  return d.toISOString().slice(0, 10);
}

function fields(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    networkId: String(northWestId),
    organisationId: "",
    kind: "workshop",
    title: "Link worker supervision",
    description: "Bring a case.",
    startDate: futureDate(20),
    startTime: "10:00",
    endDate: "",
    endTime: "12:00",
    repeat: "none",
    repeatEnd: "never",
    until: "",
    count: "",
    venue: "Friends Meeting House",
    address: "6 Mount Street\nManchester",
    postcode: "M2 5NS",
    onlineUrl: "",
    capacity: "",
    accessibilityNotes: "",
    visibility: "public",
    publish: "scheduled",
    ...overrides,
  };
}

async function post(action: Fn, path: string, body: Record<string, string | string[]>, cookie: string, params: Record<string, string> = {}) {
  return action({ request: formRequest(path, body, { cookie }), params, context: {} });
}

async function create(body: Record<string, string | string[]>, cookie = organiser): Promise<number> {
  const res = await post(newAction as Fn, "/events/new", body, cookie);
  expect(res.status, JSON.stringify(res.status === 400 ? await res.clone().json() : {})).toBe(302);
  return Number(/\/events\/(\d+)$/.exec(res.headers.get("location")!)![1]);
}

async function feedText(): Promise<string> {
  const res = await (allFeed as Fn)({ request: getRequest("/events.ics"), params: {}, context: {} });
  return res.text();
}

function icalJsVevents(ics: string) {
  ICAL.TimezoneService.reset();
  const root = new ICAL.Component(ICAL.parse(ics));
  for (const tz of root.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
  return root.getAllSubcomponents("vevent");
}

function nodeEvents(ics: string): VEvent[] {
  return Object.values(nodeIcal.sync.parseICS(ics)).flatMap((c) => (c && c.type === "VEVENT" ? [c as VEvent] : []));
}

function text(v: unknown): string {
  if (typeof v === "string") return v;
  if (v && typeof v === "object" && "val" in v) return String((v as { val: unknown }).val);
  return "";
}

describe("bad input gets clear field errors and keeps what was typed", () => {
  const cases: Array<[string, Record<string, string | string[]>, string, RegExp]> = [
    ["end before start", { endTime: "09:00" }, "endTime", /end after it starts/],
    ["end date before start", { endDate: futureDate(10) }, "endDate", /end after it starts/],
    ["a date centuries away", { startDate: "2999-01-01" }, "startDate", /2999/],
    ["a year typed as 26", { startDate: "0026-01-01" }, "startDate", /Use a year from 2000/],
    ["an impossible date", { startDate: "2026-02-30" }, "startDate", /Enter the date/],
    ["a CR/LF in the title", { title: "Hello\r\nBEGIN:VEVENT" }, "title", /one line/],
    ["a control character in the title", { title: "Bell\u0007" }, "title", /control characters/],
    ["a huge description", { description: "x".repeat(100_000) }, "description", /20000 characters or fewer/],
    ["a javascript: link", { onlineUrl: "javascript:alert(1)" }, "onlineUrl", /https:\/\//],
    ["a data: link", { onlineUrl: "data:text/html,<script>alert(1)</script>" }, "onlineUrl", /https:\/\//],
    ["repeats that stop before they start", { repeat: "weekly", repeatEnd: "until", until: futureDate(1) }, "until", /before the first event/],
    ["repeats for ever by count", { repeat: "weekly", repeatEnd: "count", count: "100000" }, "count", /1 to 520/],
    ["repeats that overlap", { repeat: "weekly", endDate: futureDate(28) }, "repeat", /end before the next one starts/],
    ["no place at all", { venue: "", address: "" }, "venue", /venue, or an online link/],
    ["no capacity sense", { capacity: "-3" }, "capacity", /whole number/],
    ["a made-up kind", { kind: "rave" }, "kind", /kind of event/],
  ];
  for (const [name, overrides, field, message] of cases) {
    it(name, async () => {
      const res = await post(newAction as Fn, "/events/new", fields(overrides), organiser);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { errors: Record<string, string>; values: Record<string, string> };
      expect(body.errors[field]).toMatch(message);
      expect(body.values.venue).toBe(String(fields(overrides).venue));
    });
  }

  it("a member (not an organiser) cannot publish to the network", async () => {
    const res = await post(newAction as Fn, "/events/new", fields(), member);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: Record<string, string> }).errors.networkId).toMatch(/organiser/);
    const page = await (newLoader as Fn)({ request: getRequest("/events/new", { cookie: member }), params: {}, context: {} });
    expect(((await page.json()) as { networks: unknown[] }).networks).toEqual([]);
  });

  it("a member cannot edit, and gets a 404 rather than a hint the event exists", async () => {
    const id = await create(fields({ title: "Not yours to edit" }));
    await expect(post(editAction as Fn, `/events/${id}/edit`, fields({ title: "Hacked" }), member, { id: String(id) })).rejects.toMatchObject({ status: 404 });
    await expect(post(eventAction as Fn, `/events/${id}`, { intent: "cancel" }, member, { id: String(id) })).rejects.toMatchObject({ status: 404 });
  });
});

describe("hostile text reaches feeds only as escaped data", () => {
  it("both parsers read back exactly what was typed and see one event", async () => {
    const title = 'Round table; "quotes", commas, back\\slash <script>alert(1)</script> 😀';
    const description = "Line one\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Injected\r\n\r\n[click](javascript:alert(1)) and <img src=x onerror=alert(1)>";
    const id = await create(fields({ title, description, venue: "Hall; B, \\ 2", onlineUrl: "https://example.org/join?a=1;b=2,c" }));
    const ics = await feedText();
    const uid = (await getDb().selectFrom("event").select("uid").where("id", "=", id).executeTakeFirstOrThrow()).uid;
    const ours = icalJsVevents(ics).filter((v) => v.getFirstPropertyValue("uid") === uid);
    expect(ours).toHaveLength(1);
    expect(ours[0].getFirstPropertyValue("summary")).toBe(title);
    expect(String(ours[0].getFirstPropertyValue("description"))).toContain("END:VEVENT\nBEGIN:VEVENT\nSUMMARY:Injected");
    expect(String(ours[0].getFirstPropertyValue("location"))).toContain("Hall; B, \\ 2");
    expect(icalJsVevents(ics).some((v) => v.getFirstPropertyValue("summary") === "Injected")).toBe(false);
    const node = nodeEvents(ics).filter((e) => e.uid === uid);
    expect(node).toHaveLength(1);
    expect(text(node[0].summary)).toBe(title);
    expect(nodeEvents(ics).some((e) => text(e.summary) === "Injected")).toBe(false);
    // And on the page: markdown links to javascript: are not links, raw HTML is dropped.
    const page = await (eventLoader as Fn)({ request: getRequest(`/events/${id}`), params: { id: String(id) }, context: {} });
    const data = (await page.json()) as { event: { descriptionHtml: string }; jsonLd: { name: string } };
    expect(data.event.descriptionHtml).not.toMatch(/href="javascript:|<img|<a /);
    expect(data.event.descriptionHtml).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(data.jsonLd.name).toBe(title);
  });
});

describe("a recurring event with one occurrence cancelled and one moved", () => {
  let id: number;
  let first: string;
  beforeAll(async () => {
    first = futureDate(7, 2); // a Tuesday
    id = await create(fields({ title: "Tuesday walk and talk", startDate: first, startTime: "18:00", endTime: "19:00", repeat: "weekly", repeatEnd: "count", count: "10", capacity: "2" }));
  });

  it("cancels exactly one date: EXDATE in the feed, gone from the list, others untouched", async () => {
    const second = new Date(Date.parse(first) + 7 * 86_400_000).toISOString().slice(0, 10);
    const rid = `${second}T18:00`;
    const before = (await getDb().selectFrom("event").select(["sequence", "uid"]).where("id", "=", id).executeTakeFirstOrThrow());
    const res = await post(occurrenceAction as Fn, `/events/${id}/occurrences/${rid}`, { intent: "cancel", note: "Room unavailable" }, organiser, { id: String(id), rid });
    expect(res.status).toBe(302);
    const after = await getDb().selectFrom("event").select("sequence").where("id", "=", id).executeTakeFirstOrThrow();
    expect(after.sequence).toBe(before.sequence + 1);

    const ics = await feedText();
    const unfolded = ics.replace(/\r\n[ \t]/g, "");
    expect(unfolded).toContain(`EXDATE;TZID=Europe/London:${rid.replace(/-/g, "").replace(":", "")}00`);
    const master = icalJsVevents(ics).find((v) => v.getFirstPropertyValue("uid") === before.uid)!;
    const iterator = new ICAL.Event(master).iterator();
    const dates: string[] = [];
    for (let n = iterator.next(); n; n = iterator.next()) dates.push(n.toString().slice(0, 10));
    expect(dates).toHaveLength(9);
    expect(dates).not.toContain(second);
    const nodeMaster = nodeEvents(ics).find((e) => e.uid === before.uid)!;
    const nodeDates = nodeIcal.expandRecurringEvent(nodeMaster, { from: new Date(), to: new Date(Date.now() + 200 * 86_400_000) }).map((i) => i.start.toISOString());
    expect(nodeDates).toHaveLength(9);

    const list = await (listLoader as Fn)({ request: getRequest("/events?kind=workshop"), params: {}, context: {} });
    const items = ((await list.json()) as { items: Array<{ eventId: number; occurrence: string }> }).items.filter((i) => i.eventId === id);
    expect(items.map((i) => i.occurrence)).not.toContain(rid);
    expect(items.length).toBeGreaterThan(0);
    // The cancelled date's own page says so, and nobody can register for it.
    const page = await (eventLoader as Fn)({ request: getRequest(`/events/${id}?occurrence=${rid}`), params: { id: String(id) }, context: {} });
    const data = (await page.json()) as { occ: { cancelled: boolean; note: string } };
    expect(data.occ).toMatchObject({ cancelled: true, note: "Room unavailable" });
    const reg = await post(eventAction as Fn, `/events/${id}`, { intent: "going", occurrence: rid }, member, { id: String(id) });
    expect(reg.status).toBe(400);
  });

  it("moves one date: RECURRENCE-ID override read by both parsers", async () => {
    const third = new Date(Date.parse(first) + 14 * 86_400_000).toISOString().slice(0, 10);
    const rid = `${third}T18:00`;
    const moved = new Date(Date.parse(third) + 86_400_000).toISOString().slice(0, 10);
    const res = await post(occurrenceAction as Fn, `/events/${id}/occurrences/${rid}`, { intent: "move", date: moved, startTime: "17:00", endTime: "18:30" }, organiser, { id: String(id), rid });
    expect(res.status).toBe(302);
    const uid = (await getDb().selectFrom("event").select("uid").where("id", "=", id).executeTakeFirstOrThrow()).uid;
    const ics = await feedText();
    const overrides = icalJsVevents(ics).filter((v) => v.getFirstPropertyValue("uid") === uid && v.hasProperty("recurrence-id"));
    expect(overrides).toHaveLength(1);
    expect(String(overrides[0].getFirstPropertyValue("dtstart"))).toBe(`${moved}T17:00:00`);
    const nodeMaster = nodeEvents(ics).find((e) => e.uid === uid)!;
    const inst = nodeIcal.expandRecurringEvent(nodeMaster, { from: new Date(), to: new Date(Date.now() + 200 * 86_400_000) });
    expect(inst.filter((i) => i.isOverride)).toHaveLength(1);
    // Bad move: end before start.
    const bad = await post(occurrenceAction as Fn, `/events/${id}/occurrences/${rid}`, { intent: "move", date: moved, startTime: "17:00", endTime: "16:00" }, organiser, { id: String(id), rid });
    expect(bad.status).toBe(400);
    // An occurrence that the rule does not generate is a 404.
    await expect(post(occurrenceAction as Fn, `/events/${id}/occurrences/x`, { intent: "cancel" }, organiser, { id: String(id), rid: `${first}T19:00` })).rejects.toMatchObject({ status: 404 });
  });

  it("fills, waitlists and promotes automatically, emailing the promoted person after the commit", async () => {
    const rid = `${first}T18:00`;
    const db = getDb();
    const now = new Date().toISOString();
    for (const n of [1, 2]) {
      await db
        .insertInto("account")
        .values({ id: `extra-${n}`, email: `extra${n}@example.net`, email_verified_at: now, name: `Extra Person ${n}`, password_hash: null, job_title: null, bio: null, organisation_id: null, profile_visible: true, is_platform_admin: false, totp_secret: null, totp_last_counter: null, created_at: now, updated_at: now })
        .execute();
    }
    const { createLoginSession } = await import("../../app/utils/auth.server");
    const { cookieFrom } = await import("../support/fixtures");
    const extra1 = cookieFrom(await createLoginSession("extra-1", getRequest("/"), { mfaVerified: true }));
    const extra2 = cookieFrom(await createLoginSession("extra-2", getRequest("/"), { mfaVerified: true }));

    const go = (cookie: string, intent = "going") => post(eventAction as Fn, `/events/${id}`, { intent, occurrence: rid }, cookie, { id: String(id) });
    expect((await go(member)).headers.get("location")).toBe(`/events/${id}?occurrence=${encodeURIComponent(rid)}`);
    await go(extra1);
    await go(extra2);
    const statuses = async () =>
      Object.fromEntries((await db.selectFrom("registration").select(["account_id", "status"]).where("event_id", "=", id).where("occurrence", "=", rid).execute()).map((r) => [r.account_id, r.status]));
    const memberId = (await db.selectFrom("account").select("id").where("email", "=", "member@example.org").executeTakeFirstOrThrow()).id;
    expect(await statuses()).toEqual({ [memberId]: "going", "extra-1": "going", "extra-2": "waitlisted" });

    const page = await (eventLoader as Fn)({ request: getRequest(`/events/${id}?occurrence=${rid}`, { cookie: extra2 }), params: { id: String(id) }, context: {} });
    expect(((await page.json()) as { summary: unknown }).summary).toMatchObject({ going: 2, waitlisted: 1, capacity: 2, mine: "waitlisted", myPosition: 1 });

    await go(member, "not-going");
    expect(await statuses()).toEqual({ [memberId]: "not-going", "extra-1": "going", "extra-2": "going" });
    await runNoticeSend();
    const outbox = process.env.OUTBOX_DIR!;
    const mails = fs.readdirSync(outbox).map((f) => fs.readFileSync(path.join(outbox, f), "utf8"));
    const promotedMail = mails.find((m) => m.includes("extra2@example.net") && /You have a place/.test(m));
    expect(promotedMail).toBeDefined();

    // The organiser's CSV: names and emails, formula cells neutralised; a member gets a 404.
    await db.updateTable("account").set({ name: "=HYPERLINK(\"http://evil\",\"x\")" }).where("id", "=", "extra-1").execute();
    const csv = await (csvLoader as Fn)({ request: getRequest(`/events/${id}/attendees.csv?occurrence=${rid}`, { cookie: organiser }), params: { id: String(id) }, context: {} });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const body = await csv.text();
    expect(body).toContain("extra2@example.net");
    expect(body).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(body).not.toContain(memberId);
    expect((await (csvLoader as Fn)({ request: getRequest(`/events/${id}/attendees.csv?occurrence=${rid}`, { cookie: member }), params: { id: String(id) }, context: {} })).status).toBe(404);

    // Raising capacity promotes the next person too.
    await go(member);
    expect((await statuses())[memberId]).toBe("waitlisted");
    const edit = await post(editAction as Fn, `/events/${id}/edit`, fields({ title: "Tuesday walk and talk", startDate: first, startTime: "18:00", endTime: "19:00", repeat: "weekly", repeatEnd: "count", count: "10", capacity: "3" }), organiser, { id: String(id) });
    expect(edit.status).toBe(302);
    expect((await statuses())[memberId]).toBe("going");
  });

  it("sends the day-before reminder once", async () => {
    const rid = `${first}T18:00`;
    const dayBefore = new Date(Date.parse(`${first}T18:00:00Z`) - 20 * 3_600_000);
    const sent = await sendDueReminders(dayBefore);
    expect(sent).toBeGreaterThanOrEqual(3);
    expect(await sendDueReminders(dayBefore)).toBe(0);
    expect(await sendDueReminders(new Date(dayBefore.getTime() + 3_600_000))).toBe(0);
    const rows = await getDb().selectFrom("event_reminder").innerJoin("registration", "registration.id", "event_reminder.registration_id").select("registration.occurrence").where("registration.event_id", "=", id).execute();
    expect(rows.every((r) => r.occurrence === rid)).toBe(true);
    // Too early: nothing due.
    expect(await sendDueReminders(new Date(Date.parse(`${first}T18:00:00Z`) - 3 * 86_400_000))).toBe(0);
  });
});

describe("visibility", () => {
  it("members-only events are 404 for the public and other networks, and never in public lists", async () => {
    const id = (await getDb().selectFrom("event").select("id").where("title", "=", "North West link worker peer support").executeTakeFirstOrThrow()).id;
    await expect((eventLoader as Fn)({ request: getRequest(`/events/${id}`), params: { id: String(id) }, context: {} })).rejects.toMatchObject({ status: 404 });
    await expect((eventLoader as Fn)({ request: getRequest(`/events/${id}`, { cookie: national }), params: { id: String(id) }, context: {} })).rejects.toMatchObject({ status: 404 });
    const asMember = await (eventLoader as Fn)({ request: getRequest(`/events/${id}`, { cookie: member }), params: { id: String(id) }, context: {} });
    const data = (await asMember.json()) as { event: { onlineUrl: string | null; onlineHidden: boolean } };
    // Registrants-only link: hidden until the member registers.
    expect(data.event.onlineUrl).toBeNull();
    expect(data.event.onlineHidden).toBe(true);

    const list = await (listLoader as Fn)({ request: getRequest("/events"), params: {}, context: {} });
    expect(JSON.stringify(await list.json())).not.toContain("link worker peer support");
    const month = await (monthLoader as Fn)({ request: getRequest(`/events/calendar?month=${futureDate(0).slice(0, 7)}`), params: {}, context: {} });
    expect(JSON.stringify(await month.json())).not.toContain("link worker peer support");
  });

  it("drafts are seen only by the network's organisers, and never in feeds", async () => {
    const id = await create(fields({ title: "Draft planning meeting", publish: "draft" }));
    await expect((eventLoader as Fn)({ request: getRequest(`/events/${id}`, { cookie: member }), params: { id: String(id) }, context: {} })).rejects.toMatchObject({ status: 404 });
    expect((await (eventLoader as Fn)({ request: getRequest(`/events/${id}`, { cookie: organiser }), params: { id: String(id) }, context: {} })).status).toBe(200);
    expect(await feedText()).not.toContain("Draft planning meeting");
  });
});

describe("lists and exports for other pages", () => {
  it("the upcoming list shows Social Prescribing Hour once, with its pattern and next date, filtered", async () => {
    const res = await (listLoader as Fn)({ request: getRequest("/events?network=national&kind=online-chat"), params: {}, context: {} });
    const data = (await res.json()) as { items: Array<{ title: string; startLocal: string; startUtc: string; when: string; url: string }>; next: string | null; feed: { path: string } };
    expect(data.items.map((i) => i.title)).toEqual(["Social Prescribing Hour"]);
    const [item] = data.items;
    expect(item.when).toMatch(/^Every Wednesday, 8pm to 9pm — next \d{1,2} [A-Z][a-z]+( \d{4})?$/);
    expect(item.url).toMatch(/^\/events\/\d+$/);
    // Its next date: a Wednesday at 8pm UK time, within a week, not yet over.
    expect(item.startLocal).toMatch(/T20:00$/);
    expect(new Date(`${item.startLocal.slice(0, 10)}T12:00:00Z`).getUTCDay()).toBe(3);
    expect(Date.parse(item.startUtc)).toBeLessThan(Date.now() + 7 * 86_400_000);
    expect(Date.parse(item.startUtc) + 3_600_000).toBeGreaterThan(Date.now());
    expect(data.next).toBeNull();
    expect(data.feed.path).toBe("/networks/national/events.ics");
  });

  it("past events lists earlier Social Prescribing Hours, newest first", async () => {
    const res = await (pastLoader as Fn)({ request: getRequest("/events/past"), params: {}, context: {} });
    const items = ((await res.json()) as { items: Array<{ title: string; startUtc: string }> }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.startUtc < new Date().toISOString())).toBe(true);
    expect([...items].sort((a, b) => b.startUtc.localeCompare(a.startUtc))).toEqual(items);
  });

  it("listForDigest and listEventsFor", async () => {
    const national = (await getDb().selectFrom("network").select("id").where("slug", "=", "national").executeTakeFirstOrThrow()).id;
    const items = await listForDigest({ since: "2000-01-01T00:00:00.000Z", networkIds: [national, northWestId], includeMembersOnly: false, limit: 50 });
    expect(items.some((i) => i.title === "Social Prescribing Hour" && /^\w{3} \d{1,2} \w{3}, 8pm–9pm · Online$/.test(i.meta))).toBe(true);
    expect(items.some((i) => i.title === "North West link worker peer support")).toBe(false);
    expect(items.every((i) => i.url.startsWith("http://localhost:3000/events/") && i.icsUrl.endsWith(".ics"))).toBe(true);
    const withMembers = await listForDigest({ since: "2000-01-01T00:00:00.000Z", networkIds: [northWestId], includeMembersOnly: true, limit: 50 });
    expect(withMembers.some((i) => i.title === "North West link worker peer support")).toBe(true);
    const whitworth = (await getDb().selectFrom("organisation").select("id").where("slug", "=", "the-whitworth").executeTakeFirstOrThrow()).id;
    const byOrg = await listEventsFor({ organisationId: whitworth, user: null });
    expect(byOrg.map((e) => e.title)).toEqual(["Placebo: panel discussion and performances at the Whitworth"]);
  });

  it("csvCell neutralises formulas", () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+44 161")).toBe("'+44 161");
    expect(csvCell("-x")).toBe("'-x");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell("plain")).toBe("plain");
  });

  it("expandOccurrences skips ahead without changing the result", () => {
    const options = { startLocal: "2020-01-01T20:00", endLocal: "2020-01-01T21:00", timeZone: "Europe/London", recurrence: { freq: "weekly" as const } };
    const from = new Date("2026-03-01T00:00:00Z");
    const to = new Date("2026-11-30T00:00:00Z");
    const fast = expandOccurrences({ ...options, from, to });
    const slow = expandOccurrences({ ...options, from: new Date("2019-01-01T00:00:00Z"), to }).filter((o) => o.endUtc > from);
    expect(fast.map((o) => o.startUtc.toISOString())).toEqual(slow.map((o) => o.startUtc.toISOString()));
    const monthly = { ...options, recurrence: { freq: "monthly-weekday" as const, count: 100 } };
    expect(expandOccurrences({ ...monthly, from, to }).map((o) => o.recurrenceId)).toEqual(
      expandOccurrences({ ...monthly, from: new Date("2019-01-01T00:00:00Z"), to }).filter((o) => o.endUtc > from).map((o) => o.recurrenceId),
    );
  });
});

describe("open events: no registration needed (issue 12, item 20)", () => {
  it("the seeded Social Prescribing Hour is open: the page offers no registration and refuses one", async () => {
    const sph = await getDb().selectFrom("event").select(["id", "registration_required"]).where("uid", "=", "seed-social-prescribing-hour@roundtable").executeTakeFirstOrThrow();
    expect(sph.registration_required).toBe(false);
    const page = await (await (eventLoader as Fn)({ request: getRequest(`/events/${sph.id}`), params: { id: String(sph.id) }, context: {} })).json();
    expect(page.event.open).toBe(true);
    expect(page.event.onlineUrl).toBe("https://twitter.com/hashtag/SPHour");
    const going = await post(eventAction as Fn, `/events/${sph.id}`, { intent: "going", occurrence: page.occ.occurrence }, member, { id: String(sph.id) });
    expect(going.status).toBe(400);
    expect((await going.json()).error).toMatch(/needs no registration/);
    const series = await post(eventAction as Fn, `/events/${sph.id}`, { intent: "going-series", occurrence: page.occ.occurrence }, member, { id: String(sph.id) });
    expect(series.status).toBe(400);
    expect(await getDb().selectFrom("registration").select("event_id").where("event_id", "=", sph.id).executeTakeFirst()).toBeUndefined();
  });

  it("the event form sets and clears the flag; an open event has no place limit and shows its link to everyone", async () => {
    const id = await create(fields({ title: "Open drop-in", venue: "", address: "", postcode: "", onlineUrl: "https://meet.example.org/drop-in", onlineRegistrantsOnly: "yes", capacity: "10", openEvent: "yes" }));
    const row = await getDb().selectFrom("event").select(["registration_required", "capacity", "online_url_registrants_only"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toEqual({ registration_required: false, capacity: null, online_url_registrants_only: false });
    const anon = await (await (eventLoader as Fn)({ request: getRequest(`/events/${id}`), params: { id: String(id) }, context: {} })).json();
    expect(anon.event.open).toBe(true);
    expect(anon.event.onlineUrl).toBe("https://meet.example.org/drop-in");

    const edit = await post(editAction as Fn, `/events/${id}/edit`, fields({ title: "Open drop-in", venue: "", address: "", postcode: "", onlineUrl: "https://meet.example.org/drop-in", capacity: "10" }), organiser, { id: String(id) });
    expect(edit.status).toBe(302);
    expect((await getDb().selectFrom("event").select(["registration_required", "capacity"]).where("id", "=", id).executeTakeFirstOrThrow())).toEqual({ registration_required: true, capacity: 10 });
    const closed = await (await (eventLoader as Fn)({ request: getRequest(`/events/${id}`), params: { id: String(id) }, context: {} })).json();
    expect(closed.event.open).toBe(false);
  });
});
