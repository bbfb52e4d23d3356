// Events: one-off and recurring, their occurrences, registrations with a waiting list,
// iCalendar feeds and the personal feed token. The only module that queries event tables.
//
// Times: every event stores its wall-clock start/end in its IANA zone (Europe/London) plus the
// UTC instants of its first occurrence and the end of its last one (series_end_utc), so range
// queries are indexed and recurring series are expanded in JS only when they overlap the window.
// Web pages apply the same occurrence exceptions as the feeds (cancelled ones dropped, moved
// ones moved), so what people see on the site matches their calendar app.

import { randomUUID } from "node:crypto";
import type { Selectable, SelectQueryBuilder } from "kysely";
import { getDb, nowIso, writeTransaction, type DB } from "../../db/index";
import type { Database } from "../../db/schema";
import type { EventRecordStatus, EventTable, RegistrationStatus } from "../../db/types/events";
import { renderSimpleEmail } from "../../emails/layout";
import { sendEmail } from "../../emails/send";
import type { SessionUser } from "../utils/auth.server";
import { env } from "../utils/env.server";
import { notModified } from "../utils/http.server";
import { describeWhen, shortWhen } from "../utils/event-time";
import { buildCalendarIcs, buildSingleEventIcs, EUROPE_LONDON_VTIMEZONE, feedEtag, googleCalendarUrl, outlookCalendarUrl, type CalendarEvent, type OccurrenceException } from "../utils/ical.server";
import { markdownToPlainText, renderMarkdown } from "../utils/markdown.server";
import { expandOccurrences, isOccurrence, localToUtc, parseLocal, toRRule, utcToLocal, type Recurrence } from "../utils/recurrence";
import { generateToken, hashToken } from "../utils/totp.server";
import { EVENT_KINDS, topicLabel } from "../utils/vocab";
import type { EventInput } from "../validation/events";
import { networksWithRole, readableNetworkIds, roleAtLeast, networkRole } from "./networks.server";

export type EventRow = Selectable<EventTable>;

export const TIME_ZONE = "Europe/London";
/** Open-ended series never end: this sorts after every real instant. */
export const OPEN_ENDED = "9999-12-31T00:00:00.000Z";
/** Cancelled events stay in feeds (STATUS:CANCELLED) this long so subscribed clients remove them. */
export const CANCELLED_KEEP_DAYS = 30;
/** Feeds cover events that ended up to this long ago. */
export const FEED_PAST_DAYS = 90;
/** A feed lists at most this many events (series count once), soonest first: calendar apps choke on huge feeds. */
export const FEED_MAX_EVENTS = 2000;
const DAY_MS = 86_400_000;

export const KIND_LABEL: Record<string, string> = Object.fromEntries(EVENT_KINDS.map((k) => [k.value, k.label]));

export function kindLabel(kind: string): string {
  return KIND_LABEL[kind] ?? kind;
}

// ---------------------------------------------------------------- permissions

/** Networks whose members-only events the user may see (approved members; all for platform admins). */
async function readableIds(user: SessionUser | null): Promise<number[]> {
  return readableNetworkIds(user);
}

/** Networks in which the user may publish and manage events (organiser or above). */
export async function organiserNetworks(user: SessionUser | null) {
  if (!user) return [];
  return networksWithRole(user, "organiser");
}

export async function canManageEvent(user: SessionUser | null, event: Pick<EventRow, "network_id">): Promise<boolean> {
  if (!user) return false;
  return roleAtLeast(await networkRole(user, event.network_id), "organiser");
}

type EventQuery = SelectQueryBuilder<Database, "event", object>;

/** Public events, members-only ones of readable networks, drafts only where the user organises. */
function scopeVisible<Q extends EventQuery>(qb: Q, readable: number[], organising: number[]): Q {
  return qb.where((eb) =>
    eb.and([
      eb.or([eb("event.visibility", "=", "public"), ...(readable.length ? [eb("event.network_id", "in", readable)] : [])]),
      eb.or([eb("event.status", "!=", "draft"), ...(organising.length ? [eb("event.network_id", "in", organising)] : [])]),
    ]),
  ) as Q;
}

// ---------------------------------------------------------------- occurrences

