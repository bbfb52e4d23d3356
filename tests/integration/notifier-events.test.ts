import ICAL from "ical.js";
import nodeIcal from "node-ical";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtp } from "../support/smtp";

// A real SMTP server for the whole file, configured before anything reads the environment.
const smtp = await startSmtp();
process.env.SMTP_URL = smtp.url;

const { getDb } = await import("../../db/index");
const { resetTransport } = await import("../../emails/transport");
const { setNoticeChoice } = await import("../../app/models/notifier.server");
const { runNoticeSend } = await import("../../app/models/notifier-sender.server");
const { sendDueReminders } = await import("../../app/models/events/reminders.server");
const newRoute = await import("../../app/routes/events.new");
const editRoute = await import("../../app/routes/events.$id_.edit");
const eventRoute = await import("../../app/routes/events.$id");
const cancelRoute = await import("../../app/routes/events.$id_.cancel");
const occurrenceRoute = await import("../../app/routes/events.$id_.occurrences.$rid");
const stopRoute = await import("../../app/routes/digest.notifications");
const { formRequest, getRequest } = await import("../support/fixtures");
const { cookieFor } = await import("../support/auth");

type Fn = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<Response>;

afterAll(async () => {
  resetTransport();
  await smtp.close();
});

let organiser: string;
let member: string;
let northWestId: number;
beforeAll(async () => {
  organiser = await cookieFor("organiser@example.org");
  member = await cookieFor("member@example.org");
  northWestId = (await getDb().selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirstOrThrow()).id;
});

const MEMBER = "member@example.org";
const LATER = () => new Date(Date.now() + 11 * 60_000);

