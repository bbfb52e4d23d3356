import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { startSmtp, type SmtpOptions } from "../support/smtp";

// One real SMTP server for the whole file, configured before anything reads the environment.
const smtpOptions: SmtpOptions = {};
const smtp = await startSmtp(smtpOptions);
process.env.SMTP_URL = smtp.url;

const { getDb } = await import("../../db/index");
const { resetTransport } = await import("../../emails/transport");
const signUp = await import("../../app/routes/digest._index");
const confirm = await import("../../app/routes/digest.confirm");
const unsubscribeRoute = await import("../../app/routes/digest.unsubscribe");
const manage = await import("../../app/routes/digest.manage");
const preview = await import("../../app/routes/digest.preview");
const accountDigest = await import("../../app/routes/account.digest");
const adminDigests = await import("../../app/routes/admin.digests");
const notificationsRoute = await import("../../app/routes/digest.notifications");
const { runDigestSend } = await import("../../app/models/digest-sender.server");
const { manageTokenFor, listSuspended } = await import("../../app/models/digests.server");
const { formRequest, getRequest, ORIGIN } = await import("../support/fixtures");
const { cookieFor, adminCookie } = await import("../support/auth");

afterAll(async () => {
  resetTransport();
  await smtp.close();
});

beforeEach(() => {
  smtpOptions.rcpt = undefined;
});

const ctx = { context: {}, params: {} };

function to(address: string) {
  return smtp.accepted.filter((m) => m.envelopeTo.includes(address));
}

async function sub(email: string) {
  return getDb().selectFrom("digest_subscription").selectAll().where("email", "=", email).executeTakeFirst();
}

/** Signs up through the form and confirms through the emailed link; returns the subscription. */
async function signUpAndConfirm(email: string, fields: Record<string, string | string[]> = {}) {
  const res = await signUp.action({ request: formRequest("/digest", { email, frequency: "weekly", consent: "yes", ...fields }), ...ctx });
  expect(res.status).toBe(302);
  const mail = to(email).at(-1)!.mail;
  const link = /https?:\/\/\S+\/digest\/confirm\?token=[A-Za-z0-9_%-]+/.exec(mail.text ?? "")![0];
  const token = new URL(link).searchParams.get("token")!;
  const done = await confirm.action({ request: formRequest("/digest/confirm", { token }), ...ctx });
  expect(done.status).toBe(200);
  return (await sub(email))!;
}

/** Pretends the last digest was long ago, so the demo content counts as new. */
async function backdate(email: string) {
  await getDb().updateTable("digest_subscription").set({ last_sent_at: "2000-01-01T00:00:00.000Z" }).where("email", "=", email).execute();
}

