// Registrations: going / not going per occurrence, the waiting list and its promotions, and
// the attendee list for organisers.

import { getDb, writeTransaction, type DB } from "../../../db/index";
import type { RegistrationStatus } from "../../../db/types/events";
import type { SessionUser } from "../../utils/auth.server";
import { canManageEvent } from "../access.server";
import { dropWaitingNotices } from "../notifier.server";
import { noticePromoted, noticeRegistration } from "./notices.server";
import { findOccurrence, occurrencesOf, parseRecurrence } from "./occurrences.server";
import { getEventForViewer } from "./queries.server";
import { occurrenceUrl } from "./shared.server";

export type Promoted = { accountId: string; eventId: number; occurrence: string };

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
export async function promoteWaiting(trx: DB, eventId: number, occurrence: string, capacity: number | null, now: string): Promise<Promoted[]> {
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

const OPEN_EVENT = "This event needs no registration: join online.";

/**
 * Going / not going for one occurrence ("" for a one-off event). When the event is full the
 * person joins the waiting list; when a place frees, the first waiting person is promoted in
 * the same transaction and told through the notifier.
 */
export async function setRegistration({ user, eventId, occurrence, going, now = new Date() }: { user: SessionUser; eventId: number; occurrence: string; going: boolean; now?: Date }): Promise<RegisterResult> {
  const details = await getEventForViewer({ id: eventId, user });
  if (!details) return { ok: false, error: "not-found" };
  const { event, overrides } = details;
  if (event.status === "draft") return { ok: false, error: "This event is not published yet." };
  if (going && !event.registration_required) return { ok: false, error: OPEN_EVENT };
  const occ = findOccurrence(event, overrides, occurrence);
  if (!occ) return { ok: false, error: "not-found" };
  if (going && (event.status === "cancelled" || occ.cancelled)) return { ok: false, error: "This event has been cancelled." };
  if (going && occ.endUtc <= now.toISOString()) return { ok: false, error: "This event has already taken place." };
  // Everyone registering for this event queues on its row (PostgreSQL; SQLite has one writer anyway).
  const { status } = await writeTransaction((trx) => registerIn(trx, { accountId: user.id, eventId, occurrence: occ.occurrence, occurrenceEndUtc: occ.endUtc, going, stamp: now.toISOString(), notice: true }), undefined, { lock: { table: "event", id: eventId } });
  return { ok: true, status };
}

/** "Every date" of a series covers its next this-many dates (about six months of a weekly series). */
export const SERIES_DATES = 26;

export type SeriesRegisterResult = { ok: true; going: number; waitlisted: number; withdrawn: number } | { ok: false; error: string };

/**
 * Going to every upcoming date of a recurring event (its next SERIES_DATES dates, each with its
 * own places and waiting list), or no longer going to any: one transaction, one notice for the
 * series (its calendar invitation carries the whole series) instead of one per date.
 */
export async function setSeriesRegistration({ user, eventId, going, now = new Date() }: { user: SessionUser; eventId: number; going: boolean; now?: Date }): Promise<SeriesRegisterResult> {
  const details = await getEventForViewer({ id: eventId, user });
  if (!details || !parseRecurrence(details.event.recurrence)) return { ok: false, error: "not-found" };
  const { event, overrides } = details;
  if (event.status === "draft") return { ok: false, error: "This event is not published yet." };
  if (going && event.status === "cancelled") return { ok: false, error: "This event has been cancelled." };
  if (going && !event.registration_required) return { ok: false, error: OPEN_EVENT };
  const stamp = now.toISOString();
  const dates = occurrencesOf(event, overrides, now, new Date(now.getTime() + 2 * 365 * 86_400_000), { limit: SERIES_DATES + 10 })
    .filter((o) => !o.cancelled && o.endUtc > stamp)
    .slice(0, SERIES_DATES);
  if (going && dates.length === 0) return { ok: false, error: "This event has no more dates." };
  const result = await writeTransaction(async (trx) => {
    const counts = { going: 0, waitlisted: 0, withdrawn: 0 };
    const mine = new Map(
      (await trx.selectFrom("registration").select(["occurrence", "status"]).where("event_id", "=", eventId).where("account_id", "=", user.id).execute()).map((r) => [r.occurrence, r.status]),
    );
    for (const o of dates) {
      const was = mine.get(o.occurrence);
      if (!going && was !== "going" && was !== "waitlisted") continue;
      const { status } = await registerIn(trx, { accountId: user.id, eventId, occurrence: o.occurrence, occurrenceEndUtc: o.endUtc, going, stamp, notice: false });
      if (status === "going") counts.going++;
      else if (status === "waitlisted") counts.waitlisted++;
      else counts.withdrawn++;
    }
    if (going) await noticeRegistration(trx, { accountId: user.id, eventId, occurrence: "", status: counts.going > 0 ? "going" : "waitlisted" });
    else await dropWaitingNotices(`registration:${eventId}:`, trx, user.id);
    return counts;
  }, undefined, { lock: { table: "event", id: eventId } });
  return { ok: true, ...result };
}

/**
 * One person's going / not going for one occurrence, inside a transaction: the capacity check,
 * the waiting list and promotions. `notice: false` leaves telling the person to the caller
 * (a whole series is one notice); promoted people are always told.
 */
async function registerIn(
  trx: DB,
  { accountId, eventId, occurrence: key, occurrenceEndUtc, going, stamp, notice }: { accountId: string; eventId: number; occurrence: string; occurrenceEndUtc: string; going: boolean; stamp: string; notice: boolean },
): Promise<{ status: RegistrationStatus; promoted: Promoted[] }> {
  const current = await trx.selectFrom("registration").selectAll().where("event_id", "=", eventId).where("occurrence", "=", key).where("account_id", "=", accountId).executeTakeFirst();
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
    else await trx.insertInto("registration").values({ event_id: eventId, occurrence: key, account_id: accountId, status: next, position, created_at: stamp, updated_at: stamp }).execute();
    if (notice) await noticeRegistration(trx, { accountId, eventId, occurrence: key, status: next === "going" ? "going" : "waitlisted" });
    return { status: next, promoted: [] as Promoted[] };
  }
  if (!current) {
    await trx.insertInto("registration").values({ event_id: eventId, occurrence: key, account_id: accountId, status: "not-going", position: 0, created_at: stamp, updated_at: stamp }).execute();
    return { status: "not-going" as const, promoted: [] as Promoted[] };
  }
  const wasGoing = current.status === "going";
  await trx.updateTable("registration").set({ status: "not-going", updated_at: stamp }).where("id", "=", current.id).execute();
  // A confirmation still waiting to be sent is no longer true.
  await dropWaitingNotices(`registration:${eventId}:${key}`, trx, accountId);
  const promoted = wasGoing && occurrenceEndUtc > stamp ? await promoteWaiting(trx, eventId, key, capacityRow.capacity, stamp) : [];
  await noticePromoted(trx, promoted);
  return { status: "not-going" as const, promoted };
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
