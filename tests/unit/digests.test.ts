import { simpleParser } from "mailparser";
import nodemailer from "nodemailer";
import { describe, expect, it } from "vitest";
import { renderDigestEmail } from "../../emails/digest";
import { firstDigestSince, isDue, isoWeek, periodKey, retryDelayMs } from "../../app/utils/digest-period";
import { signUpSchema } from "../../app/validation/digests";

describe("period keys", () => {
  it("counts days and ISO weeks in London time", () => {
    expect(periodKey("daily", new Date("2026-11-25T10:00:00Z"))).toBe("daily:2026-11-25");
    expect(periodKey("weekly", new Date("2026-11-25T10:00:00Z"))).toBe("weekly:2026-W48");
    // 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    expect(periodKey("daily", new Date("2026-06-30T23:30:00Z"))).toBe("daily:2026-07-01");
    // Sunday 23:30 UTC in summer is already Monday in London: a new week.
    expect(periodKey("weekly", new Date("2026-06-28T23:30:00Z"))).toBe("weekly:2026-W27");
    expect(periodKey("weekly", new Date("2026-06-28T22:30:00Z"))).toBe("weekly:2026-W26");
  });

  it("follows ISO week-numbering years", () => {
    expect(isoWeek(2026, 12, 31)).toEqual({ year: 2026, week: 53 });
    expect(isoWeek(2027, 1, 3)).toEqual({ year: 2026, week: 53 });
    expect(isoWeek(2027, 1, 4)).toEqual({ year: 2027, week: 1 });
    expect(isoWeek(2024, 12, 30)).toEqual({ year: 2025, week: 1 });
  });

  it("is due once per period, only when active and not off", () => {
    const at = new Date("2026-11-25T10:00:00Z");
    expect(isDue({ status: "active", frequency: "weekly", last_period: null }, at)).toBe(true);
    expect(isDue({ status: "active", frequency: "weekly", last_period: "weekly:2026-W48" }, at)).toBe(false);
    expect(isDue({ status: "active", frequency: "weekly", last_period: "weekly:2026-W47" }, at)).toBe(true);
    expect(isDue({ status: "active", frequency: "daily", last_period: "daily:2026-11-24" }, at)).toBe(true);
    expect(isDue({ status: "active", frequency: "daily", last_period: null }, at, new Set(["daily:2026-11-25"]))).toBe(false);
    expect(isDue({ status: "active", frequency: "off", last_period: null }, at)).toBe(false);
    for (const status of ["pending", "unsubscribed", "suspended"]) expect(isDue({ status, frequency: "daily", last_period: null }, at)).toBe(false);
  });

  it("looks back one period for a first digest and backs off exponentially", () => {
    expect(firstDigestSince("weekly", new Date("2026-11-25T10:00:00Z"))).toBe("2026-11-18T10:00:00.000Z");
    expect(firstDigestSince("daily", new Date("2026-11-25T10:00:00Z"))).toBe("2026-11-24T10:00:00.000Z");
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(30)).toBe(6 * 3600_000);
  });
});

describe("sign-up validation", () => {
  const base = { frequency: "weekly", networkIds: [], topics: [], consent: "yes" };
  it("accepts ordinary addresses and refuses CR/LF and malformed ones", () => {
    expect(signUpSchema.safeParse({ ...base, email: "  Link.Worker+news@nhs.example.org " }).success).toBe(true);
    for (const email of ["a@b.com\r\nBcc: x@y.z", "a@b.com\nX: y", "a b@c.com", "a@b", "@b.com", "a@-b.com", "a@b.com>", "a\u0000@b.com"]) {
      expect(signUpSchema.safeParse({ ...base, email }).success, JSON.stringify(email)).toBe(false);
    }
  });
  it("refuses unknown topics and non-numeric network ids", () => {
    expect(signUpSchema.safeParse({ ...base, email: "a@b.com", topics: ["javascript:alert(1)"] }).success).toBe(false);
    expect(signUpSchema.safeParse({ ...base, email: "a@b.com", networkIds: ["1 OR 1=1"] }).success).toBe(false);
  });
});

describe("digest email", () => {
  const content = {
    total: 3,
    sections: [
      { key: "events" as const, heading: "Upcoming events", items: [{ id: 1, title: "Arts on prescription <b>meet-up</b>", url: "/events/1", summary: "Tea & talk", when: "Tuesday 1 December, 10am", icsUrl: "/events/1.ics" }] },
      { key: "resources" as const, heading: "New resources", items: [{ id: 2, title: "Evaluation toolkit", url: "/resources/2", summary: "How to measure outcomes", meta: "Guide · 2026" }] },
      { key: "discussions" as const, heading: "Active discussions", items: [{ id: 3, title: "Referral pathways", url: "/discussions/3", summary: "", meta: "2 new replies" }] },
    ],
  };
  const email = renderDigestEmail({
    content,
    frequency: "weekly",
    appUrl: "https://rt.example.org",
    manageUrl: "https://rt.example.org/digest/manage?token=1.abc",
    unsubscribeUrl: "https://rt.example.org/digest/unsubscribe?token=1.abc",
    periodLabel: "week 48 of 2026",
  });

  it("has an accessible HTML part for Outlook and Gmail: tables, inline styles, lang, headings, absolute links, escaped text", () => {
    expect(email.subject).toBe("Your weekly Roundtable digest: 1 event, 1 new resource and 1 active discussion");
    expect(email.html).toMatch(/^<!DOCTYPE html><html lang="en-GB">/);
    expect(email.html).toContain('role="presentation"');
    expect(email.html).not.toMatch(/<style|class=/);
    expect(email.html).toContain("<h1");
    expect(email.html.match(/<h2/g)?.length).toBe(3);
    expect(email.html).toContain('href="https://rt.example.org/events/1"');
    expect(email.html).toContain('href="https://rt.example.org/events/1.ics"');
    expect(email.html).toContain("Arts on prescription &lt;b&gt;meet-up&lt;/b&gt;");
    expect(email.html).not.toContain("<b>meet-up");
    // Every image (none today) must have alt text.
    expect((email.html.match(/<img(?![^>]*\balt=)[^>]*>/g) ?? []).length).toBe(0);
  });

  it("has a plain-text twin with every link, and survives a real MIME round trip", async () => {
    expect(email.text).toContain("UPCOMING EVENTS");
    expect(email.text).toContain("  https://rt.example.org/resources/2");
    expect(email.text).toContain("Add to calendar: https://rt.example.org/events/1.ics");
    expect(email.text).toContain("Unsubscribe: https://rt.example.org/digest/unsubscribe?token=1.abc");
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
    const info = await transport.sendMail({ from: "a@b.c", to: "d@e.f", subject: email.subject, html: email.html, text: email.text });
    const parsed = await simpleParser(info.message as Buffer);
    expect(parsed.text).toContain("Evaluation toolkit");
    expect(parsed.html).toContain("Evaluation toolkit");
  });
});
