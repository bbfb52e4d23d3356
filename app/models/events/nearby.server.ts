/**
 * Upcoming events near a postcode (/events?near=…): each event once at its next date, nearest
 * first, then online-only ones marked "online". The place comes from the search documents'
 * indexed coordinates through the one nearSql (app/models/places.server.ts), so a page costs the
 * events near the place, not the whole table. Documents exist for scheduled and postponed
 * events only, so drafts and cancelled events are not listed here.
 */
import { sql } from "kysely";
import { getDb } from "../../../db/index";
import type { SessionUser } from "../../utils/auth.server";
import { eventScope } from "../access.server";
import { milesTo, nearSql, type Place } from "../places.server";
import { listRows, seriesItem, type EventFilters, type OccurrenceItem, type StoredOccurrence } from "./queries.server";

export type NearbyItem = OccurrenceItem & { miles: number | null; latitude: number | null; longitude: number | null };

export async function listUpcomingNear({
  user,
  filters = {},
  place,
  withinMiles,
  from = new Date(),
  to,
  page = 1,
  perPage = 20,
}: {
  user: SessionUser | null;
  filters?: EventFilters;
  place: Place;
  withinMiles: number;
  from?: Date;
  to?: Date;
  page?: number;
  perPage?: number;
}): Promise<{ items: NearbyItem[]; hasNext: boolean }> {
  const db = getDb();
  const { readable } = await eventScope(user);
  const near = nearSql("event", place, withinMiles, { includeOnline: true });
  let qb = db
    .selectFrom("search_document as d")
    .innerJoin("event", "event.id", "d.ref_id")
    .select(["event.id", "d.latitude", "d.longitude"])
    .where("d.kind", "=", "event")
    .where(near.where)
    .where("event.series_end_utc", ">", from.toISOString())
    .where((eb) => eb.or([eb("event.visibility", "=", "public"), ...(readable.length ? [eb("event.network_id", "in", readable)] : [])]));
  if (to) qb = qb.where("event.start_utc", "<", to.toISOString());
  if (filters.networkIds?.length) qb = qb.where("event.network_id", "in", filters.networkIds);
  if (filters.kinds?.length) qb = qb.where(sql<boolean>`event.kind IN (${sql.join(filters.kinds)})`);
  if (filters.organisationIds) qb = filters.organisationIds.length ? qb.where("event.organisation_id", "in", filters.organisationIds) : qb.where(sql<boolean>`1 = 0`);
  if (filters.topics?.length) {
    const topics = filters.topics;
    qb = qb.where((eb) => eb.exists(eb.selectFrom("event_topic").select("event_topic.event_id").whereRef("event_topic.event_id", "=", "event.id").where("event_topic.topic", "in", topics)));
  }
  const found = await qb
    .orderBy(near.order)
    .orderBy("event.start_utc")
    .orderBy("event.id")
    .limit(perPage + 1)
    .offset((page - 1) * perPage)
    .execute();
  const shown = found.slice(0, perPage);
  const ids = shown.map((r) => r.id);
  const [rows, next] = await Promise.all([listRows(ids), nextOccurrences(ids, from)]);
  const now = new Date();
  const items = shown.flatMap((r): NearbyItem[] => {
    const e = rows.get(r.id);
    const o = next.get(r.id);
    return e && o ? [{ ...seriesItem(e, o, "next", now), miles: milesTo(place, r), latitude: r.latitude, longitude: r.longitude }] : [];
  });
  return { items, hasNext: found.length > perPage };
}

/** Each event's next date that is not cancelled (one query for the page). */
async function nextOccurrences(ids: number[], from: Date): Promise<Map<number, StoredOccurrence>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<StoredOccurrence>`
    SELECT event_id, occurrence, start_utc, end_utc, start_local, end_local, moved FROM (
      SELECT o.*, row_number() OVER (PARTITION BY o.event_id ORDER BY o.start_utc, o.occurrence) AS nth
      FROM event_occurrence o WHERE o.event_id IN (${sql.join(ids)}) AND o.cancelled = ${false} AND o.end_utc > ${from.toISOString()}
    ) AS firsts WHERE nth = 1`.execute(getDb());
  return new Map(rows.rows.map((r) => [r.event_id, r]));
}
