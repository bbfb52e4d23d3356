// Occurrences of one-off and recurring events, with their exceptions (cancelled or moved
// occurrences), and the stored time columns of an event.
//
// Times: every event stores its wall-clock start/end in its IANA zone (Europe/London) plus the
// UTC instants of its first occurrence and the end of its last one (series_end_utc), so range
// queries are indexed and recurring series are expanded in JS only when they overlap the window.
// Web pages apply the same occurrence exceptions as the feeds (cancelled ones dropped, moved
// ones moved), so what people see on the site matches their calendar app.

import { getDb, writeTransaction, type DB } from "../../../db/index";
import type { EventOccurrenceTable } from "../../../db/types/events";
import { expandOccurrences, isOccurrence, localToUtc, parseLocal, toRRule, utcToLocal, type Recurrence } from "../../utils/recurrence";
import type { EventInput } from "../../validation/events";
import { DAY_MS, OPEN_ENDED, TIME_ZONE, type EventRow } from "./shared.server";

export type OverrideRow = {
  event_id: number;
  recurrence_id_local: string;
  cancelled: boolean;
  start_local: string | null;
  end_local: string | null;
  note: string | null;
  sequence: number;
};

export type Occurrence = {
  /** "" for a one-off event, else the nominal local start (RECURRENCE-ID). */
  occurrence: string;
  startLocal: string;
  endLocal: string;
  startUtc: string;
  endUtc: string;
  cancelled: boolean;
  moved: boolean;
  note: string | null;
};

export function parseRecurrence(json: string | null): Recurrence | null {
  if (!json) return null;
  try {
    const value: unknown = JSON.parse(json);
    if (value && typeof value === "object" && "freq" in value) return value as Recurrence;
  } catch {
    // An unreadable rule is treated as a one-off event rather than an error page.
  }
  return null;
}

function localFor(event: Pick<EventRow, "all_day" | "time_zone">, instant: Date): string {
  const local = utcToLocal(instant, event.time_zone);
  return event.all_day ? local.slice(0, 10) : local;
}

function durationMs(event: Pick<EventRow, "start_utc" | "end_utc">): number {
  return Date.parse(event.end_utc) - Date.parse(event.start_utc);
}

/** The times of one changed occurrence (a moved occurrence keeps the series' length unless given an end). */
function overrideTimes(event: EventRow, o: OverrideRow): { startLocal: string; endLocal: string; startUtc: Date; endUtc: Date } {
  const startLocal = o.start_local ?? (event.all_day ? o.recurrence_id_local.slice(0, 10) : o.recurrence_id_local);
  const startUtc = localToUtc(startLocal, event.time_zone);
  if (event.all_day) {
    const days = Math.round((Date.parse(event.end_local) - Date.parse(event.start_local)) / DAY_MS);
    const endLocal = o.end_local ?? new Date(Date.parse(startLocal) + days * DAY_MS).toISOString().slice(0, 10);
    const endUtc = localToUtc(new Date(Date.parse(endLocal) + DAY_MS).toISOString().slice(0, 10), event.time_zone);
    return { startLocal, endLocal, startUtc, endUtc };
  }
  const endUtc = o.end_local ? localToUtc(o.end_local, event.time_zone) : new Date(startUtc.getTime() + durationMs(event));
  return { startLocal, endLocal: o.end_local ?? utcToLocal(endUtc, event.time_zone), startUtc, endUtc };
}

/**
 * Occurrences of one event overlapping [from, to), exceptions applied: cancelled ones are
 * dropped (or flagged with includeCancelled), moved ones appear at their new time.
 */
export function occurrencesOf(
  event: EventRow,
  overrides: readonly OverrideRow[],
  from: Date,
  to: Date,
  { includeCancelled = false, limit = 1000 }: { includeCancelled?: boolean; limit?: number } = {},
): Occurrence[] {
  const recurrence = parseRecurrence(event.recurrence);
  if (!recurrence) {
    const s = Date.parse(event.start_utc);
    const e = Date.parse(event.end_utc);
    if (!(e > from.getTime() || s >= from.getTime()) || s >= to.getTime()) return [];
    return [{ occurrence: "", startLocal: event.start_local, endLocal: event.end_local, startUtc: event.start_utc, endUtc: event.end_utc, cancelled: false, moved: false, note: null }];
  }
  const byId = new Map(overrides.map((o) => [normaliseRid(o.recurrence_id_local), o]));
  const out: Occurrence[] = [];
  const base = expandOccurrences({ startLocal: event.start_local, endLocal: event.end_local, timeZone: event.time_zone, recurrence, from, to, limit });
  for (const occ of base) {
    const rid = normaliseRid(occ.recurrenceId);
    const o = byId.get(rid);
    if (o && !o.cancelled && o.start_local) continue; // shown at its new time below
    if (o?.cancelled && !includeCancelled) continue;
    out.push({
      occurrence: rid,
      startLocal: localFor(event, occ.startUtc),
      endLocal: event.all_day ? localFor(event, new Date(occ.endUtc.getTime() - DAY_MS)) : localFor(event, occ.endUtc),
      startUtc: occ.startUtc.toISOString(),
      endUtc: occ.endUtc.toISOString(),
      cancelled: Boolean(o?.cancelled),
      moved: false,
      note: o?.note ?? null,
    });
  }
  for (const o of overrides) {
    if (o.cancelled || !o.start_local) continue;
    const rid = normaliseRid(o.recurrence_id_local);
    if (!isOccurrence({ startLocal: event.start_local, recurrence, recurrenceIdLocal: rid })) continue;
    const t = overrideTimes(event, o);
    if (!(t.endUtc.getTime() > from.getTime() || t.startUtc.getTime() >= from.getTime()) || t.startUtc.getTime() >= to.getTime()) continue;
    out.push({ occurrence: rid, startLocal: t.startLocal, endLocal: t.endLocal, startUtc: t.startUtc.toISOString(), endUtc: t.endUtc.toISOString(), cancelled: false, moved: true, note: o.note });
  }
  return out.sort((a, b) => a.startUtc.localeCompare(b.startUtc));
}

