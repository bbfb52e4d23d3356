// Creating and changing events: the whole event, its status, and single occurrences.

import { randomUUID } from "node:crypto";
import { getDb, nowIso, writeTransaction, type DB } from "../../../db/index";
import type { SessionUser } from "../../utils/auth.server";
import { isOccurrence, parseLocal, type Recurrence } from "../../utils/recurrence";
import type { EventInput } from "../../validation/events";
import { canManageEvent } from "../access.server";
import { normaliseRid, parseRecurrence, timeColumns, writeOccurrences } from "./occurrences.server";
import { noticeEventCancelled, noticeEventChanged, noticeNewEvent, noticePromoted } from "./notices.server";
import { promoteWaiting, type Promoted } from "./registrations.server";
import type { EventRow } from "./shared.server";
import { lookUpPending } from "../places.server";

/** The columns whose change registrants are told about. */
const MATERIAL = ["start_local", "end_local", "all_day", "recurrence", "venue", "address", "postcode", "online_url"] as const;

type SaveResult = { ok: true; id: number } | { ok: false; errors: Record<string, string> };

async function checkReferences(user: SessionUser, input: EventInput): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
  if (!(await canManageEvent(user, { network_id: input.networkId }))) errors.networkId = "Choose a network where you are an organiser";
  if (input.organisationId !== null) {
    const org = await getDb().selectFrom("organisation").select("id").where("id", "=", input.organisationId).where("status", "=", "approved").executeTakeFirst();
    if (!org) errors.organisationId = "Choose the organising organisation from the list";
  }
  return errors;
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
    online_url_registrants_only: Boolean(input.onlineUrl && input.onlineRegistrantsOnly && !input.openEvent),
    registration_required: !input.openEvent,
    capacity: input.openEvent ? null : input.capacity,
    access_bsl: access.has("bsl"),
    access_captions: access.has("captions"),
    access_step_free: access.has("step-free"),
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
    await writeOccurrences(trx, row.id);
    await noticeNewEvent(trx, { eventId: row.id, authorId: user.id });
    return row.id;
  });
  // After the commit: the venue's postcode gets its coordinates now, or from the job later.
  await lookUpPending({ postcodes: [input.postcode] });
  return { ok: true, id };
}

/** Saves changes, raises SEQUENCE, and promotes waiting people when places were added. */
export async function updateEvent({ user, id, input, now = nowIso() }: { user: SessionUser; id: number; input: EventInput; now?: string }): Promise<SaveResult> {
  const existing = await getDb().selectFrom("event").selectAll().where("id", "=", id).executeTakeFirst();
  if (!existing || !(await canManageEvent(user, existing))) return { ok: false, errors: { form: "You cannot change this event" } };
  const errors = await checkReferences(user, input);
  if (Object.keys(errors).length) return { ok: false, errors };
  await writeTransaction(async (trx) => {
    const status = existing.status === "draft" ? input.publish : existing.status;
    const columns = detailColumns(input);
    await trx
      .updateTable("event")
      .set((eb) => ({ ...columns, status, sequence: eb("sequence", "+", 1), updated_at: now }))
      .where("id", "=", id)
      .execute();
    await trx.deleteFrom("event_topic").where("event_id", "=", id).execute();
    if (input.topics.length) await trx.insertInto("event_topic").values(input.topics.map((topic) => ({ event_id: id, topic }))).execute();
    await writeOccurrences(trx, id);
    const keys = await trx.selectFrom("registration").select("occurrence").distinct().where("event_id", "=", id).where("status", "=", "waitlisted").execute();
    const out: Promoted[] = [];
    for (const k of keys) out.push(...(await promoteWaiting(trx, id, k.occurrence, input.capacity, now)));
    await noticePromoted(trx, out);
    // A draft published now is news to the organisation's followers.
    if (existing.status === "draft" && status === "scheduled") await noticeNewEvent(trx, { eventId: id, authorId: user.id });
    // Registrants hear about what matters to them: when, where, the joining link (not a reworded description).
    if (existing.status !== "draft" && status !== "draft" && MATERIAL.some((k) => String(existing[k] ?? "") !== String(columns[k] ?? ""))) {
      await noticeEventChanged(trx, { eventId: id, what: "changed" });
    }
  }, undefined, { lock: { table: "event", id } });
  await lookUpPending({ postcodes: [input.postcode] });
  return { ok: true, id };
}

