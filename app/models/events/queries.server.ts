// Reading events: lists of occurrences (upcoming, past, a month, the digest's), one event for
// its page, and the filters read from a query string.

import { sql, type SelectQueryBuilder } from "kysely";
import { getDb } from "../../../db/index";
import type { Database } from "../../../db/schema";
import type { EventRecordStatus } from "../../../db/types/events";
import type { SessionUser } from "../../utils/auth.server";
import { env } from "../../utils/env.server";
import { dayAndMonth, describePattern, describeWhen, shortWhen } from "../../utils/event-time";
import { markdownToPlainText, renderMarkdown } from "../../utils/markdown.server";
import { localToUtc, parseLocal, utcToLocal } from "../../utils/recurrence";
import { VersionedCache } from "../../utils/versioned-cache";
import { EVENT_KINDS, topicLabel } from "../../utils/vocab";
import { eventScope } from "../access.server";
import { matchOrganisations } from "../organisations.server";
import type { FeedScope } from "./feeds.server";
import { feedVersion } from "./feed-version.server";
import { occurrenceHorizon, occurrencesOf, overridesFor, parseRecurrence, type Occurrence, type OccurrenceTableRow } from "./occurrences.server";
import { DAY_MS, OPEN_ENDED, TIME_ZONE, kindLabel, occurrenceUrl, placeOf, type EventRow } from "./shared.server";

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
type ListRow = EventRow & { network_name: string; organisation_name: string | null };

function toItem(e: ListRow, o: Occurrence): OccurrenceItem {
  const allDay = e.all_day;
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
    when: describeWhen(o.startLocal, o.endLocal, allDay, e.time_zone, { startUtc: o.startUtc, endUtc: o.endUtc }),
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

// ---------------------------------------------------------------- lists from the occurrence table

/** An event lasts at most 31 days (validation), so one still running began at most this long ago. */
const MAX_SPAN_MS = 32 * DAY_MS;

export type StoredOccurrence = Pick<OccurrenceTableRow, "event_id" | "occurrence" | "start_utc" | "end_utc" | "start_local" | "end_local" | "moved">;
/** Read off event_occurrence_list_idx alone (migration 0081) in a walk in time order. */
type IndexedOccurrence = Pick<OccurrenceTableRow, "event_id" | "occurrence" | "start_utc" | "end_utc">;
type Scope = { filters: EventFilters; readable: number[]; organising: number[]; includeCancelled: boolean };

/** The events the user may see (cancelled ones only with includeCancelled), filtered: conditions on `event`. */
function whereEventShown<Q extends SelectQueryBuilder<any, any, any>>(qb: Q, { filters, readable, organising, includeCancelled }: Scope): Q {
  let q = scopeVisible(qb as unknown as EventQuery, readable, organising);
  if (!includeCancelled) q = q.where("event.status", "!=", "cancelled");
  if (filters.networkIds?.length) q = q.where("event.network_id", "in", filters.networkIds);
  if (filters.kinds?.length) q = q.where("event.kind", "in", filters.kinds as EventRow["kind"][]);
  if (filters.organisationIds) q = filters.organisationIds.length ? q.where("event.organisation_id", "in", filters.organisationIds) : q.where(sql<boolean>`1 = 0`);
  if (filters.topics?.length) {
    const topics = filters.topics;
    q = q.where((eb) => eb.exists(eb.selectFrom("event_topic").select("event_topic.event_id").whereRef("event_topic.event_id", "=", "event.id").where("event_topic.topic", "in", topics)));
  }
  return q as unknown as Q;
}

/** Of these events, the ones the scope shows (read by primary key). */
async function shownAmong(ids: number[], scope: Scope): Promise<Set<number>> {
  const shown = new Set<number>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await whereEventShown(getDb().selectFrom("event").select("event.id").where("event.id", "in", ids.slice(i, i + 500)), scope).execute();
    for (const r of rows) shown.add(r.id);
  }
  return shown;
}

