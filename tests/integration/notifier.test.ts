import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { startSmtp, type SmtpOptions } from "../support/smtp";

// One real SMTP server for the whole file, configured before anything reads the environment.
const smtpOptions: SmtpOptions = {};
const smtp = await startSmtp(smtpOptions);
process.env.SMTP_URL = smtp.url;

const { getDb } = await import("../../db/index");
const { NOTICE_KINDS, NOTICE_KIND_INFO } = await import("../../db/types/notifier");
const { resetTransport } = await import("../../emails/transport");
const { notify, setNoticeChoice, getNoticeChoices } = await import("../../app/models/notifier.server");
const { runNoticeSend } = await import("../../app/models/notifier-sender.server");
const { listNotifications } = await import("../../app/models/notifications.server");
const stopRoute = await import("../../app/routes/digest.notifications");
const accountDigest = await import("../../app/routes/account.digest");
const reportRoute = await import("../../app/routes/discussions.posts.$postId.report");
const threadRoute = await import("../../app/routes/discussions.$id");
const modRoute = await import("../../app/routes/discussions.moderation");
const networkPage = await import("../../app/routes/networks.$slug");
const { formRequest, getRequest, ORIGIN } = await import("../support/fixtures");
const { cookieFor } = await import("../support/auth");

afterAll(async () => {
  resetTransport();
  await smtp.close();
});

beforeEach(() => {
  smtpOptions.rcpt = undefined;
});

const ctx = { context: {} };

async function account(email: string) {
  return getDb().selectFrom("account").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
}
function inbox(address: string) {
  return smtp.accepted.filter((m) => m.envelopeTo.includes(address));
}
/** Sends what is due (optionally as if later, to release held emails); returns what arrived for the address. */
async function deliver(address: string, at?: Date) {
  const before = inbox(address).length;
  await runNoticeSend({ now: at });
  return inbox(address).slice(before);
}
function stopLink(text: string | undefined): string {
  return /http\S+\/digest\/notifications\?token=\S+/.exec(text ?? "")![0];
}
function oneClick(url: string) {
  // What a mail provider sends for RFC 8058: a POST with this body and no cookie.
  return stopRoute.action({
    request: new Request(url, { method: "POST", body: "List-Unsubscribe=One-Click", headers: { "Content-Type": "application/x-www-form-urlencoded" } }),
    params: {},
    ...ctx,
  });
}
function sample(kind: (typeof NOTICE_KINDS)[number], title = `Something about ${kind}`) {
  return { kind, title, url: "/discussions", email: { subject: title, heading: title, paragraphs: ["What happened."], action: { label: "See it", url: "/discussions" } } };
}

