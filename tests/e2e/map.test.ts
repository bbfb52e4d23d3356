/**
 * The map view ("Show on a map") on /search near a postcode and on /services, /organisations and
 * /events near one: only with JavaScript, Leaflet fetched only when asked for, tiles from the local
 * stand-in (MAP_TILE_URL on 127.0.0.1), the attribution shown, markers matching the listed results
 * and reachable by keyboard with their names, axe-clean, no CSP violation, at 1280 and 375 px.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { axe, formatViolations, horizontalOverflow, launchBrowser, newContext, screenshot, startApp, watchErrors, type App } from "../support/e2e";

let app: App;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const html = await (await fetch(`${app.url}/services?near=PR1+2HE&within=100`)).text();
    if (html.includes("Carlisle link worker drop-in")) break;
    await new Promise((r) => setTimeout(r, 500));
  }
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Names of the listed results that have a distance (those the map can place). */
async function listedNames(page: Page, item: string, title: string): Promise<string[]> {
  const names: string[] = [];
  const items = page.locator(item);
  for (let i = 0; i < (await items.count()); i++) {
    if (/miles? away/.test(await items.nth(i).innerText())) names.push((await items.nth(i).locator(title).innerText()).trim());
  }
  return names;
}

async function showMap(page: Page): Promise<string[]> {
  const leaflet: string[] = [];
  page.on("request", (r) => {
    if (/leaflet/i.test(r.url())) leaflet.push(r.url());
  });
  await page.getByRole("button", { name: "Show on a map" }).waitFor();
  // Nothing of Leaflet is fetched until the map is asked for.
  expect(leaflet).toEqual([]);
  await page.getByRole("button", { name: "Show on a map" }).click();
  await page.locator(".leaflet-marker-icon").first().waitFor();
  await page.locator(".leaflet-tile-loaded").first().waitFor();
  expect(leaflet.some((u) => /\.js$/.test(u))).toBe(true);
  expect(leaflet.some((u) => /\.css$/.test(u))).toBe(true);
  // Every marker is a keyboard-reachable button named after what it marks.
  const markers = await page.locator(".leaflet-marker-icon").evaluateAll((els) => els.map((el) => ({ role: el.getAttribute("role"), tabindex: el.getAttribute("tabindex"), alt: el.getAttribute("alt") ?? "" })));
  for (const m of markers) expect(m).toMatchObject({ role: "button", tabindex: "0", alt: expect.stringMatching(/miles? away/) });
  // A marker is one place ("Name, 2.3 miles away") or several that would overlap ("3 places here: Name, …; Name, …").
  return markers.flatMap((m) =>
    m.alt
      .replace(/^\d+ places here: /, "")
      .split("; ")
      .map((one) => one.replace(/, [^,]*miles? away.*$/, "")),
  );
}

