/**
 * "Near a postcode" on the list pages (/services, /organisations, /events): nearest first with the
 * distance, online ones marked, a clear message on the field for a postcode that is not one, with
 * and without JavaScript, on a desktop and a 375px phone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { formatViolations, horizontalOverflow, launchBrowser, newContext, screenshot, startApp, visit, type App } from "../support/e2e";

let app: App;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  // The server's postcode job looks up the demo postcodes (from the local stand-in) shortly after start.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const [services, events] = await Promise.all(["/services?near=PR1+2HE&within=100", "/events?near=PR1+2HE&within=100"].map(async (u) => (await fetch(`${app.url}${u}`)).text()));
    if (services.includes("Carlisle link worker drop-in") && events.includes("Arts in Health")) break;
    await new Promise((r) => setTimeout(r, 500));
  }
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** axe needs JavaScript in the page: with it off, only the screenshot (the same pages pass axe with it on). */
async function check(page: Page, name: string, javaScript: boolean): Promise<string> {
  if (javaScript) return formatViolations(await visit(page, page.url(), name));
  await screenshot(page, name);
  return "";
}

async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${app.url}${path}`, { waitUntil: "load" });
}

/** The position of each name in the list, and the line under it. */
async function listed(page: Page, item: string, title: string): Promise<Array<{ title: string; text: string }>> {
  const items = page.locator(item);
  const out: Array<{ title: string; text: string }> = [];
  for (let i = 0; i < (await items.count()); i++) out.push({ title: await items.nth(i).locator(title).innerText(), text: await items.nth(i).innerText() });
  return out;
}

function before(list: Array<{ title: string; text: string }>, first: string, second: string) {
  const a = list.findIndex((x) => x.title.includes(first));
  const b = list.findIndex((x) => x.title.includes(second));
  expect(a, `${first} is listed`).toBeGreaterThanOrEqual(0);
  expect(b, `${second} is listed after ${first}`).toBeGreaterThan(a);
  return { first: list[a], second: list[b] };
}

describe("near a postcode on the list pages", () => {
  for (const javaScript of [true, false]) {
    for (const phone of [false, true]) {
      const suffix = `${phone ? "phone" : "desktop"}-${javaScript ? "js" : "nojs"}`;
      it(`services, organisations and events nearest first with miles; a bad postcode is a message on the field (${suffix})`, async () => {
        const context = await newContext(browser, { phone, javaScript });
        const page = await context.newPage();
        page.setDefaultTimeout(15_000);

        // Services: typed into the page's own form.
        await open(page, "/services");
        await page.locator("#near").fill("pr1 2he");
        await page.locator("#within").selectOption("100");
        await page.getByRole("button", { name: "Find services" }).click();
        await page.getByRole("heading", { name: /services within 100 miles of PR1 2HE, nearest first/ }).waitFor();
        await page.waitForLoadState("load");
        expect(new URL(page.url()).searchParams.get("near")).toMatch(/pr1 2he/i);
        const services = await listed(page, ".rt-service", ".rt-service__title");
        const { first, second } = before(services, "Preston link worker drop-in", "Carlisle link worker drop-in");
        expect(first.text).toMatch(/Less than 0\.1 miles away|\d+(\.\d)? miles? away/);
        expect(second.text).toMatch(/7\d miles away/);
        expect(services.find((s) => s.title.includes("Social Prescribing Hour"))?.text).toMatch(/Online/);
        expect(await page.locator("#near").inputValue()).toBe("PR1 2HE");
        expect(await check(page, `near-services-${suffix}`, javaScript)).toBe("");
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

        // Organisations: a shared link.
        await open(page, "/organisations?near=PR1+2HE&within=100");
        const organisations = await listed(page, "ul.nhsuk-list--border > li", "h2");
        const orgs = before(organisations, "IWM North", "Cumberland Infirmary");
        expect(orgs.first.text).toMatch(/2\d miles away/);
        expect(orgs.second.text).toMatch(/7\d miles away/);
        expect(await page.getByText(/4 organisations within 100 miles of PR1 2HE, nearest first/).count()).toBe(1);
        expect(await check(page, `near-organisations-${suffix}`, javaScript)).toBe("");
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

        // Events: the Preston conference before the Carlisle workshop; the weekly online hour marked online.
        await open(page, "/events?near=PR1+2HE&within=100");
        await page.getByRole("heading", { name: /Upcoming events within 100 miles of PR1 2HE, nearest first/ }).waitFor();
        const events = await listed(page, ".rt-event-list__item", ".rt-event-list__title");
        const ev = before(events, "regional conference", "Arts in Health");
        expect(ev.first.text).toMatch(/miles? away/);
        expect(ev.second.text).toMatch(/7\d miles away/);
        expect(events[events.length - 1].title).toContain("Social Prescribing Hour");
        expect(events[events.length - 1].text).toMatch(/Online/);
        expect(await check(page, `near-events-${suffix}`, javaScript)).toBe("");
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

        // Not a postcode: the NHS.UK error on the field, what was typed kept, the other filters too, no 500.
        await open(page, "/services?q=drop&near=NOT+A+CODE");
        await page.locator(".nhsuk-error-summary").waitFor();
        expect(await page.locator(".nhsuk-error-summary").innerText()).toMatch(/Enter a full UK postcode, like PR1 2HE/);
        expect(await page.locator("#near-error").innerText()).toMatch(/Enter a full UK postcode/);
        expect(await page.locator("#near").inputValue()).toBe("NOT A CODE");
        expect(await page.locator("#near").getAttribute("aria-invalid")).toBe("true");
        expect(await page.locator("#q").inputValue()).toBe("drop");
        expect(await check(page, `near-services-bad-postcode-${suffix}`, javaScript)).toBe("");

        // A postcode that does not exist, on the events page: its folded filters open to show the message.
        await open(page, "/events?near=ZZ1+1ZZ&topic=");
        await page.locator("#near-error").waitFor();
        expect(await page.locator("#near-error").innerText()).toMatch(/could not find the postcode ZZ1 1ZZ/);
        expect(await page.locator("#near").isVisible()).toBe(true);
        expect(await page.locator("#near").inputValue()).toBe("ZZ1 1ZZ");
        expect(await check(page, `near-events-unknown-postcode-${suffix}`, javaScript)).toBe("");
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
        await context.close();
      });
    }
  }
});