describe("every kind through the notifier", () => {
  it("email now sends exactly one, with why, a change link, one-click headers and a plain-text twin; its link turns off that kind only; off sends none", async () => {
    const admin = await account("admin@example.org"); // offered every kind (moderator and admin ones too)
    for (const kind of NOTICE_KINDS) await setNoticeChoice(admin.id, kind, "email");
    for (const kind of NOTICE_KINDS) {
      await notify([admin.id], sample(kind));
      const got = await deliver(admin.email);
      expect(got.length, kind).toBe(1);
      const { mail } = got[0];
      expect(mail.subject).toBe(`Something about ${kind}`);
      expect(mail.text).toContain("What happened.");
      expect(mail.text).toContain(`Why you got this: you chose to be emailed straight away when this happens: “${NOTICE_KIND_INFO[kind].label}”`);
      expect(mail.text).toContain("Change which emails you get: http://localhost:3000/account/digest#emails");
      expect(mail.html).toContain("Change which emails you get");
      const raw = got[0].raw.toString("utf8").replace(/\r\n[ \t]+/g, " ");
      expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
      const stop = stopLink(mail.text);
      expect(/^List-Unsubscribe: <(\S+)>, <mailto:/m.exec(raw)?.[1]).toBe(stop);
      expect(mail.messageId).toMatch(/^<notice\.\d+@localhost>$/);

      // The one-click POST (no cookie) turns off this kind's email only.
      expect((await oneClick(stop)).status).toBe(200);
      const choices = await getNoticeChoices(admin.id);
      expect(choices[kind]).toBe("site");
      for (const other of NOTICE_KINDS) if (other !== kind && NOTICE_KINDS.indexOf(other) > NOTICE_KINDS.indexOf(kind)) expect(choices[other], other).toBe("email");
      await notify([admin.id], sample(kind, "after stopping"));
      expect(await deliver(admin.email)).toHaveLength(0);
      // Still on the site.
      expect((await listNotifications({ accountId: admin.id })).items[0].title).toBe("after stopping");

      await setNoticeChoice(admin.id, kind, "off");
      const before = (await listNotifications({ accountId: admin.id })).items.length;
      await notify([admin.id], sample(kind, "while off"));
      expect(await deliver(admin.email)).toHaveLength(0);
      expect((await listNotifications({ accountId: admin.id })).items.length).toBe(before);
    }
    await getDb().deleteFrom("notification_preference").where("account_id", "=", admin.id).execute();
  });

  it("a forged or tampered one-click token changes nothing; GET only asks", async () => {
    const member = await account("member@example.org");
    await setNoticeChoice(member.id, "mention", "email");
    await notify([member.id], sample("mention"));
    const [got] = await deliver(member.email);
    const stop = stopLink(got.mail.text);
    await stopRoute.loader({ request: new Request(stop), params: {}, ...ctx });
    expect((await getNoticeChoices(member.id)).mention).toBe("email");
    const forged = stop.replace(".mention.", ".reply.");
    expect((await oneClick(forged)).status).toBe(404);
    expect((await oneClick(`${ORIGIN}/digest/notifications?token=nonsense`)).status).toBe(404);
    expect((await getNoticeChoices(member.id)).reply).toBe("digest");
  });

  it("defaults: changes, cancellations and mentions by email; replies and follows in the digest", async () => {
    const fresh = await getNoticeChoices("nobody-has-chosen");
    expect(fresh).toMatchObject({ "event-change": "email", "event-cancelled": "email", mention: "email", reply: "digest", "new-event": "digest" });
  });

  it("'in my digest' puts the notice in the member's next digest, not in an email of its own", async () => {
    const { saveAccountDigest } = await import("../../app/models/digests.server");
    const { runDigestSend } = await import("../../app/models/digest-sender.server");
    const mo = await account("moderator@example.org");
    await saveAccountDigest({ id: mo.id, email: mo.email }, { frequency: "daily", networkIds: [], topics: [], includeFollows: true });
    await setNoticeChoice(mo.id, "reply", "digest");
    await notify([mo.id], sample("reply", "Pat replied to “Digest only”"));
    expect(await deliver(mo.email)).toHaveLength(0);
    const before = inbox(mo.email).length;
    await runDigestSend();
    const digest = inbox(mo.email).slice(before);
    expect(digest).toHaveLength(1);
    expect(digest[0].mail.text).toContain("Pat replied to “Digest only”");
  });

  it("the account page saves a choice per kind, offering moderator kinds only to moderators", async () => {
    const sam = await cookieFor("member@example.org");
    const page = await (await accountDigest.loader({ request: getRequest("/account/digest", { cookie: sam }), params: {}, ...ctx })).json();
    const kinds = page.notices.map((n: { kind: string }) => n.kind);
    expect(kinds).toContain("mention");
    expect(kinds).not.toContain("mod-report");
    const res = await accountDigest.action({ request: formRequest("/account/digest", { intent: "emails", "kind-reply": "email", "kind-mention": "bogus", "kind-mod-report": "email" }, { cookie: sam }), params: {}, ...ctx });
    expect(res.status).toBe(302);
    const member = await account("member@example.org");
    const choices = await getNoticeChoices(member.id);
    expect(choices.reply).toBe("email");
    expect(choices.mention).toBe("email"); // unchanged by a bad value
    const rows = await getDb().selectFrom("notification_preference").select("kind").where("account_id", "=", member.id).where("kind", "=", "mod-report").execute();
    expect(rows).toHaveLength(0);
    await setNoticeChoice(member.id, "reply", "digest");
  });
});

