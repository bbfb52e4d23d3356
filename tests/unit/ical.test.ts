import ICAL from "ical.js";
import nodeIcal, { type VEvent } from "node-ical";
import { describe, expect, it } from "vitest";
import {
  buildCalendarIcs,
  buildSingleEventIcs,
  feedEtag,
  googleCalendarUrl,
  outlookCalendarUrl,
  type CalendarEvent,
  type CalendarMeta,
} from "~/utils/ical.server";
import { expandOccurrences, localToUtc, utcToLocal } from "~/utils/recurrence";

const LONDON = "Europe/London";

const meta: CalendarMeta = {
  name: "North West network events",
  description: "Round tables, training and Social Prescribing Hour",
  url: "https://roundtable.example/networks/north-west/events.ics",
  appUrl: "https://roundtable.example/networks/north-west/events",
  refreshMinutes: 60,
};

function event(overrides: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    uid: "event-1@roundtable.example",
    sequence: 0,
    title: "Arts in Health",
    descriptionText:
      "Led by Cumberland Infirmary, hosted by the University of Cumbria.",
    startLocal: "2026-11-25T20:00",
    endLocal: "2026-11-25T21:00",
    allDay: false,
    timeZone: LONDON,
    status: "scheduled",
    createdAt: new Date("2026-01-02T09:00:00Z"),
    updatedAt: new Date("2026-01-03T09:30:00Z"),
    url: "https://roundtable.example/events/1",
    ...overrides,
  };
}

const spHour = event({
  uid: "sp-hour@roundtable.example",
  title: "Social Prescribing Hour",
  descriptionText: "An online conversation every Wednesday, 8–9pm UK time.",
  startLocal: "2026-01-07T20:00",
  endLocal: "2026-01-07T21:00",
  recurrence: { freq: "weekly" },
  sequence: 4,
});

const spHourWithExceptions: CalendarEvent = {
  ...spHour,
  exceptions: [
    { recurrenceIdLocal: "2026-03-04T20:00", cancelled: true, sequence: 5 },
    {
      recurrenceIdLocal: "2026-04-01T20:00",
      cancelled: false,
      startLocal: "2026-04-02T19:00",
      endLocal: "2026-04-02T20:30",
      title: "Social Prescribing Hour (Thursday this week)",
      sequence: 5,
    },
    // Stale: not a Wednesday, so it matches no occurrence and must not be published.
    {
      recurrenceIdLocal: "2026-05-07T20:00",
      cancelled: false,
      title: "Phantom",
      sequence: 5,
    },
  ],
};

const YEAR_2026 = {
  from: new Date("2026-01-01T00:00:00Z"),
  to: new Date("2027-01-01T00:00:00Z"),
};

type Instance = {
  recurrenceId: string;
  startLocal: string;
  start: Date;
  end: Date;
  summary: string;
};

function icalJsRoot(ics: string): ICAL.Component {
  const root = new ICAL.Component(ICAL.parse(ics));
  for (const tz of root.getAllSubcomponents("vtimezone"))
    ICAL.TimezoneService.register(tz);
  return root;
}

