import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { signInAsAdmin } from "../support/admin";
import { formatViolations, horizontalOverflow, launchBrowser, newContext, screenshot, signIn, startApp, visit, waitForEmail, type App } from "../support/e2e";
import { axe } from "../support/e2e";

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

async function checkPage(page: Page, name: string) {
  await screenshot(page, name);
  expect(formatViolations(await axe(page)), name).toBe("");
}

function linkIn(text: string, path: string): string {
  const match = new RegExp(`https?://\\S+${path.replace(/\//g, "\\/")}\\S*`).exec(text);
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  return match[0];
}

describe("accounts and networks", () => {
  it("sign up → confirm from the email → sign in → ask to join North West → admin approves → member sees members-only content", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    expect(formatViolations(await visit(page, `${app.url}/sign-up`, "accounts-sign-up-desktop"))).toBe("");

    // A bad submission keeps what was typed, never the password.
    await page.getByLabel("Full name").fill("Rosa Link\u0007Worker");
    await page.getByLabel("Email address").fill("rosa@example.org");
    await page.getByLabel("Password", { exact: true }).fill("a long and unusual passphrase");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("There is a problem").waitFor();
    expect(await page.getByLabel("Email address").inputValue()).toBe("rosa@example.org");
    expect(await page.getByLabel("Password", { exact: true }).inputValue()).toBe("");
    await checkPage(page, "accounts-sign-up-error");

    await page.getByLabel("Full name").fill("Rosa Linkworker");
    await page.getByLabel("Password", { exact: true }).fill("a long and unusual passphrase");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    await checkPage(page, "accounts-check-email");

    const mail = await waitForEmail(app.outboxDir, "rosa@example.org", /Confirm your email/);
    const link = linkIn(mail.text, "/verify-email");
    expect(formatViolations(await visit(page, link, "accounts-verify-email"))).toBe("");
    await page.getByRole("button", { name: "Confirm my email address" }).click();
    await page.waitForURL(/\/sign-in/);
    await page.getByText("Your email address is confirmed").waitFor();

    await signIn(page, app, "rosa@example.org", "a long and unusual passphrase");
    expect(new URL(page.url()).pathname).toBe("/account");
    await checkPage(page, "accounts-account-desktop");

    expect(formatViolations(await visit(page, `${app.url}/networks/north-west`, "accounts-network-non-member"))).toBe("");
    await page.getByLabel("Message to the admins (optional)").fill("Link worker in Bolton");
    await page.getByRole("button", { name: "Ask to join" }).click();
    await page.getByText("You have asked to join").first().waitFor();
    expect(await page.getByRole("heading", { name: "For members" }).count()).toBe(0);
    const members404 = await page.goto(`${app.url}/networks/north-west/members`);
    expect(members404?.status()).toBe(404);

    // The admin approves, in another browser.
    const adminContext = await newContext(browser);
    const admin = await adminContext.newPage();
    await signInAsAdmin(admin, app);
    expect(formatViolations(await visit(admin, `${app.url}/networks/north-west/members`, "accounts-members-admin-desktop"))).toBe("");
    await admin.getByRole("button", { name: "Approve Rosa Linkworker" }).click();
    await admin.getByText("Request approved").waitFor();
    await waitForEmail(app.outboxDir, "rosa@example.org", /Welcome to/);
    await adminContext.close();

    expect(formatViolations(await visit(page, `${app.url}/networks/north-west`, "accounts-network-member"))).toBe("");
    expect(await page.getByRole("heading", { name: "For members" }).count()).toBe(1);
    expect(formatViolations(await visit(page, `${app.url}/networks/north-west/members`, "accounts-members-member"))).toBe("");
    expect(await page.getByText("Rosa Linkworker").count()).toBeGreaterThan(0);
    await context.close();
  });

  it("resets a forgotten password from the emailed link, with JavaScript off", async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    // axe needs JavaScript, so this journey only takes screenshots; the same pages pass axe in the phone test.
    await page.goto(`${app.url}/forgot-password`);
    await screenshot(page, "accounts-forgot-password-nojs");
    await page.getByLabel("Email address").fill("organiser@example.org");
    await page.getByRole("button", { name: "Send the link" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    const mail = await waitForEmail(app.outboxDir, "organiser@example.org", /Reset your Roundtable password/);
    const link = linkIn(mail.text, "/reset-password");
    await page.goto(link);
    await screenshot(page, "accounts-reset-password-nojs");
    await page.getByLabel("New password").fill("password");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("too common").first().waitFor();
    await screenshot(page, "accounts-reset-password-error-nojs");
    await page.getByLabel("New password").fill("a completely fresh passphrase");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.waitForURL(/\/sign-in/);
    await signIn(page, app, "organiser@example.org", "a completely fresh passphrase");
    expect(new URL(page.url()).pathname).toBe("/account");
    // The link works once.
    await page.goto(link);
    await page.getByText("already been used").waitFor();
    await context.close();
  });

  it("answers the eleventh wrong password with 429 and a plain message", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    let status = 0;
    page.on("response", (r) => {
      if (r.request().method() === "POST" && new URL(r.url()).pathname === "/sign-in") status = r.status();
    });
    for (let i = 1; i <= 11; i++) {
      await page.goto(`${app.url}/sign-in`);
      await page.getByLabel("Email address").fill("moderator@example.org");
      await page.getByLabel("Password", { exact: true }).fill(`wrong guess ${i}`);
      await page.getByRole("button", { name: /sign in/i }).click();
      await page.getByText("There is a problem").waitFor();
      expect(status, `attempt ${i}`).toBe(i <= 10 ? 400 : 429);
    }
    await page.getByText(/Too many attempts\. Please wait \d+ minutes?/).first().waitFor();
    await checkPage(page, "accounts-sign-in-429");
    await context.close();
  });

  it("gives a member of another network 404 on members-only pages", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, app, "national@example.org");
    const res = await page.goto(`${app.url}/networks/north-west/members`);
    expect(res?.status()).toBe(404);
    await page.goto(`${app.url}/networks/north-west`);
    expect(await page.getByRole("heading", { name: "For members" }).count()).toBe(0);
    await context.close();
  });

  it("fits a 375px phone without sideways scrolling on the main account pages", async () => {
    const context = await newContext(browser, { phone: true });
    const page = await context.newPage();
    for (const [path, name] of [
      ["/sign-up", "sign-up"],
      ["/forgot-password", "forgot-password"],
    ] as const) {
      expect(formatViolations(await visit(page, `${app.url}${path}`, `accounts-${name}-phone`))).toBe("");
      expect(await horizontalOverflow(page), path).toBeLessThanOrEqual(0);
    }
    await signInAsAdmin(page, app);
    for (const [path, name] of [
      ["/account", "account"],
      ["/account/profile", "profile"],
      ["/account/sessions", "sessions"],
      ["/account/two-step", "two-step"],
      ["/networks/north-west", "network"],
      ["/networks/north-west/members", "members-admin"],
    ] as const) {
      expect(formatViolations(await visit(page, `${app.url}${path}`, `accounts-${name}-phone`)), path).toBe("");
      expect(await horizontalOverflow(page), path).toBeLessThanOrEqual(0);
    }
    await context.close();
  });

  it("sets up two-step verification with a QR code and the key as text, then asks for a code at sign-in", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, app, "member@example.org");
    expect(formatViolations(await visit(page, `${app.url}/account/two-step`, "accounts-two-step-setup"))).toBe("");
    expect(await page.locator(".rt-qr svg").count()).toBe(1);
    const { totpCode } = await import("../../app/utils/totp.server");
    const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s+/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.getByRole("textbox", { name: /code/i }).fill(totpCode(secret));
    await page.getByRole("button", { name: /turn on/i }).click();
    await page.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
    expect(await page.getByTestId("recovery-codes").locator("li").count()).toBe(10);
    await checkPage(page, "accounts-recovery-codes");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${app.url}/`);
    await signIn(page, app, "member@example.org");
    expect(new URL(page.url()).pathname).toBe("/sign-in/two-step");
    await checkPage(page, "accounts-two-step-sign-in");
    await context.close();
  });
});
