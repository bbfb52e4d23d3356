// The day-before reminder emails.

import { getDb } from "../../../db/index";
import { noticeReminder } from "./notices.server";
import { findOccurrence, overridesFor } from "./occurrences.server";
import { DAY_MS } from "./shared.server";

/**
 * Reminds everyone going to an occurrence that starts within the next 24 hours, once per
 * registration and start time (a moved occurrence gets a fresh reminder). Idempotent: run it
 * hourly from cron (npm run events:remind) or the digest job.
 */
export async function sendDueReminders(now = new Date()): Promise<number> {
  const db = getDb();
  const until = new Date(now.getTime() + DAY_MS);
  const rows = await db
    .selectFrom("registration")
    .innerJoin("event", "event.id", "registration.event_id")
    .selectAll("event")
    .select(["registration.id as registration_id", "registration.occurrence", "registration.account_id"])
    .where("registration.status", "=", "going")
    .where("event.status", "in", ["scheduled", "postponed"])
    .where("event.start_utc", "<", until.toISOString())
    .where("event.series_end_utc", ">", now.toISOString())
    .execute();
  const overrides = await overridesFor([...new Set(rows.filter((r) => r.recurrence !== null).map((r) => r.id))]);
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
    // Queued through the notifier, which applies the member's choice and sends it once.
    await noticeReminder(db, { accountId: r.account_id, eventId: r.id, occurrence: r.occurrence });
    sent++;
  }
  return sent;
}