export type OverrideRow = {
  event_id: number;
  recurrence_id_local: string;
  cancelled: number;
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

async function overridesFor(eventIds: number[], db: DB = getDb()): Promise<Map<number, OverrideRow[]>> {
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

// ---------------------------------------------------------------- lists

export type EventFilters = {
  networkIds?: number[];
  kinds?: string[];
  topics?: string[];
  organisationIds?: number[];
};

export type OccurrenceItem = {
  eventId: number;
  occurrence: string;
  title: string;
  kind: string;
  kindLabel: string;
  status: EventRecordStatus;
  visibility: "public" | "members";
  allDay: boolean;
  startLocal: string;
  endLocal: string;
  startUtc: string;
  endUtc: string;
  when: string;
  shortWhen: string;
  place: string;
  online: boolean;
  networkName: string;
  organisationName: string | null;
  recurring: boolean;
  moved: boolean;
  url: string;
};

export function occurrenceUrl(eventId: number, occurrence: string): string {
  return occurrence ? `/events/${eventId}?occurrence=${encodeURIComponent(occurrence)}` : `/events/${eventId}`;
}

type ListRow = EventRow & { network_name: string; organisation_name: string | null };

function placeOf(e: Pick<EventRow, "venue" | "address" | "postcode" | "online_url">): { place: string; online: boolean } {
  if (e.venue) {
    const town = (e.address ?? "").split("\n").map((l) => l.trim()).filter(Boolean).pop();
    return { place: town && !e.venue.includes(town) ? `${e.venue}, ${town}` : e.venue, online: false };
  }
  return { place: "Online", online: true };
}

function toItem(e: ListRow, o: Occurrence): OccurrenceItem {
  const allDay = e.all_day === 1;
  return {
    eventId: e.id,
    occurrence: o.occurrence,
    title: e.title,
    kind: e.kind,
    kindLabel: kindLabel(e.kind),
    status: e.status,
    visibility: e.visibility,
    allDay,
    startLocal: o.startLocal,
    endLocal: o.endLocal,
    startUtc: o.startUtc,
    endUtc: o.endUtc,
    when: describeWhen(o.startLocal, o.endLocal, allDay, e.time_zone),
    shortWhen: shortWhen(o.startLocal, o.endLocal, allDay),
    ...placeOf(e),
    networkName: e.network_name,
    organisationName: e.organisation_name,
    recurring: e.recurrence !== null,
    moved: o.moved,
    url: occurrenceUrl(e.id, o.occurrence),
  };
}

/** Events (not occurrences) whose series overlaps [from, to), filtered, visible to the user. */
async function eventsOverlapping({
  from,
  to,
  filters,
  readable,
  organising,
  includeCancelled,
  order = "asc",
  limit,
}: {
  from: Date;
  to: Date;
  filters: EventFilters;
  readable: number[];
  organising: number[];
  includeCancelled: boolean;
  order?: "asc" | "desc";
  limit?: number;
}): Promise<ListRow[]> {
  let qb = getDb()
    .selectFrom("event")
    .innerJoin("network", "network.id", "event.network_id")
    .leftJoin("organisation", "organisation.id", "event.organisation_id")
    .selectAll("event")
    .select(["network.name as network_name", "organisation.name as organisation_name"])
    .where("event.start_utc", "<", to.toISOString())
    .where("event.series_end_utc", ">", from.toISOString());
  qb = scopeVisible(qb, readable, organising);
  if (!includeCancelled) qb = qb.where("event.status", "!=", "cancelled");
  if (filters.networkIds?.length) qb = qb.where("event.network_id", "in", filters.networkIds);
  if (filters.kinds?.length) qb = qb.where("event.kind", "in", filters.kinds as EventRow["kind"][]);
  if (filters.organisationIds?.length) qb = qb.where("event.organisation_id", "in", filters.organisationIds);
  if (filters.topics?.length) {
    const topics = filters.topics;
    qb = qb.where((eb) => eb.exists(eb.selectFrom("event_topic").select("event_topic.event_id").whereRef("event_topic.event_id", "=", "event.id").where("event_topic.topic", "in", topics)));
  }
  qb = qb.orderBy("event.start_utc", order).orderBy("event.id", order);
  if (limit) qb = qb.limit(limit);
  return qb.execute();
}

type RawItem = { row: ListRow; occ: Occurrence; eventId: number; startUtc: string; endUtc: string };

// Occurrences stay raw until the page is cut: wording every date of a busy window would cost
// more than finding them.
async function expandRaw(rows: ListRow[], from: Date, to: Date): Promise<RawItem[]> {
  const overrides = await overridesFor(rows.filter((r) => r.recurrence !== null).map((r) => r.id));
  const items: RawItem[] = [];
  for (const r of rows) for (const o of occurrencesOf(r, overrides.get(r.id) ?? [], from, to, { limit: 400 })) items.push({ row: r, occ: o, eventId: r.id, startUtc: o.startUtc, endUtc: o.endUtc });
  return items;
}

async function expandAll(rows: ListRow[], from: Date, to: Date): Promise<OccurrenceItem[]> {
  return (await expandRaw(rows, from, to)).map((i) => toItem(i.row, i.occ));
}

/**
 * A page of upcoming occurrences, soonest first. The window grows (two weeks, four, eight…)
 * until it holds enough occurrences for the page, so a busy calendar never expands a year of
 * weekly series to show the first twenty.
 */
export async function listUpcoming({
  user,
  filters = {},
  from = new Date(),
  to,
  page = 1,
  perPage = 20,
}: {
  user: SessionUser | null;
  filters?: EventFilters;
  from?: Date;
  to?: Date;
  page?: number;
  perPage?: number;
}): Promise<{ items: OccurrenceItem[]; hasNext: boolean }> {
  const [readable, organising] = await Promise.all([readableIds(user), organiserNetworks(user).then((n) => n.map((x) => x.id))]);
  const limitTo = to ?? new Date(from.getTime() + 2 * 365 * DAY_MS);
  const need = page * perPage + 1;
  let days = 7;
  let items: RawItem[] = [];
  for (;;) {
    const windowTo = new Date(Math.min(from.getTime() + days * DAY_MS, limitTo.getTime()));
    const rows = await eventsOverlapping({ from, to: windowTo, filters, readable, organising, includeCancelled: true });
    items = (await expandRaw(rows, from, windowTo)).filter((i) => i.endUtc > from.toISOString());
    if (items.length >= need || windowTo.getTime() >= limitTo.getTime()) break;
    days *= 4;
  }
  items.sort((a, b) => a.startUtc.localeCompare(b.startUtc) || a.eventId - b.eventId);
  return { items: items.slice((page - 1) * perPage, page * perPage).map((i) => toItem(i.row, i.occ)), hasNext: items.length > page * perPage };
}

/** Past occurrences, most recent first (back two years at most). */
export async function listPast({ user, filters = {}, now = new Date(), page = 1, perPage = 20 }: { user: SessionUser | null; filters?: EventFilters; now?: Date; page?: number; perPage?: number }) {
  const [readable, organising] = await Promise.all([readableIds(user), organiserNetworks(user).then((n) => n.map((x) => x.id))]);
  const need = page * perPage + 1;
  const limitFrom = new Date(now.getTime() - 3 * 365 * DAY_MS);
  let days = 60;
  let items: RawItem[] = [];
  for (;;) {
    const windowFrom = new Date(Math.max(now.getTime() - days * DAY_MS, limitFrom.getTime()));
    const rows = await eventsOverlapping({ from: windowFrom, to: now, filters, readable, organising, includeCancelled: false });
    items = (await expandRaw(rows, windowFrom, now)).filter((i) => i.endUtc <= now.toISOString() && i.startUtc >= windowFrom.toISOString());
    if (items.length >= need || windowFrom.getTime() <= limitFrom.getTime()) break;
    days *= 4;
  }
  items.sort((a, b) => b.startUtc.localeCompare(a.startUtc) || b.eventId - a.eventId);
  return { items: items.slice((page - 1) * perPage, page * perPage).map((i) => toItem(i.row, i.occ)), hasNext: items.length > page * perPage };
}

/** Every occurrence in a calendar month ("2026-12"), UK time. */
export async function listMonth({ user, month, filters = {} }: { user: SessionUser | null; month: string; filters?: EventFilters }): Promise<OccurrenceItem[]> {
  const [y, m] = month.split("-").map(Number);
  const from = localToUtc(`${month}-01T00:00`, TIME_ZONE);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
  const to = localToUtc(`${next}-01T00:00`, TIME_ZONE);
  const [readable, organising] = await Promise.all([readableIds(user), organiserNetworks(user).then((n) => n.map((x) => x.id))]);
  const rows = await eventsOverlapping({ from, to, filters, readable, organising, includeCancelled: true });
  const items = await expandAll(rows, from, to);
  return items.sort((a, b) => a.startUtc.localeCompare(b.startUtc) || a.eventId - b.eventId);
}

/** For the organisation page: upcoming occurrences organised by that organisation, visible to the user. */
export async function listEventsFor({ organisationId, user, limit = 10 }: { organisationId: number; user: SessionUser | null; limit?: number }) {
  const { items } = await listUpcoming({ user, filters: { organisationIds: [organisationId] }, perPage: limit });
  return items;
}

/** The next few occurrences for the home page. */
export async function listNextOccurrences({ user, limit = 5 }: { user: SessionUser | null; limit?: number }) {
  const { items } = await listUpcoming({ user, perPage: limit });
  return items.filter((i) => i.status !== "cancelled");
}

export type EventDigestItem = { id: string; title: string; url: string; summary: string; when: string; icsUrl: string; meta: string };

/**
 * For the email digest: occurrences in the next 14 days plus events announced since `since`
 * (whatever their date), in the given networks, optionally only some topics or organisations.
 */
export async function listForDigest({
  since,
  networkIds,
  includeMembersOnly,
  topics = [],
  organisationIds,
  limit = 10,
  now = new Date(),
}: {
  since: string;
  networkIds: number[];
  includeMembersOnly: boolean;
  topics?: string[];
  organisationIds?: number[];
  limit?: number;
  now?: Date;
}): Promise<EventDigestItem[]> {
  if (networkIds.length === 0) return [];
  const appUrl = env().APP_URL;
  const filters: EventFilters = { networkIds, topics, organisationIds };
  const readable = includeMembersOnly ? networkIds : [];
  const soon = new Date(now.getTime() + 14 * DAY_MS);
  const rows = await eventsOverlapping({ from: now, to: soon, filters, readable, organising: [], includeCancelled: false });
  const announced = await eventsOverlapping({ from: now, to: new Date(now.getTime() + 2 * 365 * DAY_MS), filters, readable, organising: [], includeCancelled: false });
  const fresh = announced.filter((e) => e.created_at > since && !rows.some((r) => r.id === e.id));
  const items: Array<{ item: EventDigestItem; at: string }> = [];
  const overrides = await overridesFor([...rows, ...fresh].filter((r) => r.recurrence !== null).map((r) => r.id));
  for (const e of rows) {
    for (const o of occurrencesOf(e, overrides.get(e.id) ?? [], now, soon, { limit: 3 })) items.push({ item: digestItem(e, o, appUrl), at: o.startUtc });
  }
  for (const e of fresh) {
    const first = occurrencesOf(e, overrides.get(e.id) ?? [], now, new Date(now.getTime() + 2 * 365 * DAY_MS), { limit: 1 })[0];
    if (first) items.push({ item: digestItem(e, first, appUrl), at: first.startUtc });
  }
  return items
    .filter((x) => x.item.title)
    .sort((a, b) => a.at.localeCompare(b.at))
    .slice(0, limit)
    .map((x) => x.item);
}

function digestItem(e: ListRow, o: Occurrence, appUrl: string): EventDigestItem {
  const { place } = placeOf(e);
  return {
    id: `event:${e.id}:${o.occurrence}`,
    title: e.title,
    url: `${appUrl}${occurrenceUrl(e.id, o.occurrence)}`,
    summary: markdownToPlainText(e.description, 200),
    when: o.startUtc,
    icsUrl: `${appUrl}/events/${e.id}.ics`,
    meta: `${shortWhen(o.startLocal, o.endLocal, e.all_day === 1)} · ${place}`,
  };
}

// ---------------------------------------------------------------- one event

export type EventDetails = Awaited<ReturnType<typeof getEventForViewer>> & {};

/** An event the user may see, with its topics, network and organisation; undefined otherwise (404). */
export async function getEventForViewer({ id, user }: { id: number; user: SessionUser | null }) {
  const db = getDb();
  const [readable, organising] = await Promise.all([readableIds(user), organiserNetworks(user).then((n) => n.map((x) => x.id))]);
  let qb = db
    .selectFrom("event")
    .innerJoin("network", "network.id", "event.network_id")
    .leftJoin("organisation", "organisation.id", "event.organisation_id")
    .selectAll("event")
    .select(["network.name as network_name", "network.slug as network_slug", "organisation.name as organisation_name", "organisation.slug as organisation_slug"])
    .where("event.id", "=", id);
  qb = scopeVisible(qb, readable, organising);
  const event = await qb.executeTakeFirst();
  if (!event) return undefined;
  const [topics, overrides] = await Promise.all([
    db.selectFrom("event_topic").select("topic").where("event_id", "=", id).orderBy("topic").execute(),
    overridesFor([id]).then((m) => m.get(id) ?? []),
  ]);
  return { event, topics: topics.map((t) => t.topic), overrides, canManage: organising.includes(event.network_id) };
}

/** The event as an iCalendar component, with the description as plain text and no attendee data. */
export function toCalendarEvent(
  e: EventRow & { organisation_name?: string | null },
  topics: readonly string[],
  overrides: readonly OverrideRow[],
  appUrl: string,
): CalendarEvent {
  const recurrence = parseRecurrence(e.recurrence);
  const exceptions: OccurrenceException[] = recurrence
    ? overrides.map((o) => ({
        recurrenceIdLocal: e.all_day ? o.recurrence_id_local.slice(0, 10) : o.recurrence_id_local,
        cancelled: o.cancelled === 1,
        startLocal: o.start_local ?? undefined,
        endLocal: o.end_local ?? undefined,
        sequence: o.sequence,
      }))
    : [];
  const { online } = placeOf(e);
  const access = [e.access_bsl ? "BSL interpreter" : null, e.access_captions ? "live captions" : null, e.access_step_free ? "step-free access" : null].filter(Boolean);
  const parts = [markdownToPlainText(e.description)];
  if (online && e.online_url && !e.online_url_registrants_only) parts.push(`Join online: ${e.online_url}`);
  if (online && e.online_url_registrants_only) parts.push("Online: the joining link is on the event page for people who have registered.");
  if (access.length) parts.push(`Access: ${access.join(", ")}.`);
  if (e.accessibility_notes) parts.push(e.accessibility_notes);
  const location = online ? "Online" : [e.venue, ...(e.address ?? "").split("\n"), e.postcode].map((x) => (x ?? "").trim()).filter(Boolean).join(", ");
  return {
    uid: e.uid,
    sequence: e.sequence,
    title: e.title,
    descriptionText: parts.filter(Boolean).join("\n\n"),
    startLocal: e.start_local,
    endLocal: e.end_local,
    allDay: e.all_day === 1,
    timeZone: e.time_zone,
    location,
    url: `${appUrl}/events/${e.id}`,
    status: e.status === "draft" ? "scheduled" : e.status,
    updatedAt: new Date(e.updated_at),
    createdAt: new Date(e.created_at),
    recurrence: recurrence ?? undefined,
    exceptions,
    organiserName: e.organisation_name ?? undefined,
    categories: [kindLabel(e.kind), ...topics.map(topicLabel)],
  };
}

/** "Add to calendar" links and the single-event .ics for the event page and its download. */
export function addToCalendarLinks(details: NonNullable<EventDetails>) {
  const appUrl = env().APP_URL;
  const cal = toCalendarEvent(details.event, details.topics, details.overrides, appUrl);
  return { ics: `/events/${details.event.id}.ics`, google: googleCalendarUrl(cal), outlook: outlookCalendarUrl(cal) };
}

export function singleEventIcs(details: NonNullable<EventDetails>): string {
  const appUrl = env().APP_URL;
  return buildSingleEventIcs(toCalendarEvent(details.event, details.topics, details.overrides, appUrl), { appUrl });
}

export function renderDescription(markdown: string): string {
  return renderMarkdown(markdown);
}

// ---------------------------------------------------------------- create, edit, status

type SaveResult = { ok: true; id: number } | { ok: false; errors: Record<string, string> };

async function checkReferences(user: SessionUser, input: EventInput): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
  if (!roleAtLeast(await networkRole(user, input.networkId), "organiser")) errors.networkId = "Choose a network where you are an organiser";
  if (input.organisationId !== null) {
    const org = await getDb().selectFrom("organisation").select("id").where("id", "=", input.organisationId).where("status", "=", "approved").executeTakeFirst();
    if (!org) errors.organisationId = "Choose the organising organisation from the list";
  }
  return errors;
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
    all_day: input.allDay ? 1 : 0,
    recurrence: rec ? JSON.stringify(rec) : null,
    rrule: rec ? toRRule(rec, input.startLocal, TIME_ZONE) : null,
  };
}

