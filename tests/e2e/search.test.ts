import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { formatViolations, horizontalOverflow, launchBrowser, newContext, screenshot, startApp, visit, type App } from "../support/e2e";

let app: App;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  // The server's postcode job looks up the demo postcodes (from the local stand-in) shortly after start.
  // Wait for every demo service the tests place (Preston and Carlisle), not just the first one found.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const html = await (await fetch(`${app.url}/search?kind=service&q=drop-in&near=PR1+2HE&within=100`)).text();
    if (html.includes("Preston link worker drop-in") && html.includes("Carlisle link worker drop-in")) break;
    await new Promise((r) => setTimeout(r, 500));
  }
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** axe needs JavaScript in the page: with it off, only the screenshot (the same pages pass axe with it on). */
async function check(page: Page, url: string, name: string, javaScript: boolean): Promise<string> {
  if (javaScript) return formatViolations(await visit(page, url, name));
  if (page.url() !== url) await page.goto(url);
  await screenshot(page, name);
  return "";
}

const titles = (page: Page, group: string) => page.locator(`section:has(#${group}) .rt-result__title`).allInnerTexts();

describe("one search", () => {
  for (const javaScript of [true, false]) {
    for (const phone of [false, true]) {
      const suffix = `${phone ? "phone" : "desktop"}-${javaScript ? "js" : "nojs"}`;
      it(`finds walking from the header box, near a postcode, and helps when nothing matches (${suffix})`, async () => {
        const context = await newContext(browser, { phone, javaScript });
        const page = await context.newPage();
        page.setDefaultTimeout(15_000);
        await page.goto(app.url);
        await page.locator("#search-field").fill("walking");
        await page.locator("#search-field").press("Enter");
        await page.waitForURL(/\/search\?q=walking/);
        await page.locator("#service").waitFor();
        expect(await check(page, page.url(), `search-walking-${suffix}`, javaScript)).toBe("");
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
        expect(await titles(page, "service")).toContain("Eden Valley Walk and Talk (demo)");
        expect(await titles(page, "discussion")).toContain("Walking groups for people who are lonely");
        expect(await titles(page, "resource")).toContain("Walk and talk groups: a short guide for link workers (demo)");
        expect(await page.locator(".rt-result__title mark").first().innerText()).toMatch(/walk/i);

        // The same words in the page's own form, near a postcode.
        await page.locator("#q").fill("drop-in");
        await page.locator("#near").fill("pr1 2he");
        await page.locator("#within").selectOption("100");
        await page.getByRole("button", { name: "Search", exact: true }).last().click();
        await page.waitForURL(/near=pr1/i);
        // With JavaScript the URL changes before the new results arrive: wait for them, not the old page.
        await page.locator("section:has(#service) .rt-result__title", { hasText: "Preston link worker drop-in" }).waitFor();
        const services = await titles(page, "service");
        const preston = services.findIndex((t) => t.includes("Preston link worker drop-in"));
        const carlisle = services.findIndex((t) => t.includes("Carlisle link worker drop-in"));
        expect(preston).toBeGreaterThanOrEqual(0);
        expect(carlisle).toBeGreaterThan(preston);
        expect(await page.locator("section:has(#service) .rt-result").nth(carlisle).innerText()).toMatch(/\d+ miles away/);
        expect(await check(page, page.url(), `search-near-${suffix}`, javaScript)).toBe("");
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

        // A postcode that is not one: a clear message, the words kept.
        await page.goto(`${app.url}/search?q=walk&near=NOT+A+CODE`);
        await page.locator(".nhsuk-error-summary").waitFor();
        expect(await page.locator(".nhsuk-error-summary").innerText()).toMatch(/Enter a full UK postcode/);
        expect(await page.locator("#q").inputValue()).toBe("walk");
        expect(await check(page, page.url(), `search-bad-postcode-${suffix}`, javaScript)).toBe("");

        // Nothing matches: a helpful page, not an error.
        expect(await check(page, `${app.url}/search?q=%22zzqx+nothing%22+AND+NEAR(`, `search-nothing-${suffix}`, javaScript)).toBe("");
        expect(await page.getByText(/Nothing matches/).isVisible()).toBe(true);
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
        await context.close();
      });
    }
  }
});
