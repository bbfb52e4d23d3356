/**
 * Issue 12, item 12: form errors people can see. The NHS.UK pattern on every form: all fields
 * validated at once, an error summary at the top that gets focus (with JavaScript) or is read
 * first (without), each error linked to its field, and what was typed kept.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axe, formatViolations, launchBrowser, newContext, screenshot, signIn, startApp, visit, type App } from "../support/e2e";

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

/** What the error summary says and where its links go; fails if a link has no field to go to. */
async function summary(page: Page, javaScript = false) {
  const box = page.locator(".nhsuk-error-summary");
  await box.waitFor();
  // Without JavaScript the answer is a streamed document: the summary at its top can be drawn
  // before the fields below it have arrived, so read the page once it has loaded.
  await page.waitForLoadState("load");
  // With JavaScript, focus moves in an effect just after the summary is drawn.
  if (javaScript) await page.waitForFunction(() => document.activeElement?.classList.contains("nhsuk-error-summary"), undefined, { timeout: 5_000 }).catch(() => {});
  return page.evaluate(() => {
    const el = document.querySelector(".nhsuk-error-summary")!;
    const links = [...el.querySelectorAll("a")].map((a) => ({ text: a.textContent ?? "", target: a.getAttribute("href")!.slice(1) }));
    const h1 = document.querySelector("main h1, #maincontent h1");
    return {
      focused: document.activeElement === el,
      beforeHeading: h1 ? Boolean(el.compareDocumentPosition(h1) & Node.DOCUMENT_POSITION_FOLLOWING) : true,
      links,
      missing: links.filter((l) => !document.getElementById(l.target)).map((l) => l.target),
      title: document.title,
    };
  });
}

type FormCase = { path: string; button: string | RegExp; as?: string; expect: string[] };

/** Every form a person fills in, submitted empty: each must show its problems all at once, linked. */
const FORMS: FormCase[] = [
  { path: "/sign-in", button: "Sign in", expect: ["email", "password"] },
  { path: "/sign-up", button: "Create account", expect: ["name", "email", "password"] },
  { path: "/forgot-password", button: "Send the link", expect: ["email"] },
  { path: "/digest", button: "Send me a confirmation link", expect: ["email"] },
  { path: "/events/new", button: "Save event", as: "organiser@example.org", expect: ["title", "startDate", "startTime", "endTime", "venue"] },
  { path: "/resources/new", button: "Add resource", as: "organiser@example.org", expect: ["title", "kind", "summary"] },
  { path: "/organisations/new", button: "Send for approval", as: "member@example.org", expect: ["name"] },
  { path: "/discussions/new", button: "Start the discussion", as: "member@example.org", expect: ["categoryId", "title", "body"] },
  { path: "/account/profile", button: "Save profile", as: "moderator@example.org", expect: ["name"] },
  { path: "/account/password", button: "Change password", as: "moderator@example.org", expect: ["currentPassword"] },
];

async function clearForm(page: Page) {
  await page.evaluate(() => {
    for (const el of document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>("main form input, main form textarea, main form select")) {
      if (el instanceof HTMLInputElement && ["hidden", "submit", "checkbox", "radio"].includes(el.type)) continue;
      if (el instanceof HTMLSelectElement) el.selectedIndex = 0;
      else el.value = "";
    }
  });
}

for (const javaScript of [true, false]) {
  describe(`form errors, JavaScript ${javaScript ? "on" : "off"}`, () => {
    for (const form of FORMS) {
      it(`${form.path}: every problem at once, at the top, linked to its field`, async () => {
        const context = await newContext(browser, { javaScript });
        const page = await context.newPage();
        if (form.as) await signIn(page, app, form.as);
        await page.goto(`${app.url}${form.path}`);
        await clearForm(page);
        await page.getByRole("button", { name: form.button }).first().click();
        const s = await summary(page, javaScript);
        const targets = s.links.map((l) => l.target);
        for (const field of form.expect) expect(targets, `${form.path}: ${field}`).toContain(field);
        expect(s.missing, `${form.path}: links without a field`).toEqual([]);
        expect(s.beforeHeading, `${form.path}: the summary comes before the heading`).toBe(true);
        if (javaScript) {
          expect(s.focused, `${form.path}: the summary has focus`).toBe(true);
          expect(s.title).toMatch(/^Error: /);
          expect(formatViolations(await axe(page)), form.path).toBe("");
        }
        await screenshot(page, `form-errors${form.path.replace(/\//g, "-")}-${javaScript ? "js" : "nojs"}`);
        await context.close();
      });
    }

    it("/events/new keeps what was typed, and a summary link takes focus to its field", async () => {
      const context = await newContext(browser, { javaScript });
      const page = await context.newPage();
      await signIn(page, app, "organiser@example.org");
      await page.goto(`${app.url}/events/new`);
      await page.getByLabel("Title").fill("Walk and talk in Penrith");
      await page.getByRole("button", { name: "Save event" }).click();
      const s = await summary(page);
      expect(s.links.map((l) => l.target)).toEqual(expect.arrayContaining(["startDate", "venue"]));
      expect(s.links.map((l) => l.target)).not.toContain("title");
      expect(await page.getByLabel("Title").inputValue()).toBe("Walk and talk in Penrith");
      if (javaScript) {
        await page.locator(".nhsuk-error-summary a[href='#venue']").click();
        expect(await page.evaluate(() => document.activeElement?.id)).toBe("venue");
      }
      await context.close();
    });
  });
}

describe("the event form at 375 px", () => {
  it("shows the summary on screen after submitting from the bottom of the form", async () => {
    const context = await newContext(browser, { phone: true });
    const page = await context.newPage();
    await signIn(page, app, "organiser@example.org");
    expect(formatViolations(await visit(page, `${app.url}/events/new`, "form-errors-events-new-phone"))).toBe("");
    await page.getByRole("button", { name: "Save event" }).click();
    await page.locator(".nhsuk-error-summary").waitFor();
    const top = await page.evaluate(() => document.querySelector(".nhsuk-error-summary")!.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(740);
    await screenshot(page, "form-errors-events-new-phone-error");
    await context.close();
  });
});
