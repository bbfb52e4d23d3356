/**
 * Browser journeys for the platform admin tools (two-step reset), paged member lists
 * and an invitation carried through sign-up; axe on every page, a 375px phone check,
 * and the member filter and paging with JavaScript off.
 */
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { signInAsAdmin } from "../support/admin";
import { axe, formatViolations, horizontalOverflow, launchBrowser, newContext, screenshot, signIn, startApp, visit, waitForEmail, type App } from "../support/e2e";
import { generateTotpSecret } from "../../app/utils/totp.server";

let app: App;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function checkPage(page: Page, name: string) {
  await screenshot(page, name);
  expect(formatViolations(await axe(page)), name).toBe("");
}

function linkIn(text: string, path: string): string {
  const match = new RegExp(`https?://\\S+${path.replace(/\//g, "\\/")}\\S*`).exec(text);
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  return match[0];
}

function withDb<T>(fn: (db: SQLite.Database) => T): T {
  const db = new SQLite(app.dbPath, { fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

describe("platform admin tools", () => {
  it("lets a platform admin find an account and reset its two-step verification after confirming; the person is signed out and emailed", async () => {
    // The member is signed in on a device, with two-step verification on (set up as if done before).
    const memberContext = await newContext(browser);
    const memberPage = await memberContext.newPage();
    memberPage.setDefaultTimeout(15_000);
    await signIn(memberPage, app, "member@example.org");
    withDb((db) => {
      db.prepare("update account set totp_secret = ? where email = 'member@example.org'").run(generateTotpSecret());
      db.prepare("update session set mfa_verified = 1 where account_id = (select id from account where email = 'member@example.org')").run();
    });
    await memberPage.goto(`${app.url}/account`);
    expect(new URL(memberPage.url()).pathname).toBe("/account");

    const context = await newContext(browser);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signInAsAdmin(page, app);
    await page.goto(`${app.url}/account`);
    await page.getByRole("link", { name: "Find people in the member directory" }).waitFor();
    await page.getByRole("link", { name: "Platform admin tools" }).click();
    await page.getByRole("heading", { name: "Platform admin" }).waitFor();
    await checkPage(page, "accounts-admin-index");
    expect(await page.getByRole("link", { name: "Digest sending" }).count()).toBe(1);
    await page.getByRole("link", { name: "Accounts", exact: true }).click();
    await page.getByRole("heading", { name: "Accounts" }).waitFor();
    await checkPage(page, "accounts-admin-accounts");
    await page.getByRole("searchbox", { name: "Search by email address or name" }).fill("member@example");
    await page.locator("main").getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/q=member%40example/);
    await page.getByText("1 account matching").waitFor();
    await page.getByRole("link", { name: "Sam Member" }).click();
    await page.getByRole("heading", { name: "Reset two-step verification" }).waitFor();
    await checkPage(page, "accounts-admin-account");
    await page.getByRole("link", { name: "Reset two-step verification" }).click();
    await page.getByText("Are you sure?").waitFor();
    await checkPage(page, "accounts-admin-confirm");
    // Not confirmed: an error, and nothing changes.
    await page.getByLabel(/How did you check/).fill("Called them on their desk phone");
    await page.getByRole("button", { name: "Reset two-step verification" }).click();
    await page.getByText("There is a problem").waitFor();
    expect(await page.getByLabel(/How did you check/).inputValue()).toBe("Called them on their desk phone");
    await checkPage(page, "accounts-admin-confirm-error");
    expect(withDb((db) => db.prepare("select totp_secret from account where email = 'member@example.org'").pluck().get())).not.toBeNull();

    await page.getByLabel(/I have checked it is really/).check();
    await page.getByRole("button", { name: "Reset two-step verification" }).click();
    await page.getByText("Two-step verification is reset").waitFor();
    await page.getByText("Called them on their desk phone").waitFor();
    await checkPage(page, "accounts-admin-account-after");
    await waitForEmail(app.outboxDir, "member@example.org", /Two-step verification was reset/);
    expect(withDb((db) => db.prepare("select totp_secret from account where email = 'member@example.org'").pluck().get())).toBeNull();

    // The member's device is signed out.
    await memberPage.goto(`${app.url}/account`);
    expect(new URL(memberPage.url()).pathname).toBe("/sign-in");
    await memberContext.close();
    await context.close();
  });

  it("answers 404 to a member who tries the admin pages, and shows them no admin link", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, app, "organiser@example.org");
    await page.goto(`${app.url}/account`);
    expect(await page.getByRole("link", { name: "Platform admin tools" }).count()).toBe(0);
    for (const path of ["/admin", "/admin/accounts"]) expect((await page.goto(`${app.url}${path}`))?.status(), path).toBe(404);
    await context.close();
  });

  it("fits a 375px phone on the admin pages", async () => {
    const context = await newContext(browser, { phone: true });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signInAsAdmin(page, app);
    const id = withDb((db) => db.prepare("select id from account where email = 'moderator@example.org'").pluck().get() as string);
    for (const [path, name] of [
      ["/admin", "admin-index"],
      ["/admin/accounts", "admin-accounts"],
      [`/admin/accounts/${id}`, "admin-account"],
    ] as const) {
      expect(formatViolations(await visit(page, `${app.url}${path}`, `accounts-${name}-phone`)), path).toBe("");
      expect(await horizontalOverflow(page), path).toBeLessThanOrEqual(0);
    }
    await context.close();
  });
});

