/**
 * Calendars that meet partners where they are, in Chromium: an organiser imports a partner's
 * Outlook calendar from the organisation's page and its events appear; a partner's page on
 * another origin frames /embed/events, which passes axe, sets no cookies and opens events in a
 * new tab; /events.json is readable from that other origin.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Frame } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureText, startCalendarServer, type CalendarServer } from "../support/calendar-server";
import { formatViolations, horizontalOverflow, launchBrowser, newContext, screenshot, signIn, startApp, visit, type App, type AxeViolation } from "../support/e2e";

const root = fileURLToPath(new URL("../..", import.meta.url));
const axeSource = fs.readFileSync(path.join(root, "node_modules/axe-core/axe.min.js"), "utf8");

let app: App;
let browser: Browser;
let calendars: CalendarServer;
let partner: http.Server;
let partnerUrl = "";

beforeAll(async () => {
  // The journey runs the import from cron (npm run calendars:import); the server's own timer would race it.
  app = await startApp({ ICS_IMPORT_ALLOW_PRIVATE: "on", JOBS: "off" });
  browser = await launchBrowser();
  calendars = await startCalendarServer();
  calendars.set("/outlook.ics", fixtureText("outlook"));
  // The partner's own website, on another origin, framing our embed.
  partner = http.createServer((req, res) => {
    const phone = (req.url ?? "").includes("phone");
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(`<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Halton Wellbeing: what's on</title></head>
<body><main><h1>What's on</h1>
<iframe src="${app.url}/embed/events?network=north-west" title="Upcoming events: North West Social Prescribing Network" width="100%" height="${phone ? 900 : 600}" style="border:0"></iframe>
</main></body></html>`);
  });
  await new Promise<void>((resolve) => partner.listen(0, "127.0.0.1", resolve));
  const address = partner.address();
  partnerUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await calendars?.close();
  await new Promise<void>((resolve) => (partner ? partner.close(() => resolve()) : resolve()));
});

function runImportJob(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "app/jobs/calendars-import.ts"], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_PATH: app.dbPath, OUTBOX_DIR: app.outboxDir, APP_URL: app.url, ICS_IMPORT_ALLOW_PRIVATE: "on", NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(out))));
  });
}

async function axeFrame(frame: Frame): Promise<AxeViolation[]> {
  await frame.evaluate(axeSource);
  return frame.evaluate(async () => {
    // @ts-expect-error axe is injected above
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"] }, resultTypes: ["violations"] });
    return result.violations.map((v: AxeViolation) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })) }));
  });
}

describe("an organiser imports a partner's Outlook calendar", () => {
  it("adds it from the organisation's page; its events appear, the weekly one recurring in UK time", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, app, "organiser@example.org");
    expect(formatViolations(await visit(page, `${app.url}/organisations/voluntary-sector-north-west`, "calendars-org-page"))).toBe("");
    await page.getByRole("link", { name: "Imported calendars" }).click();
    await page.waitForURL(/\/calendars$/);

    // Everything wrong at once: the error summary lists each problem and the typed address stays.
    await page.getByLabel("The calendar's address").fill("not a web address");
    await page.getByRole("button", { name: "Add the calendar" }).click();
    await expect.poll(() => page.locator(".nhsuk-error-summary").textContent()).toContain("Enter the calendar's address as a web address");
    expect(await page.getByLabel("The calendar's address").inputValue()).toBe("not a web address");

    await page.getByLabel("The calendar's address").fill(`${calendars.url}/outlook.ics`);
    await page.getByRole("button", { name: "Add the calendar" }).click();
    await expect.poll(() => page.locator("body").textContent()).toContain("The calendar is added");
    expect(await page.locator("body").textContent()).toContain("Not yet: the first import runs within a few minutes.");

    const out = await runImportJob();
    expect(out).toMatch(/1 read/);
    expect(formatViolations(await visit(page, `${app.url}/organisations/voluntary-sector-north-west/calendars`, "calendars-sources"))).toBe("");
    const card = page.locator(".nhsuk-card").first();
    expect(await card.textContent()).toMatch(/Events imported\s*3/);

    expect(formatViolations(await visit(page, `${app.url}/events?organisation=voluntary-sector-north-west`, "calendars-events-list"))).toBe("");
    await page.getByRole("link", { name: "Wellbeing walk and talk" }).first().click();
    await page.waitForURL(/\/events\/\d+/);
    // With JavaScript the URL changes before the new page's data arrives: wait for the page itself.
    await expect.poll(() => page.locator("main").textContent()).toContain("Wednesday 2 December 2026");
    await page.locator("h1", { hasText: "Wellbeing walk and talk" }).waitFor();
    const body = (await page.locator("main").textContent()) ?? "";
    expect(body).toContain("Wednesday 2 December 2026");
    expect(body).toMatch(/7pm to 8pm/i);
    expect(body).toContain("From 127.0.0.1");
    await screenshot(page, "calendars-imported-event");

    // A series can be registered for as a whole: every date, each with its own place.
    await page.getByRole("button", { name: "Register for every date" }).click();
    await expect.poll(() => page.locator("main").textContent()).toMatch(/You are going to \d+ dates/);
    expect(formatViolations(await visit(page, page.url(), "calendars-series-registered"))).toBe("");

    const feed = await (await fetch(`${app.url}/organisations/voluntary-sector-north-west/events.ics`)).text();
    expect(feed).toMatch(/DTSTART;TZID=Europe\/London:20261202T190000/);
    expect(feed).toMatch(/RRULE:FREQ=WEEKLY;BYDAY=WE/);
    await context.close();
  });
});

describe("a partner's site on another origin frames our events", () => {
  it("shows the embed in an iframe, passing axe, opening events in a new tab, on desktop and phone", async () => {
    for (const phone of [false, true]) {
      const context = await newContext(browser, { phone });
      const page = await context.newPage();
      await page.goto(`${partnerUrl}/${phone ? "phone" : ""}`, { waitUntil: "load" });
      const frame = page.frames().find((f) => f.url().startsWith(`${app.url}/embed/events`));
      expect(frame, "the embed loaded inside the partner's page").toBeDefined();
      await frame!.waitForSelector("h1");
      expect(await frame!.locator("h1").textContent()).toContain("North West");
      const links = frame!.locator(".rt-embed__event");
      expect(await links.count()).toBeGreaterThan(0);
      expect(await links.first().getAttribute("target")).toBe("_blank");
      expect(await links.first().textContent()).toContain("(opens in a new tab)");
      expect(formatViolations(await axeFrame(frame!))).toBe("");
      expect(formatViolations(await axeFrame(page.mainFrame()))).toBe("");
      await screenshot(page, `calendars-embed-framed-${phone ? "phone" : "desktop"}`);

      // The month view stays inside the frame.
      await frame!.getByRole("link", { name: "Month view" }).click();
      await frame!.waitForURL(/view=month/);
      expect(await frame!.locator("h1").textContent()).toMatch(/Events: .*, [A-Z][a-z]+ \d{4}/);
      expect(formatViolations(await axeFrame(frame!))).toBe("");
      await screenshot(page, `calendars-embed-month-${phone ? "phone" : "desktop"}`);
      if (phone) expect(await frame!.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      await context.close();
    }
  });

  it("works without JavaScript and sets no cookies; everything else still refuses to be framed", async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    const response = await page.goto(`${app.url}/embed/events?network=north-west`);
    expect(response?.status()).toBe(200);
    const headers = response!.headers();
    expect(headers["content-security-policy"]).toContain("frame-ancestors *");
    expect(headers["x-frame-options"]).toBeUndefined();
    expect(headers["set-cookie"]).toBeUndefined();
    expect(await page.locator("script").count()).toBe(0);
    expect(await page.locator(".rt-embed__event").count()).toBeGreaterThan(0);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await context.close();

    const other = await fetch(`${app.url}/events`);
    expect(other.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(other.headers.get("x-frame-options")).toBe("DENY");

  });

  it("offers the copy-paste snippet on network and organisation pages", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    expect(formatViolations(await visit(page, `${app.url}/networks/north-west`, "calendars-network-snippet"))).toBe("");
    await page.getByText("Show these events on your website").click();
    expect(await page.locator(".rt-snippet").textContent()).toContain(`<iframe src="${app.url}/embed/events?network=north-west"`);
    await context.close();
  });

  it("serves upcoming events as schema.org JSON that another origin may read", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(partnerUrl);
    const result = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, body: await res.json() };
    }, `${app.url}/events.json?network=north-west&limit=5`);
    expect(result.status).toBe(200);
    expect(result.body["@type"]).toBe("ItemList");
    const first = result.body.itemListElement[0].item;
    expect(first["@type"]).toBe("Event");
    expect(first.startDate).toMatch(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2})?$/);
    expect(first.url).toMatch(new RegExp(`^${app.url}/events/\\d+`));
    const res = await fetch(`${app.url}/events.json?network=north-west&limit=5`);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("cache-control")).toContain("max-age");
    const again = await fetch(`${app.url}/events.json?network=north-west&limit=5`, { headers: { "If-None-Match": res.headers.get("etag") ?? "" } });
    expect(again.status).toBe(304);
    await context.close();
  });
});
