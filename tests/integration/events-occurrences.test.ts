/**
 * The occurrence table (event_occurrence) stays exactly what a fresh expansion of each event
 * says, across every way an event is written: create, edit, move / cancel / restore one date,
 * cancel the series, and the job moving the horizon on. And lists show a series once.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, writeTransaction } from "../../db/index";
import { action as newAction } from "../../app/routes/events.new";
import { action as editAction } from "../../app/routes/events.$id_.edit";
import { action as eventAction } from "../../app/routes/events.$id";
import { action as occurrenceAction } from "../../app/routes/events.$id_.occurrences.$rid";
import { loader as listLoader } from "../../app/routes/events._index";
import { loader as homeLoader } from "../../app/routes/_index";
import { loader as monthLoader } from "../../app/routes/events.calendar";
import { extendOccurrences, HORIZON_DAYS, occurrencesOf, overridesFor } from "../../app/models/events/occurrences.server";
import { writeImportedEvent } from "../../app/models/events/writes.server";
import { listMonth, listPast, listUpcoming } from "../../app/models/events/queries.server";
import { eventScope } from "../../app/models/access.server";
import { getOptionalUser } from "../../app/utils/auth.server";
import { cookieFor } from "../support/auth";
import { formRequest, getRequest } from "../support/fixtures";

type Args = { request: Request; params: Record<string, string>; context: object };
type Fn = (args: Args) => Promise<Response>;

let organiser: string;
let northWestId: number;

beforeAll(async () => {
  organiser = await cookieFor("organiser@example.org");
  northWestId = (await getDb().selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirstOrThrow()).id;
});

function nextWeekday(days: number, weekday: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCDate(d.getUTCDate() + ((weekday - d.getUTCDay() + 7) % 7));
  return d.toISOString().slice(0, 10);
}

function fields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    networkId: String(northWestId),
    organisationId: "",
    kind: "workshop",
    title: "Occurrence table check",
    description: "Dates.",
    startDate: nextWeekday(3, 2),
    startTime: "10:00",
    endDate: "",
    endTime: "11:30",
    repeat: "weekly",
    repeatEnd: "never",
    until: "",
    count: "",
    venue: "",
    address: "",
    postcode: "",
    onlineUrl: "https://meet.example.org/check",
    capacity: "",
    accessibilityNotes: "",
    visibility: "public",
    publish: "scheduled",
    ...overrides,
  };
}

async function post(action: Fn, path: string, body: Record<string, string>, params: Record<string, string> = {}) {
  return action({ request: formRequest(path, body, { cookie: organiser }), params, context: {} });
}

async function create(body: Record<string, string>): Promise<number> {
  const res = await post(newAction as Fn, "/events/new", body);
  expect(res.status, JSON.stringify(res.status === 400 ? await res.clone().json() : {})).toBe(302);
  return Number(/\/events\/(\d+)$/.exec(res.headers.get("location")!)![1]);
}

/** What the table holds for the event, and what expanding the event afresh says it should. */
async function storedAndExpected(id: number) {
  const db = getDb();
  const horizon = (await db.selectFrom("event_occurrence_horizon").select("until_utc").executeTakeFirst())?.until_utc;
  const event = await db.selectFrom("event").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const overrides = (await overridesFor([id])).get(id) ?? [];
  const until = event.recurrence === null ? new Date("9999-12-31T00:00:00.000Z") : new Date(horizon ?? Date.now() + HORIZON_DAYS * 86_400_000);
  const expected = occurrencesOf(event, overrides, new Date(0), until, { includeCancelled: true, limit: 100_000 }).map((o) => ({
    occurrence: o.occurrence,
    start_utc: o.startUtc,
    end_utc: o.endUtc,
    start_local: o.startLocal,
    end_local: o.endLocal,
    cancelled: o.cancelled,
    moved: o.moved,
    note: o.note,
  }));
  const stored = await db
    .selectFrom("event_occurrence")
    .select(["occurrence", "start_utc", "end_utc", "start_local", "end_local", "cancelled", "moved", "note"])
    .where("event_id", "=", id)
    .orderBy("start_utc")
    .execute();
  return { stored, expected: expected.sort((a, b) => a.start_utc.localeCompare(b.start_utc)) };
}