describe("who gets nothing", () => {
  it("deleted accounts, unconfirmed addresses and people who left the network get nothing, even when it was queued before", async () => {
    const db = getDb();
    const org = await account("organiser@example.org");
    const nw = (await db.selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirstOrThrow()).id;
    await setNoticeChoice(org.id, "mention", "email");
    // Queued while they could see it; they leave the network before it is sent.
    await notify([org.id], { ...sample("mention"), check: { networkId: nw } });
    const membership = await db.selectFrom("network_membership").selectAll().where("account_id", "=", org.id).where("network_id", "=", nw).executeTakeFirstOrThrow();
    await db.deleteFrom("network_membership").where("account_id", "=", org.id).where("network_id", "=", nw).execute();
    expect(await deliver(org.email)).toHaveLength(0);
    const row = await db.selectFrom("notice_email").select(["status", "error"]).where("account_id", "=", org.id).orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "dropped", error: "recipient can no longer see this" });
    // Not queued at all once they are out.
    expect((await notify([org.id], { ...sample("mention"), check: { networkId: nw } })).recorded).toBe(0);
    await db.insertInto("network_membership").values(membership).execute();

    // Unconfirmed address: recorded on the site, never emailed.
    await db.updateTable("account").set({ email_verified_at: null }).where("id", "=", org.id).execute();
    expect(await notify([org.id], sample("mention"))).toEqual({ recorded: 1, queued: 0 });
    expect(await deliver(org.email)).toHaveLength(0);
    await db.updateTable("account").set({ email_verified_at: new Date().toISOString() }).where("id", "=", org.id).execute();

    // Deleted after queueing.
    await notify([org.id], sample("mention"));
    await db.updateTable("account").set({ deleted_at: new Date().toISOString() }).where("id", "=", org.id).execute();
    expect(await deliver(org.email)).toHaveLength(0);
    expect((await notify([org.id], sample("mention"))).recorded).toBe(0);
    await db.updateTable("account").set({ deleted_at: null }).where("id", "=", org.id).execute();
  });

  it("a post hidden before its email is due is not emailed", async () => {
    const db = getDb();
    const mo = await account("moderator@example.org");
    const post = await db.selectFrom("discussion_post").select(["id", "thread_id"]).orderBy("id").executeTakeFirstOrThrow();
    await notify([mo.id], { ...sample("mention"), check: { postId: post.id, threadId: post.thread_id } });
    await db.updateTable("discussion_post").set({ hidden: true }).where("id", "=", post.id).execute();
    expect(await deliver(mo.email)).toHaveLength(0);
    await db.updateTable("discussion_post").set({ hidden: false }).where("id", "=", post.id).execute();
  });

  it("a member who switches a kind away from email before it is sent gets nothing", async () => {
    const member = await account("member@example.org");
    await setNoticeChoice(member.id, "moderation", "email");
    await notify([member.id], sample("moderation"));
    await setNoticeChoice(member.id, "moderation", "digest");
    expect(await deliver(member.email)).toHaveLength(0);
    await setNoticeChoice(member.id, "moderation", "email");
  });
});

