/**
 * Issue 12, item 15: at 375 px the first event was 1,654 px down /events and the first result
 * 1,233 px down /resources?q=arts. Results come first; filters wait behind a disclosure that
 * works without JavaScript.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatViolations, horizontalOverflow, launchBrowser, newContext, screenshot, startApp, visit, type App } from "../support/e2e";

let app: App;
let browser: Browser;

beforeAll(async () => {
  app = await startApp({ JOBS: "off" });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const PHONE_HEIGHT = 740;

for (const javaScript of [true, false]) {
  describe(`phone layout, JavaScript ${javaScript ? "on" : "off"}`, () => {
    it("/events: the first event is on the first screen; the filters open from a disclosure and work", async () => {
      const context = await newContext(browser, { phone: true, javaScript });
      const page = await context.newPage();
      if (javaScript) expect(formatViolations(await visit(page, `${app.url}/events`, "phone-events"))).toBe("");
      else await page.goto(`${app.url}/events`);
      const top = await page.locator(".rt-event-list__item").first().evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
      expect(top).toBeLessThan(PHONE_HEIGHT);
      expect(await horizontalOverflow(page)).toBe(0);
      await expect(page.getByLabel("Kind of event").isVisible()).resolves.toBe(false);
      await page.locator("summary", { hasText: "Filter events" }).click();
      await page.getByLabel("Kind of event").selectOption({ label: "Conference" });
      await page.getByRole("button", { name: "Apply filters" }).click();
      await page.waitForURL(/kind=conference/);
      await page.locator("summary", { hasText: "(filters on)" }).waitFor();
      await screenshot(page, `phone-events-filtered-${javaScript ? "js" : "nojs"}`);
      await context.close();
    });

    it("/resources?q=arts: the first result is on the first screen; filters open from a disclosure", async () => {
      const context = await newContext(browser, { phone: true, javaScript });
      const page = await context.newPage();
      if (javaScript) expect(formatViolations(await visit(page, `${app.url}/resources?q=arts`, "phone-resources"))).toBe("");
      else await page.goto(`${app.url}/resources?q=arts`);
      const top = await page.locator(".rt-result").first().evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
      expect(top).toBeLessThan(PHONE_HEIGHT);
      expect(await horizontalOverflow(page)).toBe(0);
      await expect(page.getByLabel("Sort by").isVisible()).resolves.toBe(false);
      await page.locator("summary", { hasText: "Filter and sort" }).click();
      await expect(page.getByLabel("Sort by").isVisible()).resolves.toBe(true);
      await context.close();
    });
  });
}

describe("desktop layout", () => {
  it("shows the filters in their column without opening anything", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    expect(formatViolations(await visit(page, `${app.url}/events`, "desktop-events-filters"))).toBe("");
    await expect(page.getByLabel("Kind of event").isVisible()).resolves.toBe(true);
    expect(formatViolations(await visit(page, `${app.url}/resources?q=arts`, "desktop-resources-filters"))).toBe("");
    await expect(page.getByLabel("Sort by").isVisible()).resolves.toBe(true);
    await context.close();
  });
});
