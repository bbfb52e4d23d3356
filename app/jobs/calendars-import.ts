/**
 * Imports partners' calendars that are due (each source hourly). Idempotent and safe next to
 * the server's own timer (sources are claimed in the database), e.g. from cron:
 *   *\/10 * * * *  cd /srv/roundtable && npm run calendars:import
 */
import { closeDb, getDb } from "../../db/index";
import { migrateToLatest } from "../../db/migrate";
import { importDueCalendars } from "../models/calendar-import.server";

async function main() {
  await migrateToLatest(getDb());
  const s = await importDueCalendars({ now: new Date() });
  console.log(`Calendars imported: ${s.fetched} read, ${s.unchanged} unchanged, ${s.failed} failed; events ${s.created} new, ${s.updated} updated, ${s.cancelled} cancelled`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await closeDb();
  });