describe("bad input, bursts and delivery", () => {
  it("titles with CR/LF and non-ASCII reach the subject encoded on one line, and add no header", async () => {
    const member = await account("member@example.org");
    const title = "Café meeting ☕\r\nBcc: attacker@example.com";
    await notify([member.id], sample("mention", title));
    const [got] = await deliver(member.email);
    expect(got.mail.subject).toBe("Café meeting ☕ Bcc: attacker@example.com");
    expect(got.mail.headers.has("bcc")).toBe(false);
    expect(got.envelopeTo).toEqual([member.email]);
    const rawSubject = /^Subject: (.*)$/m.exec(got.raw.toString("latin1"))![1];
    expect(rawSubject).toMatch(/^=\?UTF-8\?/i);
  });

  it("five notices with the same key within the hold time are one email, with the latest content", async () => {
    const member = await account("member@example.org");
    for (let i = 1; i <= 5; i++) {
      await notify([member.id], { ...sample("mention", `Edit ${i}`), coalesceKey: "burst:1", holdMs: 10 * 60_000 });
    }
    expect(await deliver(member.email)).toHaveLength(0); // held
    const got = await deliver(member.email, new Date(Date.now() + 11 * 60_000));
    expect(got.map((g) => g.mail.subject)).toEqual(["Edit 5"]);
    // In-app, each is still listed.
    expect((await listNotifications({ accountId: member.id })).items.slice(0, 5).map((n) => n.title)).toEqual(["Edit 5", "Edit 4", "Edit 3", "Edit 2", "Edit 1"]);
  });

  it("sends each once, retries a temporary failure with back-off, and resumes rows a killed run left behind", async () => {
    const member = await account("member@example.org");
    const db = getDb();
    smtpOptions.rcpt = (address, n) => (address === member.email && n <= 1000 ? 451 : undefined);
    await notify([member.id], sample("mention", "Retry me"));
    await runNoticeSend({ retryBaseMs: 60_000 });
    const row = await db.selectFrom("notice_email").selectAll().where("account_id", "=", member.id).orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(row.status).toBe("retry");
    expect(row.attempts).toBe(1);
    smtpOptions.rcpt = undefined;
    expect(await deliver(member.email)).toHaveLength(0); // not due yet
    const got = await deliver(member.email, new Date(Date.now() + 61_000));
    expect(got.map((g) => g.mail.subject)).toEqual(["Retry me"]);
    expect(await deliver(member.email, new Date(Date.now() + 3600_000))).toHaveLength(0); // never twice

    // A run killed after claiming (its process is gone) leaves 'sending': the next run takes it back.
    await notify([member.id], sample("mention", "Resume me"));
    const pending = await db.selectFrom("notice_email").select("id").where("status", "=", "pending").where("account_id", "=", member.id).executeTakeFirstOrThrow();
    await db.updateTable("notice_email").set({ status: "sending", owner_run: `${(await import("node:os")).hostname()}:999999:dead`, claimed_at: new Date().toISOString() }).where("id", "=", pending.id).execute();
    const resumed = await deliver(member.email);
    expect(resumed.map((g) => g.mail.subject)).toEqual(["Resume me"]);
  });
});