function detailColumns(input: EventInput) {
  const access = new Set(input.access);
  return {
    network_id: input.networkId,
    organisation_id: input.organisationId,
    kind: input.kind as EventRow["kind"],
    title: input.title,
    description: input.description,
    venue: input.venue || null,
    address: input.address || null,
    postcode: input.postcode || null,
    online_url: input.onlineUrl || null,
    online_url_registrants_only: input.onlineUrl && input.onlineRegistrantsOnly ? 1 : 0,
    capacity: input.capacity,
    access_bsl: access.has("bsl") ? 1 : 0,
    access_captions: access.has("captions") ? 1 : 0,
    access_step_free: access.has("step-free") ? 1 : 0,
    accessibility_notes: input.accessibilityNotes || null,
    visibility: input.visibility,
    ...timeColumns(input),
  };
}

export async function createEvent({ user, input, now = nowIso() }: { user: SessionUser; input: EventInput; now?: string }): Promise<SaveResult> {
  const errors = await checkReferences(user, input);
  if (Object.keys(errors).length) return { ok: false, errors };
  const id = await writeTransaction(async (trx) => {
    const row = await trx
      .insertInto("event")
      .values({
        uid: `${randomUUID()}@roundtable`,
        sequence: 0,
        organiser_account_id: user.id,
        status: input.publish,
        cancelled_at: null,
        created_at: now,
        updated_at: now,
        ...detailColumns(input),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (input.topics.length) await trx.insertInto("event_topic").values(input.topics.map((topic) => ({ event_id: row.id, topic }))).execute();
    return row.id;
  });
  return { ok: true, id };
}

/** Saves changes, raises SEQUENCE, and promotes waiting people when places were added. */
export async function updateEvent({ user, id, input, now = nowIso() }: { user: SessionUser; id: number; input: EventInput; now?: string }): Promise<SaveResult> {
  const existing = await getDb().selectFrom("event").selectAll().where("id", "=", id).executeTakeFirst();
  if (!existing || !(await canManageEvent(user, existing))) return { ok: false, errors: { form: "You cannot change this event" } };
  const errors = await checkReferences(user, input);
  if (Object.keys(errors).length) return { ok: false, errors };
  const promoted = await writeTransaction(async (trx) => {
    const status = existing.status === "draft" ? input.publish : existing.status;
    await trx
      .updateTable("event")
      .set({ ...detailColumns(input), status, sequence: existing.sequence + 1, updated_at: now })
      .where("id", "=", id)
      .execute();
    await trx.deleteFrom("event_topic").where("event_id", "=", id).execute();
    if (input.topics.length) await trx.insertInto("event_topic").values(input.topics.map((topic) => ({ event_id: id, topic }))).execute();
    const keys = await trx.selectFrom("registration").select("occurrence").distinct().where("event_id", "=", id).where("status", "=", "waitlisted").execute();
    const out: Promoted[] = [];
    for (const k of keys) out.push(...(await promoteWaiting(trx, id, k.occurrence, input.capacity, now)));
    return out;
  });
  await emailPromoted(promoted);
  return { ok: true, id };
}

/** Postpone, cancel, or restore (scheduled) a whole event. */
export async function setEventStatus({ user, id, status, now = nowIso() }: { user: SessionUser; id: number; status: "scheduled" | "postponed" | "cancelled"; now?: string }): Promise<boolean> {
  const existing = await getDb().selectFrom("event").selectAll().where("id", "=", id).executeTakeFirst();
  if (!existing || !(await canManageEvent(user, existing))) return false;
  if (existing.status === status) return true;
  await getDb()
    .updateTable("event")
    .set({ status, cancelled_at: status === "cancelled" ? now : null, sequence: existing.sequence + 1, updated_at: now })
    .where("id", "=", id)
    .execute();
  return true;
}

/**
 * Cancels, moves or restores ONE occurrence of a recurring event. The series' SEQUENCE rises
 * too, because its EXDATE list changes.
 */
export async function changeOccurrence({
  user,
  id,
  rid,
  change,
  now = nowIso(),
}: {
  user: SessionUser;
  id: number;
  rid: string;
  change: { cancel: true; note?: string } | { restore: true } | { startLocal: string; endLocal: string; note?: string };
  now?: string;
}): Promise<{ ok: true } | { ok: false; error: string }> {
  const existing = await getDb().selectFrom("event").selectAll().where("id", "=", id).executeTakeFirst();
  if (!existing || !(await canManageEvent(user, existing))) return { ok: false, error: "not-found" };
  const recurrence = parseRecurrence(existing.recurrence);
  const key = normaliseRid(rid);
  if (!recurrence || !parseLocal(key) || !isOccurrence({ startLocal: existing.start_local, recurrence, recurrenceIdLocal: existing.all_day ? key.slice(0, 10) : key })) {
    return { ok: false, error: "not-found" };
  }
  await writeTransaction(async (trx) => {
    const sequence = existing.sequence + 1;
    await trx.updateTable("event").set({ sequence, updated_at: now }).where("id", "=", id).execute();
    if ("restore" in change) {
      await trx.deleteFrom("event_occurrence_override").where("event_id", "=", id).where("recurrence_id_local", "=", key).execute();
      return;
    }
    const values =
      "cancel" in change
        ? { cancelled: 1, start_local: null, end_local: null, note: change.note ?? null }
        : { cancelled: 0, start_local: change.startLocal, end_local: change.endLocal, note: change.note ?? null };
    await trx
      .insertInto("event_occurrence_override")
      .values({ event_id: id, recurrence_id_local: key, ...values, sequence, created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(["event_id", "recurrence_id_local"]).doUpdateSet({ ...values, sequence, updated_at: now }))
      .execute();
  });
  return { ok: true };
}

// ---------------------------------------------------------------- registrations

type Promoted = { accountId: string; eventId: number; occurrence: string };

export type RegistrationSummary = { going: number; waitlisted: number; capacity: number | null; mine: RegistrationStatus | null; myPosition: number | null };

export async function registrationSummary({ eventId, occurrence, user }: { eventId: number; occurrence: string; user: SessionUser | null }): Promise<RegistrationSummary> {
  const db = getDb();
  const counts = await db
    .selectFrom("registration")
    .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("event_id", "=", eventId)
    .where("occurrence", "=", occurrence)
    .groupBy("status")
    .execute();
  const event = await db.selectFrom("event").select("capacity").where("id", "=", eventId).executeTakeFirst();
  const n = (s: string) => Number(counts.find((c) => c.status === s)?.n ?? 0);
  let mine: RegistrationStatus | null = null;
  let myPosition: number | null = null;
  if (user) {
    const row = await db.selectFrom("registration").select(["status", "position"]).where("event_id", "=", eventId).where("occurrence", "=", occurrence).where("account_id", "=", user.id).executeTakeFirst();
    mine = row?.status ?? null;
    if (row?.status === "waitlisted") {
      const ahead = await db
        .selectFrom("registration")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("event_id", "=", eventId)
        .where("occurrence", "=", occurrence)
        .where("status", "=", "waitlisted")
        .where("position", "<", row.position)
        .executeTakeFirstOrThrow();
      myPosition = Number(ahead.n) + 1;
    }
  }
  return { going: n("going"), waitlisted: n("waitlisted"), capacity: event?.capacity ?? null, mine, myPosition };
}

/** Moves the first people on the waiting list to "going" while places are free. Inside a transaction. */
async function promoteWaiting(trx: DB, eventId: number, occurrence: string, capacity: number | null, now: string): Promise<Promoted[]> {
  const going = await trx
    .selectFrom("registration")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("event_id", "=", eventId)
    .where("occurrence", "=", occurrence)
    .where("status", "=", "going")
    .executeTakeFirstOrThrow();
  const free = capacity === null ? Number.MAX_SAFE_INTEGER : capacity - Number(going.n);
  if (free <= 0) return [];
  const waiting = await trx
    .selectFrom("registration")
    .select(["id", "account_id"])
    .where("event_id", "=", eventId)
    .where("occurrence", "=", occurrence)
    .where("status", "=", "waitlisted")
    .orderBy("position")
    .limit(Math.min(free, 10_000))
    .execute();
  for (const w of waiting) await trx.updateTable("registration").set({ status: "going", updated_at: now }).where("id", "=", w.id).execute();
  return waiting.map((w) => ({ accountId: w.account_id, eventId, occurrence }));
}

export type RegisterResult = { ok: true; status: RegistrationStatus } | { ok: false; error: string };

/**
 * Going / not going for one occurrence ("" for a one-off event). When the event is full the
 * person joins the waiting list; when a place frees, the first waiting person is promoted in
 * the same transaction and emailed after it commits.
 */
export async function setRegistration({ user, eventId, occurrence, going, now = new Date() }: { user: SessionUser; eventId: number; occurrence: string; going: boolean; now?: Date }): Promise<RegisterResult> {
  const details = await getEventForViewer({ id: eventId, user });
  if (!details) return { ok: false, error: "not-found" };
  const { event, overrides } = details;
  if (event.status === "draft") return { ok: false, error: "This event is not published yet." };
  const occ = findOccurrence(event, overrides, occurrence);
  if (!occ) return { ok: false, error: "not-found" };
  if (going && (event.status === "cancelled" || occ.cancelled)) return { ok: false, error: "This event has been cancelled." };
  if (going && occ.endUtc <= now.toISOString()) return { ok: false, error: "This event has already taken place." };
  const key = occ.occurrence;
  const stamp = now.toISOString();
  const { status, promoted } = await writeTransaction(async (trx) => {
    const current = await trx.selectFrom("registration").selectAll().where("event_id", "=", eventId).where("occurrence", "=", key).where("account_id", "=", user.id).executeTakeFirst();
    const capacityRow = await trx.selectFrom("event").select("capacity").where("id", "=", eventId).executeTakeFirstOrThrow();
    if (going) {
      if (current && (current.status === "going" || current.status === "waitlisted")) return { status: current.status, promoted: [] as Promoted[] };
      const count = await trx
        .selectFrom("registration")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("event_id", "=", eventId)
        .where("occurrence", "=", key)
        .where("status", "=", "going")
        .executeTakeFirstOrThrow();
      const next: RegistrationStatus = capacityRow.capacity === null || Number(count.n) < capacityRow.capacity ? "going" : "waitlisted";
      const maxPos = await trx
        .selectFrom("registration")
        .select((eb) => eb.fn.max<number>("position").as("p"))
        .where("event_id", "=", eventId)
        .where("occurrence", "=", key)
        .executeTakeFirst();
      const position = Number(maxPos?.p ?? 0) + 1;
      if (current) await trx.updateTable("registration").set({ status: next, position, updated_at: stamp }).where("id", "=", current.id).execute();
      else await trx.insertInto("registration").values({ event_id: eventId, occurrence: key, account_id: user.id, status: next, position, created_at: stamp, updated_at: stamp }).execute();
      return { status: next, promoted: [] as Promoted[] };
    }
    if (!current) {
      await trx.insertInto("registration").values({ event_id: eventId, occurrence: key, account_id: user.id, status: "not-going", position: 0, created_at: stamp, updated_at: stamp }).execute();
      return { status: "not-going" as const, promoted: [] as Promoted[] };
    }
    const wasGoing = current.status === "going";
    await trx.updateTable("registration").set({ status: "not-going", updated_at: stamp }).where("id", "=", current.id).execute();
    const promoted = wasGoing && occ.endUtc > stamp ? await promoteWaiting(trx, eventId, key, capacityRow.capacity, stamp) : [];
    return { status: "not-going" as const, promoted };
  });
  await emailPromoted(promoted);
  return { ok: true, status };
}

async function emailPromoted(promoted: Promoted[]): Promise<void> {
  if (promoted.length === 0) return;
  const db = getDb();
  const appUrl = env().APP_URL;
  for (const p of promoted) {
    const [account, event] = await Promise.all([
      db.selectFrom("account").select(["email", "name"]).where("id", "=", p.accountId).executeTakeFirst(),
      db.selectFrom("event").selectAll().where("id", "=", p.eventId).executeTakeFirst(),
    ]);
    if (!account || !event) continue;
    const overrides = (await overridesFor([event.id])).get(event.id) ?? [];
    const occ = findOccurrence(event, overrides, p.occurrence);
    if (!occ) continue;
    const url = `${appUrl}${occurrenceUrl(event.id, p.occurrence)}`;
    const email = renderSimpleEmail({
      subject: `You have a place: ${event.title}`,
      heading: "A place has come up for you",
      paragraphs: [
        `Hello ${account.name},`,
        `Someone gave up their place, so you have moved off the waiting list. You are now going to ${event.title}, ${describeWhen(occ.startLocal, occ.endLocal, event.all_day === 1, event.time_zone)}.`,
        "If you can no longer come, please say so on the event page so the next person can have the place.",
      ],
      action: { label: "See the event", url },
    });
    try {
      await sendEmail({ to: account.email, ...email });
    } catch (error) {
      console.error("Could not send the waiting-list email", error);
    }
  }
}

/** The attendee list for organisers (names and emails: never in any feed). */
export async function listAttendees({ user, eventId, occurrence }: { user: SessionUser; eventId: number; occurrence: string }) {
  const event = await getDb().selectFrom("event").select(["id", "network_id", "title"]).where("id", "=", eventId).executeTakeFirst();
  if (!event || !(await canManageEvent(user, event))) return undefined;
  const rows = await getDb()
    .selectFrom("registration")
    .innerJoin("account", "account.id", "registration.account_id")
    .leftJoin("organisation", "organisation.id", "account.organisation_id")
    .select(["account.name", "account.email", "organisation.name as organisation_name", "registration.status", "registration.position", "registration.created_at", "registration.updated_at"])
    .where("registration.event_id", "=", eventId)
    .where("registration.occurrence", "=", occurrence)
    .where("registration.status", "in", ["going", "waitlisted"])
    .orderBy("registration.status")
    .orderBy("registration.position")
    .execute();
  return { event, rows };
}

/** One CSV cell, safe to open in a spreadsheet: formulas are neutralised with a leading quote. */
export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function attendeesCsv(rows: NonNullable<Awaited<ReturnType<typeof listAttendees>>>["rows"]): string {
  const lines = [["Name", "Email", "Organisation", "Status", "Registered at (UTC)"].map(csvCell).join(",")];
  for (const r of rows) lines.push([r.name, r.email, r.organisation_name, r.status === "going" ? "Going" : "Waiting list", r.created_at].map(csvCell).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/** The user's upcoming registrations (account calendar page). */
export async function listMyRegistrations(user: SessionUser, now = new Date()) {
  const rows = await getDb()
    .selectFrom("registration")
    .innerJoin("event", "event.id", "registration.event_id")
    .select(["event.id", "event.title", "registration.occurrence", "registration.status"])
    .where("registration.account_id", "=", user.id)
    .where("registration.status", "in", ["going", "waitlisted"])
    .where("event.series_end_utc", ">", now.toISOString())
    .orderBy("event.start_utc")
    .limit(50)
    .execute();
  return rows.map((r) => ({ ...r, url: occurrenceUrl(r.id, r.occurrence) }));
}

// ---------------------------------------------------------------- reminders

/**
 * Emails everyone going to an occurrence that starts within the next 24 hours, once per
 * registration and start time (a moved occurrence gets a fresh reminder). Idempotent: run it
 * hourly from cron (npm run events:remind) or the digest job.
 */
export async function sendDueReminders(now = new Date()): Promise<number> {
  const db = getDb();
  const until = new Date(now.getTime() + DAY_MS);
  const rows = await db
    .selectFrom("registration")
    .innerJoin("event", "event.id", "registration.event_id")
    .innerJoin("account", "account.id", "registration.account_id")
    .selectAll("event")
    .select(["registration.id as registration_id", "registration.occurrence", "account.email", "account.name as account_name"])
    .where("registration.status", "=", "going")
    .where("event.status", "in", ["scheduled", "postponed"])
    .where("event.start_utc", "<", until.toISOString())
    .where("event.series_end_utc", ">", now.toISOString())
    .execute();
  const overrides = await overridesFor([...new Set(rows.filter((r) => r.recurrence !== null).map((r) => r.id))]);
  const appUrl = env().APP_URL;
  let sent = 0;
  for (const r of rows) {
    const occ = findOccurrence(r, overrides.get(r.id) ?? [], r.occurrence);
    if (!occ || occ.cancelled || occ.startUtc <= now.toISOString() || occ.startUtc > until.toISOString()) continue;
    // Claim first (insert-or-ignore), then send: a crash after the claim loses one reminder rather than sending two.
    const claim = await db
      .insertInto("event_reminder")
      .values({ registration_id: r.registration_id, start_utc: occ.startUtc, sent_at: now.toISOString() })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(claim.numInsertedOrUpdatedRows ?? 0) === 0) continue;
    const { place } = placeOf(r);
    const email = renderSimpleEmail({
      subject: `Reminder: ${r.title} is tomorrow`,
      heading: `${r.title}`,
      paragraphs: [
        `Hello ${r.account_name},`,
        `This is a reminder that you are going to ${r.title}, ${describeWhen(occ.startLocal, occ.endLocal, r.all_day === 1, r.time_zone)}.`,
        place === "Online" ? "It is online: the joining link is on the event page." : `Where: ${[r.venue, ...(r.address ?? "").split("\n"), r.postcode].filter(Boolean).join(", ")}.`,
        "If you can no longer come, please say so on the event page so someone else can have your place.",
      ],
      action: { label: "See the event", url: `${appUrl}${occurrenceUrl(r.id, r.occurrence)}` },
    });
    try {
      await sendEmail({ to: r.email, ...email });
      sent++;
    } catch (error) {
      console.error("Could not send an event reminder", error);
    }
  }
  return sent;
}

// ---------------------------------------------------------------- feeds

export type FeedScope =
  | { kind: "all" }
  | { kind: "network"; networkId: number; name: string; slug: string }
  | { kind: "organisation"; organisationId: number; name: string; slug: string }
  | { kind: "topic"; topic: string }
  | { kind: "personal"; accountId: string; readable: number[] };

function feedQuery(scope: FeedScope, now: Date) {
  const db = getDb();
  const cancelledSince = new Date(now.getTime() - CANCELLED_KEEP_DAYS * DAY_MS).toISOString();
  let qb = db
    .selectFrom("event")
    .where("event.status", "!=", "draft")
    .where("event.series_end_utc", ">", new Date(now.getTime() - FEED_PAST_DAYS * DAY_MS).toISOString())
    .where((eb) => eb.or([eb("event.status", "!=", "cancelled"), eb("event.cancelled_at", ">", cancelledSince)]));
  if (scope.kind === "personal") {
    const { accountId, readable } = scope;
    qb = qb
      .where((eb) => eb.or([eb("event.visibility", "=", "public"), ...(readable.length ? [eb("event.network_id", "in", readable)] : [])]))
      .where((eb) =>
        eb.or([
          eb.exists(eb.selectFrom("registration").select("registration.id").whereRef("registration.event_id", "=", "event.id").where("registration.account_id", "=", accountId).where("registration.status", "in", ["going", "waitlisted"])),
          eb.exists(eb.selectFrom("organisation_follow").select("organisation_follow.organisation_id").whereRef("organisation_follow.organisation_id", "=", "event.organisation_id").where("organisation_follow.account_id", "=", accountId)),
        ]),
      );
  } else {
    // Public feeds: never drafts, never members-only events, whoever asks.
    qb = qb.where("event.visibility", "=", "public");
    if (scope.kind === "network") qb = qb.where("event.network_id", "=", scope.networkId);
    if (scope.kind === "organisation") qb = qb.where("event.organisation_id", "=", scope.organisationId);
    if (scope.kind === "topic") {
      const topic = scope.topic;
      qb = qb.where((eb) => eb.exists(eb.selectFrom("event_topic").select("event_topic.event_id").whereRef("event_topic.event_id", "=", "event.id").where("event_topic.topic", "=", topic)));
    }
  }
  return qb;
}

export type FeedState = { etag: string; lastModified: Date };

/**
 * The validators of a feed from ONE aggregate query (no feed built): max(updated_at) and the
 * row count change whenever an event is added, changed, or falls out of the feed's window.
 * Personal feeds also change when a registration does.
 */
export async function feedState(scope: FeedScope, now = new Date()): Promise<FeedState> {
  const row = await feedQuery(scope, now)
    .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.max("event.updated_at").as("max_updated"), eb.fn.sum<number>("event.sequence").as("seq")])
    .executeTakeFirstOrThrow();
  let maxUpdated = String(row.max_updated ?? "2000-01-01T00:00:00.000Z");
  const parts: Array<string | number> = [JSON.stringify(scope), env().APP_URL, Number(row.n), maxUpdated, Number(row.seq ?? 0)];
  if (scope.kind === "personal") {
    const reg = await getDb()
      .selectFrom("registration")
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.max("updated_at").as("max_updated")])
      .where("account_id", "=", scope.accountId)
      .executeTakeFirstOrThrow();
    const follows = await getDb()
      .selectFrom("organisation_follow")
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.max("created_at").as("max_created")])
      .where("account_id", "=", scope.accountId)
      .executeTakeFirstOrThrow();
    parts.push(Number(reg.n), String(reg.max_updated ?? ""), Number(follows.n), String(follows.max_created ?? ""));
    for (const t of [reg.max_updated, follows.max_created]) if (t && String(t) > maxUpdated) maxUpdated = String(t);
  }
  return { etag: feedEtag(parts), lastModified: new Date(maxUpdated) };
}

