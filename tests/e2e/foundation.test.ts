import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { formatViolations, horizontalOverflow, launchBrowser, newContext, signIn, startApp, visit, type App } from "../support/e2e";

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

const PAGES = [
  ["/", "home"],
  ["/networks", "networks"],
  ["/networks/north-west", "network-north-west"],
  ["/organisations", "organisations"],
  ["/organisations/breathe-magic", "organisation-breathe-magic"],
  ["/accessibility", "accessibility"],
  ["/privacy", "privacy"],
  ["/contact", "contact"],
  ["/sign-in", "sign-in"],
  ["/no-such-page", "not-found"],
] as const;

describe("the portal shell", () => {
  it("every page passes axe, on a desktop and on a 375px phone without sideways scrolling", async () => {
    for (const phone of [false, true]) {
      const context = await newContext(browser, { phone });
      const page = await context.newPage();
      for (const [path, name] of PAGES) {
        const violations = await visit(page, `${app.url}${path}`, `foundation-${name}-${phone ? "phone" : "desktop"}`);
        expect(formatViolations(violations), `${path} on ${phone ? "phone" : "desktop"}`).toBe("");
        expect(await horizontalOverflow(page), `${path} scrolls sideways`).toBeLessThanOrEqual(0);
      }
      await context.close();
    }
  });

  it("shows the deck's networks and partners on the home page, with JavaScript off", async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    await page.goto(app.url);
    await expect(page.getByRole("link", { name: "North West Social Prescribing Network" }).first().isVisible()).resolves.toBe(true);
    await page.getByRole("link", { name: "Organisations", exact: true }).first().click();
    await page.waitForURL(/\/organisations$/);
    for (const name of ["Breathe Magic", "Dancing Recall", "IWM North", "Manchester Museum", "University of Westminster"]) {
      expect(await page.getByRole("link", { name, exact: true }).count(), name).toBeGreaterThan(0);
    }
    await context.close();
  });

  it("/contact reaches every network from its own data and sends problem reports to the platform team (issue 12, item 20)", async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    await page.goto(`${app.url}/contact`);
    const northWest = page.getByRole("link", { name: "North West Social Prescribing Network" });
    expect(await northWest.getAttribute("href")).toBe("/networks/north-west");
    expect(await page.getByRole("link", { name: "socialprescribing@vsnw.org.uk" }).getAttribute("href")).toBe("mailto:socialprescribing@vsnw.org.uk");
    expect(await page.getByRole("link", { name: "socialprescribing@outlook.com" }).getAttribute("href")).toBe("mailto:socialprescribing@outlook.com");
    const report = page.locator("#report-a-problem + p");
    await expect(report.textContent()).resolves.toMatch(/accessibility problem/);
    expect(await report.getByRole("link").getAttribute("href")).toBe("mailto:support@roundtable.localhost");
    expect(await report.textContent()).not.toMatch(/network that you are a member of/);
    await context.close();
  });

  it("the accessibility statement has what the 2018 regulations ask for (issue 12, item 20)", async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    await page.goto(`${app.url}/accessibility`);
    const headings = await page.getByRole("heading", { level: 2 }).allTextContents();
    for (const h of ["Compliance status", "Non-accessible content", "Reporting accessibility problems with this website", "Enforcement procedure", "How we tested this website", "Preparation of this accessibility statement"]) {
      expect(headings, h).toContain(h);
    }
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).toMatch(/partially compliant with the Web Content Accessibility Guidelines \(WCAG\) version 2\.2 AA standard/);
    expect(text).toMatch(/Equality and Human Rights Commission \(EHRC\)/);
    expect(text).toMatch(/Equality Commission for Northern Ireland \(ECNI\)/);
    expect(text).toMatch(/prepared on 27 November 2026\. It was last reviewed on 27 November 2026/);
    expect(await page.locator("#reporting-problems + p").getByRole("link", { name: "support@roundtable.localhost" }).getAttribute("href")).toBe("mailto:support@roundtable.localhost");
    await context.close();
  });

  it("answers unknown addresses with a plain-words 404 in the layout", async () => {
    const res = await fetch(`${app.url}/events/definitely-not-here/nope`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("Page not found");
    expect(html).toContain("Skip to main content");
  });

  it("sends the security headers on every response", async () => {
    for (const path of ["/", "/healthz", "/no-such-page", "/assets/nhsuk-frontend.css"]) {
      const res = await fetch(`${app.url}${path}`);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
      for (const d of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"]) expect(csp, path).toContain(d);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(res.headers.get("x-powered-by")).toBeNull();
    }
    const html = await (await fetch(app.url)).text();
    const nonces = new Set([...html.matchAll(/<script[^>]*nonce="([^"]+)"/g)].map((m) => m[1]));
    expect(nonces.size).toBe(1);
    expect([...html.matchAll(/<script(?![^>]*nonce=)[^>]*>/g)]).toHaveLength(0);
  });

  it("refuses cross-site writes to any URL with 403 and writes nothing", async () => {
    for (const path of ["/sign-in", "/sign-out", "/healthz", "/anything", "/events"]) {
      const crossSite = await fetch(`${app.url}${path}`, {
        method: "POST",
        headers: { "Sec-Fetch-Site": "cross-site", "Content-Type": "application/x-www-form-urlencoded" },
        body: "email=member%40example.org&password=x",
      });
      expect(crossSite.status, path).toBe(403);
      const evilOrigin = await fetch(`${app.url}${path}`, {
        method: "POST",
        headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
        body: "x=1",
      });
      expect(evilOrigin.status, path).toBe(403);
    }
  });

  it("reports health", async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
  });

  it("signs in and out, and a replayed old cookie is anonymous", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, app, "member@example.org");
    expect(await page.getByRole("link", { name: "Sam Member" }).count()).toBe(1);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "rt_session");
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe("Lax");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Sign in", exact: true }).waitFor();
    expect(await page.getByRole("link", { name: "Sam Member" }).count()).toBe(0);
    const replay = await fetch(`${app.url}/`, { headers: { Cookie: `rt_session=${session!.value}` } });
    const html = await replay.text();
    expect(html).toContain("Sign in");
    expect(html).not.toContain("Sam Member");
    await context.close();
  });
});