function futureDate(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
function fields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    networkId: String(northWestId),
    organisationId: "",
    kind: "workshop",
    title: "Notice test workshop",
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
async function post(action: unknown, path: string, body: Record<string, string>, cookie: string, params: Record<string, string> = {}) {
  return (action as Fn)({ request: formRequest(path, body, { cookie }), params, context: {} });
}
async function create(body: Record<string, string>): Promise<number> {
  const res = await post(newRoute.action, "/events/new", body, organiser);
  expect(res.status).toBe(302);
  return Number(/\/events\/(\d+)$/.exec(res.headers.get("location")!)![1]);
}
async function register(id: number, cookie = member, occurrence = "") {
  const res = await post(eventRoute.action, `/events/${id}`, { intent: "going", occurrence }, cookie, { id: String(id) });
  expect(res.status).toBe(302);
}
async function deliver(address: string, at?: Date) {
  const before = smtp.accepted.filter((m) => m.envelopeTo.includes(address)).length;
  await runNoticeSend({ now: at });
  return smtp.accepted.filter((m) => m.envelopeTo.includes(address)).slice(before);
}
/** The text/calendar part of a message, as sent (mailparser keeps it as an attachment). */
function calendarOf(mail: Awaited<ReturnType<typeof deliver>>[number]["mail"]): string {
  const part = mail.attachments.find((a) => a.contentType.startsWith("text/calendar") || a.contentType === "application/ics");
  expect(part, "a calendar part").toBeDefined();
  return part!.content.toString("utf8");
}
function parseBoth(ics: string) {
  const comp = new ICAL.Component(ICAL.parse(ics));
  const vevents = comp.getAllSubcomponents("vevent");
  const node = Object.values(nodeIcal.sync.parseICS(ics)).filter((c) => c && c.type === "VEVENT");
  return { method: comp.getFirstPropertyValue("method"), vevents, node };
}

describe("event notices with calendar attachments", () => {
  let id: number;
  let uid: string;

  it("registering sends one confirmation with an .ics (METHOD:REQUEST, the feed's UID) that ical.js and node-ical read", async () => {
    id = await create(fields());
    uid = (await getDb().selectFrom("event").select("uid").where("id", "=", id).executeTakeFirstOrThrow()).uid;
    await register(id);
    const got = await deliver(MEMBER);
    expect(got).toHaveLength(1);
    expect(got[0].mail.subject).toBe("Registered: Notice test workshop");
    expect(got[0].mail.text).toContain("Where: Friends Meeting House, 6 Mount Street, Manchester, M2 5NS.");
    const ics = calendarOf(got[0].mail);
    const parsed = parseBoth(ics);
    expect(parsed.method).toBe("REQUEST");
    expect(parsed.vevents).toHaveLength(1);
    expect(parsed.vevents[0].getFirstPropertyValue("uid")).toBe(uid);
    expect(String(parsed.vevents[0].getFirstPropertyValue("attendee"))).toBe(`mailto:${MEMBER}`);
    expect(String(parsed.vevents[0].getFirstPropertyValue("organizer"))).toMatch(/^mailto:/);
    expect(parsed.node).toHaveLength(1);
    expect((parsed.node[0] as { uid: string }).uid).toBe(uid);
    // The same UID as the public feed.
    const feed = await ((await import("../../app/routes/events[.]ics")).loader as unknown as Fn)({ request: getRequest("/events.ics"), params: {}, context: {} });
    expect(await feed.text()).toContain(`UID:${uid}`);
  });

  it("five edits in ten minutes are one change email (SEQUENCE raised); a wording-only edit is none", async () => {
    const confirmed = (await getDb().selectFrom("event").select("sequence").where("id", "=", id).executeTakeFirstOrThrow()).sequence;
    await post(editRoute.action, `/events/${id}/edit`, fields({ description: "Bring a case and a friend." }), organiser, { id: String(id) });
    expect(await deliver(MEMBER, LATER())).toHaveLength(0);
    for (const [i, time] of ["11:00", "11:30", "12:00", "12:30", "13:00"].entries()) {
      const res = await post(editRoute.action, `/events/${id}/edit`, fields({ startTime: time, endTime: `${14 + i}:00`, description: "Bring a case and a friend." }), organiser, { id: String(id) });
      expect(res.status).toBe(302);
    }
    expect(await deliver(MEMBER)).toHaveLength(0); // held while edits may still come
    const got = await deliver(MEMBER, LATER());
    expect(got).toHaveLength(1);
    expect(got[0].mail.subject).toBe("Notice test workshop has changed");
    expect(got[0].mail.text).toMatch(/1pm/);
    const parsed = parseBoth(calendarOf(got[0].mail));
    expect(parsed.method).toBe("REQUEST");
    expect(parsed.vevents[0].getFirstPropertyValue("uid")).toBe(uid);
    expect(Number(parsed.vevents[0].getFirstPropertyValue("sequence"))).toBeGreaterThan(confirmed);
    expect(String(parsed.vevents[0].getFirstPropertyValue("dtstart"))).toContain("T13:00:00");
  });

  it("cancelling asks for a reason (no reason: an error, nothing sent), then sends METHOD:CANCEL with the reason, dropping a change still waiting", async () => {
    const page = await (cancelRoute.loader as unknown as Fn)({ request: getRequest(`/events/${id}/cancel`, { cookie: organiser }), params: { id: String(id) }, context: {} });
    expect(page.status).toBe(200);
    // Not an organiser: 404.
    await expect((cancelRoute.loader as unknown as Fn)({ request: getRequest(`/events/${id}/cancel`, { cookie: member }), params: { id: String(id) }, context: {} })).rejects.toMatchObject({ status: 404 });
    await expect(post(cancelRoute.action, `/events/${id}/cancel`, { reason: "spite" }, member, { id: String(id) })).rejects.toMatchObject({ status: 404 });
    const empty = await post(cancelRoute.action, `/events/${id}/cancel`, { reason: "   " }, organiser, { id: String(id) });
    expect(empty.status).toBe(400);
    expect((await empty.json()).errors.reason).toMatch(/Say why/);
    expect((await getDb().selectFrom("event").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("scheduled");

    await post(editRoute.action, `/events/${id}/edit`, fields({ startTime: "09:00", endTime: "10:00" }), organiser, { id: String(id) });
    const res = await post(cancelRoute.action, `/events/${id}/cancel`, { reason: "The speaker is ill.\r\nSorry!" }, organiser, { id: String(id) });
    expect(res.status).toBe(302);
    const got = await deliver(MEMBER, LATER());
    expect(got.map((g) => g.mail.subject)).toEqual(["Cancelled: Notice test workshop"]);
    expect(got[0].mail.text).toContain("Their reason: The speaker is ill.");
    const parsed = parseBoth(calendarOf(got[0].mail));
    expect(parsed.method).toBe("CANCEL");
    expect(parsed.vevents[0].getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(parsed.vevents[0].getFirstPropertyValue("uid")).toBe(uid);
    expect((parsed.node[0] as { status?: string }).status).toBe("CANCELLED");
    // The event page shows the reason.
    const view = await (eventRoute.loader as unknown as Fn)({ request: getRequest(`/events/${id}`, { cookie: member }), params: { id: String(id) }, context: {} });
    expect(((await view.json()) as { event: { cancelReason: string } }).event.cancelReason).toContain("The speaker is ill.");
  });

  it("cancelling a series sends one email per person, however many dates they registered for", async () => {
    const start = futureDate(9);
    const series = await create(fields({ title: "Weekly notice walk", startDate: start, startTime: "18:00", endTime: "19:00", repeat: "weekly", repeatEnd: "count", count: "6" }));
    const dates = [0, 7, 14].map((d) => `${new Date(Date.parse(start) + d * 86_400_000).toISOString().slice(0, 10)}T18:00`);
    for (const d of dates) await register(series, member, d);
    expect(await deliver(MEMBER)).toHaveLength(3); // one confirmation per date registered
    const res = await post(cancelRoute.action, `/events/${series}/cancel`, { reason: "Funding ended" }, organiser, { id: String(series) });
    expect(res.status).toBe(302);
    const got = await deliver(MEMBER, LATER());
    expect(got.map((g) => g.mail.subject)).toEqual(["Cancelled: Weekly notice walk"]);
  });

  it("cancelling one date of a series tells only that date's registrants, with a CANCEL for that RECURRENCE-ID", async () => {
    const start = futureDate(30);
    const series = await create(fields({ title: "Fortnight notice chat", startDate: start, startTime: "18:00", endTime: "19:00", repeat: "weekly", repeatEnd: "count", count: "4" }));
    const first = `${start}T18:00`;
    const second = `${new Date(Date.parse(start) + 7 * 86_400_000).toISOString().slice(0, 10)}T18:00`;
    await register(series, member, first);
    await register(series, await cookieFor("moderator@example.org"), second);
    await runNoticeSend();
    const res = await post(occurrenceRoute.action, `/events/${series}/occurrences/${first}`, { intent: "cancel", note: "Room flooded" }, organiser, { id: String(series), rid: first });
    expect(res.status).toBe(302);
    const got = await deliver(MEMBER, LATER());
    expect(got).toHaveLength(1);
    const parsed = parseBoth(calendarOf(got[0].mail));
    expect(parsed.method).toBe("CANCEL");
    expect(String(parsed.vevents[0].getFirstPropertyValue("recurrence-id"))).toContain(`${start}T18:00:00`);
    expect(smtp.accepted.filter((m) => m.envelopeTo.includes("moderator@example.org") && m.mail.subject?.startsWith("Cancelled: Fortnight"))).toHaveLength(0);
  });

  it("the reminder honours the member's choice and its stop link turns off reminders only", async () => {
    const reminded = await create(fields({ title: "Reminder notice test", startDate: futureDate(3) }));
    await register(reminded);
    await runNoticeSend();
    const memberId = (await getDb().selectFrom("account").select("id").where("email", "=", MEMBER).executeTakeFirstOrThrow()).id;
    const row = await getDb().selectFrom("event").select("start_utc").where("id", "=", reminded).executeTakeFirstOrThrow();
    const dayBefore = new Date(Date.parse(row.start_utc) - 20 * 3_600_000);
    await sendDueReminders(dayBefore);
    const got = await deliver(MEMBER);
    expect(got.map((g) => g.mail.subject)).toEqual(["Reminder: Reminder notice test is tomorrow"]);
    const stop = /http\S+\/digest\/notifications\?token=\S+/.exec(got[0].mail.text ?? "")![0];
    const done = await stopRoute.action({ request: new Request(stop, { method: "POST", body: "List-Unsubscribe=One-Click", headers: { "Content-Type": "application/x-www-form-urlencoded" } }), params: {}, context: {} });
    expect(done.status).toBe(200);
    // Another event, another reminder: switched off now; its registration confirmation still comes.
    const other = await create(fields({ title: "Second reminder test", startDate: futureDate(3), startTime: "15:00", endTime: "16:00" }));
    await register(other);
    expect((await deliver(MEMBER)).map((g) => g.mail.subject)).toEqual(["Registered: Second reminder test"]);
    await sendDueReminders(new Date(Date.parse(row.start_utc) - 18 * 3_600_000));
    expect(await deliver(MEMBER)).toHaveLength(0);
    await setNoticeChoice(memberId, "reminder", "email");
  });

  it("registration emails 'off' send nothing; a members-only event's notices stop for someone who left the network", async () => {
    const memberId = (await getDb().selectFrom("account").select("id").where("email", "=", MEMBER).executeTakeFirstOrThrow()).id;
    await setNoticeChoice(memberId, "registration", "off");
    const quiet = await create(fields({ title: "Quiet event" }));
    await register(quiet);
    expect(await deliver(MEMBER)).toHaveLength(0);
    await setNoticeChoice(memberId, "registration", "email");

    const inner = await create(fields({ title: "Members only notice test", visibility: "members" }));
    await register(inner);
    await runNoticeSend();
    const db = getDb();
    const membership = await db.selectFrom("network_membership").selectAll().where("account_id", "=", memberId).where("network_id", "=", northWestId).executeTakeFirstOrThrow();
    await db.deleteFrom("network_membership").where("account_id", "=", memberId).where("network_id", "=", northWestId).execute();
    const res = await post(cancelRoute.action, `/events/${inner}/cancel`, { reason: "Nobody came" }, organiser, { id: String(inner) });
    expect(res.status).toBe(302);
    expect(await deliver(MEMBER, LATER())).toHaveLength(0);
    await db.insertInto("network_membership").values(membership).execute();
  });

  it("a new event from an organisation I follow: in my digest by default, one email when I choose email now", async () => {
    const db = getDb();
    const memberId = (await db.selectFrom("account").select("id").where("email", "=", MEMBER).executeTakeFirstOrThrow()).id;
    const org = await db.selectFrom("organisation").select("id").where("status", "=", "approved").orderBy("id").executeTakeFirstOrThrow();
    await db.insertInto("organisation_follow").values({ account_id: memberId, organisation_id: org.id, created_at: new Date().toISOString() }).onConflict((oc) => oc.doNothing()).execute();
    await create(fields({ title: "Followed org event", organisationId: String(org.id) }));
    expect(await deliver(MEMBER)).toHaveLength(0);
    const row = await db.selectFrom("notification").select(["kind", "delivery"]).where("account_id", "=", memberId).where("title", "like", "%Followed org event%").executeTakeFirstOrThrow();
    expect(row).toEqual({ kind: "new-event", delivery: "digest" });
    await setNoticeChoice(memberId, "new-event", "email");
    await create(fields({ title: "Second followed org event", organisationId: String(org.id) }));
    expect((await deliver(MEMBER)).map((g) => g.mail.subject)).toEqual([expect.stringMatching(/^New event from .*: Second followed org event$/)]);
    await setNoticeChoice(memberId, "new-event", "digest");
  });
});
