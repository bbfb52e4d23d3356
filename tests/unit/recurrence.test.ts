import { describe, expect, it } from "vitest";
import {
  expandOccurrences,
  isOccurrence,
  localToUtc,
  toRRule,
  utcToLocal,
  validateRecurrence,
  type Recurrence,
} from "~/utils/recurrence";

const LONDON = "Europe/London";

// Social Prescribing Hour: every Wednesday 20:00–21:00 UK time, from January.
const spHour = {
  startLocal: "2026-01-07T20:00",
  endLocal: "2026-01-07T21:00",
  timeZone: LONDON,
  recurrence: { freq: "weekly" } satisfies Recurrence,
};

describe("localToUtc / utcToLocal", () => {
  it("uses GMT in winter and BST in summer", () => {
    expect(localToUtc("2026-01-07T20:00", LONDON).toISOString()).toBe(
      "2026-01-07T20:00:00.000Z"
    );
    expect(localToUtc("2026-07-01T20:00", LONDON).toISOString()).toBe(
      "2026-07-01T19:00:00.000Z"
    );
  });

  it("shifts a time in the spring-forward gap forward (01:30 → 02:30 BST)", () => {
    const instant = localToUtc("2026-03-29T01:30", LONDON);
    expect(instant.toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(utcToLocal(instant, LONDON)).toBe("2026-03-29T02:30");
  });

  it("reads the repeated autumn hour as the first (BST) one", () => {
    expect(localToUtc("2026-10-25T01:30", LONDON).toISOString()).toBe(
      "2026-10-25T00:30:00.000Z"
    );
    // The second 01:30 (GMT) is still a valid instant and reads back as 01:30.
    expect(utcToLocal(new Date("2026-10-25T01:30:00Z"), LONDON)).toBe(
      "2026-10-25T01:30"
    );
  });

  it("takes the zone as a parameter", () => {
    expect(
      localToUtc("2026-07-01T20:00", "America/New_York").toISOString()
    ).toBe("2026-07-02T00:00:00.000Z");
    // New York's gap: 02:30 on 8 March 2026 does not exist and becomes 03:30 EDT.
    expect(
      utcToLocal(
        localToUtc("2026-03-08T02:30", "America/New_York"),
        "America/New_York"
      )
    ).toBe("2026-03-08T03:30");
  });

  it("round-trips every half hour across both 2026 clock changes", () => {
    for (const day of ["2026-03-29", "2026-10-25"]) {
      for (let minutes = 0; minutes < 24 * 60; minutes += 30) {
        const local = `${day}T${String(Math.floor(minutes / 60)).padStart(
          2,
          "0"
        )}:${String(minutes % 60).padStart(2, "0")}`;
        const back = utcToLocal(localToUtc(local, LONDON), LONDON);
        const inGap = day === "2026-03-29" && local.slice(11, 13) === "01";
        expect(back).toBe(inGap ? local.replace("T01:", "T02:") : local);
      }
    }
  });

  it("refuses text that is not a date", () => {
    expect(() => localToUtc("7 January 2026", LONDON)).toThrow(RangeError);
    expect(() => localToUtc("2026-02-30T20:00", LONDON)).toThrow(RangeError);
  });
});

describe("toRRule", () => {
  it("writes weekly, fortnightly and monthly-by-weekday rules", () => {
    expect(toRRule({ freq: "weekly" }, "2026-01-07T20:00")).toBe(
      "FREQ=WEEKLY;BYDAY=WE"
    );
    expect(toRRule({ freq: "fortnightly" }, "2026-01-07T20:00")).toBe(
      "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"
    );
    expect(toRRule({ freq: "monthly-weekday" }, "2026-01-14T20:00")).toBe(
      "FREQ=MONTHLY;BYDAY=2WE"
    );
    expect(toRRule({ freq: "monthly-weekday" }, "2026-01-28T10:00")).toBe(
      "FREQ=MONTHLY;BYDAY=4WE"
    );
    // 29 July 2026 is the fifth Wednesday: repeat on the last one instead.
    expect(toRRule({ freq: "monthly-weekday" }, "2026-07-29T10:00")).toBe(
      "FREQ=MONTHLY;BYDAY=-1WE"
    );
    expect(toRRule({ freq: "weekly", count: 10 }, "2026-01-07T20:00")).toBe(
      "FREQ=WEEKLY;BYDAY=WE;COUNT=10"
    );
  });

  it("gives UNTIL in UTC at the end of the local day (RFC 5545 §3.3.10)", () => {
    expect(
      toRRule(
        { freq: "weekly", until: "2026-12-16" },
        "2026-01-07T20:00",
        LONDON
      )
    ).toBe("FREQ=WEEKLY;BYDAY=WE;UNTIL=20261216T235959Z");
    expect(
      toRRule(
        { freq: "weekly", until: "2026-07-01" },
        "2026-01-07T20:00",
        LONDON
      )
    ).toBe("FREQ=WEEKLY;BYDAY=WE;UNTIL=20260701T225959Z");
  });

  it("gives UNTIL as a DATE for all-day events", () => {
    expect(toRRule({ freq: "weekly", until: "2026-12-16" }, "2026-01-07")).toBe(
      "FREQ=WEEKLY;BYDAY=WE;UNTIL=20261216"
    );
  });
});

describe("expandOccurrences", () => {
  it("keeps Social Prescribing Hour at 20:00 UK time across the March and October changes", () => {
    const occurrences = expandOccurrences({
      ...spHour,
      from: new Date("2026-01-01T00:00:00Z"),
      to: new Date("2027-01-01T00:00:00Z"),
    });
    expect(occurrences).toHaveLength(52);
    for (const o of occurrences) {
      expect(o.occurrenceStartLocal).toMatch(/T20:00$/);
      expect(o.recurrenceId).toBe(o.occurrenceStartLocal);
      expect(o.startUtc.getUTCDay()).toBe(3);
      expect(o.endUtc.getTime() - o.startUtc.getTime()).toBe(3_600_000);
    }
    const utcStart = (local: string) =>
      occurrences.find((o) => o.recurrenceId === local)?.startUtc.toISOString();
    expect(utcStart("2026-03-25T20:00")).toBe("2026-03-25T20:00:00.000Z"); // last GMT Wednesday
    expect(utcStart("2026-04-01T20:00")).toBe("2026-04-01T19:00:00.000Z"); // first BST Wednesday
    expect(utcStart("2026-10-21T20:00")).toBe("2026-10-21T19:00:00.000Z"); // last BST Wednesday
    expect(utcStart("2026-10-28T20:00")).toBe("2026-10-28T20:00:00.000Z"); // back to GMT
  });

  it("returns only what overlaps the window, including one in progress", () => {
    const occurrences = expandOccurrences({
      ...spHour,
      from: new Date("2026-04-01T19:30:00Z"),
      to: new Date("2026-04-15T19:00:00Z"),
    });
    expect(occurrences.map((o) => o.recurrenceId)).toEqual([
      "2026-04-01T20:00",
      "2026-04-08T20:00",
    ]);
  });

  it("counts COUNT from the first occurrence, not from the window", () => {
    const all = expandOccurrences({
      ...spHour,
      recurrence: { freq: "weekly", count: 3 },
      from: new Date("2026-01-01"),
      to: new Date("2027-01-01"),
    });
    expect(all.map((o) => o.recurrenceId)).toEqual([
      "2026-01-07T20:00",
      "2026-01-14T20:00",
      "2026-01-21T20:00",
    ]);
    const later = expandOccurrences({
      ...spHour,
      recurrence: { freq: "weekly", count: 3 },
      from: new Date("2026-01-15"),
      to: new Date("2027-01-01"),
    });
    expect(later.map((o) => o.recurrenceId)).toEqual(["2026-01-21T20:00"]);
  });

  it("includes an occurrence on the UNTIL date", () => {
    const occurrences = expandOccurrences({
      ...spHour,
      recurrence: { freq: "weekly", until: "2026-01-21" },
      from: new Date("2026-01-01"),
      to: new Date("2027-01-01"),
    });
    expect(occurrences.map((o) => o.recurrenceId)).toEqual([
      "2026-01-07T20:00",
      "2026-01-14T20:00",
      "2026-01-21T20:00",
    ]);
  });

  it("repeats fortnightly", () => {
    const occurrences = expandOccurrences({
      ...spHour,
      recurrence: { freq: "fortnightly" },
      from: new Date("2026-01-01"),
      to: new Date("2026-02-10"),
    });
    expect(occurrences.map((o) => o.recurrenceId)).toEqual([
      "2026-01-07T20:00",
      "2026-01-21T20:00",
      "2026-02-04T20:00",
    ]);
  });

  it("repeats on the nth and on the last weekday of the month", () => {
    const second = expandOccurrences({
      startLocal: "2026-01-14T10:00",
      endLocal: "2026-01-14T12:00",
      timeZone: LONDON,
      recurrence: { freq: "monthly-weekday", count: 4 },
      from: new Date("2026-01-01"),
      to: new Date("2027-01-01"),
    });
    expect(second.map((o) => o.recurrenceId)).toEqual([
      "2026-01-14T10:00",
      "2026-02-11T10:00",
      "2026-03-11T10:00",
      "2026-04-08T10:00",
    ]);
    const last = expandOccurrences({
      startLocal: "2026-07-29T10:00",
      endLocal: "2026-07-29T12:00",
      timeZone: LONDON,
      recurrence: { freq: "monthly-weekday", count: 3 },
      from: new Date("2026-01-01"),
      to: new Date("2027-01-01"),
    });
    expect(last.map((o) => o.recurrenceId)).toEqual([
      "2026-07-29T10:00",
      "2026-08-26T10:00",
      "2026-09-30T10:00",
    ]);
  });

  it("returns a one-off event once, and respects the limit", () => {
    const once = expandOccurrences({
      startLocal: "2026-11-25T20:00",
      endLocal: "2026-11-25T21:00",
      timeZone: LONDON,
      from: new Date("2026-01-01"),
      to: new Date("2027-01-01"),
    });
    expect(once).toEqual([
      {
        occurrenceStartLocal: "2026-11-25T20:00",
        startUtc: new Date("2026-11-25T20:00:00Z"),
        endUtc: new Date("2026-11-25T21:00:00Z"),
        recurrenceId: "2026-11-25T20:00",
      },
    ]);
    expect(
      expandOccurrences({
        ...spHour,
        from: new Date("2026-01-01"),
        to: new Date("2100-01-01"),
        limit: 5,
      })
    ).toHaveLength(5);
  });

  it("keeps all-day events on whole local days", () => {
    const occurrences = expandOccurrences({
      startLocal: "2026-03-25",
      endLocal: "2026-03-26",
      timeZone: LONDON,
      recurrence: { freq: "weekly", count: 2 },
      from: new Date("2026-01-01"),
      to: new Date("2027-01-01"),
    });
    expect(
      occurrences.map((o) => [o.startUtc.toISOString(), o.endUtc.toISOString()])
    ).toEqual([
      ["2026-03-25T00:00:00.000Z", "2026-03-27T00:00:00.000Z"],
      ["2026-03-31T23:00:00.000Z", "2026-04-02T23:00:00.000Z"], // midnight BST
    ]);
  });

  it("moves an occurrence in the spring-forward gap but keeps its nominal RECURRENCE-ID", () => {
    const [o] = expandOccurrences({
      startLocal: "2026-03-22T01:30",
      endLocal: "2026-03-22T02:00",
      timeZone: LONDON,
      recurrence: { freq: "weekly" },
      from: new Date("2026-03-28T00:00:00Z"),
      to: new Date("2026-03-30T00:00:00Z"),
    });
    expect(o.recurrenceId).toBe("2026-03-29T01:30");
    expect(o.occurrenceStartLocal).toBe("2026-03-29T02:30");
  });
});

describe("isOccurrence", () => {
  it("knows which local times the rule generates", () => {
    expect(
      isOccurrence({ ...spHour, recurrenceIdLocal: "2026-03-04T20:00" })
    ).toBe(true);
    expect(
      isOccurrence({ ...spHour, recurrenceIdLocal: "2026-03-05T20:00" })
    ).toBe(false);
    expect(
      isOccurrence({ ...spHour, recurrenceIdLocal: "2026-03-04T19:00" })
    ).toBe(false);
    expect(
      isOccurrence({
        ...spHour,
        recurrence: { freq: "weekly", count: 2 },
        recurrenceIdLocal: "2026-01-21T20:00",
      })
    ).toBe(false);
  });
});

describe("validateRecurrence", () => {
  const check = (
    recurrence: Parameters<typeof validateRecurrence>[0]["recurrence"],
    startLocal = "2026-01-07T20:00"
  ) => validateRecurrence({ startLocal, timeZone: LONDON, recurrence });

  it("accepts Social Prescribing Hour, with or without an end", () => {
    expect(check({ freq: "weekly" })).toEqual({ errors: [], notes: [] });
    expect(check({ freq: "weekly", until: "2026-12-16" })).toEqual({
      errors: [],
      notes: [],
    });
    expect(check({ freq: "weekly", count: 520 })).toEqual({
      errors: [],
      notes: [],
    });
    expect(check(null)).toEqual({ errors: [], notes: [] });
  });

  it("refuses a count below 1, above 520 or not whole", () => {
    for (const count of [0, -1, 521, 2.5]) {
      expect(check({ freq: "weekly", count }).errors).toEqual([
        "The number of times the event happens must be a whole number from 1 to 520.",
      ]);
    }
  });

  it("refuses a stop date before the start", () => {
    expect(check({ freq: "weekly", until: "2025-12-31" }).errors).toEqual([
      "The date repeats stop (Wednesday 31 December 2025) is before the first event (Wednesday 7 January 2026).",
    ]);
  });

  it("refuses a stop date more than five years away", () => {
    expect(check({ freq: "weekly", until: "2031-01-07" }).errors).toEqual([]);
    expect(check({ freq: "weekly", until: "2031-01-08" }).errors).toEqual([
      "Events can repeat for up to 5 years. Choose a stop date on or before Tuesday 7 January 2031.",
    ]);
  });

  it("refuses both a count and a stop date (RFC 5545 forbids it)", () => {
    expect(
      check({ freq: "weekly", count: 3, until: "2026-02-01" }).errors
    ).toEqual([
      "Choose either how many times the event repeats or the date it stops, not both.",
    ]);
  });

  it("refuses dates centuries away", () => {
    expect(check(null, "1926-01-07T20:00").errors[0]).toMatch(
      /^The start date is in 1926\. Dates centuries away/
    );
    expect(check(null, "2206-01-07T20:00").errors[0]).toMatch(
      /centuries away.*2000 to 2100/
    );
    expect(check({ freq: "weekly", until: "3026-01-01" }).errors[0]).toMatch(
      /^The date repeats stop is in 3026/
    );
  });

  it("refuses dates that do not exist and unknown zones", () => {
    expect(check({ freq: "weekly", until: "2026-02-30" }).errors).toEqual([
      "Enter the date repeats stop as a real date, for example 2026-12-16.",
    ]);
    expect(
      validateRecurrence({ startLocal: "2026-13-01T20:00", recurrence: null })
        .errors
    ).toEqual([
      "Enter the start as a real date and time, for example 2026-01-07T20:00.",
    ]);
    expect(
      validateRecurrence({
        startLocal: "2026-01-07T20:00",
        timeZone: "Mars/Olympus",
        recurrence: null,
      }).errors
    ).toEqual(['"Mars/Olympus" is not a time zone we recognise.']);
  });

  it("allows a fifth weekday but says it will be the last one", () => {
    expect(check({ freq: "monthly-weekday" }, "2026-07-29T10:00")).toEqual({
      errors: [],
      notes: [
        "Wednesday 29 July 2026 is the fifth Wednesday of July. Most months have only four, so the event will repeat on the last Wednesday of each month.",
      ],
    });
  });
});
