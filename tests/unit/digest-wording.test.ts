import { describe, expect, it } from "vitest";
import { readableWhen } from "../../app/models/digest-content.server";
import { periodLabel } from "../../app/models/digest-sender.server";

// Issue 12, item 16: the digest's words as a reader meets them.
describe("digest wording", () => {
  const now = new Date("2026-11-27T10:00:00Z");

  it("gives an all-day event its date without a time (it said “0am”)", () => {
    expect(readableWhen("2026-12-13", now)).toBe("Sunday 13 December");
    expect(readableWhen("2026-12-13", now)).not.toMatch(/am|pm/);
  });

  it("says times in London time, and midnight as 12am", () => {
    expect(readableWhen("2026-12-13T14:00:00.000Z", now)).toBe("Sunday 13 December, 2pm");
    expect(readableWhen("2026-12-13T09:30:00.000Z", now)).toBe("Sunday 13 December, 9:30am");
    expect(readableWhen("2026-12-13T00:00:00.000Z", now)).toBe("Sunday 13 December, 12am");
  });

  it("names the year of a date in another year", () => {
    expect(readableWhen("2027-01-13T09:30:00.000Z", now)).toMatch(/13 January 2027/);
    expect(readableWhen("2027-01-13", now)).toMatch(/13 January 2027/);
  });

  it("names the week by the Monday it begins on, not “week 48 of 2026”", () => {
    expect(periodLabel("weekly:2026-W48")).toBe("week beginning Monday 23 November 2026");
    expect(periodLabel("weekly:2027-W01")).toBe("week beginning Monday 4 January 2027");
    expect(periodLabel("weekly:2026-W01")).toBe("week beginning Monday 29 December 2025");
  });
});
