/**
 * Prunes expired sessions, old rate-limit windows and spent or expired email links and
 * invitations. Idempotent; the server runs it every 6 hours (JOBS=on), or from cron, e.g.
 *   30 3 * * *  cd /srv/roundtable && npm run housekeeping
 */
import { closeDb, getDb } from "../../db/index";
import { migrateToLatest } from "../../db/migrate";
import { runHousekeeping } from "../models/housekeeping.server";

async function main() {
  await migrateToLatest(getDb());
  const removed = await runHousekeeping(new Date());
  console.log(`Housekeeping removed ${removed.sessions} sessions, ${removed.rateLimits} rate-limit windows, ${removed.emailTokens} email links and ${removed.invitations} invitations`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
