import SQLite from "better-sqlite3";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { formatViolations, horizontalOverflow, launchBrowser, newContext, signIn, startApp, visit, waitForEmail, type App } from "../support/e2e";

let app: App;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function checked(page: Page, url: string, name: string, { phone = false }: { phone?: boolean } = {}) {
  const violations = await visit(page, url, `events-${name}-${phone ? "phone" : "desktop"}`);
  expect(formatViolations(violations), `${url} on ${phone ? "phone" : "desktop"}`).toBe("");
  if (phone) expect(await horizontalOverflow(page), `${url} scrolls sideways`).toBeLessThanOrEqual(0);
}

/** Two more people, with the demo password (copied hash), so capacity can fill. */
function addPeople() {
  const db = new SQLite(app.dbPath);
  const hash = db.prepare("SELECT password_hash FROM account WHERE email = ?").get("member@example.org") as { password_hash: string };
  const now = new Date().toISOString();
  for (const n of [1, 2]) {
    db.prepare(
      "INSERT INTO account (id, email, email_verified_at, name, password_hash, profile_visible, is_platform_admin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, 0, ?, ?)",
    ).run(`e2e-person-${n}`, `person${n}@example.net`, now, `Person ${n}`, hash.password_hash, now, now);
  }
  db.close();
}

function nextWeekday(weekday: number, minDays: number): string {
  const d = new Date(Date.now() + minDays * 86_400_000);
  d.setUTCDate(d.getUTCDate() + ((weekday - d.getUTCDay() + 7) % 7));
  return d.toISOString().slice(0, 10);
}