/** The rest of the stored columns of some dates, by primary key. */
async function storedDates(dates: IndexedOccurrence[]): Promise<StoredOccurrence[]> {
  if (dates.length === 0) return [];
  const rows = await getDb()
    .selectFrom("event_occurrence as o")
    .select(["o.event_id", "o.occurrence", "o.start_utc", "o.end_utc", "o.start_local", "o.end_local", "o.moved"])
    .where((eb) => eb.or(dates.map((d) => eb.and([eb("o.event_id", "=", d.event_id), eb("o.occurrence", "=", d.occurrence)]))))
    .execute();
  const byKey = new Map(rows.map((r) => [`${r.event_id} ${r.occurrence}`, r]));
  return dates.flatMap((d) => byKey.get(`${d.event_id} ${d.occurrence}`) ?? []);
}

const hasFilters = (f: EventFilters) => !!(f.networkIds?.length || f.kinds?.length || f.topics?.length || f.organisationIds);

/**
 * The first `need` events in time order, each once, at its next date (or, going back, its most
 * recent one). Unfiltered, it walks the occurrence index alone from `from` in growing batches,
 * checks each new event once by primary key, and keeps the first date of each shown event; so
 * a page costs the index entries up to it plus a lookup per event, never a scan of the events.
 * Filtered (a few events), the dates are read joined to their events.
 */
async function eventsInTimeOrder(scope: Scope, { from, to, need, direction }: { from: Date; to: Date; need: number; direction: "forward" | "back" }): Promise<IndexedOccurrence[]> {
  const forward = direction === "forward";
  const order = forward ? "asc" : "desc";
  const filtered = hasFilters(scope.filters);
  const firsts = new Map<number, IndexedOccurrence>();
  const decided = new Map<number, boolean>();
  let after: IndexedOccurrence | undefined;
  let batch = Math.max(60, need * 3);
  for (;;) {
    let qb = getDb().selectFrom("event_occurrence as o").where("o.cancelled", "=", false);
    qb = forward
      ? qb.where("o.start_utc", ">=", new Date(from.getTime() - MAX_SPAN_MS).toISOString()).where("o.start_utc", "<", to.toISOString()).where("o.end_utc", ">", from.toISOString())
      : qb.where("o.start_utc", ">=", to.toISOString()).where("o.start_utc", "<", from.toISOString()).where("o.end_utc", "<=", from.toISOString());
    if (after) {
      const a = after;
      qb = qb.where((eb) => eb(eb.refTuple("o.start_utc", "o.event_id", "o.occurrence"), forward ? ">" : "<", eb.tuple(a.start_utc, a.event_id, a.occurrence)));
    }
    qb = qb.orderBy("o.start_utc", order).orderBy("o.event_id", order).orderBy("o.occurrence", order).limit(batch);
    const columns = ["o.event_id", "o.occurrence", "o.start_utc", "o.end_utc"] as const;
    let rows: IndexedOccurrence[];
    if (filtered) {
      rows = await whereEventShown(qb.innerJoin("event", "event.id", "o.event_id").select(columns), scope).execute();
    } else {
      rows = await qb.select(columns).execute();
      const unknown = [...new Set(rows.map((r) => r.event_id).filter((id) => !firsts.has(id) && !decided.has(id)))];
      const shown = await shownAmong(unknown, scope);
      for (const id of unknown) decided.set(id, shown.has(id));
    }
    for (const r of rows) {
      if (firsts.has(r.event_id) || (!filtered && !decided.get(r.event_id))) continue;
      firsts.set(r.event_id, r);
      if (firsts.size >= need) return [...firsts.values()];
    }
    if (rows.length < batch) return [...firsts.values()];
    after = rows[rows.length - 1];
    batch *= 2;
  }
}