export function feedTitle(scope: FeedScope): string {
  switch (scope.kind) {
    case "all":
      return "Roundtable events";
    case "network":
      return `${scope.name} events`;
    case "organisation":
      return `Events by ${scope.name}`;
    case "topic":
      return `Roundtable events: ${topicLabel(scope.topic)}`;
    case "personal":
      return "My Roundtable events";
  }
}

export function feedPath(scope: Exclude<FeedScope, { kind: "personal" }>): string {
  switch (scope.kind) {
    case "all":
      return "/events.ics";
    case "network":
      return `/networks/${scope.slug}/events.ics`;
    case "organisation":
      return `/organisations/${scope.slug}/events.ics`;
    case "topic":
      return `/events.ics?topic=${encodeURIComponent(scope.topic)}`;
  }
}

/** The whole feed: each series once with its RRULE, exceptions as EXDATE / RECURRENCE-ID. */
export async function buildFeed(scope: FeedScope, { url, pageUrl, now = new Date() }: { url: string; pageUrl: string; now?: Date }): Promise<string> {
  const appUrl = env().APP_URL;
  const rows = await feedQuery(scope, now)
    .leftJoin("organisation", "organisation.id", "event.organisation_id")
    .selectAll("event")
    .select("organisation.name as organisation_name")
    .orderBy("event.start_utc")
    .orderBy("event.id")
    .limit(FEED_MAX_EVENTS)
    .execute();
  const ids = rows.map((r) => r.id);
  const topics = new Map<number, string[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const t = await getDb().selectFrom("event_topic").select(["event_id", "topic"]).where("event_id", "in", ids.slice(i, i + 500)).orderBy("topic").execute();
    for (const r of t) topics.set(r.event_id, [...(topics.get(r.event_id) ?? []), r.topic]);
  }
  const overrides = await overridesFor(rows.filter((r) => r.recurrence !== null).map((r) => r.id));
  const meta = {
    name: feedTitle(scope),
    description: scope.kind === "personal" ? "Events you registered for and events by organisations you follow, from Roundtable." : "Social prescribing events from Roundtable, in UK time.",
    url,
    appUrl: pageUrl,
    refreshMinutes: 60,
  };
  // The calendar's own lines, then each event's VEVENT block(s), built once per version of the
  // event and reused: after one event changes, a 2,000-event feed is rebuilt from memory.
  const shell = buildCalendarIcs(meta, []);
  const end = shell.lastIndexOf("END:VCALENDAR");
  const blocks = rows.map((r) => {
    const t = topics.get(r.id) ?? [];
    const o = overrides.get(r.id) ?? [];
    const key = JSON.stringify([r.id, r.uid, r.sequence, r.updated_at, r.organisation_name, t, o, appUrl]);
    let block = veventCache.get(key);
    if (block === undefined) {
      const ics = buildCalendarIcs(meta, [toCalendarEvent(r, t, o, appUrl)]);
      block = ics.slice(ics.indexOf("BEGIN:VEVENT\r\n"), ics.lastIndexOf("END:VCALENDAR"));
      if (veventCache.size >= VEVENT_CACHE_MAX) veventCache.delete(veventCache.keys().next().value!);
      veventCache.set(key, block);
    }
    return block;
  });
  if (blocks.length === 0) return shell;
  return `${shell.slice(0, end)}${EUROPE_LONDON_VTIMEZONE}\r\n${blocks.join("")}${shell.slice(end)}`;
}

