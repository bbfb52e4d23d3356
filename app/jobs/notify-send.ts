/**
 * `npm run notify:send`: sends every queued notice email that is due, then exits. Safe to run
 * from cron as often as you like (every minute is a good choice when JOBS=off): each email is
 * sent once, a killed run is resumed by the next one. Prints one summary line.
 */
import { closeDb, getDb } from "../../db/index";
import { migrateToLatest } from "../../db/migrate";
import { resetTransport } from "../../emails/transport";
import { runNoticeSend } from "../models/notifier-sender.server";
import { ConfigError, env } from "../utils/env.server";

async function main(): Promise<void> {
  env();
  await migrateToLatest(getDb());
  await runNoticeSend({ log: (line) => console.log(line), retryWaitMs: Number(process.env.NOTIFY_RETRY_WAIT_MS ?? 0) });
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `notify:send could not run: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    resetTransport();
    await closeDb();
  });
