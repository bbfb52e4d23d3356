// The calendar import job: fetches each due source (never inside a web request), reads it in
// a time- and memory-limited worker, and brings our copies in line with the partner's
// calendar in one short transaction per source. Runs from the server's scheduler and from
// `npm run calendars:import`; both may run at once, so each source is claimed in the database.
//
// Keyed by (source, UID): a changed event is updated (SEQUENCE rises, so calendars subscribed
// to our feeds update it too), one that disappears is cancelled, one that comes back is
// restored. A failed fetch or an unreadable calendar changes no events; it only records the
// problem on the source, in plain words.

import { getDb, writeTransaction } from "../../db/index";
import type { EventKind } from "../../db/types/events";
import { env } from "../utils/env.server";
import type { ImportedItem } from "../utils/ics-import.server";
import { parseCalendarSafely } from "../utils/ics-import-worker.server";
import { fetchCalendar, type FetchOptions } from "../utils/safe-fetch.server";
import { EVENT_KINDS } from "../utils/vocab";
import { splitKeywords } from "../validation/calendar-sources";
import { setImportedEventStatus, writeImportedEvent } from "./events/writes.server";

/** Each source is fetched at most this often. */
export const FETCH_EVERY_MS = 60 * 60 * 1000;
/** How long a run may hold a source before another run may take it (a killed run's sources come back). */
const CLAIM_MS = 10 * 60 * 1000;
/** A cancelled or removed event that ended longer ago than this is left alone. */
const KEEP_PAST_MS = 30 * 86_400_000;

export type ImportSummary = { fetched: number; unchanged: number; failed: number; created: number; updated: number; cancelled: number };

export async function importDueCalendars({
  now = new Date(),
  sourceIds,
  fetchOptions = {},
}: { now?: Date; sourceIds?: number[]; fetchOptions?: Partial<FetchOptions> } = {}): Promise<ImportSummary> {
  const summary: ImportSummary = { fetched: 0, unchanged: 0, failed: 0, created: 0, updated: 0, cancelled: 0 };
  const dueBefore = new Date(now.getTime() - FETCH_EVERY_MS + 60_000).toISOString();
  let q = getDb()
    .selectFrom("calendar_source")
    .select("id")
    .where("status", "in", ["pending", "approved"])
    .where((eb) => eb.or([eb("last_fetched_at", "is", null), eb("last_fetched_at", "<=", dueBefore)]))
    .orderBy("last_fetched_at")
    .limit(200);
  if (sourceIds) q = q.where("id", "in", sourceIds.length ? sourceIds : [0]);
  for (const { id } of await q.execute()) {
    if (!(await claim(id, now))) continue;
    try {
      await importOne(id, now, fetchOptions, summary);
    } finally {
      await getDb().updateTable("calendar_source").set({ claimed_until: null }).where("id", "=", id).execute();
    }
  }
  return summary;
}