const VEVENT_CACHE_MAX = 20_000;
const veventCache = new Map<string, string>();

/** A feed response: 304 from the cheap validators, else the built feed. */
export async function feedResponse(request: Request, scope: FeedScope, { path, pagePath, cacheControl }: { path: string; pagePath: string; cacheControl: string }): Promise<Response> {
  const appUrl = env().APP_URL;
  const state = await feedState(scope);
  const headers: Record<string, string> = {
    "Content-Type": "text/calendar; charset=utf-8",
    "Cache-Control": cacheControl,
    ETag: state.etag,
    "Last-Modified": state.lastModified.toUTCString(),
    "Content-Disposition": `inline; filename="${scope.kind === "personal" ? "my-events" : "events"}.ics"`,
    "X-Content-Type-Options": "nosniff",
  };
  if (notModified(request, state.etag, state.lastModified)) return new Response(null, { status: 304, headers });
  const body = await buildFeed(scope, { url: `${appUrl}${path}`, pageUrl: `${appUrl}${pagePath}` });
  return new Response(request.method === "HEAD" ? null : body, { headers });
}

// ---------------------------------------------------------------- personal feed tokens

/** Creates a new personal feed token (revoking any previous one) and returns it, the only time it is seen. */
export async function createFeedToken(user: SessionUser, now = nowIso()): Promise<string> {
  const token = generateToken();
  await writeTransaction(async (trx) => {
    await trx.updateTable("feed_token").set({ revoked_at: now }).where("account_id", "=", user.id).where("revoked_at", "is", null).execute();
    await trx.insertInto("feed_token").values({ account_id: user.id, token_hash: hashToken(token), created_at: now, revoked_at: null, last_used_at: null }).execute();
  });
  return token;
}