describe("sign-up with double opt-in", () => {
  it("sends only a confirmation email; the link (single-use) activates the digest and records the consent", async () => {
    const before = smtp.accepted.length;
    const res = await signUp.action({
      request: formRequest("/digest", { email: "Reader@Example.com", frequency: "daily", networkIds: ["1"], topics: ["dementia"], consent: "yes" }),
      ...ctx,
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/digest?requested=1");
    expect(smtp.accepted.length).toBe(before + 1);
    const mail = to("reader@example.com")[0].mail;
    expect(mail.subject).toBe("Confirm your Roundtable digest");
    expect(mail.html).toContain("Confirm my digest");
    const pending = await sub("reader@example.com");
    expect(pending).toMatchObject({ status: "pending", frequency: "daily", network_ids: "[1]", topics: '["dementia"]', consent_at: null });

    const token = new URL(/http\S+confirm\?token=\S+/.exec(mail.text ?? "")![0]).searchParams.get("token")!;
    // Opening the link (or a scanner fetching it) changes nothing.
    const page = await confirm.loader({ request: getRequest(`/digest/confirm?token=${encodeURIComponent(token)}`), ...ctx });
    expect(page.status).toBe(200);
    expect((await sub("reader@example.com"))!.status).toBe("pending");

    const res2 = await confirm.action({ request: formRequest("/digest/confirm", { token }), ...ctx });
    expect(res2.status).toBe(200);
    const active = (await sub("reader@example.com"))!;
    expect(active.status).toBe("active");
    expect(active.consent_at).not.toBeNull();
    expect(active.consent_method).toMatch(/double opt-in/);
    expect(active.consent_text).toMatch(/^I agree to Roundtable emailing me a digest/);

    // Used once: a second use is refused and changes nothing.
    const again = await confirm.action({ request: formRequest("/digest/confirm", { token }), ...ctx });
    expect(again.status).toBe(410);
    expect(await again.json()).toMatchObject({ state: "used" });
    expect((await sub("reader@example.com"))!.consent_at).toBe(active.consent_at);
  });

  it("refuses an expired link and changes nothing", async () => {
    await signUp.action({ request: formRequest("/digest", { email: "late@example.com", frequency: "weekly", consent: "yes" }), ...ctx });
    const token = new URL(/http\S+confirm\?token=\S+/.exec(to("late@example.com")[0].mail.text ?? "")![0]).searchParams.get("token")!;
    await getDb().updateTable("digest_subscription").set({ confirm_expires_at: new Date(Date.now() - 1000).toISOString() }).where("email", "=", "late@example.com").execute();
    const page = await confirm.loader({ request: getRequest(`/digest/confirm?token=${token}`), ...ctx });
    expect(page.status).toBe(410);
    expect(await page.json()).toMatchObject({ state: "expired" });
    const res = await confirm.action({ request: formRequest("/digest/confirm", { token }), ...ctx });
    expect(res.status).toBe(410);
    expect((await sub("late@example.com"))!.status).toBe("pending");
  });

  it("refuses a made-up link", async () => {
    const res = await confirm.action({ request: formRequest("/digest/confirm", { token: "not-a-real-token" }), ...ctx });
    expect(res.status).toBe(404);
  });

  it("rejects CR/LF and malformed addresses with a clear message, sending nothing and storing nothing", async () => {
    const before = smtp.accepted.length;
    const count = async () => Number((await getDb().selectFrom("digest_subscription").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst())!.n);
    const rows = await count();
    for (const [email, message] of [
      ["victim@example.com\r\nBcc: everyone@example.com", /one line/],
      ["no-at-sign.example.com", /correct format/],
      ["two@@example.com", /correct format/],
      ["<script>@example.com", /correct format/],
      ["", /Enter your email address/],
      [`${"a".repeat(300)}@example.com`, /254 characters/],
    ] as const) {
      const res = await signUp.action({ request: formRequest("/digest", { email, frequency: "weekly", consent: "yes" }), ...ctx });
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.errors.email).toMatch(message);
      expect(body.values.email).toBe(email);
    }
    const noConsent = await signUp.action({ request: formRequest("/digest", { email: "ok@example.com", frequency: "weekly" }), ...ctx });
    expect(noConsent.status).toBe(400);
    const noConsentBody: { errors: Record<string, string> } = await noConsent.json();
    expect(noConsentBody.errors.consent).toMatch(/Tick the box/);
    const badNetwork = await signUp.action({ request: formRequest("/digest", { email: "ok@example.com", frequency: "weekly", consent: "yes", networkIds: ["../1"] }), ...ctx });
    expect(badNetwork.status).toBe(400);
    expect(smtp.accepted.length).toBe(before);
    expect(await count()).toBe(rows);
  });

  it("answers an already-subscribed address exactly like a new one, sending and changing nothing", async () => {
    const active = await signUpAndConfirm("already@example.com");
    const before = smtp.accepted.length;
    const res = await signUp.action({ request: formRequest("/digest", { email: "already@example.com", frequency: "daily", consent: "yes" }), ...ctx });
    const fresh = await signUp.action({ request: formRequest("/digest", { email: "brand-new@example.com", frequency: "daily", consent: "yes" }), ...ctx });
    expect(res.status).toBe(fresh.status);
    expect(res.headers.get("Location")).toBe(fresh.headers.get("Location"));
    expect(to("already@example.com").length).toBe(1); // only its own first confirmation
    expect(smtp.accepted.length).toBe(before + 1); // only brand-new@ got one
    expect(await sub("already@example.com")).toEqual(active);
  });
});

describe("sending digests", () => {
  it("sends a digest with HTML and plain text, both unsubscribe headers and a deterministic Message-ID; a second run sends nothing", async () => {
    const s = await signUpAndConfirm("digest-reader@example.com");
    await backdate("digest-reader@example.com");
    const before = to("digest-reader@example.com").length;
    const first = await runDigestSend();
    expect(first.sent).toBeGreaterThanOrEqual(1);
    const got = to("digest-reader@example.com").slice(before);
    expect(got.length).toBe(1);
    const mail = got[0].mail;
    expect(mail.subject).toMatch(/^Your weekly Roundtable digest: /);
    expect(mail.html).toContain('<html lang="en-GB"');
    expect(mail.html).toContain("<h1");
    expect(mail.html).toContain("<h2");
    expect(mail.text).toContain("UPCOMING EVENTS");
    expect(mail.text).toMatch(/Add to calendar: http:\/\/localhost:3000\/events\/\d+\.ics/);
    expect(mail.html).toMatch(/to your calendar<\/a>/);
    expect(mail.text).toMatch(/NEW RESOURCES|ACTIVE DISCUSSIONS/);
    expect(mail.text).toContain("Unsubscribe: http://localhost:3000/digest/unsubscribe?token=");
    const token = await manageTokenFor(s);
    // mailparser reads List-Unsubscribe into the structured "list" header.
    const list = mail.headers.get("list") as { unsubscribe?: { url?: string; mail?: string } } | undefined;
    const listUnsubscribe = `${list?.unsubscribe?.url ?? ""} ${list?.unsubscribe?.mail ?? ""}`;
    const raw = got[0].raw.toString("utf8");
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect(raw).toContain(`<http://localhost:3000/digest/unsubscribe?token=${encodeURIComponent(token)}>`);
    expect(raw).toMatch(/<mailto:unsubscribe@roundtable\.localhost\?subject=unsubscribe-/);
    expect(listUnsubscribe).toContain(`http://localhost:3000/digest/unsubscribe?token=${encodeURIComponent(token)}`);
    expect(listUnsubscribe).toContain("unsubscribe@roundtable.localhost");
    expect(mail.messageId).toMatch(new RegExp(`^<digest\\.${s.id}\\.weekly\\.\\d{4}-W\\d{2}@localhost>$`));

    const second = await runDigestSend();
    expect(second.claimed).toBe(0);
    expect(second.sent).toBe(0);
    expect(to("digest-reader@example.com").length).toBe(before + 1);
  });

  it("does not send an empty digest but records the period", async () => {
    const s = await signUpAndConfirm("quiet@example.com", { topics: ["money-work-housing"], networkIds: ["2"] });
    await getDb().updateTable("digest_subscription").set({ last_sent_at: new Date().toISOString() }).where("id", "=", s.id).execute();
    const summary = await runDigestSend();
    expect(summary.empty).toBeGreaterThanOrEqual(1);
    expect(to("quiet@example.com").length).toBe(1); // the confirmation only
    const row = await getDb().selectFrom("digest_send").selectAll().where("subscription_id", "=", s.id).executeTakeFirstOrThrow();
    expect(row.status).toBe("empty");
    expect((await sub("quiet@example.com"))!.last_period).toBe(row.period);
  });

  it("retries a temporary failure with back-off and suspends an address after repeated permanent failures", async () => {
    await signUpAndConfirm("flaky@example.com");
    await backdate("flaky@example.com");
    smtpOptions.rcpt = (address, n) => (address === "flaky@example.com" && n <= 2 ? 451 : undefined);
    // n counts RCPTs to this address: 1 was the confirmation (accepted before rcpt was set), so the first digest try is refused once.
    const run = await runDigestSend({ retryBaseMs: 20, retryWaitMs: 5000 });
    expect(run.retrying).toBe(0);
    const sends = await getDb().selectFrom("digest_send").innerJoin("digest_subscription as s", "s.id", "digest_send.subscription_id").select(["digest_send.status", "digest_send.attempts"]).where("s.email", "=", "flaky@example.com").execute();
    expect(sends).toEqual([{ status: "sent", attempts: 2 }]);
    expect(to("flaky@example.com").length).toBe(2); // confirmation + one digest

    const bouncing = await signUpAndConfirm("bouncing@example.com", { frequency: "daily" });
    await backdate("bouncing@example.com");
    smtpOptions.rcpt = (address) => (address === "bouncing@example.com" ? 550 : undefined);
    for (let day = 1; day <= 3; day++) {
      await runDigestSend({ now: new Date(Date.now() + day * 86_400_000) });
    }
    const after = (await sub("bouncing@example.com"))!;
    expect(after.status).toBe("suspended");
    expect(after.failure_count).toBe(3);
    expect(after.last_failure).toMatch(/550/);
    expect((await listSuspended()).map((r) => r.id)).toContain(bouncing.id);
    // Shown to platform admins only.
    const adminPage = await adminDigests.loader({ request: getRequest("/admin/digests", { cookie: await adminCookie() }), ...ctx });
    expect(JSON.stringify(await adminPage.json())).toContain("bouncing@example.com");
    await expect(adminDigests.loader({ request: getRequest("/admin/digests", { cookie: await cookieFor("member@example.org") }), ...ctx })).rejects.toMatchObject({ status: 404 });
    // Suspended: no more attempts.
    smtpOptions.rcpt = undefined;
    const later = await runDigestSend({ now: new Date(Date.now() + 5 * 86_400_000) });
    expect(to("bouncing@example.com").length).toBe(1);
    expect(later.failed).toBe(0);
  });
});

describe("leaving and changing", () => {
  it("one-click unsubscribe works without cookies or Origin, is idempotent, and GET changes nothing", async () => {
    const s = await signUpAndConfirm("leaver@example.com");
    const token = await manageTokenFor(s);
    const url = `${ORIGIN}/digest/unsubscribe?token=${encodeURIComponent(token)}`;
    const page = await unsubscribeRoute.loader({ request: new Request(url), ...ctx });
    expect(page.status).toBe(200);
    expect((await sub("leaver@example.com"))!.status).toBe("active");

    const oneClick = () =>
      new Request(url, { method: "POST", body: "List-Unsubscribe=One-Click", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    const res = await unsubscribeRoute.action({ request: oneClick(), ...ctx });
    expect(res.status).toBe(200);
    const gone = (await sub("leaver@example.com"))!;
    expect(gone.status).toBe("unsubscribed");
    const res2 = await unsubscribeRoute.action({ request: oneClick(), ...ctx });
    expect(res2.status).toBe(200);
    expect((await sub("leaver@example.com"))!.unsubscribed_at).toBe(gone.unsubscribed_at);

    // Nothing is sent to an unsubscribed address.
    await backdate("leaver@example.com");
    const n = to("leaver@example.com").length;
    await runDigestSend({ now: new Date(Date.now() + 8 * 86_400_000) });
    expect(to("leaver@example.com").length).toBe(n);
  });

  it("a tampered token cannot act on anyone: 404 and nothing changed", async () => {
    const mine = await signUpAndConfirm("mine@example.com");
    const theirs = await signUpAndConfirm("theirs@example.com");
    const token = await manageTokenFor(mine);
    const [, macPart] = token.split(".");
    const forged = [`${theirs.id}.${macPart}`, `${mine.id}.${macPart.slice(0, -1)}${macPart.endsWith("A") ? "B" : "A"}`, `${mine.id}`, "../1.x", `${mine.id}.${macPart}\r\nX: y`];
    for (const t of forged) {
      const req = new Request(`${ORIGIN}/digest/unsubscribe?token=${encodeURIComponent(t)}`, { method: "POST", body: "List-Unsubscribe=One-Click", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
      const res = await unsubscribeRoute.action({ request: req, ...ctx });
      expect(res.status).toBe(404);
      await expect(manage.loader({ request: getRequest(`/digest/manage?token=${encodeURIComponent(t)}`), ...ctx })).rejects.toMatchObject({ status: 404 });
      await expect(preview.loader({ request: getRequest(`/digest/preview?token=${encodeURIComponent(t)}`), ...ctx })).rejects.toMatchObject({ status: 404 });
    }
    expect((await sub("mine@example.com"))!.status).toBe("active");
    expect((await sub("theirs@example.com"))!.status).toBe("active");
  });

  it("the manage link changes frequency, networks and topics, and the preview shows the next digest", async () => {
    const s = await signUpAndConfirm("chooser@example.com");
    const token = await manageTokenFor(s);
    const bad = await manage.action({ request: formRequest("/digest/manage", { token, frequency: "hourly", topics: ["<script>"] }), ...ctx });
    expect(bad.status).toBe(400);
    const ok = await manage.action({ request: formRequest("/digest/manage", { token, frequency: "daily", networkIds: ["1"], topics: ["dementia", "mental-health"] }), ...ctx });
    expect(ok.status).toBe(302);
    expect(await sub("chooser@example.com")).toMatchObject({ frequency: "daily", network_ids: "[1]", topics: '["dementia","mental-health"]' });
    await backdate("chooser@example.com");
    const view = await preview.loader({ request: getRequest(`/digest/preview?token=${encodeURIComponent(token)}`), ...ctx });
    const body = await view.json();
    expect(body.email).toBe("chooser@example.com");
    expect(body.text).toContain("Your daily digest");
    // An admin may preview anyone's; a member may not use ?id=.
    const asAdmin = await preview.loader({ request: getRequest(`/digest/preview?id=${s.id}`, { cookie: await adminCookie() }), ...ctx });
    expect(asAdmin.status).toBe(200);
    await expect(preview.loader({ request: getRequest(`/digest/preview?id=${s.id}`, { cookie: await cookieFor("member@example.org") }), ...ctx })).rejects.toMatchObject({ status: 404 });
  });
});

describe("members and notification emails", () => {
  it("a member chooses a digest on their account; it includes members-only content of their networks", async () => {
    const cookie = await cookieFor("member@example.org");
    const res = await accountDigest.action({ request: formRequest("/account/digest", { intent: "digest", frequency: "weekly", includeFollows: "yes" }, { cookie }), ...ctx });
    expect(res.status).toBe(302);
    const s = (await sub("member@example.org"))!;
    expect(s).toMatchObject({ status: "active", frequency: "weekly", include_follows: true });
    expect(s.account_id).not.toBeNull();
    expect(s.consent_method).toMatch(/account/);
    // Members-only discussions of their network are in; a public subscriber to the same network does not get them.
    const { gatherDigest } = await import("../../app/models/digest-content.server");
    const since = "2000-01-01T00:00:00.000Z";
    // (The national network keeps its discussions for members; national@example.org is one.)
    const national = await getDb().selectFrom("network").select("id").where("slug", "=", "national").executeTakeFirstOrThrow();
    const nationalMember = await getDb().selectFrom("account").select("id").where("email", "=", "national@example.org").executeTakeFirstOrThrow();
    const forMember = await gatherDigest({ ...s, account_id: nationalMember.id, network_ids: `[${national.id}]` }, { since });
    const forPublic = await gatherDigest({ ...s, account_id: null, network_ids: `[${national.id}]` }, { since });
    const forOtherMember = await gatherDigest({ ...s, network_ids: `[${national.id}]` }, { since }); // member@ is not in national
    const count = (c: typeof forMember) => c.sections.find((x) => x.key === "discussions")?.items.length ?? 0;
    expect(count(forMember)).toBeGreaterThan(0);
    expect(count(forPublic)).toBe(0);
    expect(count(forOtherMember)).toBe(0);
    // Not signed in: sent to sign in.
    await expect(accountDigest.loader({ request: getRequest("/account/digest"), ...ctx })).rejects.toMatchObject({ status: 302 });
  });
});