/**
 * Postpone, cancel (with the organiser's reason, shown to registrants), or restore (scheduled) a
 * whole event. Registrants are told through the notifier: a series is one email per person.
 */
export async function setEventStatus({
  user,
  id,
  status,
  reason = null,
  now = nowIso(),
}: {
  user: SessionUser;
  id: number;
  status: "scheduled" | "postponed" | "cancelled";
  reason?: string | null;
  now?: string;
}): Promise<boolean> {
  const existing = await getDb().selectFrom("event").selectAll().where("id", "=", id).executeTakeFirst();
  if (!existing || !(await canManageEvent(user, existing))) return false;
  if (existing.status === status) return true;
  await writeTransaction(async (trx) => {
    await trx
      .updateTable("event")
      .set((eb) => ({ status, cancelled_at: status === "cancelled" ? now : null, cancel_reason: status === "cancelled" ? reason : null, sequence: eb("sequence", "+", 1), updated_at: now }))
      .where("id", "=", id)
      .execute();
    await writeOccurrences(trx, id);
    if (existing.status === "draft") return;
    if (status === "cancelled") await noticeEventCancelled(trx, { eventId: id, reason });
    else await noticeEventChanged(trx, { eventId: id, what: status === "postponed" ? "postponed" : "restored" });
  });
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
    // Raised in the database, so two changes at once never both take the same number.
    const { sequence } = await trx.updateTable("event").set((eb) => ({ sequence: eb("sequence", "+", 1), updated_at: now })).where("id", "=", id).returning("sequence").executeTakeFirstOrThrow();
    if ("restore" in change) {
      await trx.deleteFrom("event_occurrence_override").where("event_id", "=", id).where("recurrence_id_local", "=", key).execute();
      await writeOccurrences(trx, id);
      await noticeEventChanged(trx, { eventId: id, what: "restored", occurrence: key });
      return;
    }
    const values =
      "cancel" in change
        ? { cancelled: true, start_local: null, end_local: null, note: change.note ?? null }
        : { cancelled: false, start_local: change.startLocal, end_local: change.endLocal, note: change.note ?? null };
    await trx
      .insertInto("event_occurrence_override")
      .values({ event_id: id, recurrence_id_local: key, ...values, sequence, created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(["event_id", "recurrence_id_local"]).doUpdateSet({ ...values, sequence, updated_at: now }))
      .execute();
    await writeOccurrences(trx, id);
    if ("cancel" in change) await noticeEventCancelled(trx, { eventId: id, reason: change.note ?? null, occurrence: key });
    else await noticeEventChanged(trx, { eventId: id, what: "changed", occurrence: key });
  });
  return { ok: true };
}

/** The edit form's starting values from a stored event. */
export function formValuesOf(e: EventRow, topics: string[]): Record<string, string | string[]> {
  const allDay = e.all_day;
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
    openEvent: e.registration_required ? "" : "yes",
    capacity: e.capacity ? String(e.capacity) : "",
    access: [e.access_bsl ? "bsl" : "", e.access_captions ? "captions" : "", e.access_step_free ? "step-free" : ""].filter(Boolean),
    accessibilityNotes: e.accessibility_notes ?? "",
    visibility: e.visibility,
    status: e.status,
    publish: e.status === "draft" ? "draft" : "scheduled",
  };
}

