/**
 * Keeps every series' dates stored HORIZON_DAYS ahead in event_occurrence as time passes (the
 * first run on a new or upgraded database computes every event). Idempotent: safe daily from
 * cron, e.g.
 *   15 3 * * *  cd /srv/roundtable && npx tsx app/jobs/event-occurrences.ts
 */
import { closeDb, getDb } from "../../db/index";
import { migrateToLatest } from "../../db/migrate";
import { extendOccurrences } from "../models/events/occurrences.server";

async function main() {
  await migrateToLatest(getDb());
  const { events, rows } = await extendOccurrences(new Date());
  console.log(`Event occurrences: ${events} events recomputed, ${rows} dates stored`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
