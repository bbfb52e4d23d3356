/**
 * Registering for a series: "every date" (each date with its own places and waiting list, one
 * notice for the series) or one date; withdrawing from every date frees each place.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/index";
import { action as eventAction, loader as eventLoader } from "../../app/routes/events.$id";
import { SERIES_DATES } from "../../app/models/events/registrations.server";
import { cookieFor } from "../support/auth";
import { formRequest, getRequest } from "../support/fixtures";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyHandler = (args: any) => Promise<Response>;
const call = async (fn: AnyHandler, request: Request, params: Record<string, string>) => {
  try {
    return await fn({ request, params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
};

let eventId: number;
let member: string;
let memberId: string;

beforeAll(async () => {
  const db = getDb();
  const event = await db
    .selectFrom("event")
    .select("id")
    .where("recurrence", "is not", null)
    // A series people register for: the Social Prescribing Hour is open (no registration), so the
    // demo's other series, the North West's members-only peer support (the member belongs there).
    .where("registration_required", "=", true)
    .where("status", "=", "scheduled")
    .where("series_end_utc", ">", new Date().toISOString())
    .executeTakeFirstOrThrow();
  eventId = event.id;
  member = await cookieFor("member@example.org");
  memberId = (await db.selectFrom("account").select("id").where("email", "=", "member@example.org").executeTakeFirstOrThrow()).id;
});

const mine = () => getDb().selectFrom("registration").select(["occurrence", "status"]).where("event_id", "=", eventId).where("account_id", "=", memberId).orderBy("occurrence").execute();

describe("registering for a series", () => {
  it("offers every date on a recurring event's page", async () => {
    const res = await call(eventLoader, getRequest(`/events/${eventId}`, { cookie: member }), { id: String(eventId) });
    expect((await res.json()).event.recurring).toBe(true);
  });

  it("registers for one date only", async () => {
    const page = await (await call(eventLoader, getRequest(`/events/${eventId}`, { cookie: member }), { id: String(eventId) })).json();
    const res = await call(eventAction, formRequest(`/events/${eventId}`, { intent: "going", occurrence: page.occ.occurrence }, { cookie: member }), { id: String(eventId) });
    expect(res.status).toBe(302);
    expect(await mine()).toEqual([{ occurrence: page.occ.occurrence, status: "going" }]);
  });

  it("registers for every upcoming date, waitlisted where a date is full, with one notice", async () => {
    const db = getDb();
    // One place per date, and someone already has the third date.
    await db.updateTable("event").set({ capacity: 1 }).where("id", "=", eventId).execute();
    const page = await (await call(eventLoader, getRequest(`/events/${eventId}`, { cookie: member }), { id: String(eventId) })).json();
    const third = page.upcoming.filter((u: { cancelled: boolean }) => !u.cancelled)[2].occurrence;
    const other = await cookieFor("moderator@example.org");
    await call(eventAction, formRequest(`/events/${eventId}`, { intent: "going", occurrence: third }, { cookie: other }), { id: String(eventId) });

    const before = await db.selectFrom("notice_email").select("id").where("account_id", "=", memberId).where("coalesce_key", "like", `registration:${eventId}:%`).execute();
    const res = await call(eventAction, formRequest(`/events/${eventId}`, { intent: "going-series", occurrence: "" }, { cookie: member }), { id: String(eventId) });
    expect(res.status).toBe(302);
    const rows = await mine();
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.length).toBeLessThanOrEqual(SERIES_DATES);
    expect(rows.find((r) => r.occurrence === third)?.status).toBe("waitlisted");
    expect(rows.filter((r) => r.status === "going").length).toBe(rows.length - 1);
    const after = await db.selectFrom("notice_email").select(["id", "coalesce_key"]).where("account_id", "=", memberId).where("coalesce_key", "like", `registration:${eventId}:%`).execute();
    expect(after.length - before.length).toBeLessThanOrEqual(1);
  });

  it("withdraws from every date, freeing each place", async () => {
    const res = await call(eventAction, formRequest(`/events/${eventId}`, { intent: "not-going-series", occurrence: "" }, { cookie: member }), { id: String(eventId) });
    expect(res.status).toBe(302);
    expect((await mine()).every((r) => r.status === "not-going")).toBe(true);
  });

  it("refuses 'every date' on a one-off event", async () => {
    const oneOff = await getDb().selectFrom("event").select("id").where("recurrence", "is", null).where("visibility", "=", "public").where("status", "=", "scheduled").executeTakeFirstOrThrow();
    const res = await call(eventAction, formRequest(`/events/${oneOff.id}`, { intent: "going-series", occurrence: "" }, { cookie: member }), { id: String(oneOff.id) });
    expect(res.status).toBe(404);
  });
});
