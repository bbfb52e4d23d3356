/**
 * Hostile and broken calendars: each ends as a plain-words status on the source and never
 * harms the server. Served from a local HTTP server; the SSRF cases run with the guard on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/index";
import { importDueCalendars } from "../../app/models/calendar-import.server";
import { parseCalendarSafely } from "../../app/utils/ics-import-worker.server";
import { fetchCalendar } from "../../app/utils/safe-fetch.server";
import { startCalendarServer, type CalendarServer } from "../support/calendar-server";

process.env.ICS_IMPORT_ALLOW_PRIVATE = "on";

let server: CalendarServer;
let orgId: number;
let networkId: number;
let clock = Date.parse("2026-11-27T12:00:00Z");

function calendar(...lines: string[]): string {
  return ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", ...lines, "END:VCALENDAR"].join("\r\n");
}

/** Adds a source for `path`, runs the import job on it, and returns the source's stored status. */
async function importFrom(path: string, fetchOptions = {}) {
  const now = new Date((clock += 2 * 3_600_000)).toISOString();
  const { id } = await getDb()
    .insertInto("calendar_source")
    .values({ organisation_id: orgId, network_id: networkId, url: `${server.url}${path}`, name: "test", keywords: "", kind: "workshop", status: "approved", events_imported: 0, created_at: now, updated_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  const summary = await importDueCalendars({ now: new Date(clock), sourceIds: [id], fetchOptions });
  const source = await getDb().selectFrom("calendar_source").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  return { summary, source };
}

beforeAll(async () => {
  server = await startCalendarServer();
  const db = getDb();
  const link = await db.selectFrom("organisation_network").select(["organisation_id", "network_id"]).executeTakeFirstOrThrow();
  orgId = link.organisation_id;
  networkId = link.network_id;
});

afterAll(async () => {
  await server.close();
});

describe("not a calendar", () => {
  it("plain text", async () => {
    server.set("/text", "Hello, this is not a calendar", "text/plain");
    const { source, summary } = await importFrom("/text");
    expect(summary.failed).toBe(1);
    expect(source.last_error).toMatch(/did not return a calendar/);
  });

  it("an HTML page, whatever it claims to be", async () => {
    server.set("/html", "<!DOCTYPE html><html><body>Sign in</body></html>", "text/html; charset=utf-8");
    expect((await importFrom("/html")).source.last_error).toMatch(/web page, not a calendar/);
    server.set("/html-as-ics", "<!DOCTYPE html><html><body>Sign in</body></html>", "text/calendar");
    expect((await importFrom("/html-as-ics")).source.last_error).toMatch(/web page, not a calendar/);
  });

  it("a truncated calendar", async () => {
    server.set("/broken", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2026", "text/calendar");
    expect((await importFrom("/broken")).source.last_error).toMatch(/could not be read/);
  });

  it("a missing page", async () => {
    expect((await importFrom("/nowhere.ics")).source.last_error).toMatch(/No calendar was found at this address \(the server said 404\)/);
  });
});

describe("too big", () => {
  it("50 MB streamed without a length stops at the cap", async () => {
    let sent = 0;
    server.handle("/huge", (_req, res) => {
      res.writeHead(200, { "Content-Type": "text/calendar" });
      const chunk = Buffer.alloc(1024 * 1024, "X");
      const push = () => {
        while (sent < 50 && res.write(chunk)) sent++;
        if (sent >= 50) res.end();
        else res.once("drain", () => (sent++, push()));
      };
      res.on("error", () => {});
      push();
    });
    const { source } = await importFrom("/huge");
    expect(source.last_error).toMatch(/larger than 5 MB/);
    expect(sent).toBeLessThan(50);
  });

  it("a declared 50 MB Content-Length is refused before reading", async () => {
    server.handle("/declared", (_req, res) => {
      res.writeHead(200, { "Content-Type": "text/calendar", "Content-Length": String(50 * 1024 * 1024) });
      res.write("BEGIN:VCALENDAR\r\n");
      res.on("error", () => {});
    });
    expect((await importFrom("/declared")).source.last_error).toMatch(/larger than 5 MB/);
  });
});

describe("repeat rules that never end", () => {
  it("a rule no date satisfies (ical.js would spin forever) is stopped by the worker's time limit", async () => {
    const text = calendar("BEGIN:VEVENT", "UID:never", "DTSTAMP:20261120T000000Z", "DTSTART:20261201T100000Z", "DTEND:20261201T110000Z", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "SUMMARY:Never", "END:VEVENT");
    const result = await parseCalendarSafely(text, { now: new Date(clock), timeoutMs: 3000 });
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/took too long to read/) });
  });

  it("an endless daily rule imports a bounded number of dates", async () => {
    server.set("/daily", calendar("BEGIN:VEVENT", "UID:daily", "DTSTAMP:20261120T000000Z", "DTSTART:20261201T100000Z", "DTEND:20261201T110000Z", "RRULE:FREQ=DAILY", "SUMMARY:Every day", "END:VEVENT"));
    const { source } = await importFrom("/daily");
    expect(source.last_error).toBeNull();
    expect(source.events_imported).toBe(100);
    expect(source.notes).toMatch(/first 100/);
  });

  it("a rule repeating every second imports one date", async () => {
    server.set("/secondly", calendar("BEGIN:VEVENT", "UID:s", "DTSTAMP:20261120T000000Z", "DTSTART:20261201T100000Z", "DTEND:20261201T110000Z", "RRULE:FREQ=SECONDLY", "SUMMARY:Spam", "END:VEVENT"));
    expect((await importFrom("/secondly")).source.events_imported).toBe(1);
  });
});

