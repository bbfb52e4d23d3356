/**
 * One journey in Chromium against the built server on PostgreSQL (DATABASE_URL on the run's
 * throwaway cluster; the server migrates and seeds the demo data there itself): an organiser
 * publishes an event with one place, a member finds things through site search, takes the place,
 * replies in a discussion; a moderator joins the waiting list without JavaScript and is emailed a
 * place (the server's notice job) when the member gives it up. Every page passes axe.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { createPostgresDb } from "../../db/index";
import { formatViolations, horizontalOverflow, launchBrowser, newContext, screenshot, signIn, startApp, visit, waitForEmail, type App } from "../support/e2e";
import { createPgDatabase, type PgDatabase } from "../support/pg-database";

let pgDb: PgDatabase;
let app: App;
let browser: Browser;

beforeAll(async () => {
  pgDb = await createPgDatabase(inject("pgAdminUrl"), "rt_journey");
  app = await startApp({ DATABASE_URL: pgDb.url });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await pgDb?.drop();
});

async function checked(page: Page, url: string, name: string, { phone = false }: { phone?: boolean } = {}) {
  const violations = await visit(page, url, `pg-${name}-${phone ? "phone" : "desktop"}`);
  expect(formatViolations(violations), url).toBe("");
  if (phone) expect(await horizontalOverflow(page), `${url} scrolls sideways`).toBeLessThanOrEqual(0);
}

async function as(email: string, opts: { javaScript?: boolean; phone?: boolean } = {}): Promise<Page> {
  const page = await (await newContext(browser, opts)).newPage();
  page.setDefaultTimeout(15_000);
  await signIn(page, app, email);
  return page;
}

describe("on PostgreSQL", () => {
  it("an event with one place, search, a reply, a waiting list and its email", async () => {
    const day = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);

    // 1. The organiser publishes an event with one place.
    const org = await as("organiser@example.org");
    await checked(org, `${app.url}/events/new`, "event-new");
    await org.getByLabel("Title", { exact: true }).fill("PostgreSQL peer support circle");
    await org.getByLabel("Kind of event", { exact: true }).selectOption("workshop");
    await org.getByLabel("Description", { exact: true }).fill("A small circle for link workers, held in **Preston**.");
    await org.getByLabel("Start date", { exact: true }).fill(day);
    await org.getByLabel("Start time", { exact: true }).fill("10:00");
    await org.getByLabel("End time", { exact: true }).fill("11:00");
    await org.getByLabel("Venue", { exact: true }).fill("Preston Library");
    await org.getByLabel("Postcode", { exact: true }).fill("PR1 2HE");
    await org.getByLabel("Number of places (optional)", { exact: true }).fill("1");
    await org.getByRole("button", { name: "Save event" }).click();
    await org.getByRole("heading", { level: 1, name: /PostgreSQL peer support circle/ }).waitFor();
    const eventPath = new URL(org.url()).pathname;
    expect(eventPath).toMatch(/^\/events\/\d+$/);
    await checked(org, `${app.url}${eventPath}`, "event-organiser");
    // It is PostgreSQL that holds it.
    const db = createPostgresDb(pgDb.url, { max: 1 });
    const saved = await db.selectFrom("event").select("id").where("title", "=", "PostgreSQL peer support circle").executeTakeFirst().finally(() => db.destroy());
    expect(`/events/${saved?.id}`).toBe(eventPath);

    // 2. A member searches from the header box and finds the demo's walking discussion.
    const member = await as("member@example.org");
    await member.locator("#search-field").fill("walking");
    await member.locator("#search-field").press("Enter");
    await member.locator(".rt-result__title", { hasText: "Walking groups for people who are lonely" }).first().waitFor();
    await checked(member, member.url(), "search");
    // The new event is found by a word from its description.
    await member.goto(`${app.url}/search?q=circle`);
    await member.locator(".rt-result__title", { hasText: "PostgreSQL peer support circle" }).first().waitFor();

    // 3. The member takes the one place.
    await member.goto(`${app.url}${eventPath}`);
    await member.getByRole("button", { name: "I'm going" }).click();
    await member.getByText("You are going.", { exact: true }).waitFor();
    await checked(member, `${app.url}${eventPath}`, "event-going");

    // 4. The member replies in a discussion.
    await member.goto(`${app.url}/discussions`);
    await member.getByRole("link", { name: "Everyone measuring the same things: the Common Outcomes Framework" }).first().click();
    await member.getByLabel("Your reply").fill("We use the framework on PostgreSQL too.");
    await member.getByRole("button", { name: "Post reply" }).click();
    await member.getByText("We use the framework on PostgreSQL too.").waitFor();
    await checked(member, member.url().replace(/#.*$/, ""), "thread");

    // 5. A moderator, without JavaScript and on a phone, finds it full and joins the waiting list.
    const moderator = await as("moderator@example.org", { javaScript: false, phone: true });
    await moderator.goto(`${app.url}${eventPath}`);
    await moderator.getByText("Full (1 place). 0 on the waiting list.").waitFor();
    await moderator.getByRole("button", { name: "Join the waiting list" }).click();
    await moderator.getByText("You are number 1 on the waiting list.").waitFor();
    expect(await horizontalOverflow(moderator)).toBeLessThanOrEqual(0);
    await screenshot(moderator, "pg-event-waiting-phone-nojs");

    // 6. The member gives the place up: the moderator moves up and is emailed by the server's job.
    await member.goto(`${app.url}${eventPath}`);
    await member.getByRole("button", { name: "I can no longer go" }).click();
    await member.getByRole("button", { name: "Yes, cancel my place" }).click();
    await member.getByText("You said you are not going.").waitFor();
    const mail = await waitForEmail(app.outboxDir, "moderator@example.org", /You have a place: PostgreSQL peer support circle/, 30_000);
    expect(mail.text).toContain("moved off the waiting list");
    await moderator.reload();
    await moderator.getByText("You are going.", { exact: true }).waitFor();

    // 7. The organiser's attendee list shows who is going.
    await org.goto(`${app.url}${eventPath}`);
    await org.getByRole("cell", { name: "Mo Moderator" }).waitFor();
    await checked(org, `${app.url}${eventPath}`, "event-attendees");
  });
});
