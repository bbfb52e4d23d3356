/**
 * Issue 12 item 13: clicks that cannot be undone ask first, on a page that works without
 * JavaScript. "I can no longer go" (event page), "Remove" (network members, as the demo admin
 * with two-step verification) and "Delete this resource" (as the moderator) each lead to a
 * warning callout; "No, go back" changes nothing, "Yes, …" does it. Axe on every confirm page.
 */
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Cookie, Page } from "playwright-core";
import { signInAsAdmin } from "../support/admin";
import { axe, formatViolations, launchBrowser, newContext, screenshot, signIn, startApp, type App } from "../support/e2e";

let app: App;
let browser: Browser;
let adminCookies: Cookie[];

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  // The admin signs in once (with two-step verification); both JavaScript modes reuse the session.
  const context = await newContext(browser);
  const page = await context.newPage();
  await signInAsAdmin(page, app);
  adminCookies = await context.cookies();
  await context.close();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

function withDb<T>(fn: (db: SQLite.Database) => T): T {
  const db = new SQLite(app.dbPath, { fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Screenshot, and axe where it can run (it needs JavaScript; the no-JS run serves the same markup). */
async function checkPage(page: Page, name: string, javaScript: boolean) {
  await screenshot(page, name);
  if (javaScript) expect(formatViolations(await axe(page)), name).toBe("");
}

const mode = (js: boolean) => (js ? "js" : "nojs");

describe.each([true, false])("confirm before acting (JavaScript %s)", (javaScript) => {
  it("asks before giving up a place at an event; going back keeps it, confirming gives it up", async () => {
    const event = withDb(
      (db) =>
        db
          .prepare(
            "select id, title from event where network_id = (select id from network where slug = 'north-west') and status = 'scheduled' and recurrence is null and start_utc > ? order by start_utc limit 1 offset ?",
          )
          .get(new Date().toISOString(), javaScript ? 0 : 1) as { id: number; title: string },
    );
    expect(event).toBeTruthy();
    const context = await newContext(browser, { javaScript });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, app, "member@example.org");
    await page.goto(`${app.url}/events/${event.id}`);
    await checkPage(page, `confirm-event-${mode(javaScript)}`, javaScript);
    await page.getByRole("button", { name: "I'm going" }).click();
    await page.getByText("You are going.", { exact: true }).waitFor();
    const status = () => withDb((db) => db.prepare("select status from registration where event_id = ? and account_id = (select id from account where email = 'member@example.org')").pluck().get(event.id));
    expect(status()).toBe("going");

    await page.getByRole("button", { name: "I can no longer go" }).click();
    await page.getByRole("heading", { name: "Are you sure you can no longer go?" }).waitFor();
    expect(page.url()).toContain("confirm=not-going");
    await checkPage(page, `confirm-event-ask-${mode(javaScript)}`, javaScript);
    expect(status()).toBe("going");

    await page.getByRole("link", { name: "No, go back" }).click();
    await page.getByRole("button", { name: "I can no longer go" }).waitFor();
    expect(page.url()).not.toContain("confirm=");
    expect(status()).toBe("going");

    await page.getByRole("button", { name: "I can no longer go" }).click();
    await page.getByRole("button", { name: "Yes, cancel my place" }).click();
    await page.getByText("You said you are not going.").waitFor();
    expect(status()).toBe("not-going");
    await context.close();
  });

  it("asks before removing someone from a network; going back keeps them, confirming removes them", async () => {
    const id = `e2econfirm${mode(javaScript)}`;
    const name = `Confirm Person ${mode(javaScript)}`;
    withDb((db) => {
      const now = new Date().toISOString();
      db.prepare("insert into account (id, email, email_verified_at, name, password_hash, profile_visible, is_platform_admin, created_at, updated_at) values (?, ?, ?, ?, null, 1, 0, ?, ?)").run(id, `${id}@confirm.example`, now, name, now, now);
      db.prepare("insert into network_membership (network_id, account_id, role, status, created_at) values ((select id from network where slug = 'north-west'), ?, 'member', 'approved', ?)").run(id, now);
    });
    const membership = () => withDb((db) => db.prepare("select count(*) from network_membership where account_id = ? and status = 'approved'").pluck().get(id));
    const context = await newContext(browser, { javaScript });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await context.addCookies(adminCookies);
    await page.goto(`${app.url}/networks/north-west/members?q=${encodeURIComponent(name)}`);
    const remove = page.getByRole("button", { name: `Remove ${name} from the network` });
    await remove.click();
    await page.getByRole("heading", { name: new RegExp(`Remove ${name} from`) }).waitFor();
    await checkPage(page, `confirm-member-ask-${mode(javaScript)}`, javaScript);
    expect(membership()).toBe(1);

    await page.getByRole("link", { name: "No, go back" }).click();
    await remove.waitFor();
    expect(page.url()).not.toContain("confirm=");
    expect(membership()).toBe(1);

    await remove.click();
    await page.getByRole("button", { name: `Yes, remove ${name}` }).click();
    await page.getByText("They have been removed from the network.").waitFor();
    expect(membership()).toBe(0);
    await context.close();
  });

  it("asks before deleting a resource; going back keeps it, confirming deletes it", async () => {
    const resource = withDb(
      (db) =>
        db
          .prepare("select id, title from resource where network_id = (select id from network where slug = 'north-west') and status = 'published' order by id limit 1 offset ?")
          .get(javaScript ? 0 : 1) as { id: number; title: string },
    );
    expect(resource).toBeTruthy();
    const exists = () => withDb((db) => db.prepare("select count(*) from resource where id = ?").pluck().get(resource.id));
    const context = await newContext(browser, { javaScript });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, app, "moderator@example.org");
    await page.goto(`${app.url}/resources/${resource.id}/edit`);
    await checkPage(page, `confirm-resource-${mode(javaScript)}`, javaScript);
    await page.getByRole("button", { name: "Delete this resource", exact: true }).click();
    await page.getByRole("heading", { name: `Delete ${resource.title}?` }).waitFor();
    await checkPage(page, `confirm-resource-ask-${mode(javaScript)}`, javaScript);
    expect(exists()).toBe(1);

    await page.getByRole("link", { name: "No, go back" }).click();
    await page.getByRole("button", { name: "Delete this resource", exact: true }).waitFor();
    expect(exists()).toBe(1);

    await page.getByRole("button", { name: "Delete this resource", exact: true }).click();
    await page.getByRole("button", { name: "Yes, delete this resource" }).click();
    await page.getByText("The resource was deleted.").waitFor();
    expect(exists()).toBe(0);
    await context.close();
  });

  it("asks before deleting a discussion post; going back keeps it, confirming deletes it", async () => {
    const post = withDb(
      (db) =>
        db
          .prepare("select id from discussion_post where author_account_id = (select id from account where email = 'member@example.org') and deleted_at is null order by id limit 1 offset ?")
          .get(javaScript ? 0 : 1) as { id: number },
    );
    expect(post).toBeTruthy();
    const deleted = () => withDb((db) => db.prepare("select deleted_at is not null from discussion_post where id = ?").pluck().get(post.id));
    const context = await newContext(browser, { javaScript });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, app, "member@example.org");
    await page.goto(`${app.url}/discussions/posts/${post.id}/edit`);
    await page.getByRole("button", { name: "Delete this post", exact: true }).click();
    await page.getByRole("heading", { name: "Delete this post?" }).waitFor();
    await checkPage(page, `confirm-post-ask-${mode(javaScript)}`, javaScript);
    await page.getByRole("link", { name: "No, go back" }).click();
    await page.getByRole("button", { name: "Delete this post", exact: true }).waitFor();
    expect(deleted()).toBe(0);
    await page.getByRole("button", { name: "Delete this post", exact: true }).click();
    await page.getByRole("button", { name: "Yes, delete this post" }).click();
    await page.waitForURL((u) => !u.pathname.endsWith("/edit"));
    await expect.poll(deleted).toBe(1);
    await context.close();
  });
});
