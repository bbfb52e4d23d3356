/**
 * The background jobs the server runs on timers (see scheduler.server.ts).
 * Add one `registerJob` per job here, next to its cron script in package.json.
 */
import { registerJob } from "./scheduler.server";
import { importDueCalendars } from "../models/calendar-import.server";
import { extendOccurrences } from "../models/events/occurrences.server";
import { sendDueReminders } from "../models/events/reminders.server";
import { runHousekeeping } from "../models/housekeeping.server";
import { runNoticeSend } from "../models/notifier-sender.server";
import { env } from "../utils/env.server";
import { lookUpPending } from "../models/places.server";

const HOUR = 60 * 60 * 1000;

registerJob({ name: "event reminders", everyMs: HOUR, run: (now) => sendDueReminders(now) });
registerJob({ name: "housekeeping", everyMs: 6 * HOUR, firstRunMs: 60_000, run: (now) => runHousekeeping(now) });
// A bad value is reported by the server's own start-up check, in one line.
const noticeEveryMs = (() => {
  try {
    return env().NOTIFY_INTERVAL_SECONDS * 1000;
  } catch {
    return 60_000;
  }
})();
registerJob({ name: "notice emails", everyMs: noticeEveryMs, run: (now) => runNoticeSend({ now }) });
// Each source is fetched at most hourly; checking every 5 minutes picks up a new source quickly.
registerJob({ name: "calendar imports", everyMs: 5 * 60 * 1000, run: (now) => importDueCalendars({ now }) });
registerJob({ name: "event occurrences", everyMs: 6 * HOUR, run: (now) => extendOccurrences(now) });
registerJob({ name: "postcode lookups", everyMs: 10 * 60 * 1000, run: (now) => lookUpPending({ now }) });
