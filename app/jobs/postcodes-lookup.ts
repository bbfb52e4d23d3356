/**
 * Looks up the postcodes still waiting for coordinates (saved while the postcode service was
 * unreachable, or loaded in bulk). Idempotent: safe to run every few minutes from cron, e.g.
 *   *\/10 * * * *  cd /srv/roundtable && npx tsx app/jobs/postcodes-lookup.ts
 */
import { closeDb, getDb } from "../../db/index";
import { migrateToLatest } from "../../db/migrate";
import { lookUpPending } from "../models/places.server";

async function main() {
  await migrateToLatest(getDb());
  const settled = await lookUpPending();
  console.log(`Postcodes looked up: ${settled}`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await closeDb();
  });
