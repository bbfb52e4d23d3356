/**
 * The background jobs the server runs on timers (see scheduler.server.ts).
 * Add one `registerJob` per job here, next to its cron script in package.json.
 */
import { registerJob } from "./scheduler.server";
import { importDueCalendars } from "../models/calendar-import.server";
import { sendDueReminders } from "../models/events/reminders.server";

const HOUR = 60 * 60 * 1000;

registerJob({ name: "event reminders", everyMs: HOUR, run: (now) => sendDueReminders(now) });
