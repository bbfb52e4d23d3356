/**
 * Issue 12, item 14: discussions must not go public without warning. The forms say who will
 * read a post and warn against personal or clinical details; a network admin can keep a
 * category for members, and then it is gone from every public page.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAsAdmin } from "../support/admin";
import { formatViolations, launchBrowser, newContext, screenshot, signIn, startApp, visit, type App } from "../support/e2e";

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

const ARTS = "Arts on prescription: what is working for your link workers?";

describe("who will see a post", () => {
  for (const javaScript of [true, false]) {
    it(`the new-thread and reply forms say who reads it and warn against client details (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const context = await newContext(browser, { javaScript });
      const page = await context.newPage();
      await signIn(page, app, "member@example.org");
      if (javaScript) expect(formatViolations(await visit(page, `${app.url}/discussions/new`, "discussions-new-warning"))).toBe("");
      else await page.goto(`${app.url}/discussions/new`);
      await page.getByText("Who will see this").waitFor();
      await page.getByText("Do not post personal or clinical details").waitFor();
      const options = await page.getByLabel("Category").locator("option").allTextContents();
      expect(options.some((o) => o.includes("Arts and health") && o.includes("anyone can read"))).toBe(true);

      await page.goto(`${app.url}/discussions`);
      await page.getByRole("link", { name: ARTS }).first().click();
      await page.locator("#reply").getByText("Anyone can read public categories").waitFor();
      await page.locator("#reply").getByText("Do not post personal or clinical details").waitFor();
      await screenshot(page, `discussions-reply-warning-${javaScript ? "js" : "nojs"}`);
      await context.close();
    });
  }
});

describe("members-only categories", () => {
  it("a network admin keeps a category for members (without JavaScript); the public no longer sees it or its threads", async () => {
    const adminContext = await newContext(browser, { javaScript: false });
    const admin = await adminContext.newPage();
    await signInAsAdmin(admin, app);
    await admin.goto(`${app.url}/discussions/moderation`);
    const group = admin.getByRole("group", { name: /Arts and health \(North West/ });
    await group.getByLabel("Members of the network only").check();
    await admin.getByRole("button", { name: "Save for Arts and health" }).click();
    await admin.getByText("Only members of the network can now read this category").waitFor();
    await adminContext.close();

    const anon = await (await newContext(browser)).newPage();
    expect(formatViolations(await visit(anon, `${app.url}/discussions`, "discussions-public-after-members-only"))).toBe("");
    expect(await anon.getByText("Arts and health").count()).toBe(0);
    expect(await anon.getByText(ARTS).count()).toBe(0);
    await visit(anon, `${app.url}/discussions?q=prescription`, "discussions-public-search-members-only");
    expect(await anon.getByText(ARTS).count()).toBe(0);

    const memberContext = await newContext(browser, { phone: true });
    const member = await memberContext.newPage();
    await signIn(member, app, "member@example.org");
    expect(formatViolations(await visit(member, `${app.url}/discussions`, "discussions-member-members-only-phone"))).toBe("");
    await member.getByRole("heading", { name: /Arts and health\s*Members only/ }).waitFor();
    expect(await member.getByText(ARTS).count()).toBeGreaterThan(0);
    await memberContext.close();
  });
});
