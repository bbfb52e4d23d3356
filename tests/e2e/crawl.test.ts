/**
 * Every page a user can reach by following links, as each kind of user: no
 * broken links, no server or script errors, zero axe violations, and no
 * sideways scrolling on a 375px phone. Complements the journeys, which cover
 * forms and their error states.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { signInAsAdmin } from "../support/admin";
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

/** Files, feeds and APIs are checked by their own tests; the crawl covers pages. */
const SKIP = [/\.(ics|atom|csv|json|pdf|png|jpe?g|webp|svg|xml)(\?|$)/, /\/download(\?|$)/, /^\/api\//, /^\/sign-out/, /\/logo(\?|$)/, /^\/build\//, /^\/assets\//];

/** Pages that differ only by an id are one kind of page: visit a couple of each. */
function patternOf(url: URL): string {
  const path = url.pathname.replace(/\/\d+(?=\/|$)/g, "/:id").replace(/\/[0-9a-f]{8}-[0-9a-f-]{27,}(?=\/|$)/g, "/:uuid");
  const keys = [...url.searchParams.keys()].filter((k) => k !== "page").sort().join(",");
  return `${path}?${keys}`;
}

async function crawl(page: Page, role: string, { maxPages = 70, perPattern = 2, phone = false } = {}) {
  const origin = new URL(app.url).origin;
  const queue = ["/"];
  const seen = new Set<string>(queue);
  const perPatternCount = new Map<string, number>();
  const problems: string[] = [];
  let visited = 0;
  while (queue.length && visited < maxPages) {
    const path = queue.shift()!;
    const url = new URL(path, origin);
    const pattern = patternOf(url);
    const count = perPatternCount.get(pattern) ?? 0;
    if (count >= perPattern) continue;
    perPatternCount.set(pattern, count + 1);
    visited++;
    const response = await page.request.get(url.href, { maxRedirects: 0 }).catch(() => null);
    const status = response?.status() ?? 0;
    if (status === 404 || status >= 500) {
      problems.push(`${path}: answered ${status}`);
      continue;
    }
    // Downloads (data export, CSV) are not pages.
    const headers = response?.headers() ?? {};
    if (/attachment/i.test(headers["content-disposition"] ?? "") || !/text\/html/.test(headers["content-type"] ?? "text/html")) continue;
    if (response && (await response.body()).includes(0)) problems.push(`${path}: the HTML contains a NUL byte`);
    let violations;
    try {
      violations = await visit(page, url.href, `crawl-${role}${phone ? "-phone" : ""}-${url.pathname.replace(/\//g, "_") || "home"}${url.search ? "-q" : ""}`);
    } catch (error) {
      problems.push(`${path}: ${error instanceof Error ? error.message.split("\n").slice(0, 4).join(" ") : String(error)}`);
      continue;
    }
    if (violations.length) problems.push(`${path}: axe\n${formatViolations(violations)}`);
    if (phone) {
      const overflow = await horizontalOverflow(page);
      if (overflow > 0) {
        const culprits = await page.evaluate(() =>
          [...document.querySelectorAll("body *")]
            .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .slice(-3)
            .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`),
        );
        problems.push(`${path}: scrolls sideways by ${overflow}px on a phone (${culprits.join(", ")})`);
      }
    }
    const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href") ?? ""));
    for (const href of hrefs) {
      if (!href || href.startsWith("#") || /^(mailto|tel|webcal|javascript):/i.test(href)) continue;
      const next = new URL(href, url);
      if (next.origin !== origin) continue;
      const rel = `${next.pathname}${next.search}`;
      if (SKIP.some((re) => re.test(rel)) || seen.has(rel)) continue;
      seen.add(rel);
      queue.push(rel);
    }
  }
  return { visited, problems };
}

describe("every linked page, as each kind of user", () => {
  it("anonymous visitor on a phone", async () => {
    const context = await newContext(browser, { phone: true });
    const page = await context.newPage();
    const { visited, problems } = await crawl(page, "anonymous", { phone: true });
    await context.close();
    expect(problems.join("\n\n")).toBe("");
    expect(visited).toBeGreaterThan(25);
  }, 600_000);

  it("member", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, app, "member@example.org");
    const { visited, problems } = await crawl(page, "member");
    await context.close();
    expect(problems.join("\n\n")).toBe("");
    expect(visited).toBeGreaterThan(25);
  }, 600_000);

  it("moderator on a phone", async () => {
    const context = await newContext(browser, { phone: true });
    const page = await context.newPage();
    await signIn(page, app, "moderator@example.org");
    const { visited, problems } = await crawl(page, "moderator", { phone: true });
    await context.close();
    expect(problems.join("\n\n")).toBe("");
    expect(visited).toBeGreaterThan(25);
  }, 600_000);

  it("network and platform admin", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signInAsAdmin(page, app);
    const { visited, problems } = await crawl(page, "admin", { maxPages: 90 });
    await context.close();
    expect(problems.join("\n\n")).toBe("");
    expect(visited).toBeGreaterThan(25);
  }, 600_000);
});