/** Recurrence ids are "YYYY-MM-DDTHH:mm" (all-day series: midnight). */
export function normaliseRid(rid: string): string {
  const w = parseLocal(rid);
  if (!w) return rid;
  return `${rid.slice(0, 10)}T${String(w.hour).padStart(2, "0")}:${String(w.minute).padStart(2, "0")}`;
}

/** The one occurrence named by `rid` (exceptions applied), or undefined when the series has no such date. */
export function findOccurrence(event: EventRow, overrides: readonly OverrideRow[], rid: string): Occurrence | undefined {
  const recurrence = parseRecurrence(event.recurrence);
  if (!recurrence) return rid === "" ? occurrencesOf(event, [], new Date(0), new Date(OPEN_ENDED))[0] : undefined;
  const id = normaliseRid(rid);
  if (!parseLocal(id) || !isOccurrence({ startLocal: event.start_local, recurrence, recurrenceIdLocal: event.all_day ? id.slice(0, 10) : id })) return undefined;
  const o = overrides.find((x) => normaliseRid(x.recurrence_id_local) === id);
  if (o && !o.cancelled && o.start_local) {
    const t = overrideTimes(event, o);
    return { occurrence: id, startLocal: t.startLocal, endLocal: t.endLocal, startUtc: t.startUtc.toISOString(), endUtc: t.endUtc.toISOString(), cancelled: false, moved: true, note: o.note };
  }
  const nominalStart = localToUtc(event.all_day ? id.slice(0, 10) : id, event.time_zone);
  const found = expandOccurrences({
    startLocal: event.start_local,
    endLocal: event.end_local,
    timeZone: event.time_zone,
    recurrence,
    from: new Date(nominalStart.getTime()),
    to: new Date(nominalStart.getTime() + 1),
    limit: 3,
  }).find((x) => normaliseRid(x.recurrenceId) === id);
  if (!found) return undefined;
  return {
    occurrence: id,
    startLocal: localFor(event, found.startUtc),
    endLocal: event.all_day ? localFor(event, new Date(found.endUtc.getTime() - DAY_MS)) : localFor(event, found.endUtc),
    startUtc: found.startUtc.toISOString(),
    endUtc: found.endUtc.toISOString(),
    cancelled: Boolean(o?.cancelled),
    moved: false,
    note: o?.note ?? null,
  };
}

export async function overridesFor(eventIds: number[], db: DB = getDb()): Promise<Map<number, OverrideRow[]>> {
  const map = new Map<number, OverrideRow[]>();
  if (eventIds.length === 0) return map;
  for (let i = 0; i < eventIds.length; i += 500) {
    const rows = await db
      .selectFrom("event_occurrence_override")
      .select(["event_id", "recurrence_id_local", "cancelled", "start_local", "end_local", "note", "sequence"])
      .where("event_id", "in", eventIds.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      const list = map.get(r.event_id) ?? [];
      list.push(r);
      map.set(r.event_id, list);
    }
  }
  return map;
}

/** The stored time columns of an event (also used by the demo data and the benchmark). */
export function timeColumns(input: Pick<EventInput, "startLocal" | "endLocal" | "allDay" | "recurrence">) {
  const startUtc = localToUtc(input.startLocal, TIME_ZONE);
  const endUtc = input.allDay ? localToUtc(new Date(Date.parse(input.endLocal) + DAY_MS).toISOString().slice(0, 10), TIME_ZONE) : localToUtc(input.endLocal, TIME_ZONE);
  let seriesEnd = endUtc.toISOString();
  const rec = input.recurrence;
  if (rec) {
    if (rec.count === undefined && rec.until === undefined) seriesEnd = OPEN_ENDED;
    else {
      const last = expandOccurrences({ startLocal: input.startLocal, endLocal: input.endLocal, timeZone: TIME_ZONE, recurrence: rec, from: startUtc, to: new Date(OPEN_ENDED), limit: 100_000 }).pop();
      seriesEnd = last ? last.endUtc.toISOString() : seriesEnd;
    }
  }
  return {
    start_local: input.startLocal,
    end_local: input.endLocal,
    time_zone: TIME_ZONE,
    start_utc: startUtc.toISOString(),
    end_utc: endUtc.toISOString(),
    series_end_utc: seriesEnd,
    all_day: input.allDay,
    recurrence: rec ? JSON.stringify(rec) : null,
    rrule: rec ? toRRule(rec, input.startLocal, TIME_ZONE) : null,
  };
}

