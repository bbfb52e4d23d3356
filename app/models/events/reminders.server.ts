// The day-before reminder emails.

import { getDb } from "../../../db/index";
import { renderSimpleEmail } from "../../../emails/layout";
import { sendEmail } from "../../../emails/send";
import { env } from "../../utils/env.server";
import { describeWhen } from "../../utils/event-time";
import { findOccurrence, overridesFor } from "./occurrences.server";
import { DAY_MS, occurrenceUrl, placeOf } from "./shared.server";

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