describe("redirects", () => {
  it("a redirect loop", async () => {
    server.handle("/loop-a", (_req, res) => res.writeHead(302, { Location: "/loop-b" }).end());
    server.handle("/loop-b", (_req, res) => res.writeHead(301, { Location: "/loop-a" }).end());
    expect((await importFrom("/loop-a")).source.last_error).toMatch(/redirects in a loop/);
  });

  it("more than five redirects", async () => {
    for (let i = 0; i < 8; i++) server.handle(`/hop-${i}`, (_req, res) => res.writeHead(307, { Location: `/hop-${i + 1}` }).end());
    expect((await importFrom("/hop-0")).source.last_error).toMatch(/more than 5 times/);
  });

  it("a few redirects to a calendar are followed", async () => {
    server.set("/final.ics", calendar("BEGIN:VEVENT", "UID:ok", "DTSTAMP:20261120T000000Z", "DTSTART:20261201T100000Z", "DTEND:20261201T110000Z", "SUMMARY:Fine", "END:VEVENT"));
    server.handle("/moved", (_req, res) => res.writeHead(301, { Location: `${server.url}/final.ics` }).end());
    expect((await importFrom("/moved")).source).toMatchObject({ last_error: null, events_imported: 1 });
  });

  it("a non-http scheme", async () => {
    server.handle("/to-file", (_req, res) => res.writeHead(302, { Location: "file:///etc/passwd" }).end());
    expect((await importFrom("/to-file")).source.last_error).toMatch(/must start with https:\/\/ or http:\/\//);
  });
});

describe("private addresses (server-side request forgery), with the guard on", () => {
  const guarded = { allowPrivate: false };

  it.each(["127.0.0.1", "localhost", "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "0.0.0.0", "10.0.0.1", "169.254.169.254", "[fd00::1]"])("refuses %s", async (host) => {
    const result = await fetchCalendar(`http://${host}:${server.port}/final.ics`, { ...guarded, timeoutMs: 5000 });
    expect(result).toMatchObject({ kind: "error", error: expect.stringMatching(/private or local network/) });
  });

  it("records the refusal on the source in plain words", async () => {
    const { source } = await importFrom("/final.ics", guarded);
    expect(source.last_error).toMatch(/leads to a private or local network \(127\.0\.0\.1\)/);
  });

  it("checks every redirect hop, not only the first address", async () => {
    // Allow the test server's own address, refuse 127.0.0.2: the redirect must be refused.
    server.handle("/to-private", (_req, res) => res.writeHead(302, { Location: `http://127.0.0.2:${server.port}/final.ics` }).end());
    const result = await fetchCalendar(`${server.url}/to-private`, { isBlocked: (a) => a === "127.0.0.2" });
    expect(result).toMatchObject({ kind: "error", error: expect.stringMatching(/private or local network \(127\.0\.0\.2\)/) });
    const direct = await fetchCalendar(`${server.url}/final.ics`, { isBlocked: (a) => a === "127.0.0.2" });
    expect(direct.kind).toBe("ok");
  });

  it("refuses user names and passwords in the address", async () => {
    const result = await fetchCalendar(`http://user:secret@example.org/cal.ics`, guarded);
    expect(result).toMatchObject({ kind: "error", error: expect.stringMatching(/user name or password/) });
  });
});

describe("slow servers", () => {
  it("gives up at the deadline", async () => {
    server.handle("/slow", () => {
      /* never answers */
    });
    const result = await fetchCalendar(`${server.url}/slow`, { allowPrivate: true, timeoutMs: 500 });
    expect(result).toMatchObject({ kind: "error", error: expect.stringMatching(/took too long/) });
  });
});