describe("the map view", () => {
  for (const phone of [false, true]) {
    const suffix = phone ? "phone" : "desktop";
    it(`shows the listed results on a map only when asked, from the configured tiles (${suffix})`, async () => {
      const context = await newContext(browser, { phone, javaScript: true });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const errors = watchErrors(page);

      // The policy allows images from the tile origin and nothing else new.
      const response = await page.goto(`${app.url}/services?near=PR1+2HE&within=100`, { waitUntil: "load" });
      const csp = response?.headers()["content-security-policy"] ?? "";
      const tileOrigin = new URL(app.tiles!.template.replace(/\{[a-z]\}/g, "0")).origin;
      expect(csp).toContain(`img-src 'self' data: ${tileOrigin};`);
      expect(csp).toContain("style-src 'self';");
      expect(csp).toContain("connect-src 'self';");
      expect(csp.split(tileOrigin).length).toBe(2);

      const services = await listedNames(page, ".rt-service", ".rt-service__title");
      expect(services).toContain("Preston link worker drop-in (demo)");
      const tilesBefore = app.tiles!.requests.length;
      const markers = await showMap(page);
      expect([...markers].sort()).toEqual([...services].sort());
      expect(app.tiles!.requests.length).toBeGreaterThan(tilesBefore);
      const map = page.getByRole("region", { name: "Map of services near PR1 2HE" });
      expect(await map.isVisible()).toBe(true);
      const credit = page.locator(".leaflet-control-attribution a", { hasText: "OpenStreetMap contributors" });
      expect(await credit.getAttribute("href")).toBe("https://www.openstreetmap.org/copyright");
      expect(await credit.isVisible()).toBe(true);
      // The same results are still listed beside it.
      expect(await page.locator(".rt-service").count()).toBeGreaterThanOrEqual(services.length);

      // Keyboard: a marker takes focus and Enter opens its name as a link.
      const preston = page.locator('.leaflet-marker-icon[alt*="Preston link worker drop-in (demo)"]');
      await preston.focus();
      await page.keyboard.press("Enter");
      const popupLink = page.locator(".leaflet-popup-content a", { hasText: "Preston link worker drop-in (demo)" });
      await popupLink.waitFor();
      expect(await popupLink.getAttribute("href")).toMatch(/^\/organisations\/[a-z0-9-]+#service-\d+$/);
      expect(formatViolations(await axe(page))).toBe("");
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await screenshot(page, `map-services-${suffix}`);

      // /search near a postcode: services, organisations and events on one map.
      await page.goto(`${app.url}/search?near=PR1+2HE&within=100`, { waitUntil: "load" });
      const searched = await listedNames(page, ".rt-result-group:has(#service) .rt-result, .rt-result-group:has(#organisation) .rt-result, .rt-result-group:has(#event) .rt-result", ".rt-result__title");
      expect(searched.length).toBeGreaterThan(3);
      expect([...(await showMap(page))].sort()).toEqual([...searched].sort());
      expect(await page.getByRole("region", { name: "Map of results near PR1 2HE" }).isVisible()).toBe(true);
      expect(formatViolations(await axe(page))).toBe("");
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await screenshot(page, `map-search-${suffix}`);

      // The organisations and events lists.
      await page.goto(`${app.url}/organisations?near=PR1+2HE&within=100`, { waitUntil: "load" });
      const organisations = await listedNames(page, "ul.nhsuk-list--border > li", "h2");
      expect([...(await showMap(page))].sort()).toEqual([...organisations].sort());
      expect(formatViolations(await axe(page))).toBe("");
      await screenshot(page, `map-organisations-${suffix}`);

      await page.goto(`${app.url}/events?near=PR1+2HE&within=100`, { waitUntil: "load" });
      const events = await listedNames(page, ".rt-event-list__item", ".rt-event-list__title");
      expect([...(await showMap(page))].sort()).toEqual([...events].sort());
      expect(formatViolations(await axe(page))).toBe("");
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await screenshot(page, `map-events-${suffix}`);

      // Hiding it again leaves the list.
      await page.getByRole("button", { name: "Hide the map" }).click();
      expect(await page.locator(".leaflet-container").count()).toBe(0);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it("keeps Leaflet out of the first visit: the home page and a list page fetch none of it", async () => {
    const context = await newContext(browser, { javaScript: true });
    const page = await context.newPage();
    const fetched: string[] = [];
    page.on("request", (r) => fetched.push(r.url()));
    await page.goto(app.url, { waitUntil: "networkidle" });
    await page.goto(`${app.url}/services?near=PR1+2HE`, { waitUntil: "networkidle" });
    await page.getByRole("button", { name: "Show on a map" }).waitFor();
    expect(fetched.filter((u) => /leaflet|marker-/i.test(u))).toEqual([]);
    await context.close();
  });

  it("without JavaScript there is no map button and the results are all listed", async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    await page.goto(`${app.url}/services?near=PR1+2HE&within=100`, { waitUntil: "load" });
    expect(await page.getByRole("button", { name: "Show on a map" }).count()).toBe(0);
    expect(await page.locator(".rt-service").count()).toBeGreaterThan(5);
    await context.close();
  });
});
