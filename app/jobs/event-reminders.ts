/**
 * Sends the day-before reminders for events people are going to. Idempotent: safe to run
 * every hour from cron, e.g.
 *   0 * * * *  cd /srv/roundtable && npx tsx app/jobs/event-reminders.ts
 */
import { closeDb, getDb } from "../../db/index";
import { migrateToLatest } from "../../db/migrate";
import { sendDueReminders } from "../models/events/reminders.server";
import { resetTransport } from "../../emails/transport";

async function main() {
  await migrateToLatest(getDb());
  const sent = await sendDueReminders(new Date());
  console.log(`Event reminders sent: ${sent}`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    resetTransport();
    await closeDb();
  });
