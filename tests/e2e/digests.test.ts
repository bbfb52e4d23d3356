import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { formatViolations, horizontalOverflow, launchBrowser, newContext, readOutbox, startApp, visit, waitForEmail, type App } from "../support/e2e";

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

/** `npm run digest:send` against the app's database and outbox. */
function digestSend(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "app/jobs/digest-send.ts"], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", APP_URL: app.url, DATABASE_PATH: app.dbPath, OUTBOX_DIR: app.outboxDir, UPLOADS_DIR: `${app.dir}/uploads` },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("the email digest, as a new subscriber", () => {
  it("signs up from the home page, confirms, gets a digest, changes it and leaves", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(app.url);
    await page.getByRole("link", { name: "Subscribe to the email digest" }).click();
    await page.waitForURL(/\/digest$/);
    expect(formatViolations(await visit(page, `${app.url}/digest`, "digest-signup-desktop"))).toBe("");

    // A mistake first: the error summary, and what was typed is kept.
    await page.getByLabel("Email address").fill("partner@example");
    await page.getByRole("button", { name: "Send me a confirmation link" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toMatch(/correct format[\s\S]*Tick the box/);
    expect(await page.getByLabel("Email address").inputValue()).toBe("partner@example");

    await page.getByLabel("Email address").fill("partner@vcse.example.org");
    await page.getByLabel("Daily").check();
    await page.getByLabel("North West Social Prescribing Network").check();
    await page.getByLabel(/I agree to Roundtable emailing me/).check();
    await page.getByRole("button", { name: "Send me a confirmation link" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    expect(formatViolations(await visit(page, page.url(), "digest-check-email"))).toBe("");

    const confirmation = await waitForEmail(app.outboxDir, "partner@vcse.example.org", /Confirm your Roundtable digest/);
    const confirmUrl = /http\S+\/digest\/confirm\?token=\S+/.exec(confirmation.text)![0];
    // Nothing but the confirmation has been sent.
    expect((await readOutbox(app.outboxDir)).filter((m) => m.to.includes("partner@vcse.example.org")).length).toBe(1);

    expect(formatViolations(await visit(page, confirmUrl, "digest-confirm"))).toBe("");
    await page.getByRole("button", { name: "Confirm my digest" }).click();
    await page.getByRole("heading", { name: "Your digest is confirmed" }).waitFor();
    expect(formatViolations(await visit(page, confirmUrl, "digest-confirm-used"))).toBe("");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("This link has already been used");

    // The cron job sends the first digest.
    const run = await digestSend();
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/^digest:send .* sent=1 /m);
    const digest = await waitForEmail(app.outboxDir, "partner@vcse.example.org", /Your daily Roundtable digest/);
    expect(digest.html).toContain("<h2");
    expect(digest.text).toContain("UPCOMING EVENTS");
    const list = digest.headers.get("list") as { unsubscribe?: { url?: string; mail?: string } };
    expect(list.unsubscribe?.url).toMatch(new RegExp(`^${app.url}/digest/unsubscribe\\?token=`));
    expect(list.unsubscribe?.mail).toMatch(/^unsubscribe@/);
    const raw = fs.readFileSync(path.join(app.outboxDir, digest.file), "utf8");
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    // A second run in the same day sends nothing.
    expect((await digestSend()).output).toMatch(/claimed=0 resumed=0 sent=0 /);

    const manageUrl = /Change how often and what it covers: (\S+)/.exec(digest.text)![1];
    expect(formatViolations(await visit(page, manageUrl, "digest-manage-desktop"))).toBe("");
    await page.getByLabel("Weekly").check();
    await page.getByLabel("Dementia").check();
    await page.getByRole("button", { name: "Save my choices" }).click();
    await page.getByText("Your digest choices are saved.").waitFor();
    expect(await page.getByLabel("Weekly").isChecked()).toBe(true);
    expect(await page.getByLabel("Dementia").isChecked()).toBe(true);

    await page.getByRole("link", { name: "Preview your next digest" }).click();
    await page.getByRole("heading", { name: "Your next weekly digest" }).waitFor();
    expect(formatViolations(await visit(page, page.url(), "digest-preview"))).toBe("");

    // The unsubscribe link: opening it changes nothing; the mail provider's one-click POST (no cookie, no Origin) does.
    const unsubscribeUrl = list.unsubscribe!.url!;
    expect(formatViolations(await visit(page, unsubscribeUrl, "digest-unsubscribe"))).toBe("");
    await page.getByRole("button", { name: "Unsubscribe" }).waitFor();
    for (let i = 0; i < 2; i++) {
      const res = await fetch(unsubscribeUrl, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
      expect(res.status).toBe(200);
    }
    await page.reload();
    await expect(page.getByText("is already unsubscribed").textContent()).resolves.toMatch(/partner@vcse\.example\.org/);
    const tampered = await fetch(unsubscribeUrl.replace(/token=(\d+)/, (_m, id: string) => `token=${Number(id) + 1}`), { method: "POST", body: "List-Unsubscribe=One-Click" });
    expect(tampered.status).toBe(404);
    await context.close();
  });

  it("fits a 375px phone", async () => {
    const context = await newContext(browser, { phone: true });
    const page = await context.newPage();
    expect(formatViolations(await visit(page, `${app.url}/digest`, "digest-signup-phone"))).toBe("");
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(formatViolations(await visit(page, `${app.url}/digest/unsubscribe?token=1.nope`, "digest-unsubscribe-invalid-phone"))).toBe("");
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await context.close();
  });

  it("signing up works with JavaScript off", async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    await page.goto(`${app.url}/digest`);
    await page.getByLabel("Email address").fill("no-js@example.org");
    await page.getByLabel(/I agree to Roundtable emailing me/).check();
    await page.getByRole("button", { name: "Send me a confirmation link" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    await waitForEmail(app.outboxDir, "no-js@example.org", /Confirm your Roundtable digest/);
    await context.close();
  });
});