export async function revokeFeedTokens(user: SessionUser, now = nowIso()): Promise<void> {
  await getDb().updateTable("feed_token").set({ revoked_at: now }).where("account_id", "=", user.id).where("revoked_at", "is", null).execute();
}

export async function activeFeedToken(user: SessionUser) {
  return getDb().selectFrom("feed_token").select(["id", "created_at", "last_used_at"]).where("account_id", "=", user.id).where("revoked_at", "is", null).executeTakeFirst();
}

/** The personal feed's scope for a raw token, or undefined (unknown or revoked: 404). */
export async function personalScope(rawToken: string): Promise<Extract<FeedScope, { kind: "personal" }> | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(rawToken)) return undefined;
  const db = getDb();
  const row = await db
    .selectFrom("feed_token")
    .innerJoin("account", "account.id", "feed_token.account_id")
    .select(["feed_token.id", "feed_token.account_id", "feed_token.last_used_at", "account.is_platform_admin"])
    .where("feed_token.token_hash", "=", hashToken(rawToken))
    .where("feed_token.revoked_at", "is", null)
    .executeTakeFirst();
  if (!row) return undefined;
  const now = nowIso();
  // Recorded at most hourly, so a client polling every few minutes does not write each time.
  if (!row.last_used_at || Date.parse(row.last_used_at) < Date.now() - 3_600_000) {
    await db.updateTable("feed_token").set({ last_used_at: now }).where("id", "=", row.id).execute();
  }
  const readable = row.is_platform_admin
    ? (await db.selectFrom("network").select("id").execute()).map((n) => n.id)
    : (await db.selectFrom("network_membership").select("network_id").where("account_id", "=", row.account_id).where("status", "=", "approved").execute()).map((m) => m.network_id);
  return { kind: "personal", accountId: row.account_id, readable };
}

