import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { formatViolations, horizontalOverflow, launchBrowser, newContext, signIn, startApp, visit, type App } from "../support/e2e";

let app: App;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function checked(page: Page, path: string, name: string) {
  const violations = await visit(page, path.startsWith("http") ? path : `${app.url}${path}`, `discussions-${name}`);
  expect(formatViolations(violations), `${path} (${name})`).toBe("");
}

async function asUser(email: string, opts: { phone?: boolean; javaScript?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, opts);
  const page = await context.newPage();
  await signIn(page, app, email);
  return { context, page };
}

const XSS = [
  "<script>window.__xss = 1; alert('script')</script>",
  '<img src=x onerror="window.__xss = 2; alert(\'img\')">',
  "[click me](javascript:alert('link'))",
  "<svg onload=\"alert('svg')\"></svg>",
  "<scr<script>ipt>alert('nested')</script>",
  '<a href="javascript:alert(\'raw\')" id="injected-link">raw link</a>',
  '<iframe src="javascript:alert(\'frame\')"></iframe>',
].join("\n\n");

describe("discussions", () => {
  it("a member starts a thread, another replies with a quote and a mention, the first is notified, a report is hidden by a moderator", async () => {
    // 1. Sam starts a thread (desktop).
    const sam = await asUser("member@example.org");
    await checked(sam.page, "/discussions", "index-desktop");
    await sam.page.getByRole("button", { name: "Start a discussion" }).first().click();
    await sam.page.waitForURL(/\/discussions\/new/);
    await checked(sam.page, sam.page.url(), "new-desktop");
    // Empty submission: clear errors, nothing lost.
    await sam.page.getByLabel("Title").fill("Peer support for link workers");
    await sam.page.getByRole("button", { name: "Start the discussion" }).click();
    await sam.page.getByText("There is a problem").waitFor({ state: "visible", timeout: 10_000 });
    expect(await sam.page.getByLabel("Title").inputValue()).toBe("Peer support for link workers");
    // Each option also says who can read it ("… – anyone can read").
    const linkWorkers = await sam.page.locator("#categoryId option", { hasText: "Link workers (North West)" }).getAttribute("value");
    await sam.page.getByLabel("Category").selectOption(linkWorkers!);
    await sam.page.getByLabel("Your message").fill("How do you support each other between supervision sessions?");
    await sam.page.getByRole("button", { name: "Start the discussion" }).click();
    await sam.page.waitForURL(/\/discussions\/\d+$/);
    const threadUrl = sam.page.url();
    await checked(sam.page, threadUrl, "thread-desktop");

    // 2. Olivia quotes Sam and mentions her.
    const olivia = await asUser("organiser@example.org");
    await olivia.page.goto(threadUrl);
    await olivia.page.getByRole("link", { name: "Quote Sam Member" }).click();
    await olivia.page.waitForURL(/quote=/);
    await expect.poll(() => olivia.page.getByLabel("Your reply").inputValue()).toContain("> **Sam Member** wrote:");
    const box = olivia.page.getByLabel("Your reply");
    await box.press("Control+End");
    await box.pressSequentially("We run a fortnightly peer circle. ");
    // The picker adds the handle.
    await olivia.page.getByLabel("Mention someone").selectOption({ label: "Sam Member (@sam-member)" });
    await olivia.page.getByRole("button", { name: "Add mention" }).click();
    expect(await box.inputValue()).toContain("@sam-member");
    await olivia.page.getByRole("button", { name: "Post reply" }).click();
    await olivia.page.waitForURL(/#post-\d+$/);
    await expect(olivia.page.locator("blockquote").first().innerText()).resolves.toContain("How do you support each other");

    // 3. Sam sees the notification and follows it to the reply.
    await checked(sam.page, "/notifications", "notifications-desktop");
    const note = sam.page.getByRole("link", { name: /Olivia Organiser mentioned you in “Peer support for link workers”/ });
    await note.waitFor({ state: "visible", timeout: 10_000 });
    await note.click();
    await sam.page.waitForURL(/\/discussions\/\d+(\?page=1)?#post-\d+$/);
    const replyId = /#post-(\d+)$/.exec(sam.page.url())![1];

    // 4. Sam reports Olivia's reply; the moderator hides it from the queue.
    await sam.page.getByRole("link", { name: "Report post by Olivia Organiser" }).click();
    await sam.page.waitForURL(/\/report$/);
    await checked(sam.page, sam.page.url(), "report-desktop");
    await sam.page.getByLabel("What is wrong with it?").fill("Shares a colleague's phone number.");
    await sam.page.getByRole("button", { name: "Send report" }).click();
    await sam.page.waitForURL(/#post-\d+$/);

    const mo = await asUser("moderator@example.org");
    await checked(mo.page, "/discussions/moderation", "moderation-desktop");
    await mo.page.getByText("Shares a colleague's phone number.").waitFor({ state: "visible", timeout: 10_000 });
    await mo.page.getByText("Sam Member", { exact: false }).first().waitFor({ state: "visible", timeout: 10_000 });
    await mo.page.getByRole("button", { name: "Hide post by Olivia Organiser" }).click();
    await mo.page.waitForURL(/\/discussions\/moderation$/);
    await mo.page.getByText("The post is hidden").waitFor({ state: "visible", timeout: 10_000 });
    await mo.page.goto(threadUrl);
    await mo.page.locator(`#post-${replyId}`).getByText("Hidden by a moderator").waitFor({ state: "visible", timeout: 10_000 });

    // Gone for Sam and for the public.
    await sam.page.goto(threadUrl);
    expect(await sam.page.locator(`#post-${replyId}`).count()).toBe(0);
    const anonymous = await newContext(browser);
    const anon = await anonymous.newPage();
    await checked(anon, threadUrl, "thread-anonymous");
    expect(await anon.locator(`#post-${replyId}`).count()).toBe(0);
    // Olivia is told.
    await olivia.page.goto(`${app.url}/notifications`);
    await olivia.page.getByRole("link", { name: /A moderator hid your post/ }).waitFor({ state: "visible", timeout: 10_000 });

    for (const c of [sam.context, olivia.context, mo.context, anonymous]) await c.close();
  }, 120_000);

  it("a reply full of XSS payloads shows as text and runs nothing", async () => {
    const sam = await asUser("member@example.org");
    const dialogs: string[] = [];
    sam.page.on("dialog", async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    await sam.page.goto(`${app.url}/discussions`);
    await sam.page.getByRole("link", { name: "Everyone measuring the same things: the Common Outcomes Framework" }).first().click();
    await sam.page.waitForURL(/\/discussions\/\d+$/);
    await sam.page.getByLabel("Your reply").fill(XSS);
    await sam.page.getByRole("button", { name: "Post reply" }).click();
    await sam.page.waitForURL(/#post-\d+$/);
    const postId = /#post-(\d+)$/.exec(sam.page.url())![1];
    const post = sam.page.locator(`#post-${postId}`);
    await expect(post.innerText()).resolves.toContain("<script>window.__xss = 1; alert('script')</script>");
    // The posted draft is cleared from the reply box.
    expect(await sam.page.getByLabel("Your reply").inputValue()).toBe("");
    // Click the would-be links too.
    await post.getByText("click me").click().catch(() => {});
    await sam.page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    expect(await sam.page.evaluate(() => (window as unknown as { __xss?: number }).__xss ?? null)).toBeNull();
    expect(await post.locator("script, img, svg, iframe, #injected-link, [onerror], [onload]").count()).toBe(0);
    expect(await post.locator('a[href^="javascript:" i]').count()).toBe(0);
    await checked(sam.page, sam.page.url(), "thread-xss");
    await sam.context.close();
  }, 60_000);

  it("works on a 375px phone without sideways scrolling, and with JavaScript off", async () => {
    const phone = await asUser("member@example.org", { phone: true });
    for (const [path, name] of [
      ["/discussions", "index-phone"],
      ["/discussions/new", "new-phone"],
      ["/notifications", "notifications-phone"],
    ] as const) {
      await checked(phone.page, path, name);
      expect(await horizontalOverflow(phone.page), path).toBeLessThanOrEqual(0);
    }
    await phone.page.goto(`${app.url}/discussions`);
    await phone.page.getByRole("link", { name: "Arts and health" }).first().click();
    await phone.page.waitForURL(/\/discussions\/c\/\d+$/);
    await checked(phone.page, phone.page.url(), "category-phone");
    expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
    await phone.page.getByRole("link", { name: "Arts on prescription: what is working for your link workers?" }).click();
    await phone.page.waitForURL(/\/discussions\/\d+$/);
    await checked(phone.page, phone.page.url(), "thread-phone");
    expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
    await phone.context.close();

    // Without JavaScript: quote by link, reply, search.
    const nojs = await asUser("moderator@example.org", { javaScript: false });
    await nojs.page.goto(`${app.url}/discussions?q=${encodeURIComponent("voluntary sector")}`);
    await nojs.page.getByRole("link", { name: "The voluntary sector is not free" }).first().click();
    await nojs.page.waitForURL(/\/discussions\/\d+/);
    await nojs.page.getByRole("link", { name: "Quote Olivia Organiser" }).first().click();
    expect(await nojs.page.getByLabel("Your reply").inputValue()).toContain("> **Olivia Organiser** wrote:");
    await nojs.page.getByLabel("Your reply").fill("");
    await nojs.page.getByRole("button", { name: "Post reply" }).click();
    await nojs.page.getByText("Enter your reply").first().waitFor({ state: "visible", timeout: 10_000 });
    await nojs.page.getByLabel("Your reply").fill("Small grants for receiving groups work here too. @sam-member");
    await nojs.page.getByRole("button", { name: "Post reply" }).click();
    await nojs.page.waitForURL(/#post-\d+$/);
    await nojs.page.getByText("Small grants for receiving groups work here too.").waitFor({ state: "visible", timeout: 10_000 });
    await nojs.context.close();
  }, 90_000);

  it("answers 404 for a members-only thread to the public", async () => {
    const res = await fetch(`${app.url}/discussions/999999`);
    expect(res.status).toBe(404);
  });
});