async function expectExact(id: number) {
  const { stored, expected } = await storedAndExpected(id);
  expect(stored.length).toBeGreaterThan(0);
  expect(stored).toEqual(expected);
  return stored;
}

describe("the occurrence table", () => {
  it("is exact after every write: create, edit, move, cancel and restore one date, cancel and restore the series", async () => {
    const id = await create(fields());
    let stored = await expectExact(id);
    // An open-ended weekly series is stored up to the horizon: about HORIZON_DAYS / 7 dates.
    expect(stored.length).toBeGreaterThan(HORIZON_DAYS / 7 - 3);
    expect(stored[0].start_local).toBe(`${fields().startDate}T10:00`);

    // Edit: another weekday, time and a count; the old dates must all be gone.
    const edited = fields({ startDate: nextWeekday(3, 4), startTime: "18:00", endTime: "19:00", repeatEnd: "count", count: "12" });
    expect((await post(editAction as Fn, `/events/${id}/edit`, edited, { id: String(id) })).status).toBe(302);
    stored = await expectExact(id);
    expect(stored).toHaveLength(12);
    expect(stored.every((o) => o.start_local.endsWith("T18:00"))).toBe(true);

    // Move the third date, cancel the fifth.
    const third = stored[2].occurrence;
    const fifth = stored[4].occurrence;
    const movedDay = new Date(Date.parse(`${third.slice(0, 10)}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const move = await post(occurrenceAction as Fn, `/events/${id}/occurrences/${third}`, { intent: "move", date: movedDay, startTime: "09:00", endTime: "10:00" }, { id: String(id), rid: third });
    expect(move.status).toBe(302);
    const cancel = await post(occurrenceAction as Fn, `/events/${id}/occurrences/${fifth}`, { intent: "cancel", note: "Room unavailable" }, { id: String(id), rid: fifth });
    expect(cancel.status).toBe(302);
    stored = await expectExact(id);
    expect(stored.find((o) => o.occurrence === third)).toMatchObject({ start_local: `${movedDay}T09:00`, moved: true });
    expect(stored.find((o) => o.occurrence === fifth)).toMatchObject({ cancelled: true, note: "Room unavailable" });

    // Restore the cancelled date.
    expect((await post(occurrenceAction as Fn, `/events/${id}/occurrences/${fifth}`, { intent: "restore" }, { id: String(id), rid: fifth })).status).toBe(302);
    stored = await expectExact(id);
    expect(stored.find((o) => o.occurrence === fifth)?.cancelled).toBe(false);

    // Cancel the whole series, then restore it: the dates stay exact (the list shows it as cancelled).
    for (const intent of ["cancel", "restore"]) {
      expect((await post(eventAction as Fn, `/events/${id}`, { intent }, { id: String(id) })).status).toBe(302);
      await expectExact(id);
    }

    // Becoming a one-off event leaves exactly one row.
    expect((await post(editAction as Fn, `/events/${id}/edit`, fields({ repeat: "none" }), { id: String(id) })).status).toBe(302);
    stored = await expectExact(id);
    expect(stored).toEqual([expect.objectContaining({ occurrence: "", start_local: `${fields().startDate}T10:00` })]);
  });

  it("is exact for events imported from a partner's calendar, created and replaced", async () => {
    const org = (await getDb().selectFrom("organisation").select("id").where("slug", "=", "the-whitworth").executeTakeFirstOrThrow()).id;
    const start = nextWeekday(2, 1);
    const columns = {
      networkId: northWestId,
      organisationId: org,
      kind: "workshop" as const,
      title: "Imported fortnightly session",
      description: "From a partner's calendar.",
      startLocal: `${start}T14:00`,
      endLocal: `${start}T15:00`,
      allDay: false,
      recurrence: { freq: "fortnightly" as const, count: 8 },
      venue: null,
      onlineUrl: null,
      status: "scheduled" as const,
      overrides: [] as Array<{ recurrenceIdLocal: string; cancelled: boolean; startLocal: string | null; endLocal: string | null }>,
    };
    const now = new Date().toISOString();
    const id = await writeTransaction((trx) => writeImportedEvent(trx, { columns, now }));
    expect(await expectExact(id)).toHaveLength(8);
    const second = new Date(Date.parse(`${start}T12:00:00Z`) + 14 * 86_400_000).toISOString().slice(0, 10);
    await writeTransaction((trx) => writeImportedEvent(trx, { id, now, columns: { ...columns, recurrence: { freq: "fortnightly", count: 5 }, overrides: [{ recurrenceIdLocal: `${second}T14:00`, cancelled: true, startLocal: null, endLocal: null }] } }));
    const stored = await expectExact(id);
    expect(stored).toHaveLength(5);
    expect(stored.filter((o) => o.cancelled).map((o) => o.occurrence)).toEqual([`${second}T14:00`]);
  });

  it("is extended by the job as time passes, and every stored event still matches a fresh expansion", async () => {
    const id = await create(fields({ title: "Open-ended series for the job" }));
    const before = await expectExact(id);
    const db = getDb();
    // The first run records the horizon (the server does this at start-up); then there is
    // nothing to do while the horizon is far enough ahead.
    await extendOccurrences(new Date());
    await expectExact(id);
    expect(await extendOccurrences(new Date())).toEqual({ events: 0, rows: 0 });
    const horizon = (await db.selectFrom("event_occurrence_horizon").select("until_utc").executeTakeFirstOrThrow()).until_utc;
    // Sixty days on, the horizon moves and the running series gain their new dates.
    const later = new Date(Date.now() + 60 * 86_400_000);
    const result = await extendOccurrences(later);
    expect(result.events).toBeGreaterThan(0);
    const moved = (await db.selectFrom("event_occurrence_horizon").select("until_utc").executeTakeFirstOrThrow()).until_utc;
    expect(Date.parse(moved)).toBe(later.getTime() + HORIZON_DAYS * 86_400_000);
    expect(moved > horizon).toBe(true);
    const after = await expectExact(id);
    expect(after.length).toBeGreaterThan(before.length + 6);
    for (const e of await db.selectFrom("event").select("id").execute()) await expectExact(e.id);
  });
});

describe("lists show each series once", () => {
  it("/events page 1 shows no event twice; a series reads 'Every …, … — next …' and links to its own page", async () => {
    for (let i = 0; i < 25; i++) await create(fields({ title: `Weekly series ${i}`, startDate: nextWeekday(1, i % 7), startTime: `${String(9 + (i % 8)).padStart(2, "0")}:00`, endTime: `${String(10 + (i % 8)).padStart(2, "0")}:00` }));
    const res = await (listLoader as Fn)({ request: getRequest("/events"), params: {}, context: {} });
    const data = (await res.json()) as { items: Array<{ eventId: number; title: string; when: string; url: string; recurring: boolean; startUtc: string }>; next: string | null };
    expect(data.items).toHaveLength(20);
    expect(new Set(data.items.map((i) => i.eventId)).size).toBe(20);
    expect([...data.items].sort((a, b) => a.startUtc.localeCompare(b.startUtc))).toEqual(data.items);
    const series = data.items.filter((i) => i.recurring);
    expect(series.length).toBeGreaterThan(10);
    for (const s of series) {
      expect(s.when).toMatch(/^(Every (other )?\w+day|The \w+ \w+day of every month), .+ — next \d{1,2} [A-Z][a-z]+( \d{4})?$/);
      expect(s.url).toBe(`/events/${s.eventId}`);
    }
    // Page 2 goes on where page 1 stopped, still without repeats.
    const page2 = (await ((await (listLoader as Fn)({ request: getRequest(data.next!), params: {}, context: {} })).json())) as { items: Array<{ eventId: number; startUtc: string }> };
    const ids = new Set(data.items.map((i) => i.eventId));
    expect(page2.items.some((i) => ids.has(i.eventId))).toBe(false);
    expect(page2.items[0].startUtc >= data.items[19].startUtc).toBe(true);
  });

  it("the home page lists each upcoming event once", async () => {
    const res = await (homeLoader as Fn)({ request: getRequest("/"), params: {}, context: {} });
    const data = (await res.json()) as { events: Array<{ url: string; meta: string }> };
    expect(data.events.length).toBeGreaterThan(0);
    expect(new Set(data.events.map((e) => e.url)).size).toBe(data.events.length);
    expect(data.events.some((e) => /^Every \w+day, .+ — next /.test(e.meta))).toBe(true);
  });

  it("the month view shows every date from the table, a busy day's first four and a link to the rest", async () => {
    const busyDay = nextWeekday(1, 5);
    for (let i = 0; i < 6; i++) await create(fields({ title: `Friday series ${i}`, startDate: busyDay, startTime: `${String(9 + i).padStart(2, "0")}:00`, endTime: `${String(10 + i).padStart(2, "0")}:00` }));
    const month = busyDay.slice(0, 7);
    const res = await (monthLoader as Fn)({ request: getRequest(`/events/calendar?month=${month}`), params: {}, context: {} });
    const data = (await res.json()) as { byDay: Record<string, { events: Array<{ title: string }>; more: number; moreUrl: string }> };
    const busy = Object.entries(data.byDay).filter(([, d]) => d.more > 0);
    expect(busy.map(([day]) => day)).toContain(busyDay);
    for (const [day, d] of Object.entries(data.byDay)) {
      expect(d.events.length).toBeLessThanOrEqual(4);
      expect(d.moreUrl).toBe(`/events?from=${day}&to=${day}`);
    }
    // The rest of a busy day are in the list, filtered to that day.
    const [day, d] = busy.find(([x]) => x === busyDay)!;
    const list = (await ((await (listLoader as Fn)({ request: getRequest(`/events?from=${day}&to=${day}`), params: {}, context: {} })).json())) as { items: Array<{ startLocal: string }> };
    expect(list.items.length).toBe(Math.min(20, d.events.length + d.more));
    expect(list.items.every((i) => i.startLocal.startsWith(day))).toBe(true);
  });
});

describe("lists read off the occurrence index match a plain reading of the table", () => {
  /** Every stored date of the events the user may see, joined the simple way, in list order. */
  async function reference(user: Awaited<ReturnType<typeof getOptionalUser>>, includeCancelled: boolean) {
    const { readable, organising } = await eventScope(user);
    const rows = await getDb()
      .selectFrom("event_occurrence as o")
      .innerJoin("event", "event.id", "o.event_id")
      .select(["o.event_id", "o.occurrence", "o.start_utc", "o.end_utc", "o.start_local", "o.end_local", "event.visibility", "event.status", "event.network_id"])
      .where("o.cancelled", "=", false)
      .execute();
    return rows
      .filter((r) => (r.visibility === "public" || readable.includes(r.network_id)) && (r.status !== "draft" || organising.includes(r.network_id)))
      .filter((r) => includeCancelled || r.status !== "cancelled")
      .sort((a, b) => a.start_utc.localeCompare(b.start_utc) || a.event_id - b.event_id || a.occurrence.localeCompare(b.occurrence));
  }
  const key = (i: { eventId: number; startUtc: string }) => `${i.eventId} ${i.startUtc}`;

  it("upcoming and past, page by page, for the public, a member and an organiser (members-only, drafts, cancelled)", async () => {
    const later = (days: number) => nextWeekday(days, 3);
    await create(fields({ title: "Members-only weekly", visibility: "members", startDate: later(1) }));
    await create(fields({ title: "Draft weekly", publish: "draft", startDate: later(2) }));
    await create(fields({ title: "One-off public", repeat: "none", startDate: later(4) }));
    await create(fields({ title: "One-off members", repeat: "none", visibility: "members", startDate: later(5) }));
    const cancelled = await create(fields({ title: "Series to cancel", startDate: later(3) }));
    await getDb().updateTable("event").set({ status: "cancelled" }).where("id", "=", cancelled).execute();
    const now = new Date();
    for (const email of [null, "member@example.org", "organiser@example.org"]) {
      const user = email ? await getOptionalUser(getRequest("/", { cookie: await cookieFor(email) })) : null;
      const all = await reference(user, true);
      const upcoming = all.filter((r) => r.end_utc > now.toISOString());
      const firsts = [...new Map(upcoming.reverse().map((r) => [r.event_id, r])).values()].sort((a, b) => a.start_utc.localeCompare(b.start_utc) || a.event_id - b.event_id);
      const listed: string[] = [];
      for (let page = 1; ; page++) {
        const { items, hasNext } = await listUpcoming({ user, from: now, page, perPage: 4 });
        listed.push(...items.map(key));
        if (!hasNext) break;
      }
      expect(listed, email ?? "public").toEqual(firsts.map((r) => `${r.event_id} ${r.start_utc}`));
      if (email === null) expect(listed.length).toBeGreaterThan(4);

      const past = (await reference(user, false)).filter((r) => r.end_utc <= now.toISOString() && r.start_utc >= new Date(now.getTime() - 3 * 365 * 86_400_000).toISOString());
      const lasts = [...new Map(past.map((r) => [r.event_id, r])).values()].sort((a, b) => b.start_utc.localeCompare(a.start_utc) || b.event_id - a.event_id);
      const pastListed: string[] = [];
      for (let page = 1; ; page++) {
        const { items, hasNext } = await listPast({ user, now, page, perPage: 4 });
        pastListed.push(...items.map(key));
        if (!hasNext) break;
      }
      expect(pastListed, email ?? "public").toEqual(lasts.map((r) => `${r.event_id} ${r.start_utc}`));

      // The month view: every day's dates, first four shown and the rest counted.
      const month = later(8).slice(0, 7);
      const days = await listMonth({ user, month });
      const perDay = new Map<string, string[]>();
      for (const r of all) {
        // An event lasting several days is on each of them.
        for (let d = r.start_local.slice(0, 10); d <= r.end_local.slice(0, 10); d = new Date(Date.parse(d) + 86_400_000).toISOString().slice(0, 10)) {
          if (d.startsWith(month)) perDay.set(d, [...(perDay.get(d) ?? []), `${r.event_id} ${r.start_utc}`]);
        }
      }
      for (const [day, list] of perDay) {
        expect(days[day]?.items.map(key), `${email} ${day}`).toEqual(list.slice(0, 4));
        expect(days[day]?.more).toBe(Math.max(0, list.length - 4));
      }
    }
  });
});

describe("the list from now is remembered, never stale", () => {
  const keys = (r: { items: Array<{ eventId: number; startUtc: string }> }) => r.items.map((i) => `${i.eventId} ${i.startUtc}`);
  const OPEN = new Date("9999-12-31T00:00:00.000Z");

  it("an event write shows at once (the database's feed version moves)", async () => {
    const first = await listUpcoming({ user: null, perPage: 5 });
    const shown = first.items[0];
    await getDb().updateTable("event").set({ visibility: "members" }).where("id", "=", shown.eventId).execute();
    const after = await listUpcoming({ user: null, perPage: 5 });
    expect(after.items.map((i) => i.eventId)).not.toContain(shown.eventId);
    expect(keys(after)).toEqual(keys(await listUpcoming({ user: null, perPage: 5, to: OPEN })));
    await getDb().updateTable("event").set({ visibility: "public" }).where("id", "=", shown.eventId).execute();
    // What the remembered page says follows the database too: a network's new name, an event's new title.
    const network = await getDb().selectFrom("network").select(["id", "name"]).where("name", "=", shown.networkName).executeTakeFirstOrThrow();
    await getDb().updateTable("network").set({ name: `${network.name} (renamed)` }).where("id", "=", network.id).execute();
    expect((await listUpcoming({ user: null, perPage: 5 })).items.find((i) => i.eventId === shown.eventId)?.networkName).toBe(`${network.name} (renamed)`);
    await getDb().updateTable("network").set({ name: network.name }).where("id", "=", network.id).execute();
    await getDb().updateTable("event").set({ title: "Retitled while remembered" }).where("id", "=", shown.eventId).execute();
    expect((await listUpcoming({ user: null, perPage: 5 })).items.find((i) => i.eventId === shown.eventId)?.title).toBe("Retitled while remembered");
  });

  it("as time passes, the list changes when a date in it ends, and matches a fresh walk", async () => {
    const t0 = new Date(Date.now() - 21 * 86_400_000);
    const then = await listUpcoming({ user: null, from: t0, perPage: 6 });
    expect(then.items.length).toBeGreaterThan(1);
    // Just after the first shown date ends (still in the past, so the remembered walk is asked).
    const soonest = then.items.map((i) => i.endUtc).sort()[0];
    const t1 = new Date(Date.parse(soonest) + 1);
    expect(t1.getTime()).toBeLessThan(Date.now());
    const later = await listUpcoming({ user: null, from: t1, perPage: 6 });
    expect(keys(later)).toEqual(keys(await listUpcoming({ user: null, from: t1, perPage: 6, to: OPEN })));
    expect(keys(later)).not.toEqual(keys(then));
    // And a page further on from the same remembered walk.
    expect(keys(await listUpcoming({ user: null, from: t1, perPage: 6, page: 2 }))).toEqual(keys(await listUpcoming({ user: null, from: t1, perPage: 6, page: 2, to: OPEN })));
  });
});


describe("the month view is remembered, never stale", () => {
  const total = (days: Awaited<ReturnType<typeof listMonth>>) => Object.values(days).reduce((n, d) => n + d.items.length + d.more, 0);
  const month = () => new Date(Date.now() + 8 * 86_400_000).toISOString().slice(0, 7);

  it("shows an event write, and a network's new name, at once", async () => {
    const before = await listMonth({ user: null, month: month() });
    const [day, { items }] = Object.entries(before).find(([, d]) => d.items.length > 0)!;
    const shown = items[0];
    expect(await listMonth({ user: null, month: month() })).toBe(before);

    await getDb().updateTable("event").set({ visibility: "members" }).where("id", "=", shown.eventId).execute();
    const hidden = await listMonth({ user: null, month: month() });
    expect(hidden[day]?.items.map((i) => i.eventId) ?? []).not.toContain(shown.eventId);
    expect(total(hidden)).toBeLessThan(total(before));
    await getDb().updateTable("event").set({ visibility: "public" }).where("id", "=", shown.eventId).execute();

    const network = await getDb().selectFrom("event").innerJoin("network", "network.id", "event.network_id").select(["network.id", "network.name"]).where("event.id", "=", shown.eventId).executeTakeFirstOrThrow();
    await getDb().updateTable("network").set({ name: `${network.name} (renamed)` }).where("id", "=", network.id).execute();
    const renamed = await listMonth({ user: null, month: month() });
    expect(renamed[day].items.find((i) => i.eventId === shown.eventId)?.networkName).toBe(`${network.name} (renamed)`);
    await getDb().updateTable("network").set({ name: network.name }).where("id", "=", network.id).execute();
    expect(total(await listMonth({ user: null, month: month() }))).toBe(total(before));
  });

  it("gains a month's new series dates when the horizon moves on", async () => {
    const db = getDb();
    const horizon = (await db.selectFrom("event_occurrence_horizon").select("until_utc").executeTakeFirstOrThrow()).until_utc;
    // The month just past the horizon: open-ended series have no dates stored in it yet.
    const beyond = new Date(Date.parse(horizon) + 20 * 86_400_000).toISOString().slice(0, 7);
    const before = total(await listMonth({ user: null, month: beyond }));
    // The job, run as if sixty days on from the horizon's own day.
    await extendOccurrences(new Date(Date.parse(horizon) - HORIZON_DAYS * 86_400_000 + 60 * 86_400_000));
    const after = await listMonth({ user: null, month: beyond });
    expect(total(after)).toBeGreaterThan(before);
    // The same as a month worked out afresh (another day size is not remembered yet).
    expect(total(after)).toBe(total(await listMonth({ user: null, month: beyond, perDay: 7 })));
  });
});