export async function listRows(ids: number[]): Promise<Map<number, ListRow>> {
  if (ids.length === 0) return new Map();
  const rows = await getDb()
    .selectFrom("event")
    .innerJoin("network", "network.id", "event.network_id")
    .leftJoin("organisation", "organisation.id", "event.organisation_id")
    .selectAll("event")
    .select(["network.name as network_name", "organisation.name as organisation_name"])
    .where("event.id", "in", ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

function occurrenceOf(o: StoredOccurrence): Occurrence {
  return { occurrence: o.occurrence, startLocal: o.start_local, endLocal: o.end_local, startUtc: o.start_utc, endUtc: o.end_utc, cancelled: false, moved: o.moved, note: null };
}

/** A series once, with its pattern in words and the date shown: "Every Wednesday, 8pm to 9pm — next 2 December". */
export function seriesItem(e: ListRow, o: StoredOccurrence, label: "next" | "last", now: Date): OccurrenceItem {
  const item = toItem(e, occurrenceOf(o));
  const recurrence = parseRecurrence(e.recurrence);
  if (!recurrence) return item;
  const pattern = describePattern(recurrence.freq, e.start_local, e.end_local, e.all_day);
  const day = dayAndMonth(o.start_local, Number(utcToLocal(now, TIME_ZONE).slice(0, 4)));
  return { ...item, when: `${pattern} — ${label} ${day}`, shortWhen: `${pattern} — ${label} ${day}`, url: occurrenceUrl(e.id, "") };
}

/**
 * The walk from now, remembered per scope: what it found stays true until the database changes
 * (feed_version, raised in the same transaction as every event write) or the first of its dates
 * ends (until then no event's next date moves, so neither does the order). Each process and each
 * module copy keeps its own; keyed by the version in the database, none can serve a stale list.
 */
type Walk = { firsts: IndexedOccurrence[]; complete: boolean; from: string; validUntil: string; pages: Map<string, OccurrenceItem[]> };
const walksFromNow = new VersionedCache<Walk>(64);
/** Worded pages kept per walk (a page past the end is asked for with any number). */
const PAGES_KEPT = 50;

async function upcomingFromNow(scope: Scope, from: Date, need: number): Promise<Walk> {
  const version = await feedVersion();
  const key = JSON.stringify([scope.readable, scope.organising, scope.includeCancelled]);
  const at = from.toISOString();
  const walk = walksFromNow.get(key, version);
  if (walk && at >= walk.from && at < walk.validUntil && (walk.complete || walk.firsts.length >= need)) return walk;
  const firsts = await eventsInTimeOrder(scope, { from, to: new Date(OPEN_ENDED), need, direction: "forward" });
  const validUntil = firsts.reduce((soonest, f) => (f.end_utc < soonest ? f.end_utc : soonest), OPEN_ENDED);
  return walksFromNow.set(key, version, { firsts, complete: firsts.length < need, from: at, validUntil, pages: new Map() });
}

/** The list items of some dates, each series worded once ("Every Wednesday, 8pm to 9pm — next 2 December"). */
async function wordedDates(firsts: IndexedOccurrence[], direction: "forward" | "back", now: Date): Promise<OccurrenceItem[]> {
  const shown = await storedDates(firsts);
  const rows = await listRows(shown.map((o) => o.event_id));
  return shown.flatMap((o) => {
    const e = rows.get(o.event_id);
    return e ? [seriesItem(e, o, direction === "forward" ? "next" : "last", now)] : [];
  });
}

async function seriesOncePage(
  scope: Scope,
  { from, to, page, perPage, direction, now }: { from: Date; to: Date; page: number; perPage: number; direction: "forward" | "back"; now: Date },
): Promise<{ items: OccurrenceItem[]; hasNext: boolean }> {
  const need = page * perPage + 1;
  // The common list (unfiltered, from now on, open-ended) is remembered, worded pages with it
  // (what they say changes only with the walk: an event write, or the end of one of its dates;
  // the year is in the key because dates in another year are worded with it). Any other is walked.
  const fromNow = direction === "forward" && !hasFilters(scope.filters) && to.toISOString() === OPEN_ENDED && from.getTime() <= Date.now();
  if (!fromNow) {
    const firsts = await eventsInTimeOrder(scope, { from, to, need, direction });
    return { items: await wordedDates(firsts.slice((page - 1) * perPage, page * perPage), direction, now), hasNext: firsts.length > page * perPage };
  }
  const walk = await upcomingFromNow(scope, from, need);
  const pageKey = `${page} ${perPage} ${utcToLocal(now, TIME_ZONE).slice(0, 4)}`;
  let items = walk.pages.get(pageKey);
  if (!items) {
    items = await wordedDates(walk.firsts.slice((page - 1) * perPage, page * perPage), direction, now);
    if (walk.pages.size < PAGES_KEPT) walk.pages.set(pageKey, items);
  }
  return { items, hasNext: walk.firsts.length > page * perPage };
}

/**
 * A page of upcoming events, soonest first, each series once at its next date ("Every
 * Wednesday, 8pm to 9pm — next 2 December"), read from the occurrence table through its index.
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
  const { readable, organising } = await eventScope(user);
  return seriesOncePage({ filters, readable, organising, includeCancelled: true }, { from, to: to ?? new Date(OPEN_ENDED), page, perPage, direction: "forward", now: new Date() });
}

/** Past events, most recent first (back three years at most), each series once at its last date. */
export async function listPast({ user, filters = {}, now = new Date(), page = 1, perPage = 20 }: { user: SessionUser | null; filters?: EventFilters; now?: Date; page?: number; perPage?: number }) {
  const { readable, organising } = await eventScope(user);
  return seriesOncePage({ filters, readable, organising, includeCancelled: false }, { from: now, to: new Date(now.getTime() - 3 * 365 * DAY_MS), page, perPage, direction: "back", now });
}

export type MonthDay = { items: OccurrenceItem[]; more: number };
type Month = Record<string, MonthDay>;

/**
 * Months already worked out, per scope, month and day size, with the database version and the
 * occurrence horizon they were read at. What a month shows changes only with a write that raises
 * feed_version in its transaction (events, their dates, and the names of their networks and
 * organisations) or when the horizon moves on. Working out a busy month reads every one of its
 * dates (2,800 at the scale, ~13 ms) and words the shown ones (~2 ms); a remembered month
 * costs two primary-key reads. Each process and module copy keeps its own. Callers only read it.
 */
const monthsSeen = new VersionedCache<Month>(64);

/**
 * A calendar month ("2026-12", UK days) from the occurrence table: each day's first `perDay`
 * dates as list items and how many more there are. Only the shown dates are worded and only
 * their events read, so a month of thousands of dates costs its index range plus a page.
 */
export async function listMonth({ user, month, filters = {}, perDay = 4 }: { user: SessionUser | null; month: string; filters?: EventFilters; perDay?: number }): Promise<Month> {
  const { readable, organising } = await eventScope(user);
  const scope: Scope = { filters, readable, organising, includeCancelled: true };
  const key = JSON.stringify([month, perDay, readable, organising, filters]);
  const version = `${await feedVersion()} ${(await occurrenceHorizon()) ?? ""}`;
  return monthsSeen.get(key, version) ?? monthsSeen.set(key, version, await workOutMonth(scope, month, perDay));
}

async function workOutMonth(scope: Scope, month: string, perDay: number): Promise<Month> {
  const [y, m] = month.split("-").map(Number);
  const from = localToUtc(`${month}-01T00:00`, TIME_ZONE);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
  const to = localToUtc(`${next}-01T00:00`, TIME_ZONE);
  const qb = getDb()
    .selectFrom("event_occurrence as o")
    .select(["o.event_id", "o.occurrence", "o.start_utc", "o.end_utc", "o.start_local", "o.end_local", "o.moved"])
    .where("o.cancelled", "=", false)
    .where("o.start_utc", ">=", new Date(from.getTime() - MAX_SPAN_MS).toISOString())
    .where("o.start_utc", "<", to.toISOString())
    .where("o.end_utc", ">", from.toISOString())
    .orderBy("o.start_utc")
    .orderBy("o.event_id");
  // Filtered (a few events): joined to them. Otherwise the month's dates, then their events checked by id.
  let dates: StoredOccurrence[];
  if (hasFilters(scope.filters)) dates = await whereEventShown(qb.innerJoin("event", "event.id", "o.event_id"), scope).execute();
  else {
    const all = await qb.execute();
    const shown = await shownAmong([...new Set(all.map((o) => o.event_id))], scope);
    dates = all.filter((o) => shown.has(o.event_id));
  }
  const days = new Map<string, { shown: StoredOccurrence[]; more: number }>();
  for (const o of dates) {
    // An event spanning several days is shown on each of them.
    const first = o.start_local.slice(0, 10);
    const last = o.end_local.slice(0, 10) < first ? first : o.end_local.slice(0, 10);
    for (let d = first, n = 0; d <= last && n < 32; d = new Date(Date.parse(d) + DAY_MS).toISOString().slice(0, 10), n++) {
      if (!d.startsWith(month)) continue;
      let day = days.get(d);
      if (!day) days.set(d, (day = { shown: [], more: 0 }));
      if (day.shown.length < perDay) day.shown.push(o);
      else day.more++;
    }
  }
  const rows = await listRows([...new Set([...days.values()].flatMap((d) => d.shown.map((o) => o.event_id)))]);
  const out: Month = {};
  for (const [day, { shown, more }] of days) {
    out[day] = {
      items: shown.flatMap((o) => {
        const e = rows.get(o.event_id);
        return e ? [toItem(e, occurrenceOf(o))] : [];
      }),
      more,
    };
  }
  return out;
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
    // All-day events carry their date alone, so the digest shows no time for them.
    when: e.all_day ? o.startLocal.slice(0, 10) : o.startUtc,
    icsUrl: `${appUrl}/events/${e.id}.ics`,
    meta: `${shortWhen(o.startLocal, o.endLocal, e.all_day)} · ${place}`,
  };
}

// ---------------------------------------------------------------- one event

export type EventDetails = Awaited<ReturnType<typeof getEventForViewer>> & {};

/** An event the user may see, with its topics, network and organisation; undefined otherwise (404). */
export async function getEventForViewer({ id, user }: { id: number; user: SessionUser | null }) {
  const db = getDb();
  const { readable, organising } = await eventScope(user);
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

export function renderDescription(markdown: string): string {
  return renderMarkdown(markdown);
}
// ---------------------------------------------------------------- pickers

export async function topicsInUse(): Promise<string[]> {
  const rows = await getDb().selectFrom("event_topic").select("topic").distinct().orderBy("topic").execute();
  return rows.map((r) => r.topic);
}

// ---------------------------------------------------------------- filters from the query string

const SLUG = /^[a-z0-9-]{1,100}$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Networks for the filter picker (by slug, so filtered URLs are readable); organisations are typed. */
export async function filterOptions() {
  const networks = await getDb().selectFrom("network").select(["slug as value", "name as label"]).orderBy("name").execute();
  return { networks };
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
  // Typed, not picked from thousands: a slug (links from organisation pages), an exact name, or
  // part of one (every organisation whose name contains it; none matching shows nothing).
  const organisation = pick("organisation").trim();
  if (organisation) {
    const matches = await matchOrganisations(organisation);
    filters.organisationIds = matches.map((o) => o.id);
    values.organisation = matches.length === 1 ? matches[0].name : organisation;
    if (matches.length === 1) scopeParts.push({ kind: "organisation", organisationId: matches[0].id, name: matches[0].name, slug: matches[0].slug });
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