describe("discussions, reports and requests to join", () => {
  it("a report is acknowledged, alerts the network's moderators (one email, link to the queue), and the reporter hears the outcome without the moderator's name; nobody reports their own post", async () => {
    const db = getDb();
    const sam = await cookieFor("member@example.org");
    const olivia = await cookieFor("organiser@example.org");
    const mo = await account("moderator@example.org");
    const member = await account("member@example.org");
    await setNoticeChoice(member.id, "moderation", "email");
    const thread = await db.selectFrom("discussion_thread as t").innerJoin("network as n", "n.id", "t.network_id").select("t.id").where("n.slug", "=", "north-west").where("t.hidden", "=", false).orderBy("t.id").executeTakeFirstOrThrow();
    await threadRoute.action({ request: formRequest(`/discussions/${thread.id}`, { intent: "reply", body: "Buy my course!" }, { cookie: olivia }), params: { id: String(thread.id) }, ...ctx });
    const post = await db.selectFrom("discussion_post").select(["id"]).where("thread_id", "=", thread.id).orderBy("id", "desc").executeTakeFirstOrThrow();
    await runNoticeSend();

    const own = await reportRoute.action({ request: formRequest(`/discussions/posts/${post.id}/report`, { reason: "mine" }, { cookie: olivia }), params: { postId: String(post.id) }, ...ctx });
    expect(own.status).toBe(400);
    expect((await own.json()).errors.reason).toContain("cannot report your own post");

    const before = inbox(mo.email).length;
    const res = await reportRoute.action({ request: formRequest(`/discussions/posts/${post.id}/report`, { reason: "Advertising" }, { cookie: sam }), params: { postId: String(post.id) }, ...ctx });
    expect(res.status).toBe(302);
    // A second report on the same post before the job runs: still one alert.
    await reportRoute.action({ request: formRequest(`/discussions/posts/${post.id}/report`, { reason: "Spam again" }, { cookie: await cookieFor("admin@example.org") }), params: { postId: String(post.id) }, ...ctx });
    const ack = await deliver(member.email);
    const alerts = inbox(mo.email).slice(before);
    expect(ack.map((g) => g.mail.subject)).toEqual([`We have your report: “${(await db.selectFrom("discussion_thread").select("title").where("id", "=", thread.id).executeTakeFirstOrThrow()).title}”`]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].mail.subject).toMatch(/^A post was reported/);
    const queueLink = /http\S+\/discussions\/moderation/.exec(alerts[0].mail.text ?? "")![0];
    expect(queueLink).toBe("http://localhost:3000/discussions/moderation");
    // A member who is not a moderator of that network gets no alert.
    expect(inbox("national@example.org").some((m) => m.mail.subject?.startsWith("A post was reported"))).toBe(false);

    // The moderator acts from the queue the link opens.
    const moCookie = await cookieFor("moderator@example.org");
    const queue = await (await modRoute.loader({ request: getRequest("/discussions/moderation", { cookie: moCookie }), params: {}, ...ctx })).json();
    expect(queue.reports.some((r: { postId: number }) => r.postId === post.id)).toBe(true);
    await modRoute.action({ request: formRequest("/discussions/moderation", { intent: "hide-post", postId: String(post.id) }, { cookie: moCookie }), params: {}, ...ctx });
    const outcome = await deliver(member.email);
    expect(outcome).toHaveLength(1);
    expect(outcome[0].mail.subject).toMatch(/^Your report has been dealt with/);
    expect(outcome[0].mail.text).toContain("a moderator hid the post");
    expect(outcome[0].mail.text).not.toContain("Mo ");
    expect(outcome[0].mail.text).not.toContain(mo.name);
  });

  it("a mention emails the mentioned member once (and replies go to the digest by default)", async () => {
    const db = getDb();
    const member = await account("member@example.org");
    const { handleOf } = await import("../../app/models/discussions.server");
    const handle = await handleOf(member.id, member.name);
    const thread = await db.selectFrom("discussion_thread as t").innerJoin("network as n", "n.id", "t.network_id").select("t.id").where("n.slug", "=", "north-west").where("t.hidden", "=", false).orderBy("t.id", "desc").executeTakeFirstOrThrow();
    const olivia = await cookieFor("organiser@example.org");
    const mention = `@${handle}`;
    await threadRoute.action({ request: formRequest(`/discussions/${thread.id}`, { intent: "reply", body: `Thanks ${mention}, see you there` }, { cookie: olivia }), params: { id: String(thread.id) }, ...ctx });
    const got = await deliver(member.email);
    expect(got.map((g) => g.mail.subject)).toEqual([expect.stringContaining("mentioned you")]);
    expect(got[0].mail.text).toContain("see you there");
  });

  it("a request to join emails that network's admins only", async () => {
    const db = getDb();
    const national = await db.selectFrom("network").select(["id", "slug"]).where("slug", "=", "national").executeTakeFirstOrThrow();
    const admins = await db.selectFrom("network_membership as m").innerJoin("account as a", "a.id", "m.account_id").select("a.email").where("m.network_id", "=", national.id).where("m.role", "=", "admin").where("m.status", "=", "approved").execute();
    const member = await account("member@example.org");
    await db.deleteFrom("network_membership").where("account_id", "=", member.id).where("network_id", "=", national.id).execute();
    const before = smtp.accepted.length;
    const res = await networkPage.action({ request: formRequest(`/networks/${national.slug}`, { intent: "join", message: "Hello" }, { cookie: await cookieFor("member@example.org") }), params: { slug: national.slug }, ...ctx });
    expect(res.status).toBe(302);
    await runNoticeSend();
    const sent = smtp.accepted.slice(before).filter((m) => m.mail.subject?.includes("asked to join"));
    expect(sent.flatMap((m) => m.envelopeTo).sort()).toEqual(admins.map((a) => a.email).sort());
  });
});
