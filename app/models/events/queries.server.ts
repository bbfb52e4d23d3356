// Reading events: lists of occurrences (upcoming, past, a month, the digest's), one event for
// its page, and the filters read from a query string.

import type { SelectQueryBuilder } from "kysely";
import { getDb } from "../../../db/index";
import type { Database } from "../../../db/schema";
import type { EventRecordStatus } from "../../../db/types/events";
import type { SessionUser } from "../../utils/auth.server";
import { env } from "../../utils/env.server";
import { describeWhen, shortWhen } from "../../utils/event-time";
import { markdownToPlainText, renderMarkdown } from "../../utils/markdown.server";
import { localToUtc, parseLocal } from "../../utils/recurrence";
import { EVENT_KINDS, topicLabel } from "../../utils/vocab";
import { eventScope } from "../access.server";
import type { FeedScope } from "./feeds.server";
import { occurrencesOf, overridesFor, type Occurrence } from "./occurrences.server";
import { DAY_MS, TIME_ZONE, kindLabel, occurrenceUrl, placeOf, type EventRow } from "./shared.server";

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
  const { readable, organising } = await eventScope(user);
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
  const { readable, organising } = await eventScope(user);
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
  const { readable, organising } = await eventScope(user);
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