/** What the calendar import stores for one event (app/models/calendar-import.server.ts). */
export type ImportedEventColumns = {
  networkId: number;
  organisationId: number;
  kind: EventRow["kind"];
  title: string;
  description: string;
  startLocal: string;
  endLocal: string;
  allDay: boolean;
  recurrence: Recurrence | null;
  venue: string | null;
  onlineUrl: string | null;
  status: "draft" | "scheduled" | "cancelled";
  overrides: Array<{ recurrenceIdLocal: string; cancelled: boolean; startLocal: string | null; endLocal: string | null }>;
};

/**
 * Inserts (no id) or replaces (id) an event imported from a partner's calendar, inside the
 * import's transaction. A replacement raises SEQUENCE so subscribers of our feeds update it,
 * and its occurrence exceptions are replaced by the partner's.
 */
export async function writeImportedEvent(trx: DB, { id, columns: c, now }: { id?: number; columns: ImportedEventColumns; now: string }): Promise<number> {
  const values = {
    network_id: c.networkId,
    organisation_id: c.organisationId,
    kind: c.kind,
    title: c.title,
    description: c.description,
    venue: c.venue,
    online_url: c.onlineUrl,
    status: c.status,
    visibility: "public" as const,
    online_url_registrants_only: false,
    access_bsl: false,
    access_captions: false,
    access_step_free: false,
    ...timeColumns({ startLocal: c.startLocal, endLocal: c.endLocal, allDay: c.allDay, recurrence: c.recurrence }),
    updated_at: now,
  };
  let eventId: number;
  if (id === undefined) {
    const row = await trx
      .insertInto("event")
      .values({ ...values, uid: `${randomUUID()}@roundtable`, sequence: 0, organiser_account_id: null, cancelled_at: c.status === "cancelled" ? now : null, created_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    eventId = row.id;
  } else {
    const existing = await trx.selectFrom("event").select(["sequence", "status", "cancelled_at"]).where("id", "=", id).executeTakeFirstOrThrow();
    const cancelledAt = c.status === "cancelled" ? (existing.status === "cancelled" ? existing.cancelled_at : now) : null;
    await trx.updateTable("event").set({ ...values, cancelled_at: cancelledAt, sequence: existing.sequence + 1 }).where("id", "=", id).execute();
    await trx.deleteFrom("event_occurrence_override").where("event_id", "=", id).execute();
    eventId = id;
  }
  const rows = c.recurrence
    ? c.overrides
        .map((o) => ({ ...o, recurrenceIdLocal: normaliseRid(o.recurrenceIdLocal) }))
        .filter((o) => isOccurrence({ startLocal: c.startLocal, recurrence: c.recurrence, recurrenceIdLocal: c.allDay ? o.recurrenceIdLocal.slice(0, 10) : o.recurrenceIdLocal }))
    : [];
  for (const o of new Map(rows.map((r) => [r.recurrenceIdLocal, r])).values()) {
    await trx
      .insertInto("event_occurrence_override")
      .values({ event_id: eventId, recurrence_id_local: o.recurrenceIdLocal, cancelled: o.cancelled, start_local: o.startLocal, end_local: o.endLocal, note: null, sequence: 0, created_at: now, updated_at: now })
      .execute();
  }
  await writeOccurrences(trx, eventId);
  return eventId;
}

/** Sets the status of imported events (publish on approval, hide, cancel on removal), raising SEQUENCE. */
export async function setImportedEventStatus(trx: DB, { ids, status, now }: { ids: number[]; status: "draft" | "scheduled" | "cancelled"; now: string }): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await trx
      .updateTable("event")
      .set((eb) => ({ status, cancelled_at: status === "cancelled" ? now : null, sequence: eb("sequence", "+", 1), updated_at: now }))
      .where("id", "in", ids.slice(i, i + 500))
      .where("status", "!=", status)
      .execute();
  }
  for (const id of ids) await writeOccurrences(trx, id);
}
