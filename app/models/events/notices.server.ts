// Who hears about events, through the notifier: registration, waiting list, places offered,
// changes, postponements, cancellations and reminders. Called inside the writing transaction, so
// a notice exists if and only if the change does; nothing here waits on SMTP.

import { getDb, type DB } from "../../../db/index";
import { env } from "../../utils/env.server";
import { describeWhen } from "../../utils/event-time";
import { buildItipIcs } from "../../utils/ical.server";
import { dropWaitingNotices, notify, type NoticeCheck, type NoticeEmail } from "../../models/notifier.server";
import { toCalendarEvent } from "./feeds.server";
import { findOccurrence, overridesFor } from "./occurrences.server";
import { occurrenceUrl, placeOf, type EventRow } from "./shared.server";

type Loaded = { event: EventRow & { organisation_name: string | null }; topics: string[]; overrides: Awaited<ReturnType<typeof overridesFor>> extends Map<number, infer V> ? V : never };

async function load(db: DB, eventId: number): Promise<Loaded | undefined> {
  const event = await db
    .selectFrom("event")
    .leftJoin("organisation", "organisation.id", "event.organisation_id")
    .selectAll("event")
    .select("organisation.name as organisation_name")
    .where("event.id", "=", eventId)
    .executeTakeFirst();
  if (!event) return undefined;
  const topics = (await db.selectFrom("event_topic").select("topic").where("event_id", "=", eventId).execute()).map((t) => t.topic);
  const overrides = (await overridesFor([eventId], db)).get(eventId) ?? [];
  return { event, topics, overrides };
}

function organizer(name: string | null) {
  const from = env().MAIL_FROM;
  const email = /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
  return { name: name ?? "Roundtable", email };
}

/** The iTIP object for the whole event, or for one date of a series when `occurrence` is given. */
function calendarFor(l: Loaded, method: "REQUEST" | "CANCEL", occurrence?: string): NoticeEmail["calendar"] {
  const appUrl = env().APP_URL;
  const cal = toCalendarEvent(l.event, l.topics, l.overrides, appUrl);
  const occ = occurrence ? findOccurrence(l.event, l.overrides, occurrence) : undefined;
  const override = occurrence ? l.overrides.find((o) => o.recurrence_id_local === occurrence) : undefined;
  const ics = buildItipIcs(cal, {
    appUrl,
    method,
    organizer: organizer(l.event.organisation_name),
    occurrence: occ && occ.occurrence ? { recurrenceIdLocal: occ.occurrence, startLocal: occ.startLocal, endLocal: occ.endLocal, sequence: Math.max(override?.sequence ?? 0, l.event.sequence) } : undefined,
  });
  return { method, ics };
}

/** When and where, in the words of the email; the joining link only for people registered. */
function details(l: Loaded, occurrence?: string): string[] {
  const e = l.event;
  const occ = occurrence !== undefined ? findOccurrence(e, l.overrides, occurrence) : undefined;
  const when = describeWhen(occ?.startLocal ?? e.start_local, occ?.endLocal ?? e.end_local, e.all_day, e.time_zone);
  const { place, online } = placeOf(e);
  const lines = [`When: ${when}${e.recurrence && !occurrence ? " (and the later dates of the series)" : ""}.`];
  lines.push(online ? "Where: online." : `Where: ${[e.venue, ...(e.address ?? "").split("\n"), e.postcode].filter(Boolean).join(", ") || place}.`);
  if (online && e.online_url) lines.push(`Joining link: ${e.online_url}`);
  return lines;
}

function check(e: EventRow): NoticeCheck {
  // Members-only events: only people still in the network hear about them.
  return { eventId: e.id, networkId: e.visibility === "members" ? e.network_id : undefined };
}

/** People registered (going or waiting) for the event, or for one date of it, whose date has not passed. */
async function registrants(db: DB, l: Loaded, occurrence?: string): Promise<string[]> {
  let q = db.selectFrom("registration").select("account_id").distinct().where("event_id", "=", l.event.id).where("status", "in", ["going", "waitlisted"]);
  if (occurrence !== undefined) q = q.where("occurrence", "=", occurrence);
  const rows = await q.execute();
  return rows.map((r) => r.account_id);
}

