/**
 * The typed organisation filter on /events and /members (issue 15: never thousands of
 * <option>s): suggestions while typing with JavaScript, a text match on the server without it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { formatViolations, horizontalOverflow, launchBrowser, newContext, screenshot, signIn, startApp, visit, type App } from "../support/e2e";

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

async function checked(page: Page, url: string, name: string, phone = false) {
  const violations = await visit(page, url, `organisation-filter-${name}-${phone ? "phone" : "desktop"}`);
  expect(formatViolations(violations), url).toBe("");
  if (phone) expect(await horizontalOverflow(page), `${url} scrolls sideways`).toBeLessThanOrEqual(0);
}

const PLACEBO = "Placebo: panel discussion and performances at the Whitworth";

async function eventTitles(page: Page): Promise<string[]> {
  return page.locator(".rt-event-list__title").allInnerTexts();
}

describe("the events organisation filter", () => {
  it("with JavaScript: suggests organisations as you type, and filters by the one chosen", async () => {
    for (const phone of [false, true]) {
      const ctx = await newContext(browser, { phone });
      const page = await ctx.newPage();
      await checked(page, `${app.url}/events`, "events", phone);
      expect(await page.locator('select[name="organisation"]').count()).toBe(0);
      expect(await page.locator("option").count()).toBeLessThan(60);
      // On a phone the filters sit behind a disclosure (issue 12 item 15): open it first.
      if (phone) await page.locator("summary", { hasText: "Filter events" }).click();
      const input = page.getByLabel("Organisation", { exact: true });
      await input.pressSequentially("whit", { delay: 30 });
      await page.locator('#organisation-search-suggestions option[value="The Whitworth"]').waitFor({ state: "attached", timeout: 10_000 });
      await input.fill("The Whitworth");
      await page.getByRole("button", { name: "Apply filters" }).click();
      await page.waitForURL(/organisation=The\+Whitworth/);
      await page.getByRole("link", { name: PLACEBO }).waitFor();
      expect(await eventTitles(page)).toEqual([PLACEBO]);
      expect(await page.locator('link[rel="alternate"][type="text/calendar"]').evaluateAll((ls) => ls.map((l) => l.getAttribute("href")))).toContain("/organisations/the-whitworth/events.ics");
      await checked(page, page.url(), "events-filtered", phone);
      await ctx.close();
    }
  });

  it("without JavaScript: part of a name typed is matched on the server; no match shows nothing, with a way back", async () => {
    const ctx = await newContext(browser, { javaScript: false });
    const page = await ctx.newPage();
    // axe needs JavaScript; the same pages pass it in the test above.
    await page.goto(`${app.url}/events`);
    await page.getByLabel("Organisation", { exact: true }).fill("whitworth");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/organisation=whitworth/);
    expect(await eventTitles(page)).toEqual([PLACEBO]);
    // One organisation matched: the box now names it.
    expect(await page.getByLabel("Organisation", { exact: true }).inputValue()).toBe("The Whitworth");
    await screenshot(page, "organisation-filter-events-nojs-filtered");

    await page.getByLabel("Organisation", { exact: true }).fill("no such organisation anywhere");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByText("No upcoming events match these filters.").waitFor();
    expect(await eventTitles(page)).toEqual([]);
    await page.getByRole("link", { name: "Show all events" }).click();
    await page.waitForURL(/\/events$/);
    expect((await eventTitles(page)).length).toBeGreaterThan(1);
    await ctx.close();
  });

  it("the month view uses the same typed filter", async () => {
    const ctx = await newContext(browser, { javaScript: false });
    const page = await ctx.newPage();
    await page.goto(`${app.url}/events/calendar?organisation=the-whitworth`);
    expect(await page.getByLabel("Organisation", { exact: true }).inputValue()).toBe("The Whitworth");
    expect(await page.locator('select[name="organisation"]').count()).toBe(0);
    await ctx.close();
  });
});

describe("the member directory's organisation filter", () => {
  it("is typed too, with and without JavaScript", async () => {
    for (const javaScript of [true, false]) {
      const ctx = await newContext(browser, { javaScript });
      const page = await ctx.newPage();
      await signIn(page, app, "member@example.org");
      if (javaScript) await checked(page, `${app.url}/members`, "members");
      else await page.goto(`${app.url}/members`);
      expect(await page.locator('select[name="organisation"]').count()).toBe(0);
      const input = page.getByLabel("Organisation", { exact: true });
      if (javaScript) {
        await input.pressSequentially("volunt", { delay: 30 });
        await page.locator('#organisation-search-suggestions option[value="Voluntary Sector North West"]').waitFor({ state: "attached", timeout: 10_000 });
      }
      await input.fill("sector north west");
      await page.getByRole("button", { name: "Apply filters" }).click();
      await page.waitForURL(/organisation=sector/);
      // With JavaScript the URL changes before the filtered page arrives: wait for the box to name the match.
      await expect.poll(() => page.getByLabel("Organisation", { exact: true }).inputValue()).toBe("Voluntary Sector North West");
      const orgs = await page.locator(".nhsuk-list--border li p:first-of-type a").allInnerTexts();
      expect(orgs.length).toBeGreaterThan(0);
      expect(orgs.every((o) => o === "Voluntary Sector North West")).toBe(true);
      await ctx.close();
    }
  });
});
