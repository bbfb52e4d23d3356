import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser, newContext, signIn, startApp, type App } from "../support/e2e";

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

it.each([true, false])("shows the message after a form once (JavaScript %s)", async (javaScript) => {
  const context = await newContext(browser, { javaScript });
  const page = await context.newPage();
  await signIn(page, app, "member@example.org");
  await expect(page.locator(".nhsuk-notification-banner").textContent()).resolves.toContain("You are signed in.");
  await page.reload();
  expect(await page.locator(".nhsuk-notification-banner").count()).toBe(0);
  await context.close();
});
