import fs from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import SQLite from "better-sqlite3";
import { generateTotpSecret } from "../../app/utils/totp.server";
import { signInAsAdmin } from "../support/admin";
import { axe, formatViolations, horizontalOverflow, launchBrowser, newContext, screenshot, signIn, startApp, visit, waitForEmail, type App } from "../support/e2e";

let app: App;
let browser: Browser;

// The standard's schemas, vendored with their licence and source (tests/vendor/openreferral-uk/README.md).
const STANDARD = path.resolve(__dirname, "../vendor/openreferral-uk/schema/compiled");
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const validateListItem = ajv.compile(JSON.parse(fs.readFileSync(path.join(STANDARD, "service_list.json"), "utf8")));
const validateService = ajv.compile(JSON.parse(fs.readFileSync(path.join(STANDARD, "service.json"), "utf8")));

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

function giveAdminTwoStep() {
  const db = new SQLite(app.dbPath);
  try {
    db.prepare("update account set totp_secret = ?, totp_last_counter = null where email = ? and totp_secret is null").run(generateTotpSecret(), "admin@example.org");
  } finally {
    db.close();
  }
}

async function check(page: Page, url: string, name: string) {
  const violations = await visit(page, url, name);
  expect(formatViolations(violations), url).toBe("");
}

describe("organisations", () => {
  it("a member proposes an organisation, an admin approves it, its admin adds a service and a case study, and the service appears in the API", async () => {
    const memberContext = await newContext(browser);
    const member = await memberContext.newPage();
    await signIn(member, app, "member@example.org");

    await check(member, `${app.url}/organisations/new`, "organisations-propose");
    // Bad input first: the page keeps what was typed and names each problem.
    await member.getByLabel("Name", { exact: true }).fill("Preston Walking Friends");
    await member.getByLabel("Website (optional)").fill("javascript:alert(1)");
    await member.getByRole("button", { name: "Send for approval" }).click();
    await member.getByRole("heading", { name: "There is a problem" }).waitFor();
    expect(await member.getByRole("link", { name: /must start with http:\/\/ or https:\/\// }).count()).toBe(1);
    expect(await member.getByLabel("Name", { exact: true }).inputValue()).toBe("Preston Walking Friends");
    expect(formatViolations(await visitCurrent(member, "organisations-propose-errors"))).toBe("");

    await member.getByLabel("Sector").selectOption("vcse");
    await member.getByLabel("Summary").fill("Friendly health walks for people referred by link workers in Preston.");
    await member.getByLabel("Area served").fill("Lancashire");
    await member.getByLabel("Website (optional)").fill("https://walking.example.org");
    await member.getByLabel("Postcode (optional)").fill("pr1 2he");
    await member.getByLabel("North West Social Prescribing Network").check();
    await member.getByRole("button", { name: "Send for approval" }).click();
    await member.waitForURL(/\/organisations\/preston-walking-friends$/);
    await member.getByText("Waiting for approval").first().waitFor();
    expect(formatViolations(await visitCurrent(member, "organisations-pending"))).toBe("");

    await waitForEmail(app.outboxDir, "admin@example.org", /New organisation to check: Preston Walking Friends/);

    // The demo admin already uses two-step verification (set-up itself is the accounts journey's test).
    giveAdminTwoStep();
    const adminContext = await newContext(browser);
    const admin = await adminContext.newPage();
    await signInAsAdmin(admin, app);
    await check(admin, `${app.url}/organisations/queue`, "organisations-queue");
    await admin.getByRole("button", { name: "Approve Preston Walking Friends" }).click();
    await admin.getByText("Preston Walking Friends is approved and listed.").waitFor();
    await waitForEmail(app.outboxDir, "member@example.org", /Preston Walking Friends is now listed/);
    await adminContext.close();

    await check(member, `${app.url}/organisations/preston-walking-friends`, "organisations-approved");
    await member.getByRole("link", { name: "Add a service" }).click();
    await member.waitForURL(/\/services\/new$/);
    expect(formatViolations(await visitCurrent(member, "organisations-service-new"))).toBe("");
    await member.getByLabel("Name of the service").fill("Wednesday health walk");
    await member.getByLabel("What it offers").fill("A gentle one-hour walk along the river, with a cuppa afterwards.");
    await member.getByLabel("Who it is for (optional)").fill("Adults who would like to be more active and meet people.");
    await member.getByLabel("When it runs (optional)").fill("Wednesdays, 10am");
    await member.getByLabel("Street address").fill("Avenham Park");
    await member.getByLabel("Town or city").fill("Preston");
    await member.getByLabel("Postcode", { exact: true }).fill("PR1 8JP");
    await member.getByLabel("Nature and green social prescribing").check();
    await member.getByRole("button", { name: "Add the service" }).click();
    await member.waitForURL(/\/organisations\/preston-walking-friends#service-\d+$/);
    await member.getByRole("heading", { name: "Wednesday health walk" }).waitFor();

    await member.getByRole("link", { name: "Add a case study" }).click();
    await member.waitForURL(/\/case-studies\/new$/);
    expect(formatViolations(await visitCurrent(member, "organisations-case-study-new"))).toBe("");
    await member.getByLabel("Title").fill("Walking together");
    await member.getByLabel("The story").fill("Walkers reported feeling less lonely after twelve weeks.");
    await member.getByLabel("Headline outcome").fill("70% of walkers felt less lonely");
    await member.getByLabel("Number of participants (optional)").fill("30");
    await member.getByLabel("Impact on the person, their carers and families").check();
    await member.getByRole("button", { name: "Add the case study" }).click();
    await member.waitForURL(/#case-study-\d+$/);
    await member.getByText("70% of walkers felt less lonely").first().waitFor();
    expect(formatViolations(await visitCurrent(member, "organisations-profile-complete"))).toBe("");
    await check(member, `${app.url}/organisations/evidence`, "organisations-evidence");
    expect(await member.getByText("70% of walkers felt less lonely").count()).toBeGreaterThan(0);
    await memberContext.close();

    const res = await fetch(`${app.url}/api/openreferral/services?search=${encodeURIComponent("health walk")}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const list = await res.json();
    expect(list.total_items).toBe(1);
    expect(validateListItem(list.contents[0]), ajv.errorsText(validateListItem.errors)).toBe(true);
    expect(list.contents[0].organization.name).toBe("Preston Walking Friends");
    const one = await (await fetch(`${app.url}/api/openreferral/services/${list.contents[0].id}`)).json();
    expect(validateService(one), ajv.errorsText(validateService.errors)).toBe(true);
    expect(one.service_at_locations[0].location.addresses[0].postal_code).toBe("PR1 8JP");
    const missing = await fetch(`${app.url}/api/openreferral/services/00000000-0000-4000-8000-000000000000`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toBe("not_found");
  });

  it("every directory page passes axe on a desktop and a 375px phone without sideways scrolling", async () => {
    const pages = [
      ["/organisations", "directory"],
      ["/organisations?sector=arts-culture-heritage&network=north-west", "directory-filtered"],
      ["/organisations?q=zzzz", "directory-empty"],
      ["/organisations/connector-schemes", "connector-schemes"],
      ["/organisations/evidence", "evidence"],
      ["/organisations/iwm-north", "profile-iwm-north"],
      ["/organisations/breathe-magic", "profile-breathe-magic"],
      ["/members", "members"],
      ["/members?network=north-west&q=a", "members-filtered"],
    ] as const;
    for (const phone of [false, true]) {
      const context = await newContext(browser, { phone });
      const page = await context.newPage();
      await signIn(page, app, "member@example.org");
      for (const [url, name] of pages) {
        await check(page, `${app.url}${url}`, `organisations-${name}-${phone ? "phone" : "desktop"}`);
        expect(await horizontalOverflow(page), `${url} scrolls sideways`).toBeLessThanOrEqual(0);
      }
      await context.close();
    }
    const context = await newContext(browser);
    const page = await context.newPage();
    await check(page, `${app.url}/organisations`, "organisations-directory-signed-out");
    const names = await page.locator("main h2 a").allTextContents();
    for (const n of ["Breathe Magic", "Dancing Recall", "IWM North", "Manchester Museum"]) expect(names).toContain(n);
    await context.close();
  });

  it("follows an organisation and asks to be listed there with JavaScript off", async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    await signIn(page, app, "national@example.org");
    await page.goto(`${app.url}/organisations/dancing-recall`);
    await page.getByRole("button", { name: "Follow Dancing Recall" }).click({ timeout: 10_000 });
    await page.getByText(/You are following Dancing Recall/).waitFor({ timeout: 10_000 });
    await page.getByRole("button", { name: "Stop following Dancing Recall" }).waitFor();
    await page.getByText("I work here").click();
    await page.getByRole("button", { name: "Ask to be listed" }).click();
    await page.getByText(/admins will answer your request/).waitFor();
    // axe needs JavaScript in the page, so with it off only the screenshot; the same page passes axe above.
    await screenshot(page, "organisations-followed-nojs");
    await context.close();
  });
});

/** The axe check and screenshot of the page the journey is already on (after a form post, without reloading it). */
async function visitCurrent(page: Page, name: string) {
  await page.waitForLoadState("networkidle").catch(() => {});
  await screenshot(page, name);
  return axe(page);
}
