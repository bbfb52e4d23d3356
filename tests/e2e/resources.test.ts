import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { buildSimplePdf } from "../../db/seed/pdf";
import { axe, formatViolations, horizontalOverflow, launchBrowser, newContext, screenshot, signIn, startApp, visit, waitForEmail, type App } from "../support/e2e";

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

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("the resource repository", () => {
  it('finds "Making sense of social prescribing" for "making sense", and every list page passes axe on desktop and phone', async () => {
    for (const phone of [false, true]) {
      const context = await newContext(browser, { phone });
      const page = await context.newPage();
      const suffix = phone ? "phone" : "desktop";
      for (const [path, name] of [
        ["/resources", "resources"],
        ["/resources?q=making+sense", "resources-search"],
        ["/resources?q=%22zzqx+nothing%22+AND+NEAR(", "resources-no-results"],
        ["/resources?kind=video&topic=link-workers", "resources-filtered"],
      ] as const) {
        const v = await visit(page, `${app.url}${path}`, `resources-${name}-${suffix}`);
        expect(formatViolations(v), path).toBe("");
        expect(await horizontalOverflow(page), `${path} scrolls sideways on ${suffix}`).toBeLessThanOrEqual(0);
      }
      await page.goto(`${app.url}/resources?q=making+sense`);
      const first = page.locator(".rt-result__title a").first();
      expect(await first.innerText()).toBe("Making sense of social prescribing");
      expect(await page.locator(".rt-result__title mark").first().innerText()).toMatch(/making/i);
      await page.goto(`${app.url}/resources?q=%22zzqx+nothing%22+AND+NEAR(`);
      expect(await page.getByText("Nothing matches your search.").isVisible()).toBe(true);
      await first.isVisible();
      await page.goto(`${app.url}/resources?q=making+sense`);
      await page.locator(".rt-result__title a").first().click();
      await page.waitForURL(/\/resources\/\d+$/);
      const v = await visit(page, page.url(), `resources-page-${suffix}`);
      expect(formatViolations(v)).toBe("");
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await context.close();
    }
    const html = await (await fetch(`${app.url}/resources`)).text();
    expect(html).toMatch(/<link[^>]+rel="alternate"[^>]+type="application\/atom\+xml"[^>]+href="\/resources.atom"/);
    const feed = await fetch(`${app.url}/resources.atom`);
    expect(feed.headers.get("content-type")).toContain("application/atom+xml");
    expect(await feed.text()).toContain("<title>Making sense of social prescribing</title>");
  });

  it("a member uploads a PDF (JavaScript off), a moderator approves it, it is found by search and downloads intact", async () => {
    const pdf = buildSimplePdf(["Roundtable e2e: Capybara community gardening evaluation", "Page one."]);

    // The contribute page passes axe (checked with JavaScript on: axe needs it).
    const checkCtx = await newContext(browser);
    const check = await checkCtx.newPage();
    await signIn(check, app, "member@example.org");
    let v = await visit(check, `${app.url}/resources/new`, "resources-new");
    expect(formatViolations(v)).toBe("");
    await check.getByLabel("Title").fill("Capybara community gardening evaluation");
    await check.getByRole("button", { name: "Add resource" }).click();
    await check.locator(".nhsuk-error-summary").waitFor();
    expect(await check.locator(".nhsuk-error-summary").innerText()).toContain("Choose what kind of resource it is");
    expect(await check.getByLabel("Title").inputValue()).toBe("Capybara community gardening evaluation");
    await screenshot(check, "resources-new-errors");
    expect(formatViolations(await axe(check))).toBe("");
    await checkCtx.close();

    // The member contributes with JavaScript switched off: the form works on its own.
    const memberCtx = await newContext(browser, { javaScript: false });
    const member = await memberCtx.newPage();
    member.setDefaultTimeout(15_000);
    await signIn(member, app, "member@example.org");
    await member.goto(`${app.url}/resources/new`);
    await member.getByLabel("Title").fill("Capybara community gardening evaluation");
    await member.getByLabel("What kind of resource is it?").selectOption("evidence-review");
    await member.getByLabel("Summary").fill("What a year of community gardening did for people referred by link workers.");
    await member.getByLabel("Publisher", { exact: true }).selectOption({ label: "University of Cumbria" });
    await member.getByLabel("Year published").fill("2024");
    await member.getByLabel("Nature and green social prescribing").check();
    await member.getByLabel("Impact on the person, their carers and families").check();
    await member.setInputFiles("#file", { name: "Capybara evaluation (final).pdf", mimeType: "application/pdf", buffer: pdf });
    await member.getByRole("button", { name: "Add resource" }).click();
    await member.waitForURL(/\/resources\/\d+$/);
    const resourceUrl = member.url();
    await member.getByText("Waiting for a moderator").waitFor();
    await memberCtx.close();
    const againCtx = await newContext(browser);
    const again = await againCtx.newPage();
    await signIn(again, app, "member@example.org");
    v = await visit(again, resourceUrl, "resources-pending");
    expect(formatViolations(v)).toBe("");
    // Not yet public.
    expect(await (await fetch(`${app.url}/resources?q=capybara`)).text()).not.toContain("Capybara community gardening");
    expect((await fetch(resourceUrl)).status).toBe(404);

    // The moderator approves it from the queue.
    const modCtx = await newContext(browser);
    const mod = await modCtx.newPage();
    await signIn(mod, app, "moderator@example.org");
    v = await visit(mod, `${app.url}/resources/moderation`, "resources-moderation");
    expect(formatViolations(v)).toBe("");
    const card = mod.locator(".nhsuk-card", { hasText: "Capybara community gardening evaluation" });
    await card.getByRole("button", { name: /^Approve/ }).click();
    await mod.getByText(/Published “Capybara community gardening evaluation”/).waitFor({ timeout: 15_000 });
    expect(await mod.locator(".nhsuk-card", { hasText: "Capybara community gardening evaluation" }).count()).toBe(0);
    const mail = await waitForEmail(app.outboxDir, "member@example.org", /Your resource is published/);
    expect(mail.text).toContain(resourceUrl.replace(app.url, ""));
    await modCtx.close();

    // Anyone finds it by search and downloads exactly the uploaded bytes.
    const anonCtx = await newContext(browser);
    const anon = await anonCtx.newPage();
    v = await visit(anon, `${app.url}/resources?q=capybara+gardening`, "resources-found");
    expect(formatViolations(v)).toBe("");
    await anon.getByRole("link", { name: /Capybara community gardening evaluation/ }).click();
    await anon.waitForURL(resourceUrl);
    const res = await anonCtx.request.get(`${resourceUrl}/download`);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toBe("application/pdf");
    expect(res.headers()["content-disposition"]).toMatch(/^attachment; filename="Capybara evaluation \(final\)\.pdf"; filename\*=UTF-8''/);
    expect(res.headers()["x-content-type-options"]).toContain("nosniff");
    expect(res.headers()["content-security-policy"]).toContain("sandbox");
    expect(sha(Buffer.from(await res.body()))).toBe(sha(pdf));
    await anonCtx.close();

    // The member saves it and finds it under "My saved resources"; the edit page passes axe.
    await again.goto(resourceUrl);
    await again.getByRole("button", { name: "Save for later" }).click();
    await again.getByRole("button", { name: "Remove from saved" }).waitFor();
    v = await visit(again, `${app.url}/resources/saved`, "resources-saved");
    expect(formatViolations(v)).toBe("");
    expect(await again.getByRole("link", { name: "Capybara community gardening evaluation" }).isVisible()).toBe(true);
    v = await visit(again, `${resourceUrl}/edit`, "resources-edit");
    expect(formatViolations(v)).toBe("");
    await againCtx.close();
  });

  it("refuses HTML disguised as a PDF through the real server", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, app, "organiser@example.org");
    await page.goto(`${app.url}/resources/new`);
    await page.getByLabel("Title").fill("Disguised page");
    await page.getByLabel("What kind of resource is it?").selectOption("report");
    await page.getByLabel("Summary").fill("Not really a PDF.");
    await page.getByLabel("Publisher's name (if not listed)").fill("Someone");
    await page.setInputFiles("#file", { name: "report.pdf", mimeType: "application/pdf", buffer: Buffer.from("<html><script>alert(1)</script></html>") });
    await page.getByRole("button", { name: "Add resource" }).click();
    await page.locator(".nhsuk-error-summary").waitFor();
    expect(await page.locator(".nhsuk-error-summary").innerText()).toContain("PDF, Word, Excel");
    expect(await page.getByLabel("Title").inputValue()).toBe("Disguised page");
    await context.close();
  });
});