// ---------------------------------------------------------------- pickers

export async function topicsInUse(): Promise<string[]> {
  const rows = await getDb().selectFrom("event_topic").select("topic").distinct().orderBy("topic").execute();
  return rows.map((r) => r.topic);
}

// ---------------------------------------------------------------- filters from the query string

const SLUG = /^[a-z0-9-]{1,100}$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Networks and organisations for the filter pickers (by slug, so filtered URLs are readable). */
export async function filterOptions() {
  const db = getDb();
  const [networks, organisations] = await Promise.all([
    db.selectFrom("network").select(["slug as value", "name as label"]).orderBy("name").execute(),
    db
      .selectFrom("organisation")
      .select(["slug as value", "name as label"])
      .where("status", "=", "approved")
      .where((eb) => eb.exists(eb.selectFrom("event").select("event.id").whereRef("event.organisation_id", "=", "organisation.id")))
      .orderBy("name")
      .execute(),
  ]);
  return { networks, organisations };
}

/**
 * Reads network/kind/topic/organisation/from/to from a query string. Unknown values are
 * ignored (a stale bookmark shows everything rather than an error); dates are UK days.
 */
export async function resolveFilters(params: URLSearchParams) {
  const db = getDb();
  const pick = (name: string) => {
    const v = (params.get(name) ?? "").slice(0, 100);
    return v;
  };
  const values: Record<string, string> = {};
  const filters: EventFilters = {};
  const scopeParts: FeedScope[] = [];
  const network = pick("network");
  if (SLUG.test(network)) {
    const n = await db.selectFrom("network").select(["id", "name", "slug"]).where("slug", "=", network).executeTakeFirst();
    if (n) {
      filters.networkIds = [n.id];
      values.network = n.slug;
      scopeParts.push({ kind: "network", networkId: n.id, name: n.name, slug: n.slug });
    }
  }
  const kind = pick("kind");
  if (EVENT_KINDS.some((k) => k.value === kind)) {
    filters.kinds = [kind];
    values.kind = kind;
  }
  const topic = pick("topic");
  if (SLUG.test(topic) && topicLabel(topic) !== topic) {
    filters.topics = [topic];
    values.topic = topic;
    scopeParts.push({ kind: "topic", topic });
  }
  const organisation = pick("organisation");
  if (SLUG.test(organisation)) {
    const o = await db.selectFrom("organisation").select(["id", "name", "slug"]).where("slug", "=", organisation).where("status", "=", "approved").executeTakeFirst();
    if (o) {
      filters.organisationIds = [o.id];
      values.organisation = o.slug;
      scopeParts.push({ kind: "organisation", organisationId: o.id, name: o.name, slug: o.slug });
    }
  }
  let from: Date | undefined;
  let to: Date | undefined;
  const fromText = pick("from");
  if (DATE_ONLY.test(fromText) && parseLocal(fromText) && fromText >= "2000-01-01" && fromText <= "2100-12-31") {
    from = localToUtc(`${fromText}T00:00`, TIME_ZONE);
    values.from = fromText;
  }
  const toText = pick("to");
  if (DATE_ONLY.test(toText) && parseLocal(toText) && toText >= "2000-01-01" && toText <= "2100-12-31") {
    to = new Date(localToUtc(`${toText}T00:00`, TIME_ZONE).getTime() + DAY_MS);
    values.to = toText;
  }
  // The feed a filtered page advertises: the one matching its single filter, else all events.
  const feedScope: Exclude<FeedScope, { kind: "personal" }> =
    scopeParts.length === 1 && scopeParts[0].kind !== "personal" ? scopeParts[0] : { kind: "all" };
  return { filters, values, from, to, feedScope };
}