describe("events: an organiser's recurring event, a cancelled date, registrations and the waiting list", () => {
  it("runs the whole journey, every page passing axe", async () => {
    addPeople();
    const first = nextWeekday(4, 3); // a Thursday at least 3 days ahead
    const second = new Date(Date.parse(first) + 7 * 86_400_000).toISOString().slice(0, 10);

    // 1. The organiser creates a weekly event with two places.
    const orgContext = await newContext(browser);
    const org = await orgContext.newPage();
    await signIn(org, app, "organiser@example.org");
    await checked(org, `${app.url}/events/new`, "new");
    await org.getByLabel("Title", { exact: true }).fill("Thursday arts on prescription drop-in");
    await org.getByLabel("Kind of event", { exact: true }).selectOption("workshop");
    await org.getByLabel("Description", { exact: true }).fill("A weekly **drop-in** for link workers and the people they support.");
    await org.getByLabel("Start date", { exact: true }).fill(first);
    await org.getByLabel("Start time", { exact: true }).fill("14:00");
    await org.getByLabel("End time", { exact: true }).fill("15:30");
    await org.getByLabel("Repeats", { exact: true }).selectOption("weekly");
    await org.getByLabel("A number of times (enter it below)", { exact: true }).check();
    await org.getByLabel("Number of times", { exact: true }).fill("6");
    await org.getByLabel("Venue", { exact: true }).fill("Manchester Museum");
    await org.getByLabel("Address", { exact: true }).fill("Oxford Road\nManchester");
    await org.getByLabel("Postcode", { exact: true }).fill("M13 9PL");
    await org.getByLabel("Number of places (optional)", { exact: true }).fill("2");
    await org.getByLabel("Step-free access", { exact: true }).check();
    await org.getByRole("button", { name: "Save event" }).click();
    await org.waitForURL(/\/events\/\d+$/);
    const eventPath = new URL(org.url()).pathname;
    const id = eventPath.split("/").pop()!;
    await org.getByRole("heading", { level: 1, name: /Thursday arts on prescription drop-in/ }).waitFor();
    await checked(org, `${app.url}${eventPath}`, "event-organiser");
    await org.getByText(/2pm to 3:30pm \(UK time, (GMT|BST)\)/).first().waitFor({ timeout: 10_000 });
    // The JSON-LD carries the CSP nonce and parses.
    const ld = await org.locator('script[type="application/ld+json"]').evaluate((s) => ({ nonce: (s as HTMLScriptElement).nonce || s.getAttribute("nonce"), text: s.textContent ?? "" }));
    expect(JSON.parse(ld.text)).toMatchObject({ "@type": "Event", name: "Thursday arts on prescription drop-in" });
    expect(ld.text).not.toContain("<");

    // 2. It cancels the second date only.
    await checked(org, `${app.url}${eventPath}/edit`, "edit");
    await org.goto(`${app.url}${eventPath}?occurrence=${second}T14:00`);
    await org.getByRole("link", { name: "Change or cancel this date only" }).click();
    await org.waitForURL(/\/occurrences\//);
    await checked(org, org.url(), "occurrence");
    await org.getByLabel("Reason (optional)", { exact: true }).fill("Gallery closed for installation");
    await org.getByRole("button", { name: "Cancel this date only" }).click();
    await org.waitForURL(new RegExp(`/events/${id}\\?occurrence=`));
    await org.getByText("This date has been cancelled. Other dates go ahead as planned.").waitFor({ timeout: 10_000 });

    const feed = await (await fetch(`${app.url}/events.ics`)).text();
    expect(feed.replace(/\r\n[ \t]/g, "")).toContain(`EXDATE;TZID=Europe/London:${second.replace(/-/g, "")}T140000`);
    ICAL.TimezoneService.reset();
    const root = new ICAL.Component(ICAL.parse(feed));
    for (const tz of root.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
    const master = root.getAllSubcomponents("vevent").find((v) => v.getFirstPropertyValue("summary") === "Thursday arts on prescription drop-in")!;
    const dates: string[] = [];
    const iterator = new ICAL.Event(master).iterator();
    for (let n = iterator.next(); n; n = iterator.next()) dates.push(n.toString().slice(0, 16));
    expect(dates).toHaveLength(5);
    expect(dates).not.toContain(`${second}T14:00`);

    // 3. A member registers for the first date; a second person fills it; a third waits.
    const firstDate = `${app.url}${eventPath}?occurrence=${first}T14:00`;
    const people: Page[] = [];
    for (const email of ["member@example.org", "person1@example.net"]) {
      const ctx = await newContext(browser);
      const p = await ctx.newPage();
      await signIn(p, app, email);
      await p.goto(firstDate);
      await p.getByRole("button", { name: "I'm going" }).click();
      await p.getByText("You are going.", { exact: true }).waitFor({ timeout: 10_000 });
      people.push(p);
    }
    // The third person does it with JavaScript off: the form works without it.
    const noJs = await newContext(browser, { javaScript: false });
    const third = await noJs.newPage();
    await signIn(third, app, "person2@example.net");
    await third.goto(firstDate);
    await third.getByText("Full (2 places). 0 on the waiting list.").waitFor({ timeout: 10_000 });
    await third.getByRole("button", { name: "Join the waiting list" }).click();
    await third.waitForURL(/occurrence=/);
    await third.getByText("You are number 1 on the waiting list.").waitFor({ timeout: 10_000 });

    // 4. The member gives up the place: the waiting person is promoted and emailed.
    await people[0].getByRole("button", { name: "I can no longer go" }).click();
    await people[0].getByRole("button", { name: "Yes, cancel my place" }).click();
    await people[0].getByText("You said you are not going.").waitFor({ timeout: 10_000 });
    const mail = await waitForEmail(app.outboxDir, "person2@example.net", /You have a place: Thursday arts on prescription drop-in/);
    expect(mail.text).toContain("moved off the waiting list");
    await third.reload();
    await third.getByText("You are going.", { exact: true }).waitFor({ timeout: 10_000 });

    // 5. The organiser sees the attendee list and can download it.
    await org.goto(firstDate);
    await org.getByRole("cell", { name: "Person 2" }).waitFor({ timeout: 10_000 });
    const csv = await org.request.get(`${app.url}/events/${id}/attendees.csv?occurrence=${encodeURIComponent(`${first}T14:00`)}`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain("person2@example.net");

    await checked(people[1], firstDate, "event-member");
    await checked(people[1], `${app.url}/account/calendar`, "account-calendar");
    await people[1].getByRole("button", { name: "Make my calendar address" }).click();
    const feedUrl = await people[1].locator(".rt-feed-url").textContent();
    expect(feedUrl).toMatch(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    const personal = await fetch(feedUrl!);
    expect(personal.status).toBe(200);
    expect(await personal.text()).toContain("SUMMARY:Thursday arts on prescription drop-in");
    await checked(people[1], `${app.url}/account/calendar`, "account-calendar-after");
    await orgContext.close();
    await noJs.close();
  });

  it("the calendar pages pass axe on a desktop and on a 375px phone, and advertise their feeds", async () => {
    const month = new Date().toISOString().slice(0, 7);
    for (const phone of [false, true]) {
      const ctx = await newContext(browser, { phone });
      const page = await ctx.newPage();
      await checked(page, `${app.url}/events`, "list", { phone });
      const alternate = await page.locator('link[rel="alternate"][type="text/calendar"]').first().getAttribute("href");
      expect(alternate).toBe("/events.ics");
      // On a phone the feed links wait with the filters behind the disclosure (issue 12, item 15).
      if (phone) await page.locator("summary", { hasText: "Filter events" }).click();
      expect(await page.getByRole("link", { name: "Open in your calendar app" }).getAttribute("href")).toMatch(/^webcal:\/\/127\.0\.0\.1:\d+\/events\.ics$/);
      await checked(page, `${app.url}/events?network=north-west&kind=panel`, "list-filtered", { phone });
      expect(await page.locator('link[rel="alternate"][type="text/calendar"]').evaluateAll((ls) => ls.map((l) => l.getAttribute("href")))).toContain("/networks/north-west/events.ics");
      await checked(page, `${app.url}/events/calendar?month=${month}`, "month", { phone });
      // One table for both: a seven-column grid on a desktop; on a phone, only the days with
      // events, one under another, each under its full date.
      const longDate = page.locator("td:not(.rt-month__day--free) .rt-month__long-date").first();
      expect((await longDate.boundingBox())!.width > 1, "full date shown").toBe(phone);
      expect(await page.locator("td.rt-month__day--free").first().isVisible(), "days without events").toBe(!phone);
      const cells = await page.locator("td:not(.rt-month__day--free)").evaluateAll((tds) => tds.slice(0, 2).map((td) => td.getBoundingClientRect()));
      if (phone) expect(cells[1].top).toBeGreaterThan(cells[0].bottom - 1);
      expect((await page.locator("table.rt-month thead").boundingBox())!.width > 20, "weekday columns").toBe(!phone);
      expect((await page.locator("table.rt-month caption").boundingBox())!.height, "the caption reads across the page").toBeLessThan(80);
      await checked(page, `${app.url}/events/past`, "past", { phone });
      await page.goto(`${app.url}/events?network=national&kind=online-chat`);
      await page.getByRole("link", { name: "Social Prescribing Hour" }).first().click();
      await page.waitForURL(/\/events\/\d+$/);
      await checked(page, page.url(), "sp-hour", { phone });
      // The JSON-LD carries this response's CSP nonce and cannot close its script element.
      const res = await fetch(page.url());
      const csp = res.headers.get("content-security-policy") ?? "";
      const html = await res.text();
      const nonce = /'nonce-([^']+)'/.exec(csp)![1];
      const ldScript = /<script type="application\/ld\+json" nonce="([^"]+)">([\s\S]*?)<\/script>/.exec(html);
      expect(ldScript?.[1]).toBe(nonce);
      expect(JSON.parse(ldScript![2])).toMatchObject({ "@type": "Event", name: "Social Prescribing Hour", eventAttendanceMode: "https://schema.org/OnlineEventAttendanceMode" });
      expect(JSON.parse(ldScript![2]).startDate).toMatch(/T20:00:00\+0[01]:00$/);
      await page.getByText(/Wednesday .*, 8pm to 9pm \(UK time, (GMT|BST)\)/).first().waitFor({ timeout: 10_000 });
      await checked(page, `${app.url}/`, "home", { phone });
      await page.getByRole("link", { name: "Social Prescribing Hour" }).first().waitFor({ timeout: 10_000 });
      await ctx.close();
    }
  });

  it("a month's event links open the event within the app with JavaScript (no reload), as plain links without, and leave modified clicks to the browser", async () => {
    const month = new Date().toISOString().slice(0, 7);
    for (const javaScript of [true, false]) {
      const ctx = await newContext(browser, { javaScript });
      const page = await ctx.newPage();
      await page.goto(`${app.url}/events/calendar?month=${month}`, { waitUntil: "networkidle" });
      const link = page.locator("table.rt-month a[data-rt-link]").first();
      const text = await link.innerText();
      const href = (await link.getAttribute("href"))!;
      expect(href).toMatch(/^\/events\/\d+/);
      if (javaScript) {
        await page.waitForFunction(() => "__remixRouter" in window);
        // A left click with Ctrl (new tab) is the browser's: not turned into an in-app navigation.
        expect(await link.evaluate((a) => !a.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true, ctrlKey: true })))).toBe(false);
        await page.evaluate(() => ((window as unknown as { rtMarker: number }).rtMarker = 1));
      }
      await link.click();
      await page.waitForFunction(() => !document.querySelector("h1")?.textContent?.startsWith("Events in"), undefined, { timeout: 10_000 });
      expect(text).toContain(await page.locator("h1").innerText());
      expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(href);
      // The same document (client-side navigation) with JavaScript; a fresh page without.
      expect(await page.evaluate(() => (window as unknown as { rtMarker?: number }).rtMarker)).toBe(javaScript ? 1 : undefined);
      await ctx.close();
    }
  });

  it("the Social Prescribing Hour needs no registration and says so, offering no sign-in to register, without JavaScript (issue 12, item 20)", async () => {
    const ctx = await newContext(browser, { javaScript: false });
    const page = await ctx.newPage();
    const db = new SQLite(app.dbPath, { readonly: true });
    const { id } = db.prepare("SELECT id FROM event WHERE uid = ?").get("seed-social-prescribing-hour@roundtable") as { id: number };
    db.close();
    // (axe needs JavaScript: this page is checked with it in the calendar-pages test above and by the crawl.)
    await page.goto(`${app.url}/events/${id}`);
    const box = page.locator("section.rt-register");
    expect(await box.getByRole("heading", { level: 2 }).textContent()).toBe("How to join");
    expect(await box.textContent()).toMatch(/No registration needed — join online/);
    expect(await box.getByRole("link", { name: "https://twitter.com/hashtag/SPHour" }).getAttribute("href")).toBe("https://twitter.com/hashtag/SPHour");
    expect(await box.textContent()).not.toMatch(/to register/);
    expect(await box.getByRole("link", { name: "Sign in" }).count()).toBe(0);
    expect(await box.locator("button").count()).toBe(0);
    await ctx.close();
  });
});