// ---------------------------------------------------------------- the occurrence table

/** Series are stored this far ahead of today; the occurrences job moves the horizon on. */
export const HORIZON_DAYS = 800;
/** The job recomputes the running series once the horizon is this close to falling short. */
const EXTEND_EVERY_DAYS = 7;
const MAX_STORED_PER_EVENT = 10_000;

/** One row of the occurrence table (its columns are described in db/types/events.ts). */
export type OccurrenceTableRow = EventOccurrenceTable;

/** The stored rows of one event: every date up to `until` (one-off events whatever their date), cancelled ones flagged. */
export function occurrenceRows(event: EventRow, overrides: readonly OverrideRow[], until: Date): OccurrenceTableRow[] {
  const to = event.recurrence === null ? new Date(OPEN_ENDED) : until;
  return occurrencesOf(event, overrides, new Date(0), to, { includeCancelled: true, limit: MAX_STORED_PER_EVENT }).map((o) => ({
    event_id: event.id,
    occurrence: o.occurrence,
    start_utc: o.startUtc,
    end_utc: o.endUtc,
    start_local: o.startLocal,
    end_local: o.endLocal,
    cancelled: o.cancelled,
    moved: o.moved,
    note: o.note,
  }));
}

async function storedHorizon(db: DB): Promise<string | undefined> {
  return (await db.selectFrom("event_occurrence_horizon").select("until_utc").where("id", "=", 1).executeTakeFirst())?.until_utc;
}

/** How far ahead series dates are stored (moved on by extendOccurrences, not by event writes). */
export async function occurrenceHorizon(): Promise<string | undefined> {
  return storedHorizon(getDb());
}

async function replaceOccurrences(trx: DB, events: EventRow[], until: Date): Promise<number> {
  if (events.length === 0) return 0;
  const ids = events.map((e) => e.id);
  const overrides = await overridesFor(events.filter((e) => e.recurrence !== null).map((e) => e.id), trx);
  for (let i = 0; i < ids.length; i += 500) await trx.deleteFrom("event_occurrence").where("event_id", "in", ids.slice(i, i + 500)).execute();
  const rows = events.flatMap((e) => occurrenceRows(e, overrides.get(e.id) ?? [], until));
  for (let i = 0; i < rows.length; i += 1000) await trx.insertInto("event_occurrence").values(rows.slice(i, i + 1000)).execute();
  return rows.length;
}

/**
 * Rewrites one event's stored dates from its row and its changed dates. Every function that
 * writes an event or one of its dates calls this inside the same transaction, so the table is
 * never out of step with what the feeds say.
 */
export async function writeOccurrences(trx: DB, eventId: number, now = new Date()): Promise<void> {
  const event = await trx.selectFrom("event").selectAll().where("id", "=", eventId).executeTakeFirst();
  if (!event) return void (await trx.deleteFrom("event_occurrence").where("event_id", "=", eventId).execute());
  const until = (await storedHorizon(trx)) ?? new Date(now.getTime() + HORIZON_DAYS * DAY_MS).toISOString();
  await replaceOccurrences(trx, [event], new Date(until));
}

/**
 * The occurrences job: keeps series stored HORIZON_DAYS ahead as time passes. The first run
 * (no horizon yet: a new or upgraded database) computes every event. The new horizon is
 * recorded before the series are recomputed, so an event written meanwhile already uses it.
 * Idempotent and safe to run in two processes at once.
 */
export async function extendOccurrences(now = new Date()): Promise<{ events: number; rows: number }> {
  const db = getDb();
  const wanted = new Date(now.getTime() + HORIZON_DAYS * DAY_MS);
  const current = await storedHorizon(db);
  if (current && Date.parse(current) > wanted.getTime() - EXTEND_EVERY_DAYS * DAY_MS) return { events: 0, rows: 0 };
  await db
    .insertInto("event_occurrence_horizon")
    .values({ id: 1, until_utc: wanted.toISOString() })
    .onConflict((oc) => oc.column("id").doUpdateSet({ until_utc: wanted.toISOString() }))
    .execute();
  let query = db.selectFrom("event").select("id").orderBy("id");
  if (current) query = query.where("recurrence", "is not", null).where("series_end_utc", ">", current);
  const ids = (await query.execute()).map((r) => r.id);
  let rows = 0;
  for (let i = 0; i < ids.length; i += 200) {
    const batch = ids.slice(i, i + 200);
    rows += await writeTransaction(async (trx) => {
      const events = await trx.selectFrom("event").selectAll().where("id", "in", batch).execute();
      return replaceOccurrences(trx, events, new Date((await storedHorizon(trx)) ?? wanted.toISOString()));
    });
  }
  return { events: ids.length, rows };
}