export async function noticeRegistration(db: DB, { accountId, eventId, occurrence, status }: { accountId: string; eventId: number; occurrence: string; status: "going" | "waitlisted" }) {
  const l = await load(db, eventId);
  if (!l) return;
  const url = occurrenceUrl(eventId, occurrence);
  const going = status === "going";
  const title = going ? `You are going to ${l.event.title}` : `You are on the waiting list for ${l.event.title}`;
  await notify(
    [accountId],
    {
      kind: "registration",
      title,
      url,
      check: check(l.event),
      // Changing one's mind quickly (going, not going, going) is one email about the latest state.
      coalesceKey: `registration:${eventId}:${occurrence}`,
      email: {
        subject: going ? `Registered: ${l.event.title}` : `Waiting list: ${l.event.title}`,
        heading: going ? "Your place is confirmed" : "You are on the waiting list",
        paragraphs: [
          going ? `You are going to ${l.event.title}.` : `${l.event.title} is full, so you are on the waiting list. If a place comes up it is yours, and we will email you.`,
          ...details(l, occurrence),
          going ? "The calendar invitation attached adds it to Outlook, Google or Apple Calendar. If you can no longer come, please say so on the event page so someone else can have your place." : "",
        ].filter(Boolean),
        action: { label: "See the event", url },
        calendar: going ? calendarFor(l, "REQUEST", occurrence || undefined) : undefined,
      },
    },
    db,
  );
}

export async function noticePromoted(db: DB, promoted: { accountId: string; eventId: number; occurrence: string }[]) {
  for (const p of promoted) {
    const l = await load(db, p.eventId);
    if (!l) continue;
    const url = occurrenceUrl(p.eventId, p.occurrence);
    await notify(
      [p.accountId],
      {
        kind: "waitlist",
        title: `A place came up: you are going to ${l.event.title}`,
        url,
        check: check(l.event),
        email: {
          subject: `You have a place: ${l.event.title}`,
          heading: "A place has come up for you",
          paragraphs: [
            `Someone gave up their place, so you have moved off the waiting list. You are now going to ${l.event.title}.`,
            ...details(l, p.occurrence),
            "If you can no longer come, please say so on the event page so the next person can have the place.",
          ],
          action: { label: "See the event", url },
          calendar: calendarFor(l, "REQUEST", p.occurrence || undefined),
        },
      },
      db,
    );
  }
}

/**
 * The event's time, place or joining link changed, or it was postponed or is back on. Held for
 * NOTIFY_COALESCE_MINUTES under one key per event, so a burst of edits is one email with the final
 * details. `occurrence`: only that date of a series changed (moved).
 */
export async function noticeEventChanged(db: DB, { eventId, what, occurrence }: { eventId: number; what: "changed" | "postponed" | "restored"; occurrence?: string }) {
  const l = await load(db, eventId);
  if (!l || l.event.status === "draft") return;
  const url = occurrence ? occurrenceUrl(eventId, occurrence) : `/events/${eventId}`;
  const title = what === "postponed" ? `${l.event.title} is postponed` : what === "restored" ? `${l.event.title} is back on` : `${l.event.title} has changed`;
  await notify(
    await registrants(db, l, occurrence),
    {
      kind: "event-change",
      title,
      url,
      check: check(l.event),
      coalesceKey: `event-change:${eventId}:${occurrence ?? "*"}`,
      holdMs: what === "changed" ? env().NOTIFY_COALESCE_MINUTES * 60_000 : 0,
      email: {
        subject: title,
        heading: title,
        paragraphs: [
          what === "postponed"
            ? `The organiser has postponed ${l.event.title}. The new date will be on the event page and in calendar feeds.`
            : what === "restored"
              ? `${l.event.title} is going ahead after all.`
              : `The organiser changed ${l.event.title}${occurrence ? " on this date" : ""}. Here are the details now:`,
          ...details(l, occurrence),
          "The attached calendar update changes the entry in Outlook, Google or Apple Calendar.",
        ],
        action: { label: "See the event", url },
        calendar: calendarFor(l, "REQUEST", occurrence),
      },
    },
    db,
  );
}

