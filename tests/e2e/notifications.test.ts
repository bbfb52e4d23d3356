import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import ICAL from "ical.js";
import nodeIcal from "node-ical";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { formatViolations, horizontalOverflow, launchBrowser, newContext, signIn, startApp, visit, waitForEmail, type App } from "../support/e2e";

let app: App;
let browser: Browser;

beforeAll(async () => {
  // No hold for change emails here, so the journey need not wait ten minutes.
  app = await startApp({ NOTIFY_COALESCE_MINUTES: "0" });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function checked(page: Page, url: string, name: string, { phone = false }: { phone?: boolean } = {}) {
  const violations = await visit(page, url, `notifications-${name}-${phone ? "phone" : "desktop"}`);
  expect(formatViolations(violations), `${url} on ${phone ? "phone" : "desktop"}`).toBe("");
  if (phone) expect(await horizontalOverflow(page), `${url} scrolls sideways`).toBeLessThanOrEqual(0);
}

/** The calendar part of an emailed message (read from the .eml the app wrote). */
async function calendarOf(file: string): Promise<string> {
  const parsed = await simpleParser(fs.readFileSync(path.join(app.outboxDir, file)));
  const part = parsed.attachments.find((a) => a.contentType.startsWith("text/calendar") || a.contentType === "application/ics");
  expect(part, `a calendar part in ${file}`).toBeDefined();
  return part!.content.toString("utf8");
}

function parsedBoth(ics: string) {
  const root = new ICAL.Component(ICAL.parse(ics));
  const vevent = root.getFirstSubcomponent("vevent")!;
  const node = Object.values(nodeIcal.sync.parseICS(ics)).find((c) => c && c.type === "VEVENT") as { uid: string; sequence?: string; status?: string; start: Date } | undefined;
  expect(node, "node-ical finds the VEVENT").toBeDefined();
  return { method: String(root.getFirstPropertyValue("method")), uid: String(vevent.getFirstPropertyValue("uid")), sequence: Number(vevent.getFirstPropertyValue("sequence")), status: vevent.getFirstPropertyValue("status"), dtstart: String(vevent.getFirstPropertyValue("dtstart")), node: node! };
}

function countTo(address: string, subject: RegExp): number {
  if (!fs.existsSync(app.outboxDir)) return 0;
  return fs
    .readdirSync(app.outboxDir)
    .filter((f) => f.endsWith(".eml"))
    .map((f) => fs.readFileSync(path.join(app.outboxDir, f), "latin1"))
    .filter((raw) => raw.includes(address) && subject.test(raw.replace(/\r\n[ \t]+/g, " "))).length;
}

function dateIn(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

describe("notifications: registration, change, cancellation with a reason, and a reported post", () => {
  it("runs the journey in the browser, every page passing axe, forms working without JavaScript", async () => {
    const title = "Notifier journey round table";
    const first = dateIn(12);
    const moved = dateIn(19);

    // 1. The organiser publishes a one-off event.
    const org = await (await newContext(browser)).newPage();
    await signIn(org, app, "organiser@example.org");
    await org.goto(`${app.url}/events/new`);
    await org.getByLabel("Title", { exact: true }).fill(title);
    await org.getByLabel("Kind of event", { exact: true }).selectOption("workshop");
    await org.getByLabel("Description", { exact: true }).fill("A round table on notifications.");
    await org.getByLabel("Start date", { exact: true }).fill(first);
    await org.getByLabel("Start time", { exact: true }).fill("10:00");
    await org.getByLabel("End time", { exact: true }).fill("11:30");
    await org.getByLabel("Venue", { exact: true }).fill("Manchester Museum");
    await org.getByLabel("Address", { exact: true }).fill("Oxford Road\nManchester");
    await org.getByLabel("Postcode", { exact: true }).fill("M13 9PL");
    await org.getByRole("button", { name: "Save event" }).click();
    await org.waitForURL(/\/events\/\d+$/);
    const eventPath = new URL(org.url()).pathname;

    // 2. A member registers and gets one confirmation with an .ics both parsers read, with the feed's UID.
    const member = await (await newContext(browser)).newPage();
    await signIn(member, app, "member@example.org");
    await checked(member, `${app.url}${eventPath}`, "event");
    await member.getByRole("button", { name: "I'm going" }).click();
    await member.getByText("You are going.", { exact: true }).waitFor({ timeout: 10_000 });
    const confirmation = await waitForEmail(app.outboxDir, "member@example.org", new RegExp(`^Registered: ${title}$`));
    expect(confirmation.text).toContain("Why you got this");
    const confirmed = parsedBoth(await calendarOf(confirmation.file));
    expect(confirmed.method).toBe("REQUEST");
    const feed = await (await fetch(`${app.url}${eventPath}.ics`)).text();
    expect(feed).toContain(`UID:${confirmed.uid}`);
    expect(confirmed.node.uid).toBe(confirmed.uid);

    // 3. The organiser moves the date: one update, SEQUENCE raised.
    await org.goto(`${app.url}${eventPath}/edit`);
    await org.getByLabel("Start date", { exact: true }).fill(moved);
    await org.getByRole("button", { name: "Save changes" }).click();
    await org.waitForURL(new RegExp(`${eventPath}$`));
    const update = await waitForEmail(app.outboxDir, "member@example.org", new RegExp(`^${title} has changed$`));
    const changed = parsedBoth(await calendarOf(update.file));
    expect(changed.method).toBe("REQUEST");
    expect(changed.uid).toBe(confirmed.uid);
    expect(changed.sequence).toBeGreaterThan(confirmed.sequence);
    expect(changed.dtstart).toContain(moved);
    await new Promise((r) => setTimeout(r, 2_500)); // a second job run finds nothing more to send
    expect(countTo("member@example.org", new RegExp(`Subject: ${title} has changed`))).toBe(1);

    // 4. The organiser cancels, with JavaScript off: the confirm page asks for a reason (axe runs with JavaScript on).
    await checked(org, `${app.url}${eventPath}/cancel`, "cancel");
    const orgPhone = await (await newContext(browser, { phone: true })).newPage();
    await signIn(orgPhone, app, "organiser@example.org");
    await checked(orgPhone, `${app.url}${eventPath}/cancel`, "cancel", { phone: true });
    const orgNoJs = await (await newContext(browser, { javaScript: false })).newPage();
    orgNoJs.setDefaultTimeout(15_000);
    await signIn(orgNoJs, app, "organiser@example.org");
    await orgNoJs.goto(`${app.url}${eventPath}`);
    await orgNoJs.getByRole("button", { name: "Cancel the event" }).click();
    await orgNoJs.waitForURL(/\/cancel$/);
    await orgNoJs.getByRole("button", { name: "Cancel the event" }).click();
    await orgNoJs.getByText("There is a problem").waitFor({ timeout: 10_000 });
    await orgNoJs.getByRole("link", { name: /Say why the event is cancelled/ }).waitFor();
    await orgNoJs.getByLabel("Why is it cancelled?").fill("The speaker is unwell.");
    await orgNoJs.getByRole("button", { name: "Cancel the event" }).click();
    await orgNoJs.waitForURL(new RegExp(`${eventPath}$`));
    await orgNoJs.getByText("The organiser's reason: The speaker is unwell.").waitFor({ timeout: 10_000 });
    const cancellation = await waitForEmail(app.outboxDir, "member@example.org", new RegExp(`^Cancelled: ${title}$`));
    expect(cancellation.text).toContain("Their reason: The speaker is unwell.");
    const cancelled = parsedBoth(await calendarOf(cancellation.file));
    expect(cancelled.method).toBe("CANCEL");
    expect(cancelled.status).toBe("CANCELLED");
    expect(cancelled.uid).toBe(confirmed.uid);
    // The registrant sees the reason on the event page too.
    await checked(member, `${app.url}${eventPath}`, "event-cancelled");
    await member.getByText("The organiser's reason: The speaker is unwell.").waitFor({ timeout: 10_000 });

    // 5. A member reports a post; the moderator gets the alert and acts from its link.
    const db = new SQLite(app.dbPath, { readonly: true });
    const post = db
      .prepare(
        `SELECT p.id FROM discussion_post p JOIN discussion_thread t ON t.id = p.thread_id JOIN network n ON n.id = t.network_id
         JOIN account a ON a.id = p.author_account_id WHERE n.slug = 'north-west' AND a.email != 'member@example.org' AND p.hidden = 0 AND t.hidden = 0 ORDER BY p.id LIMIT 1`,
      )
      .get() as { id: number };
    db.close();
    await member.goto(`${app.url}/discussions/posts/${post.id}/report`);
    await member.getByLabel("What is wrong with it?").fill("Shares someone's phone number.");
    await member.getByRole("button", { name: "Send report" }).click();
    await member.waitForURL(/#post-\d+$/);
    await waitForEmail(app.outboxDir, "member@example.org", /^We have your report/);
    const alert = await waitForEmail(app.outboxDir, "moderator@example.org", /^A post was reported/);
    const link = /http\S+\/discussions\/moderation/.exec(alert.text)![0];
    expect(new URL(link).origin).toBe(app.url);
    const mo = await (await newContext(browser)).newPage();
    await signIn(mo, app, "moderator@example.org");
    await checked(mo, link, "moderation");
    await mo.getByText("Shares someone's phone number.").waitFor({ timeout: 10_000 });
    await mo.getByRole("button", { name: /^Hide post by / }).first().click();
    await mo.getByText("The post is hidden").waitFor({ timeout: 10_000 });
    const outcome = await waitForEmail(app.outboxDir, "member@example.org", /^Your report has been dealt with/);
    expect(outcome.text).toContain("a moderator hid the post");
    expect(outcome.text).not.toContain("Mo Moderator");

    // 6. The member's choices page, and the one-click page from the email, pass axe (desktop and phone).
    await checked(member, `${app.url}/account/digest`, "choices");
    await checked(member, `${app.url}/account/digest`, "choices", { phone: true });
    const stop = /http\S+\/digest\/notifications\?token=\S+/.exec(outcome.text)![0];
    await checked(await (await newContext(browser)).newPage(), stop, "stop");
    const anon = await (await newContext(browser, { javaScript: false })).newPage();
    await anon.goto(stop);
    await anon.getByRole("button", { name: "Stop these emails" }).click();
    await anon.getByRole("heading", { name: "Those emails are switched off" }).waitFor({ timeout: 10_000 });
  });
});