/** A query string from filter values (empty ones dropped). */
export function filterQuery(values: Record<string, string>, extra: Record<string, string> = {}): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...values, ...extra })) if (v) sp.set(k, v);
  const s = sp.toString();
  return s ? `?${s}` : "";
}

/** The edit form's starting values from a stored event. */
export function formValuesOf(e: EventRow, topics: string[]): Record<string, string | string[]> {
  const allDay = e.all_day === 1;
  const rec = parseRecurrence(e.recurrence);
  return {
    title: e.title,
    kind: e.kind,
    description: e.description,
    networkId: String(e.network_id),
    organisationId: e.organisation_id ? String(e.organisation_id) : "",
    topics,
    allDay: allDay ? "yes" : "",
    startDate: e.start_local.slice(0, 10),
    startTime: allDay ? "" : e.start_local.slice(11, 16),
    endDate: e.end_local.slice(0, 10) === e.start_local.slice(0, 10) ? "" : e.end_local.slice(0, 10),
    endTime: allDay ? "" : e.end_local.slice(11, 16),
    repeat: rec?.freq ?? "none",
    repeatEnd: rec?.until ? "until" : rec?.count ? "count" : "never",
    until: rec?.until ?? "",
    count: rec?.count ? String(rec.count) : "",
    venue: e.venue ?? "",
    address: e.address ?? "",
    postcode: e.postcode ?? "",
    onlineUrl: e.online_url ?? "",
    onlineRegistrantsOnly: e.online_url_registrants_only ? "yes" : "",
    capacity: e.capacity ? String(e.capacity) : "",
    access: [e.access_bsl ? "bsl" : "", e.access_captions ? "captions" : "", e.access_step_free ? "step-free" : ""].filter(Boolean),
    accessibilityNotes: e.accessibility_notes ?? "",
    visibility: e.visibility,
    status: e.status,
    publish: e.status === "draft" ? "draft" : "scheduled",
  };
}