/** Occurrences as ical.js computes them, using only the VTIMEZONE in the feed. */
function icalJsInstances(
  ics: string,
  uid: string,
  from: Date,
  to: Date
): Instance[] {
  ICAL.TimezoneService.reset();
  const vevents = icalJsRoot(ics)
    .getAllSubcomponents("vevent")
    .filter((v) => v.getFirstPropertyValue("uid") === uid);
  const master = vevents.find((v) => !v.hasProperty("recurrence-id"));
  if (!master) throw new Error(`no master VEVENT for ${uid}`);
  const calendarEvent = new ICAL.Event(master, {
    exceptions: vevents.filter((v) => v.hasProperty("recurrence-id")),
  });
  const iterator = calendarEvent.iterator();
  const found: Instance[] = [];
  for (let next = iterator.next(); next; next = iterator.next()) {
    const details = calendarEvent.getOccurrenceDetails(next);
    if (details.recurrenceId.toJSDate() >= to) break;
    const start = details.startDate.toJSDate();
    const end = details.endDate.toJSDate();
    if (end <= from) continue;
    const s = details.startDate;
    found.push({
      recurrenceId: details.recurrenceId.toString().slice(0, 16),
      startLocal: `${s.year}-${pad(s.month)}-${pad(s.day)}T${pad(s.hour)}:${pad(
        s.minute
      )}`,
      start,
      end,
      summary: details.item.summary,
    });
  }
  return found;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function nodeIcalEvents(ics: string): VEvent[] {
  return Object.values(nodeIcal.sync.parseICS(ics)).flatMap((c) =>
    c && c.type === "VEVENT" ? [c] : []
  );
}

function text(value: VEvent["summary"] | undefined): string | undefined {
  return typeof value === "object" ? value.val : value;
}

function unfoldedLines(ics: string): string[] {
  return ics.replace(/\r\n[ \t]/g, "").split("\r\n");
}

describe("buildCalendarIcs: the calendar", () => {
  const ics = buildCalendarIcs(meta, [event(), spHourWithExceptions]);
  const lines = unfoldedLines(ics);

  it("publishes RFC 5545 / RFC 7986 calendar properties before any component", () => {
    const firstComponent = lines.indexOf("BEGIN:VTIMEZONE");
    const head = lines.slice(0, firstComponent);
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(head).toEqual(
      expect.arrayContaining([
        "VERSION:2.0",
        "METHOD:PUBLISH",
        "NAME:North West network events",
        "X-WR-CALNAME:North West network events",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        "SOURCE;VALUE=URI:https://roundtable.example/networks/north-west/events.ics",
        "URL:https://roundtable.example/networks/north-west/events",
      ])
    );
    expect(head.some((l) => l.startsWith("PRODID:-//Roundtable//"))).toBe(true);
    expect(lines.indexOf("BEGIN:VEVENT")).toBeGreaterThan(
      lines.indexOf("END:VTIMEZONE")
    );
    expect(lines.at(-1)).toBe("END:VCALENDAR");
  });

  it("carries a real Europe/London VTIMEZONE with yearly rules", () => {
    const vtimezone = lines
      .slice(
        lines.indexOf("BEGIN:VTIMEZONE"),
        lines.indexOf("END:VTIMEZONE") + 1
      )
      .join("\n");
    expect(vtimezone).toContain("TZID:Europe/London");
    expect(vtimezone).toMatch(
      /BEGIN:DAYLIGHT\nTZOFFSETFROM:\+0000\nTZOFFSETTO:\+0100\nTZNAME:BST\nDTSTART:\d{8}T010000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nEND:DAYLIGHT/
    );
    expect(vtimezone).toMatch(
      /BEGIN:STANDARD\nTZOFFSETFROM:\+0100\nTZOFFSETTO:\+0000\nTZNAME:GMT\nDTSTART:\d{8}T020000\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nEND:STANDARD/
    );
    expect(lines.filter((l) => l === "BEGIN:VTIMEZONE")).toHaveLength(1);
  });

  it("agrees with Intl about Europe/London for every clock change from 2000 to 2100", () => {
    ICAL.TimezoneService.reset();
    icalJsRoot(ics);
    const zone = ICAL.TimezoneService.get(LONDON);
    if (!zone) throw new Error("VTIMEZONE not registered");
    for (let year = 2000; year <= 2100; year++) {
      for (const local of [
        `${year}-03-31T12:00`,
        `${year}-10-31T12:00`,
        `${year}-03-20T20:00`,
        `${year}-07-01T20:00`,
        `${year}-10-20T20:00`,
        `${year}-12-01T20:00`,
      ]) {
        const time = ICAL.Time.fromDateTimeString(local.concat(":00"));
        time.zone = zone;
        expect(time.toJSDate().toISOString(), local).toBe(
          localToUtc(local, LONDON).toISOString()
        );
      }
    }
  });

  it("writes timed events with TZID, never floating or UTC", () => {
    expect(lines).toContain("DTSTART;TZID=Europe/London:20261125T200000");
    expect(lines).toContain("DTEND;TZID=Europe/London:20261125T210000");
    const inEvents = lines.slice(lines.indexOf("BEGIN:VEVENT"));
    const times = inEvents.filter((l) =>
      /^(DTSTART|DTEND|RECURRENCE-ID|EXDATE)[;:]/.test(l)
    );
    expect(times.length).toBeGreaterThan(4);
    for (const line of times)
      expect(line).toMatch(
        /^[A-Z-]+;TZID=Europe\/London:\d{8}T\d{6}(,\d{8}T\d{6})*$/
      );
  });

  it("writes stable UIDs, SEQUENCE, DTSTAMP, CREATED, LAST-MODIFIED, URL and STATUS", () => {
    const first = lines.slice(
      lines.indexOf("BEGIN:VEVENT"),
      lines.indexOf("END:VEVENT") + 1
    );
    expect(first).toEqual(
      expect.arrayContaining([
        "UID:event-1@roundtable.example",
        "SEQUENCE:0",
        "DTSTAMP:20260103T093000Z",
        "CREATED:20260102T090000Z",
        "LAST-MODIFIED:20260103T093000Z",
        "URL;VALUE=URI:https://roundtable.example/events/1",
        "STATUS:CONFIRMED",
        "SUMMARY:Arts in Health",
      ])
    );
    expect(buildCalendarIcs(meta, [event(), spHourWithExceptions])).toBe(ics);
  });

  it("writes the recurrence as RRULE with cancelled occurrences as EXDATE", () => {
    expect(lines).toContain("RRULE:FREQ=WEEKLY;BYDAY=WE");
    expect(lines).toContain("EXDATE;TZID=Europe/London:20260304T200000");
    expect(lines).toContain("RECURRENCE-ID;TZID=Europe/London:20260401T200000");
    expect(ics).not.toContain("Phantom");
  });

  it("uses CRLF everywhere and folds every line at 75 octets", () => {
    expect(ics.endsWith("\r\n") || ics.endsWith("END:VCALENDAR")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    for (const line of ics.split("\r\n"))
      expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
  });

  it("is read by node-ical with the same facts", () => {
    const events = nodeIcalEvents(ics);
    const arts = events.find((e) => e.uid === "event-1@roundtable.example");
    expect(arts?.start.toISOString()).toBe("2026-11-25T20:00:00.000Z");
    expect(arts?.start.tz).toBe(LONDON);
    expect(arts?.status).toBe("CONFIRMED");
    expect(text(arts?.summary)).toBe("Arts in Health");
    const master = events.find((e) => e.uid === "sp-hour@roundtable.example");
    expect(master?.rrule).toBeDefined();
    // node-ical indexes each override under two keys (date and ISO instant): same object.
    expect(new Set(Object.values(master?.recurrences ?? {})).size).toBe(1);
  });
});

describe("Social Prescribing Hour across the clock changes", () => {
  const ics = buildCalendarIcs(meta, [spHour]);

  it("ical.js expands it to Wednesday 20:00 UK time in GMT and BST", () => {
    const instances = icalJsInstances(
      ics,
      spHour.uid,
      YEAR_2026.from,
      YEAR_2026.to
    );
    expect(instances).toHaveLength(52);
    for (const i of instances) {
      expect(i.startLocal).toMatch(/T20:00$/);
      expect(utcToLocal(i.start, LONDON)).toBe(i.startLocal);
      expect(i.start.getUTCDay()).toBe(3);
      expect(i.end.getTime() - i.start.getTime()).toBe(3_600_000);
    }
    const at = (day: string) =>
      instances.find((i) => i.startLocal.startsWith(day))?.start.toISOString();
    expect(at("2026-03-25")).toBe("2026-03-25T20:00:00.000Z");
    expect(at("2026-04-01")).toBe("2026-04-01T19:00:00.000Z");
    expect(at("2026-10-21")).toBe("2026-10-21T19:00:00.000Z");
    expect(at("2026-10-28")).toBe("2026-10-28T20:00:00.000Z");
  });

  it("ical.js and expandOccurrences agree instant for instant", () => {
    const ours = expandOccurrences({ ...spHour, ...YEAR_2026 });
    const theirs = icalJsInstances(
      ics,
      spHour.uid,
      YEAR_2026.from,
      YEAR_2026.to
    );
    expect(
      theirs.map((i) => [i.start.toISOString(), i.end.toISOString()])
    ).toEqual(
      ours.map((o) => [o.startUtc.toISOString(), o.endUtc.toISOString()])
    );
  });

  it("node-ical expands it the same way", () => {
    const [master] = nodeIcalEvents(ics);
    const instances = nodeIcal.expandRecurringEvent(master, {
      from: YEAR_2026.from,
      to: YEAR_2026.to,
    });
    const ours = expandOccurrences({ ...spHour, ...YEAR_2026 });
    expect(instances.map((i) => i.start.toISOString())).toEqual(
      ours.map((o) => o.startUtc.toISOString())
    );
  });
});

describe("exceptions to a series", () => {
  const plain = buildCalendarIcs(meta, [spHour]);
  const changed = buildCalendarIcs(meta, [spHourWithExceptions]);
  const before = icalJsInstances(
    plain,
    spHour.uid,
    YEAR_2026.from,
    YEAR_2026.to
  );
  const after = icalJsInstances(
    changed,
    spHour.uid,
    YEAR_2026.from,
    YEAR_2026.to
  );

  it("EXDATE removes exactly one occurrence", () => {
    const starts = (list: Instance[]) => list.map((i) => i.recurrenceId);
    const removed = starts(before).filter((id) => !starts(after).includes(id));
    expect(removed).toEqual(["2026-03-04T20:00"]);
    expect(after).toHaveLength(before.length - 1);
  });

  it("RECURRENCE-ID moves exactly one occurrence", () => {
    const differing = after.filter((i) => {
      const original = before.find((b) => b.recurrenceId === i.recurrenceId);
      return (
        original?.start.getTime() !== i.start.getTime() ||
        original.summary !== i.summary
      );
    });
    expect(differing).toEqual([
      {
        recurrenceId: "2026-04-01T20:00",
        startLocal: "2026-04-02T19:00",
        start: new Date("2026-04-02T18:00:00Z"),
        end: new Date("2026-04-02T19:30:00Z"),
        summary: "Social Prescribing Hour (Thursday this week)",
      },
    ]);
  });

  it("node-ical sees the same removal and move", () => {
    const [master] = nodeIcalEvents(changed);
    const instances = nodeIcal.expandRecurringEvent(master, {
      from: YEAR_2026.from,
      to: YEAR_2026.to,
    });
    expect(instances).toHaveLength(51);
    expect(
      instances.some(
        (i) => i.start.toISOString() === "2026-03-04T20:00:00.000Z"
      )
    ).toBe(false);
    const moved = instances.filter((i) => i.isOverride);
    expect(moved.map((i) => [i.start.toISOString(), text(i.summary)])).toEqual([
      [
        "2026-04-02T18:00:00.000Z",
        "Social Prescribing Hour (Thursday this week)",
      ],
    ]);
  });

  it("gives the override its own SEQUENCE and the same UID", () => {
    const lines = unfoldedLines(changed);
    const override = lines.slice(
      lines.lastIndexOf("BEGIN:VEVENT"),
      lines.lastIndexOf("END:VEVENT")
    );
    expect(override).toEqual(
      expect.arrayContaining(["UID:sp-hour@roundtable.example", "SEQUENCE:5"])
    );
  });
});

describe("hostile and oversized text", () => {
  const hostileTitle = "Evil\r\nBEGIN:VEVENT\r\nSUMMARY:pwned";
  // 50,000 characters (code points) with two- to four-byte UTF-8 sequences throughout.
  const longDescription =
    [..."Zoë’s “café” — 🎨🩰 ".repeat(2_800)].slice(0, 49_999).join("") + ".";
  const hostile = event({
    title: hostileTitle,
    descriptionText: `Line one\r\nEND:VEVENT\r\nBEGIN:VEVENT\nUID:x\u0000\u001b[31m; a, b \\ c\n${longDescription}`,
    location: "Preston\r\nX-INJECTED:1",
    categories: ["round table", "a,b;c"],
    organiserName:
      "Voluntary Sector North West\nORGANIZER:mailto:evil@example.com",
  });
  const ics = buildCalendarIcs(
    { ...meta, name: "Evil\r\nBEGIN:VEVENT, name; with \\ bits" },
    [hostile]
  );

  it("is one event for ical.js, with the literal text in the summary", () => {
    ICAL.TimezoneService.reset();
    const vevents = icalJsRoot(ics).getAllSubcomponents("vevent");
    expect(vevents).toHaveLength(1);
    const parsed = new ICAL.Event(vevents[0]);
    expect(parsed.summary).toBe("Evil BEGIN:VEVENT SUMMARY:pwned");
    expect(parsed.description).toContain(
      "Line one\nEND:VEVENT\nBEGIN:VEVENT\nUID:x[31m; a, b \\ c\n"
    );
    expect(parsed.description).toContain(longDescription);
    expect(parsed.location).toBe("Preston X-INJECTED:1");
    expect(vevents[0].getFirstProperty("categories")?.getValues()).toEqual([
      "round table",
      "a b c",
    ]);
    expect(vevents[0].getFirstPropertyValue("uid")).toBe(
      "event-1@roundtable.example"
    );
  });

  it("is one event for node-ical, with the literal text in the summary", () => {
    const events = nodeIcalEvents(ics);
    expect(events).toHaveLength(1);
    expect(text(events[0].summary)).toBe("Evil BEGIN:VEVENT SUMMARY:pwned");
    expect(text(events[0].description)).toContain(longDescription);
    expect(events[0].categories).toEqual(["round table", "a b c"]);
  });

  it("keeps the calendar name as text", () => {
    const lines = unfoldedLines(ics);
    expect(lines).toContain(
      "X-WR-CALNAME:Evil BEGIN:VEVENT\\, name\\; with \\\\ bits"
    );
    expect(lines.filter((l) => l === "BEGIN:VEVENT")).toHaveLength(1);
    expect(
      lines.some((l) => l.startsWith("X-INJECTED") || l.startsWith("ORGANIZER"))
    ).toBe(false);
  });

  it("folds at 75 octets without splitting a UTF-8 character", () => {
    const physical = ics.split("\r\n");
    expect([...longDescription]).toHaveLength(50_000);
    expect(physical.length).toBeGreaterThan(700);
    for (const line of physical) {
      expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
      // A split surrogate pair would not survive a UTF-8 round trip.
      expect(Buffer.from(line, "utf8").toString("utf8")).toBe(line);
    }
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });
});

describe("statuses and all-day events", () => {
  it("marks cancelled events CANCELLED and postponed ones TENTATIVE, in the title as well", () => {
    const ics = buildCalendarIcs(meta, [
      event({
        uid: "cancelled@roundtable.example",
        status: "cancelled",
        title: "Placebo",
      }),
      event({
        uid: "postponed@roundtable.example",
        status: "postponed",
        title: "Women's and children's services round table",
      }),
    ]);
    const lines = unfoldedLines(ics);
    expect(lines).toEqual(
      expect.arrayContaining([
        "STATUS:CANCELLED",
        "SUMMARY:Cancelled: Placebo",
        "STATUS:TENTATIVE",
      ])
    );
    const byUid = new Map(nodeIcalEvents(ics).map((e) => [e.uid, e]));
    expect(byUid.get("cancelled@roundtable.example")?.status).toBe("CANCELLED");
    expect(byUid.get("postponed@roundtable.example")?.status).toBe("TENTATIVE");
    expect(text(byUid.get("postponed@roundtable.example")?.summary)).toBe(
      "Postponed: Women's and children's services round table"
    );
  });

  it("writes all-day events as DATE values with an exclusive end", () => {
    const ics = buildCalendarIcs(meta, [
      event({
        allDay: true,
        startLocal: "2026-12-13",
        endLocal: "2026-12-13",
        title: "Regional conference, Preston",
      }),
    ]);
    const lines = unfoldedLines(ics);
    expect(lines).toEqual(
      expect.arrayContaining([
        "DTSTART;VALUE=DATE:20261213",
        "DTEND;VALUE=DATE:20261214",
      ])
    );
    const [parsed] = nodeIcalEvents(ics);
    expect(parsed.datetype).toBe("date");
  });

  it("publishes a moved all-day occurrence on its own and removes it from the series", () => {
    const ics = buildCalendarIcs(meta, [
      event({
        allDay: true,
        startLocal: "2026-01-07",
        endLocal: "2026-01-07",
        recurrence: { freq: "weekly", count: 4 },
        exceptions: [
          {
            recurrenceIdLocal: "2026-01-14",
            cancelled: false,
            startLocal: "2026-01-15",
            sequence: 1,
          },
        ],
      }),
    ]);
    const lines = unfoldedLines(ics);
    expect(lines).toEqual(
      expect.arrayContaining([
        "RRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=4",
        "EXDATE;VALUE=DATE:20260114",
        "DTSTART;VALUE=DATE:20260115",
      ])
    );
    expect(nodeIcalEvents(ics)).toHaveLength(2);
  });

  it("writes the same bytes whatever the server's own time zone", () => {
    const saved = process.env.TZ;
    const build = () => buildCalendarIcs(meta, [event(), spHourWithExceptions]);
    try {
      process.env.TZ = "UTC";
      const inUtc = build();
      process.env.TZ = "America/New_York";
      expect(build()).toBe(inUtc);
      process.env.TZ = "Asia/Kolkata";
      expect(build()).toBe(inUtc);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it("refuses a UID that could break the feed and a zone without a VTIMEZONE", () => {
    expect(() =>
      buildCalendarIcs(meta, [event({ uid: "a\r\nBEGIN:VEVENT" })])
    ).toThrow(RangeError);
    expect(() =>
      buildCalendarIcs(meta, [event({ timeZone: "America/New_York" })])
    ).toThrow(/VTIMEZONE/);
    expect(() =>
      buildCalendarIcs(meta, [event({ url: "javascript:alert(1)" })])
    ).toThrow(/http/);
  });
});

describe("buildSingleEventIcs", () => {
  it("is one importable event without feed or calendar-name properties", () => {
    const ics = buildSingleEventIcs(event(), meta);
    const lines = unfoldedLines(ics);
    expect(lines).toEqual(
      expect.arrayContaining([
        "METHOD:PUBLISH",
        "BEGIN:VTIMEZONE",
        "DTSTART;TZID=Europe/London:20261125T200000",
      ])
    );
    expect(
      lines.some((l) =>
        /^(NAME|X-WR-CALNAME|SOURCE|REFRESH-INTERVAL)[;:]/.test(l)
      )
    ).toBe(false);
    expect(nodeIcalEvents(ics)).toHaveLength(1);
    ICAL.TimezoneService.reset();
    expect(icalJsRoot(ics).getAllSubcomponents("vevent")).toHaveLength(1);
  });
});

describe("add-to-calendar links", () => {
  it("builds a Google Calendar template link in UK wall-clock time", () => {
    const url = new URL(googleCalendarUrl(event({ location: "Carlisle" })));
    expect(url.origin + url.pathname).toBe(
      "https://calendar.google.com/calendar/render"
    );
    expect(url.searchParams.get("action")).toBe("TEMPLATE");
    expect(url.searchParams.get("text")).toBe("Arts in Health");
    expect(url.searchParams.get("dates")).toBe(
      "20261125T200000/20261125T210000"
    );
    expect(url.searchParams.get("ctz")).toBe(LONDON);
    expect(url.searchParams.get("location")).toBe("Carlisle");
    expect(url.searchParams.get("details")).toContain(
      "More information: https://roundtable.example/events/1"
    );
    expect(new URL(googleCalendarUrl(spHour)).searchParams.get("recur")).toBe(
      "RRULE:FREQ=WEEKLY;BYDAY=WE"
    );
    const allDay = new URL(
      googleCalendarUrl(
        event({
          allDay: true,
          startLocal: "2026-12-13",
          endLocal: "2026-12-13",
        })
      )
    );
    expect(allDay.searchParams.get("dates")).toBe("20261213/20261214");
  });

  it("builds an Outlook compose link with UTC instants", () => {
    const url = new URL(
      outlookCalendarUrl(
        event({
          startLocal: "2026-07-01T20:00",
          endLocal: "2026-07-01T21:00",
          status: "postponed",
        })
      )
    );
    expect(url.origin + url.pathname).toBe(
      "https://outlook.office.com/calendar/0/deeplink/compose"
    );
    expect(url.searchParams.get("subject")).toBe("Postponed: Arts in Health");
    expect(url.searchParams.get("startdt")).toBe("2026-07-01T19:00:00Z");
    expect(url.searchParams.get("enddt")).toBe("2026-07-01T20:00:00Z");
    expect(url.searchParams.get("path")).toBe("/calendar/action/compose");
    expect(url.searchParams.get("rru")).toBe("addevent");
    expect(url.search).not.toContain("+");
  });

  it("adds a recurring event to Outlook by subscribing to its own .ics, so the series is kept", () => {
    const url = new URL(outlookCalendarUrl(spHour, { icsUrl: "https://roundtable.example/events/7.ics" }));
    expect(url.origin + url.pathname).toBe("https://outlook.office.com/calendar/0/addfromweb");
    expect(url.searchParams.get("url")).toBe("https://roundtable.example/events/7.ics");
    expect(url.searchParams.get("name")).toBe(spHour.title);
    // A one-off event still gets the compose link with its own date.
    expect(outlookCalendarUrl(event({}), { icsUrl: "https://roundtable.example/events/1.ics" })).toContain("/deeplink/compose");
  });

  it("keeps links short when the description is huge", () => {
    const huge = event({ descriptionText: "x".repeat(50_000) });
    expect(googleCalendarUrl(huge).length).toBeLessThan(2_000);
    expect(outlookCalendarUrl(huge).length).toBeLessThan(2_000);
  });
});

describe("feedEtag", () => {
  it("is a quoted base64url sha256 that changes with any part", () => {
    const tag = feedEtag(["north-west", 42, "2026-01-03T09:30:00Z"]);
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(feedEtag(["north-west", 42, "2026-01-03T09:30:00Z"])).toBe(tag);
    expect(feedEtag(["north-west", 43, "2026-01-03T09:30:00Z"])).not.toBe(tag);
    expect(feedEtag(["1", "23"])).not.toBe(feedEtag(["12", "3"]));
    expect(feedEtag([1])).not.toBe(feedEtag(["1"]));
  });
});