async function claim(id: number, now: Date): Promise<boolean> {
  const result = await getDb()
    .updateTable("calendar_source")
    .set({ claimed_until: new Date(now.getTime() + CLAIM_MS).toISOString() })
    .where("id", "=", id)
    .where((eb) => eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<", now.toISOString())]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

async function importOne(id: number, now: Date, fetchOptions: Partial<FetchOptions>, summary: ImportSummary): Promise<void> {
  const db = getDb();
  const source = await db.selectFrom("calendar_source").selectAll().where("id", "=", id).executeTakeFirst();
  if (!source) return;
  const at = now.toISOString();
  const record = (values: { last_error: string | null; notes?: string | null; etag?: string | null; last_modified?: string | null; success?: boolean }) =>
    db
      .updateTable("calendar_source")
      .set({
        last_fetched_at: at,
        last_error: values.last_error,
        ...(values.notes !== undefined ? { notes: values.notes } : {}),
        ...(values.etag !== undefined ? { etag: values.etag } : {}),
        ...(values.last_modified !== undefined ? { last_modified: values.last_modified } : {}),
        ...(values.success ? { last_success_at: at } : {}),
        updated_at: at,
      })
      .where("id", "=", id)
      .execute();

  const fetched = await fetchCalendar(source.url, {
    etag: source.etag,
    lastModified: source.last_modified,
    allowPrivate: env().ICS_IMPORT_ALLOW_PRIVATE === "on",
    ...fetchOptions,
  });
  if (fetched.kind === "error") {
    summary.failed++;
    await record({ last_error: fetched.error });
    return;
  }
  if (fetched.kind === "not-modified") {
    summary.unchanged++;
    await record({ last_error: null, success: true });
    return;
  }
  const parsed = await parseCalendarSafely(fetched.text, { now, keywords: splitKeywords(source.keywords) });
  if (!parsed.ok) {
    summary.failed++;
    // Forget the validators so the next run reads it again rather than getting a 304 for a bad file.
    await record({ last_error: parsed.error, etag: null, last_modified: null });
    return;
  }
  summary.fetched++;
  const counts = await applyItems(source, parsed.items, now);
  summary.created += counts.created;
  summary.updated += counts.updated;
  summary.cancelled += counts.cancelled;
  const notes = parsed.skipped ? [...parsed.notes, `${parsed.skipped} event${parsed.skipped === 1 ? " was" : "s were"} skipped.`] : parsed.notes;
  await db
    .updateTable("calendar_source")
    .set({
      name: parsed.calendarName && !/^calendar$/i.test(parsed.calendarName) ? parsed.calendarName : source.name,
      etag: fetched.etag,
      last_modified: fetched.lastModified,
      last_fetched_at: at,
      last_success_at: at,
      last_error: null,
      notes: notes.length ? JSON.stringify(notes.slice(0, 10)) : null,
      events_imported: parsed.items.length,
      updated_at: at,
    })
    .where("id", "=", id)
    .execute();
}

type SourceRow = { id: number; network_id: number; organisation_id: number; kind: string; status: string };

const KINDS = new Set<string>(EVENT_KINDS.map((k) => k.value));
function kindOf(kind: string): EventKind {
  return (KINDS.has(kind) ? kind : "workshop") as EventKind;
}

async function applyItems(source: SourceRow, items: ImportedItem[], now: Date) {
  const at = now.toISOString();
  return writeTransaction(async (trx) => {
    // Counted afresh each time: on PostgreSQL the transaction may run again after a conflict.
    const counts = { created: 0, updated: 0, cancelled: 0 };
    const existing = await trx
      .selectFrom("imported_event")
      .innerJoin("event", "event.id", "imported_event.event_id")
      .select(["imported_event.external_key", "imported_event.event_id", "imported_event.content_hash", "imported_event.hidden", "imported_event.removed_at", "event.series_end_utc"])
      .where("imported_event.source_id", "=", source.id)
      .execute();
    const byKey = new Map(existing.map((e) => [e.external_key, e]));
    const seen = new Set<string>();
    for (const item of items) {
      seen.add(item.key);
      const prior = byKey.get(item.key);
      if (prior && prior.content_hash === item.hash && prior.removed_at === null) continue;
      const hidden = prior?.hidden;
      const status = item.cancelled ? "cancelled" : hidden || source.status !== "approved" ? "draft" : "scheduled";
      const eventId = await writeImportedEvent(trx, {
        id: prior?.event_id,
        now: at,
        columns: {
          networkId: source.network_id,
          organisationId: source.organisation_id,
          kind: kindOf(source.kind),
          title: item.title,
          description: item.description,
          startLocal: item.startLocal,
          endLocal: item.endLocal,
          allDay: item.allDay,
          recurrence: item.recurrence,
          venue: item.venue,
          onlineUrl: item.onlineUrl,
          status,
          overrides: item.overrides,
        },
      });
      const link = { content_hash: item.hash, external_url: item.url, upstream_cancelled: item.cancelled, removed_at: null };
      if (prior) {
        await trx.updateTable("imported_event").set(link).where("source_id", "=", source.id).where("external_key", "=", item.key).execute();
        counts.updated++;
      } else {
        await trx.insertInto("imported_event").values({ source_id: source.id, external_key: item.key, event_id: eventId, hidden: false, ...link }).execute();
        counts.created++;
      }
    }
    // Gone from the partner's calendar: cancelled here (kept, so subscribed calendars hear of it).
    // Events long past drop out of the feed without being removed upstream, so they are left alone.
    const keepAfter = new Date(now.getTime() - KEEP_PAST_MS).toISOString();
    const gone = existing.filter((e) => !seen.has(e.external_key) && e.removed_at === null && e.series_end_utc >= keepAfter);
    if (gone.length) {
      await setImportedEventStatus(trx, { ids: gone.map((e) => e.event_id), status: "cancelled", now: at });
      for (const e of gone) {
        await trx.updateTable("imported_event").set({ removed_at: at }).where("source_id", "=", source.id).where("external_key", "=", e.external_key).execute();
      }
      counts.cancelled += gone.length;
    }
    return counts;
  });
}
