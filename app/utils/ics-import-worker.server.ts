import { Worker } from "node:worker_threads";
import type { ParseResult } from "./ics-import.server";

export const PARSE_TIMEOUT_MS = 30_000;
export const PARSE_MEMORY_MB = 256;

/**
 * parseCalendar in a worker thread with a time and memory limit: a hostile or broken calendar
 * (a repeat rule ical.js cannot finish, a huge nesting) ends as a plain error for that source.
 * Only the import job calls this (never a web request), from the tsx-loaded server or its script.
 */
export function parseCalendarSafely(text: string, options: { now: Date; keywords?: string[]; timeoutMs?: number }): Promise<ParseResult> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL("./ics-import-worker.mjs", import.meta.url), {
      workerData: { text, now: options.now.toISOString(), keywords: options.keywords ?? [] },
      resourceLimits: { maxOldGenerationSizeMb: PARSE_MEMORY_MB },
      execArgv: [],
    });
    let done = false;
    const finish = (result: ParseResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ ok: false, error: "The calendar took too long to read (for example a repeat rule that never finds a date), so it was not imported." }),
      options.timeoutMs ?? PARSE_TIMEOUT_MS,
    );
    worker.once("message", (result: ParseResult) => finish(result));
    worker.once("error", (error) =>
      finish({ ok: false, error: /memory/i.test(error.message) ? "The calendar needed too much memory to read, so it was not imported." : "The calendar could not be read." }),
    );
    worker.once("exit", () => finish({ ok: false, error: "The calendar could not be read." }));
  });
}
