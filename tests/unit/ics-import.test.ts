import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { ianaZone, parseCalendar, plainDescription, type ImportedItem, type ParseResult } from "~/utils/ics-import.server";
import { isPrivateAddress } from "~/utils/safe-fetch.server";

const now = new Date("2026-11-27T12:00:00Z");
const fixture = (name: string) => fs.readFileSync(new URL(`../fixtures/calendars/${name}.ics`, import.meta.url), "utf8");

function items(result: ParseResult): ImportedItem[] {
  if (!result.ok) throw new Error(result.error);
  return result.items;
}
const byTitle = (list: ImportedItem[], title: string) => {
  const found = list.filter((i) => i.title === title);
  expect(found.length, title).toBeGreaterThan(0);
  return found;
};

function calendar(...lines: string[]): string {
  return ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", ...lines, "END:VCALENDAR"].join("\r\n");
}

describe("Outlook / Exchange (Windows zone names)", () => {
  const list = items(parseCalendar(fixture("outlook"), { now }));

  it("maps the weekly series in GMT Standard Time onto a UK-time weekly recurrence with its exceptions", () => {
    const [walk] = byTitle(list, "Wellbeing walk and talk");
    expect(walk.startLocal).toBe("2026-12-02T19:00");
    expect(walk.endLocal).toBe("2026-12-02T20:00");
    expect(walk.recurrence).toEqual({ freq: "weekly", until: "2027-03-31" });
    expect(walk.overrides).toEqual([
      { recurrenceIdLocal: "2026-12-16T19:00", cancelled: false, startLocal: "2026-12-16T18:00", endLocal: "2026-12-16T19:00" },
      { recurrenceIdLocal: "2026-12-23T19:00", cancelled: true, startLocal: null, endLocal: null },
    ]);
    expect(walk.venue).toBe("Victoria Park gates, Widnes");
    expect(walk.description).toContain("All welcome - no need to book.");
  });

  it("converts W. Europe Standard Time to UK time and treats a Teams link as the online address", () => {
    const [call] = byTitle(list, "Twinning partners' call");
    expect(call.startLocal).toBe("2026-12-08T09:00");
    expect(call.onlineUrl).toMatch(/^https:\/\/teams\.microsoft\.com\//);
    expect(call.venue).toBeNull();
  });

  it("keeps an all-day DATE event as one day, end inclusive", () => {
    const [fair] = byTitle(list, "Halton carers' fair");
    expect(fair).toMatchObject({ allDay: true, startLocal: "2027-01-20", endLocal: "2027-01-20" });
  });
});

describe("Google (X-WR-TIMEZONE, UTC, all-day, cancelled, daily)", () => {
  const result = parseCalendar(fixture("google"), { now });
  const list = items(result);

  it("names the calendar from X-WR-CALNAME", () => {
    expect(result.ok && result.calendarName).toBe("Halton Community Arts");
  });

  it("maps 'second Thursday every month' onto monthly-weekday", () => {
    const [paint] = byTitle(list, "Paint and chat");
    expect(paint.recurrence).toEqual({ freq: "monthly-weekday" });
    expect(paint.startLocal).toBe("2026-12-10T14:00");
  });

  it("turns HTML in DESCRIPTION into plain text", () => {
    const [paint] = byTitle(list, "Paint and chat");
    expect(paint.description).toBe("Bring nothing but yourself & a friend\nMaterials provided.");
  });

  it("reads UTC times into UK time, two-day all-day events, and STATUS:CANCELLED", () => {
    expect(byTitle(list, "Volunteer coffee morning")[0].startLocal).toBe("2026-12-05T10:00");
    expect(byTitle(list, "Arts weekend")[0]).toMatchObject({ allDay: true, startLocal: "2027-01-15", endLocal: "2027-01-16" });
    expect(byTitle(list, "Poetry evening")[0].cancelled).toBe(true);
  });

  it("expands a daily rule our model cannot hold into single dates with their own keys", () => {
    const crafts = byTitle(list, "Holiday craft mornings");
    expect(crafts.map((c) => c.startLocal)).toEqual(["2026-12-28T10:00", "2026-12-29T10:00", "2026-12-30T10:00", "2026-12-31T10:00", "2027-01-01T10:00"]);
    expect(new Set(crafts.map((c) => c.key)).size).toBe(5);
    expect(crafts.every((c) => c.recurrence === null)).toBe(true);
  });
});

describe("Apple (fortnightly without BYDAY, floating time, URL)", () => {
  const list = items(parseCalendar(fixture("apple"), { now }));
  it("maps INTERVAL=2 weekly onto fortnightly and keeps the URL", () => {
    const [garden] = byTitle(list, "Gardening for wellbeing");
    expect(garden.recurrence).toEqual({ freq: "fortnightly" });
    expect(garden.url).toBe("https://garden.example.org/sessions");
    expect(garden.venue).toBe("Community Garden Victoria Park, Widnes");
  });
  it("reads a floating time as UK time", () => {
    expect(byTitle(list, "Seed swap")[0].startLocal).toBe("2026-12-12T13:00");
  });
});

describe("Eventbrite (UTC times, URL, Markdown characters)", () => {
  const list = items(parseCalendar(fixture("eventbrite"), { now }));
  it("keeps the event page and shows Markdown characters as written", () => {
    const [day] = byTitle(list, "Social prescribing *skills* day");
    expect(day.url).toBe("https://www.eventbrite.co.uk/e/skills-day-tickets-98766");
    expect(day.startLocal).toBe("2027-03-05T09:30");
    const [talk] = byTitle(list, "Creative health: a conversation");
    expect(talk.startLocal).toBe("2026-12-09T18:00");
  });
});

describe("time zones", () => {
  it("knows IANA, Windows and prefixed names", () => {
    expect(ianaZone("Europe/London")).toBe("Europe/London");
    expect(ianaZone("GMT Standard Time")).toBe("Europe/London");
    expect(ianaZone("Eastern Standard Time")).toBe("America/New_York");
    expect(ianaZone("/mozilla.org/20070129_1/Europe/Paris")).toBe("Europe/Paris");
    expect(ianaZone("Nowhere Standard Time")).toBeUndefined();
  });

  it("uses a zone defined only by the feed's VTIMEZONE", () => {
    const text = calendar(
      "BEGIN:VTIMEZONE",
      "TZID:Customised Time Zone",
      "BEGIN:STANDARD",
      "DTSTART:16010101T000000",
      "TZOFFSETFROM:+0300",
      "TZOFFSETTO:+0300",
      "END:STANDARD",
      "END:VTIMEZONE",
      "BEGIN:VEVENT",
      "UID:custom-1",
      "DTSTAMP:20261120T000000Z",
      "DTSTART;TZID=Customised Time Zone:20261210T120000",
      "DTEND;TZID=Customised Time Zone:20261210T130000",
      "SUMMARY:Custom zone",
      "END:VEVENT",
    );
    expect(items(parseCalendar(text, { now }))[0].startLocal).toBe("2026-12-10T09:00");
  });

  it("expands a weekly series in another zone rather than moving it by an hour at the clock change", () => {
    const text = calendar(
      "BEGIN:VEVENT",
      "UID:ny-weekly",
      "DTSTAMP:20261120T000000Z",
      "DTSTART;TZID=America/New_York:20270301T090000",
      "DTEND;TZID=America/New_York:20270301T100000",
      "RRULE:FREQ=WEEKLY;COUNT=4",
      "SUMMARY:New York call",
      "END:VEVENT",
    );
    const starts = items(parseCalendar(text, { now })).map((i) => i.startLocal);
    // US clocks change on 14 March, UK ones on 28 March: 14:00, then 13:00 for two weeks.
    expect(starts).toEqual(["2027-03-01T14:00", "2027-03-08T14:00", "2027-03-15T13:00", "2027-03-22T13:00"]);
  });

  it("reads floating times in the X-WR-TIMEZONE when there is one", () => {
    const text = calendar("X-WR-TIMEZONE:Europe/Paris", "BEGIN:VEVENT", "UID:f1", "DTSTAMP:20261120T000000Z", "DTSTART:20261210T120000", "DTEND:20261210T130000", "SUMMARY:Floating", "END:VEVENT");
    expect(items(parseCalendar(text, { now }))[0].startLocal).toBe("2026-12-10T11:00");
  });
});

describe("filters and limits", () => {
  it("keeps only events matching a keyword", () => {
    const list = items(parseCalendar(fixture("google"), { now, keywords: ["paint", "VOLUNTEER"] }));
    expect(list.map((i) => i.title).sort()).toEqual(["Paint and chat", "Volunteer coffee morning"]);
  });

  it("skips events that ended long ago", () => {
    const text = calendar("BEGIN:VEVENT", "UID:old", "DTSTAMP:20201120T000000Z", "DTSTART:20200101T100000Z", "DTEND:20200101T110000Z", "SUMMARY:Old", "END:VEVENT");
    expect(items(parseCalendar(text, { now }))).toEqual([]);
  });

  it("bounds a daily rule with no end to the dates we import", () => {
    const text = calendar("BEGIN:VEVENT", "UID:forever", "DTSTAMP:20261120T000000Z", "DTSTART:20261201T100000Z", "DTEND:20261201T110000Z", "RRULE:FREQ=DAILY", "SUMMARY:Every day", "END:VEVENT");
    const result = parseCalendar(text, { now });
    expect(items(result).length).toBe(100);
    expect(result.ok && result.notes.join(" ")).toMatch(/first 100/);
  });

  it("imports only the first date of a rule that repeats every second", () => {
    const text = calendar("BEGIN:VEVENT", "UID:secondly", "DTSTAMP:20261120T000000Z", "DTSTART:20261201T100000Z", "DTEND:20261201T110000Z", "RRULE:FREQ=SECONDLY", "SUMMARY:Spam", "END:VEVENT");
    expect(items(parseCalendar(text, { now })).length).toBe(1);
  });

  it("changes the hash when the event changes and not otherwise", () => {
    const a = items(parseCalendar(fixture("google"), { now }));
    const b = items(parseCalendar(fixture("google").replace("SUMMARY:Paint and chat", "SUMMARY:Paint and natter"), { now }));
    const c = items(parseCalendar(fixture("google"), { now }));
    const key = "3k9t2v8q1m0example1@google.com";
    expect(a.find((i) => i.key === key)!.hash).not.toBe(b.find((i) => i.key === key)!.hash);
    expect(a.find((i) => i.key === key)!.hash).toBe(c.find((i) => i.key === key)!.hash);
  });
});

describe("not a calendar", () => {
  it("names a web page and other text in plain words", () => {
    expect(parseCalendar("<!DOCTYPE html><html><body>Sign in</body></html>", { now })).toMatchObject({ ok: false, error: expect.stringMatching(/web page/) });
    expect(parseCalendar("hello", { now })).toMatchObject({ ok: false, error: expect.stringMatching(/did not return a calendar/) });
    expect(parseCalendar("BEGIN:VCALENDAR\r\nBROKEN", { now })).toMatchObject({ ok: false, error: expect.stringMatching(/could not be read/) });
  });

  it("escapes Markdown so text shows as written", () => {
    expect(plainDescription("*not bold* [link](javascript:x) <script>")).toBe("\\*not bold\\* \\[link\\](javascript:x) \\<script\\>");
  });
});

describe("private addresses", () => {
  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "::1",
    "::",
    "fe80::1",
    "fd12:3456::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:10.0.0.1",
    "64:ff9b::a00:1",
    "2002:7f00:1::",
  ])("refuses %s", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });
  it.each(["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:93.184.216.34"])("allows %s", (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});