describe("paged members", () => {
  it("pages and filters the member list, and does the same with JavaScript off", async () => {
    withDb((db) => {
      const now = new Date().toISOString();
      const acc = db.prepare("insert into account (id, email, email_verified_at, name, password_hash, profile_visible, is_platform_admin, created_at, updated_at) values (?, ?, ?, ?, null, 1, 0, ?, ?)");
      const mem = db.prepare("insert into network_membership (network_id, account_id, role, status, created_at) values ((select id from network where slug = 'north-west'), ?, 'member', 'approved', ?)");
      db.transaction(() => {
        for (let i = 0; i < 70; i++) {
          const id = `e2ebulk${String(i).padStart(5, "0")}`;
          acc.run(id, `${id}@bulk.example`, now, `Paged Person ${String(i).padStart(2, "0")}`, now, now);
          mem.run(id, now);
        }
      })();
    });
    const context = await newContext(browser);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, app, "organiser@example.org");
    expect(formatViolations(await visit(page, `${app.url}/networks/north-west/members`, "accounts-members-page-1"))).toBe("");
    expect(await page.locator("main ul.nhsuk-list--border > li").count()).toBe(50);
    await page.locator("main").getByRole("link", { name: /Next/ }).click();
    await page.waitForURL(/page=2/);
    expect(await page.locator("main ul.nhsuk-list--border > li").count()).toBeGreaterThan(0);
    await checkPage(page, "accounts-members-page-2");
    await page.getByRole("searchbox", { name: "Filter members by name" }).fill("Paged Person 07");
    await page.locator("main").getByRole("button", { name: "Filter", exact: true }).click();
    await page.waitForURL(/q=Paged/);
    // With JavaScript the URL can change before the filtered list is rendered: wait for the list.
    await expect.poll(() => page.locator("main ul.nhsuk-list--border > li").allTextContents()).toEqual([expect.stringContaining("Paged Person 07")]);
    await checkPage(page, "accounts-members-filtered");
    await context.close();

    // The same with JavaScript off (axe needs JavaScript, so screenshots only): plain links and a GET form.
    const noJs = await newContext(browser, { javaScript: false });
    const plain = await noJs.newPage();
    plain.setDefaultTimeout(15_000);
    await signIn(plain, app, "organiser@example.org");
    await plain.goto(`${app.url}/networks/north-west/members`);
    await plain.locator("main").getByRole("link", { name: /Next/ }).click();
    await plain.waitForURL(/page=2/);
    await plain.getByRole("searchbox", { name: "Filter members by name" }).fill("Paged Person 6");
    await plain.locator("main").getByRole("button", { name: "Filter", exact: true }).click();
    await plain.waitForURL(/q=Paged/);
    expect(await plain.locator("main ul.nhsuk-list--border > li").count()).toBe(10);
    await screenshot(plain, "accounts-members-filtered-nojs");
    await noJs.close();
  });
});

describe("invitation through sign-up", () => {
  it("invited → create an account from the invitation → confirm → sign in → lands on the invitation → accept", async () => {
    const adminContext = await newContext(browser);
    const admin = await adminContext.newPage();
    admin.setDefaultTimeout(15_000);
    await signInAsAdmin(admin, app);
    await admin.goto(`${app.url}/networks/national/members`);
    await admin.getByLabel("Their email address").fill("priya@example.org");
    await admin.getByLabel("Role", { exact: true }).selectOption("organiser");
    await admin.getByRole("button", { name: "Send invitation" }).click();
    await admin.getByText("Invitation sent").waitFor();
    await adminContext.close();

    const invite = await waitForEmail(app.outboxDir, "priya@example.org", /invited to join/);
    const inviteLink = linkIn(invite.text, "/invitations/");
    const context = await newContext(browser);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    expect(formatViolations(await visit(page, inviteLink, "accounts-invitation-anonymous"))).toBe("");
    await page.locator("main").getByRole("link", { name: "Create an account" }).click();
    await page.getByRole("heading", { name: "Create an account" }).waitFor();
    await page.getByText("You are accepting an invitation").waitFor();
    expect(await page.getByLabel("Email address").inputValue()).toBe("priya@example.org");
    await checkPage(page, "accounts-sign-up-invited");
    // Another address is refused, keeping what was typed.
    await page.getByLabel("Full name").fill("Priya Organiser");
    await page.getByLabel("Email address").fill("priya.personal@example.org");
    await page.getByLabel("Password", { exact: true }).fill("a long and unusual passphrase");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Use that address to accept it").first().waitFor();
    await checkPage(page, "accounts-sign-up-invited-error");
    await page.getByLabel("Email address").fill("priya@example.org");
    await page.getByLabel("Password", { exact: true }).fill("a long and unusual passphrase");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    await page.getByText("we will take you to your invitation").waitFor();

    const mail = await waitForEmail(app.outboxDir, "priya@example.org", /Confirm your email/);
    await page.goto(linkIn(mail.text, "/verify-email"));
    await page.getByRole("button", { name: "Confirm my email address" }).click();
    await page.waitForURL(/\/sign-in\?redirectTo=%2Finvitations%2F/);
    await page.getByText("Sign in to accept your invitation").waitFor();
    await checkPage(page, "accounts-sign-in-invited");
    await page.getByLabel("Email address").fill("priya@example.org");
    await page.getByLabel("Password", { exact: true }).fill("a long and unusual passphrase");
    await page.getByRole("button", { name: /sign in/i }).click();
    await page.waitForURL(/\/invitations\//);
    await page.getByRole("heading", { name: /Join/ }).waitFor();
    await checkPage(page, "accounts-invitation-signed-in");
    await page.getByRole("button", { name: "Accept the invitation" }).click();
    await page.waitForURL(/\/networks\/national$/);
    await page.getByText(/Welcome to/).waitFor();
    await context.close();
  });
});
