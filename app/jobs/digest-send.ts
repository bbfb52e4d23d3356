/**
 * `npm run digest:send`: sends every digest that is due, then exits. Safe to run from cron as
 * often as you like (hourly is a good choice): a second run in the same day or week sends nothing,
 * and a run that was killed is resumed by the next one. Prints one summary line; exit code 0 unless
 * it could not run at all (configuration, database). Failed deliveries are recorded, not fatal.
 */
import { closeDb, getDb } from "../../db/index";
import { migrateToLatest } from "../../db/migrate";
import { resetTransport } from "../../emails/transport";
import { runDigestSend } from "../models/digest-sender.server";
import { ConfigError, env } from "../utils/env.server";

async function main(): Promise<void> {
  env();
  await migrateToLatest(getDb());
  await runDigestSend({
    log: (line) => console.log(line),
    retryWaitMs: Number(process.env.DIGEST_RETRY_WAIT_MS ?? 0),
  });
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `digest:send could not run: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    resetTransport();
    await closeDb();
  });
