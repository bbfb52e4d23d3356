// Runs parseCalendar (ics-import.server.ts) in a worker thread, so a calendar that makes the
// parser spin or swell is stopped by a time limit and a memory limit instead of stalling the
// server (see parseCalendarSafely in ics-import-worker.server.ts). Plain JavaScript because a
// worker's entry point is loaded before any TypeScript loader; it registers tsx, then imports.
import { parentPort, workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { parseCalendar } = await import("./ics-import.server.ts");
const { text, now, keywords } = workerData;
parentPort.postMessage(parseCalendar(text, { now: new Date(now), keywords }));