/**
 * The event (every date of a series: one email per person) or one date of it is cancelled. Change
 * emails still waiting for it are dropped: the cancellation says all there is to say.
 */
export async function noticeEventCancelled(db: DB, { eventId, reason, occurrence }: { eventId: number; reason: string | null; occurrence?: string }) {
  const l = await load(db, eventId);
  if (!l) return;
  await dropWaitingNotices(`event-change:${eventId}:${occurrence ?? ""}`, db);
  const url = occurrence ? occurrenceUrl(eventId, occurrence) : `/events/${eventId}`;
  const whenText = occurrence ? details(l, occurrence)[0].replace(/^When: /, "").replace(/\.$/, "") : null;
  const title = occurrence ? `${l.event.title} on ${whenText} is cancelled` : `${l.event.title} is cancelled`;
  await notify(
    await registrants(db, l, occurrence),
    {
      kind: "event-cancelled",
      title,
      url,
      check: { ...check(l.event) },
      coalesceKey: `event-cancelled:${eventId}:${occurrence ?? "*"}`,
      email: {
        subject: `Cancelled: ${l.event.title}`,
        heading: title,
        paragraphs: [
          occurrence ? `The organiser has cancelled ${l.event.title} on ${whenText}. Other dates of the series go ahead.` : `The organiser has cancelled ${l.event.title}${l.event.recurrence ? ", every date of the series" : ""}.`,
          reason ? `Their reason: ${reason}` : "",
          "The attached calendar update removes it from Outlook, Google or Apple Calendar.",
        ].filter(Boolean),
        action: { label: "See the event", url },
        calendar: calendarFor(l, "CANCEL", occurrence),
      },
    },
    db,
  );
}

/** A newly published event of an organisation: its followers are told (by default in their digest). */
export async function noticeNewEvent(db: DB, { eventId, authorId }: { eventId: number; authorId: string }) {
  const l = await load(db, eventId);
  if (!l || !l.event.organisation_id || l.event.status !== "scheduled") return;
  const followers = await db.selectFrom("organisation_follow").select("account_id").where("organisation_id", "=", l.event.organisation_id).execute();
  const url = `/events/${eventId}`;
  const org = l.event.organisation_name ?? "An organisation you follow";
  await notify(
    followers.map((f) => f.account_id).filter((id) => id !== authorId),
    {
      kind: "new-event",
      title: `${org} published ${l.event.title}`,
      url,
      check: check(l.event),
      email: {
        subject: `New event from ${org}: ${l.event.title}`,
        heading: `New from ${org}`,
        paragraphs: [`${org} has published a new event: ${l.event.title}.`, ...details(l).filter((line) => !line.startsWith("Joining link"))],
        action: { label: "See the event and register", url },
      },
    },
    db,
  );
}

/** The day-before reminder for one registration (the caller has claimed it in event_reminder). */
export async function noticeReminder(db: DB = getDb(), { accountId, eventId, occurrence }: { accountId: string; eventId: number; occurrence: string }) {
  const l = await load(db, eventId);
  if (!l) return;
  const url = occurrenceUrl(eventId, occurrence);
  await notify(
    [accountId],
    {
      kind: "reminder",
      title: `Reminder: ${l.event.title} is tomorrow`,
      url,
      check: check(l.event),
      email: {
        subject: `Reminder: ${l.event.title} is tomorrow`,
        heading: l.event.title,
        paragraphs: [`This is a reminder that you are going to ${l.event.title}.`, ...details(l, occurrence), "If you can no longer come, please say so on the event page so someone else can have your place."],
        action: { label: "See the event", url },
      },
    },
    db,
  );
}
