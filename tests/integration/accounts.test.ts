import { createHash } from "node:crypto";
import { hash as argon2Hash } from "@node-rs/argon2";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/index";
import { authenticate, createEmailToken, exportAccountData, FORMER_MEMBER } from "../../app/models/accounts.server";
import { createInvitation, getNetworkBySlug } from "../../app/models/networks.server";
import { runNoticeSend } from "../../app/models/notifier-sender.server";
import { getAuth, hashSessionId } from "../../app/utils/auth.server";
import { REQUEST_ID_HEADER } from "../../app/utils/http.server";
import { hashToken, totpCode, totpCounter } from "../../app/utils/totp.server";
import * as signIn from "../../app/routes/sign-in";
import * as signUp from "../../app/routes/sign-up";
import * as verify from "../../app/routes/verify-email";
import * as forgot from "../../app/routes/forgot-password";
import * as reset from "../../app/routes/reset-password";
import * as twoStep from "../../app/routes/sign-in_.two-step";
import * as twoStepSettings from "../../app/routes/account.two-step";
import * as networkPage from "../../app/routes/networks.$slug";
import * as members from "../../app/routes/networks.$slug_.members";
import * as invitation from "../../app/routes/invitations.$token";
import * as profile from "../../app/routes/account.profile";
import * as password from "../../app/routes/account.password";
import * as sessions from "../../app/routes/account.sessions";
import * as data from "../../app/routes/account.data";
import * as del from "../../app/routes/account.delete";
import { adminCookie, cookieFor } from "../support/auth";
import { cookieFrom, formRequest, getRequest, TEST_PASSWORD } from "../support/fixtures";
import { readOutbox } from "../support/e2e";

const ctx = { context: {} };
const db = () => getDb();

/** Runs a loader/action and returns the Response, whether it was returned or thrown (redirects, 404s). */
async function run(fn: () => Promise<unknown>): Promise<Response> {
  try {
    const result = await fn();
    if (result instanceof Response) return result;
    throw new Error(`expected a Response, got ${typeof result}`);
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}

async function outboxTo(address: string) {
  return (await readOutbox(process.env.OUTBOX_DIR!)).filter((m) => m.to.toLowerCase().includes(address.toLowerCase()));
}

function linkToken(text: string, path: string): string {
  const match = new RegExp(`${path.replace("/", "\\/")}[?=/a-z]*?([A-Za-z0-9_-]{40,})`).exec(text);
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  return match[1];
}

async function accountByEmail(email: string) {
  return db().selectFrom("account").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
}

let ipCounter = 0;
/** A sign-up as from its own address, so the per-IP sign-up limit is not what these tests exercise. */
function signUpRequest(fields: Record<string, string>): Request {
  const request = formRequest("/sign-up", fields);
  request.headers.set("X-Roundtable-Client-Ip", `192.0.2.${++ipCounter}`);
  return request;
}

async function newVerifiedAccount(email: string, name = "Test Person") {
  const res = await run(() => signUp.action({ request: signUpRequest({ name, email, password: TEST_PASSWORD }), params: {}, ...ctx }));
  expect(res.status).toBe(302);
  await db().updateTable("account").set({ email_verified_at: new Date().toISOString() }).where("email", "=", email).execute();
  return accountByEmail(email);
}

async function signInCookie(email: string, pw = TEST_PASSWORD): Promise<string> {
  const res = await run(() => signIn.action({ request: formRequest("/sign-in", { email, password: pw }), params: {}, ...ctx }));
  expect(res.status).toBe(302);
  return cookieFrom(res.headers.get("Set-Cookie"));
}

describe("stored formats", () => {
  it("stores passwords as argon2id PHC strings with m=19456, t=2, p=1", async () => {
    const account = await newVerifiedAccount("format@example.org");
    expect(account.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(account.password_hash).not.toContain(TEST_PASSWORD);
  });

  it("upgrades a weaker hash when its owner signs in", async () => {
    const weak = await argon2Hash(TEST_PASSWORD, { algorithm: 2, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await db().updateTable("account").set({ password_hash: weak }).where("email", "=", "format@example.org").execute();
    const result = await authenticate("format@example.org", TEST_PASSWORD, getRequest("/"));
    expect(result.ok).toBe(true);
    const after = await accountByEmail("format@example.org");
    expect(after.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(after.password_hash).not.toBe(weak);
  });

  it("signs in with a new session whose id is stored only as its SHA-256, in an HttpOnly SameSite=Lax cookie", async () => {
    const old = await cookieFor("member@example.org");
    const res = await run(() =>
      signIn.action({ request: formRequest("/sign-in", { email: "member@example.org", password: TEST_PASSWORD }, { cookie: old }), params: {}, ...ctx }),
    );
    expect(res.status).toBe(302);
    const setCookie = res.headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(/^rt_session=[a-z0-9]+;/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const raw = cookieFrom(setCookie).split("=")[1];
    expect(raw).not.toBe(old.split("=")[1]);
    const ids = (await db().selectFrom("session").select("id").execute()).map((r) => r.id);
    expect(ids).toContain(createHash("sha256").update(raw).digest("hex"));
    expect(ids).not.toContain(raw);
    // No fixation: the session the request came with is gone.
    expect(ids).not.toContain(hashSessionId(old.split("=")[1]));
  });

  it("stores emailed tokens only hashed", async () => {
    const account = await accountByEmail("member@example.org");
    const token = await createEmailToken(account.id, account.email, "reset-password");
    const rows = await db().selectFrom("email_token").select("token_hash").execute();
    expect(rows.map((r) => r.token_hash)).toContain(hashToken(token));
    expect(rows.map((r) => r.token_hash)).not.toContain(token);
    expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(16);
  });
});

describe("sign-in rate limits", () => {
  it("answers the eleventh wrong password with 429 and Retry-After, even for the right password", async () => {
    await newVerifiedAccount("locked@example.org");
    const attempt = (pw: string) => run(() => signIn.action({ request: formRequest("/sign-in", { email: "locked@example.org", password: pw }), params: {}, ...ctx }));
    for (let i = 0; i < 10; i++) expect((await attempt(`wrong password ${i}`)).status).toBe(400);
    const eleventh = await attempt("wrong again");
    expect(eleventh.status).toBe(429);
    expect(Number(eleventh.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(JSON.stringify(await eleventh.json())).toMatch(/Too many attempts/);
    expect((await attempt(TEST_PASSWORD)).status).toBe(429);
    // The rate limit is in SQLite, so a restart does not clear it.
    expect(await db().selectFrom("rate_limit").select("count").where("key", "=", "signin:account:locked@example.org").executeTakeFirst()).toEqual({ count: 10 });
  });

  it("gives an unknown address the same answer as a wrong password", async () => {
    const unknown = await run(() => signIn.action({ request: formRequest("/sign-in", { email: "nobody@example.org", password: "whatever it is" }), params: {}, ...ctx }));
    const wrong = await run(() => signIn.action({ request: formRequest("/sign-in", { email: "member@example.org", password: "not the password" }), params: {}, ...ctx }));
    expect(unknown.status).toBe(wrong.status);
    const a = await unknown.json();
    const b = await wrong.json();
    expect(a.errors).toEqual(b.errors);
  });
});

describe("sign-up and email confirmation", () => {
  it.each([
    [{ name: "x".repeat(101), email: "long@example.org" }, "name", /100 characters or fewer/],
    [{ name: "Evil\u0007Name", email: "ctrl@example.org" }, "name", /control characters/],
    [{ name: "Carl", email: "carl@example.org\r\nBcc: victim@example.org" }, "email", /line breaks/],
    [{ name: "Carl", email: "not-an-email" }, "email", /correct format/],
  ])("refuses %o with a clear message, keeps what was typed but not the password, creates nothing", async (fields, field, message) => {
    const before = (await db().selectFrom("account").select("id").execute()).length;
    const res = await run(() => signUp.action({ request: signUpRequest({ ...fields, password: TEST_PASSWORD }), params: {}, ...ctx }));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors[field]).toMatch(message);
    expect(body.values.name).toBe(fields.name);
    expect(body.values.email).toBe(fields.email);
    expect(body.values.password).toBeUndefined();
    expect((await db().selectFrom("account").select("id").execute()).length).toBe(before);
  });

  it("refuses a common password", async () => {
    const res = await run(() => signUp.action({ request: signUpRequest({ name: "Pat", email: "pat@example.org", password: "password123" }), params: {}, ...ctx }));
    expect(res.status).toBe(400);
    expect((await res.json()).errors.password).toMatch(/too common/);
  });

  it("creates an unverified account, emails a single-use link, and confirms only by POST", async () => {
    const res = await run(() => signUp.action({ request: signUpRequest({ name: "Nina New", email: "Nina@Example.org", password: TEST_PASSWORD }), params: {}, ...ctx }));
    expect(res.status).toBe(302);
    const account = await accountByEmail("nina@example.org");
    expect(account.email_verified_at).toBeNull();
    const [mail] = await outboxTo("nina@example.org");
    const token = linkToken(mail.text, "/verify-email");
    // The GET (what a mail scanner does) changes nothing.
    await verify.loader({ request: getRequest(`/verify-email?token=${token}`), params: {}, ...ctx });
    expect((await accountByEmail("nina@example.org")).email_verified_at).toBeNull();
    const ok = await run(() => verify.action({ request: formRequest("/verify-email", { token }), params: {}, ...ctx }));
    expect(ok.status).toBe(302);
    expect((await accountByEmail("nina@example.org")).email_verified_at).not.toBeNull();
    const again = await run(() => verify.action({ request: formRequest("/verify-email", { token }), params: {}, ...ctx }));
    expect(again.status).toBe(400);
    expect((await again.json()).problem).toMatch(/already been used/);
  });

  it("refuses an expired verification link", async () => {
    await run(() => signUp.action({ request: signUpRequest({ name: "Late Larry", email: "larry@example.org", password: TEST_PASSWORD }), params: {}, ...ctx }));
    const token = linkToken((await outboxTo("larry@example.org"))[0].text, "/verify-email");
    await db().updateTable("email_token").set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where("token_hash", "=", hashToken(token)).execute();
    const res = await run(() => verify.action({ request: formRequest("/verify-email", { token }), params: {}, ...ctx }));
    expect((await res.json()).problem).toMatch(/expired/);
    expect((await accountByEmail("larry@example.org")).email_verified_at).toBeNull();
  });

  it("does not reveal that an address already has an account", async () => {
    const before = await accountByEmail("member@example.org");
    const res = await run(() => signUp.action({ request: signUpRequest({ name: "Impostor", email: "member@example.org", password: "another good passphrase" }), params: {}, ...ctx }));
    expect(res.status).toBe(302);
    // The address travels in a cookie for the confirmation page, never in the URL (issue 12, item 9).
    expect(res.headers.get("Location")).toBe("/sign-up?sent=1");
    expect(res.headers.get("Set-Cookie")).toContain("rt_sent=member%40example.org");
    const after = await accountByEmail("member@example.org");
    expect(after.name).toBe(before.name);
    expect(after.password_hash).toBe(before.password_hash);
    expect((await outboxTo("member@example.org")).some((m) => /already have an account|tried to create/i.test(m.subject + m.text))).toBe(true);
  });
});

describe("password reset", () => {
  it("answers the same for unknown addresses and sends nothing", async () => {
    const res = await run(() => forgot.action({ request: formRequest("/forgot-password", { email: "ghost@example.org" }), params: {}, ...ctx }));
    expect(res.status).toBe(302);
    expect(await outboxTo("ghost@example.org")).toHaveLength(0);
  });

  it("resets with a single-use link and ends every session", async () => {
    const account = await newVerifiedAccount("reset@example.org");
    const session = await cookieFor("reset@example.org");
    await run(() => forgot.action({ request: formRequest("/forgot-password", { email: "reset@example.org" }), params: {}, ...ctx }));
    const token = linkToken((await outboxTo("reset@example.org")).find((m) => /reset/i.test(m.subject))!.text, "/reset-password");
    const weak = await run(() => reset.action({ request: formRequest("/reset-password", { token, password: "short" }), params: {}, ...ctx }));
    expect(weak.status).toBe(400);
    const ok = await run(() => reset.action({ request: formRequest("/reset-password", { token, password: "a brand new passphrase" }), params: {}, ...ctx }));
    expect(ok.status).toBe(302);
    expect(await getAuth(getRequest("/", { cookie: session }))).toBeNull();
    expect((await authenticate("reset@example.org", "a brand new passphrase", getRequest("/"))).ok).toBe(true);
    const reused = await run(() => reset.action({ request: formRequest("/reset-password", { token, password: "yet another passphrase" }), params: {}, ...ctx }));
    expect(reused.status).toBe(400);
    expect((await authenticate("reset@example.org", "yet another passphrase", getRequest("/"))).ok).toBe(false);
    expect(account.id).toBeTruthy();
  });

  it("refuses an expired reset link", async () => {
    const account = await accountByEmail("reset@example.org");
    const token = await createEmailToken(account.id, account.email, "reset-password");
    await db().updateTable("email_token").set({ expires_at: new Date(Date.now() - 1).toISOString() }).where("token_hash", "=", hashToken(token)).execute();
    const res = await run(() => reset.action({ request: formRequest("/reset-password", { token, password: "fresh passphrase here" }), params: {}, ...ctx }));
    expect(res.status).toBe(400);
    expect((await res.json()).errors.form).toMatch(/expired/);
  });
});

describe("two-step verification", () => {
  it("sends an admin without it to set it up before managing a network", async () => {
    const cookie = await cookieFor("admin@example.org");
    const res = await run(() => members.loader({ request: getRequest("/networks/north-west/members", { cookie }), params: { slug: "north-west" }, ...ctx }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/account\/two-step\?redirectTo=%2Fnetworks%2Fnorth-west%2Fmembers/);
  });

  it("sets up with a confirmed code, shows 10 recovery codes once, and stores them hashed", async () => {
    await newVerifiedAccount("totp@example.org", "Tess Totp");
    const cookie = await cookieFor("totp@example.org");
    const page = await (await run(() => twoStepSettings.loader({ request: getRequest("/account/two-step", { cookie }), params: {}, ...ctx }))).json();
    const secret: string = page.enrol.secret;
    expect(page.enrol.qr).toMatch(/^<svg/);
    const wrong = await run(() => twoStepSettings.action({ request: formRequest("/account/two-step", { intent: "enable", secret, code: "000000" === totpCode(secret) ? "111111" : "000000" }, { cookie }), params: {}, ...ctx }));
    expect(wrong.status).toBe(400);
    const ok = await run(() => twoStepSettings.action({ request: formRequest("/account/two-step", { intent: "enable", secret, code: totpCode(secret) }, { cookie }), params: {}, ...ctx }));
    // Post/redirect/get: the new session and the codes (for this page, once) travel in cookies.
    expect(ok.status).toBe(302);
    const next = ok.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const shown = await run(() => twoStepSettings.loader({ request: getRequest("/account/two-step", { cookie: next }), params: {}, ...ctx }));
    expect(shown.headers.getSetCookie().join()).toMatch(/rt_recovery_codes=;.*Max-Age=0/);
    const body = { codes: (await shown.json()).newCodes as string[] };
    expect(body.codes).toHaveLength(10);
    const account = await accountByEmail("totp@example.org");
    expect(account.totp_secret).toBe(secret);
    const stored = await db().selectFrom("recovery_code").select("code_hash").where("account_id", "=", account.id).execute();
    expect(stored.map((r) => r.code_hash).sort()).toEqual(body.codes.map((c: string) => hashToken(c)).sort());
  });

  it("asks for a second step at sign-in, refuses a replayed code, and accepts a recovery code once", async () => {
    const account = await accountByEmail("totp@example.org");
    const secret = account.totp_secret!;
    // The enrolment code's time step has been used: sign in with a later one.
    const pending = await signInCookie("totp@example.org");
    expect((await run(() => twoStep.loader({ request: getRequest("/sign-in/two-step", { cookie: pending }), params: {}, ...ctx }))).status).toBe(200);
    const step = account.totp_last_counter! + 1;
    const code = totpCode(secret, step * 30_000);
    if (step > totpCounter() + 1) throw new Error("clock moved backwards");
    const ok = await run(() => twoStep.action({ request: formRequest("/sign-in/two-step", { code }, { cookie: pending }), params: {}, ...ctx }));
    expect(ok.status).toBe(302);
    const verified = cookieFrom(ok.headers.get("Set-Cookie"));
    expect((await getAuth(getRequest("/", { cookie: verified })))?.mfaVerified).toBe(true);
    // The half-signed-in session was replaced.
    expect(await getAuth(getRequest("/", { cookie: pending }))).toBeNull();

    const second = await signInCookie("totp@example.org");
    const replay = await run(() => twoStep.action({ request: formRequest("/sign-in/two-step", { code }, { cookie: second }), params: {}, ...ctx }));
    expect(replay.status).toBe(400);

    const codes: string[] = (await (await run(() => twoStepSettings.action({ request: formRequest("/account/two-step", { intent: "regenerate", password: TEST_PASSWORD }, { cookie: verified }), params: {}, ...ctx }))).json()).codes;
    const recovery = codes[0].toUpperCase().replace("-", " ");
    const viaRecovery = await run(() => twoStep.action({ request: formRequest("/sign-in/two-step", { code: recovery }, { cookie: second }), params: {}, ...ctx }));
    expect(viaRecovery.status).toBe(302);
    const third = await signInCookie("totp@example.org");
    const reused = await run(() => twoStep.action({ request: formRequest("/sign-in/two-step", { code: codes[0] }, { cookie: third }), params: {}, ...ctx }));
    expect(reused.status).toBe(400);
  });

  it("rate-limits second-step attempts", async () => {
    const cookie = await signInCookie("totp@example.org");
    let last: Response | undefined;
    for (let i = 0; i < 11; i++) last = await run(() => twoStep.action({ request: formRequest("/sign-in/two-step", { code: "zzzzz-zzzzz" }, { cookie }), params: {}, ...ctx }));
    expect(last!.status).toBe(429);
    expect(last!.headers.get("Retry-After")).toBeTruthy();
  });

  it("does not let an admin turn it off", async () => {
    const cookie = await adminCookie();
    const res = await run(() => twoStepSettings.action({ request: formRequest("/account/two-step", { intent: "disable", password: TEST_PASSWORD }, { cookie }), params: {}, ...ctx }));
    expect(res.status).toBe(400);
    expect((await accountByEmail("admin@example.org")).totp_secret).not.toBeNull();
  });
});

describe("permission matrix (role × action) on a network's members", () => {
  type Who = "anonymous" | "other network member" | "pending" | "member" | "organiser" | "moderator" | "network admin" | "platform admin";
  const cookies: Partial<Record<Who, string>> = {};
  let pendingId = "";

  beforeAll(async () => {
    cookies["other network member"] = await cookieFor("national@example.org");
    cookies.member = await cookieFor("member@example.org");
    cookies.organiser = await cookieFor("organiser@example.org");
    cookies.moderator = await cookieFor("moderator@example.org");
    cookies["platform admin"] = await adminCookie("admin@example.org");
    const na = await newVerifiedAccount("nwadmin@example.org", "Nell Admin");
    const nw = (await getNetworkBySlug("north-west"))!;
    const now = new Date().toISOString();
    await db().insertInto("network_membership").values({ network_id: nw.id, account_id: na.id, role: "admin", status: "approved", message: null, created_at: now, decided_at: now, decided_by_account_id: null }).execute();
    cookies["network admin"] = await adminCookie("nwadmin@example.org");
    const p = await newVerifiedAccount("pending@example.org", "Penny Pending");
    pendingId = p.id;
    cookies.pending = await cookieFor("pending@example.org");
    await run(() => networkPage.action({ request: formRequest("/networks/north-west", { intent: "join" }, { cookie: cookies.pending }), params: { slug: "north-west" }, ...ctx }));
  });

  const viewExpect: Record<Who, number> = {
    anonymous: 302,
    "other network member": 404,
    pending: 404,
    member: 200,
    organiser: 200,
    moderator: 200,
    "network admin": 200,
    "platform admin": 200,
  };
  it.each(Object.entries(viewExpect))("view members page: %s → %i", async (who, status) => {
    const res = await run(() => members.loader({ request: getRequest("/networks/north-west/members", { cookie: cookies[who as Who] }), params: { slug: "north-west" }, ...ctx }));
    expect(res.status).toBe(status);
    if (status === 200) {
      const body = await res.json();
      expect(body.admin === null).toBe(!["network admin", "platform admin"].includes(who));
    }
  });

  const manage: Array<[string, Record<string, string>]> = [
    ["invite", { intent: "invite", email: "someone@example.org", role: "member" }],
    ["set domains", { intent: "domains", domains: "example.net" }],
    ["change a role", { intent: "role", accountId: "__member__", role: "organiser" }],
    ["decline a request", { intent: "decline", accountId: "__pending__" }],
  ];
  const manageExpect: Record<Who, number> = {
    anonymous: 302,
    "other network member": 404,
    pending: 404,
    member: 404,
    organiser: 404,
    moderator: 404,
    "network admin": 302,
    "platform admin": 302,
  };
  for (const [label, fields] of manage) {
    it.each(Object.entries(manageExpect).filter(([w]) => !w.includes("admin")))(`${label}: %s → %i, nothing changes`, async (who, status) => {
      const memberId = (await accountByEmail("member@example.org")).id;
      const f = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.replace("__member__", memberId).replace("__pending__", pendingId)]));
      const before = JSON.stringify([await db().selectFrom("network_membership").selectAll().orderBy("account_id").execute(), await db().selectFrom("invitation").selectAll().execute(), await db().selectFrom("network").select("auto_approve_domains").execute()]);
      const res = await run(() => members.action({ request: formRequest("/networks/north-west/members", f, { cookie: cookies[who as Who] }), params: { slug: "north-west" }, ...ctx }));
      expect(res.status).toBe(status);
      if (status === 302) expect(res.headers.get("Location")).toMatch(/^\/sign-in/);
      const after = JSON.stringify([await db().selectFrom("network_membership").selectAll().orderBy("account_id").execute(), await db().selectFrom("invitation").selectAll().execute(), await db().selectFrom("network").select("auto_approve_domains").execute()]);
      expect(after).toBe(before);
    });
  }

  it("lets a network admin and a platform admin manage, and never another network's members", async () => {
    for (const who of ["network admin", "platform admin"] as const) {
      const res = await run(() => members.action({ request: formRequest("/networks/north-west/members", { intent: "domains", domains: "nhs.net\nexample.net" }, { cookie: cookies[who] }), params: { slug: "north-west" }, ...ctx }));
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toBe("/networks/north-west/members");
    }
    // An id of a national-only member changes nothing through north-west's page.
    const national = await accountByEmail("national@example.org");
    const res = await run(() => members.action({ request: formRequest("/networks/north-west/members", { intent: "remove", accountId: national.id }, { cookie: cookies["network admin"] }), params: { slug: "north-west" }, ...ctx }));
    expect(res.status).toBe(400);
    expect(await db().selectFrom("network_membership").select("role").where("account_id", "=", national.id).execute()).toHaveLength(1);
    // The network admin of north-west is nobody on national's page.
    const other = await run(() => members.loader({ request: getRequest("/networks/national/members", { cookie: cookies["network admin"] }), params: { slug: "national" }, ...ctx }));
    expect(other.status).toBe(404);
  });

  it("shows members-only content on the network page to members only", async () => {
    for (const [who, sees] of [["anonymous", false], ["other network member", false], ["pending", false], ["member", true]] as const) {
      const body = await (await run(() => networkPage.loader({ request: getRequest("/networks/north-west", { cookie: cookies[who] }), params: { slug: "north-west" }, ...ctx }))).json();
      expect(body.admins.some((a: { email: string | null }) => a.email !== null), who).toBe(sees);
      expect(body.memberCount).toBeGreaterThan(0);
    }
  });

  it("keeps at least one admin", async () => {
    const nat = (await getNetworkBySlug("national"))!;
    const admin = await accountByEmail("admin@example.org");
    const res = await run(() => members.action({ request: formRequest("/networks/national/members", { intent: "role", accountId: admin.id, role: "member" }, { cookie: cookies["platform admin"] }), params: { slug: "national" }, ...ctx }));
    expect(res.status).toBe(400);
    expect((await res.json()).errors.form).toMatch(/at least one admin/);
    const m = await db().selectFrom("network_membership").select("role").where("network_id", "=", nat.id).where("account_id", "=", admin.id).executeTakeFirstOrThrow();
    expect(m.role).toBe("admin");
  });
});

describe("joining a network", () => {
  it("refuses an unconfirmed address, with a message on the form", async () => {
    await run(() => signUp.action({ request: signUpRequest({ name: "Una Unverified", email: "una@example.org", password: TEST_PASSWORD }), params: {}, ...ctx }));
    const cookie = await cookieFor("una@example.org");
    const res = await run(() => networkPage.action({ request: formRequest("/networks/north-west", { intent: "join", message: "Hello" }, { cookie }), params: { slug: "north-west" }, ...ctx }));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors.message).toMatch(/Confirm your email/);
    expect(body.values.message).toBe("Hello");
    expect(await db().selectFrom("network_membership").select("status").where("account_id", "=", (await accountByEmail("una@example.org")).id).execute()).toHaveLength(0);
  });

  it("asks, emails the admins, and after approval the member reads members-only pages", async () => {
    const a = await newVerifiedAccount("joiner@example.org", "Jo Joiner");
    const cookie = await cookieFor("joiner@example.org");
    const res = await run(() => networkPage.action({ request: formRequest("/networks/north-west", { intent: "join", message: "Link worker in Bolton" }, { cookie }), params: { slug: "north-west" }, ...ctx }));
    expect(res.status).toBe(302);
    await runNoticeSend();
    expect((await outboxTo("admin@example.org")).some((m) => m.subject.includes("Jo Joiner"))).toBe(true);
    expect((await run(() => members.loader({ request: getRequest("/networks/north-west/members", { cookie }), params: { slug: "north-west" }, ...ctx }))).status).toBe(404);
    const admin = await adminCookie();
    const approve = await run(() => members.action({ request: formRequest("/networks/north-west/members", { intent: "approve", accountId: a.id }, { cookie: admin }), params: { slug: "north-west" }, ...ctx }));
    expect(approve.status).toBe(302);
    await runNoticeSend();
    expect((await outboxTo("joiner@example.org")).some((m) => /Welcome/.test(m.subject))).toBe(true);
    expect((await run(() => members.loader({ request: getRequest("/networks/north-west/members", { cookie }), params: { slug: "north-west" }, ...ctx }))).status).toBe(200);
  });

  it("lets people with a listed email domain in straight away", async () => {
    const nw = (await getNetworkBySlug("north-west"))!;
    await db().updateTable("network").set({ auto_approve_domains: JSON.stringify(["nhs.net"]) }).where("id", "=", nw.id).execute();
    const a = await newVerifiedAccount("nurse@nhs.net", "Nia Nurse");
    const cookie = await cookieFor("nurse@nhs.net");
    await run(() => networkPage.action({ request: formRequest("/networks/north-west", { intent: "join" }, { cookie }), params: { slug: "north-west" }, ...ctx }));
    const m = await db().selectFrom("network_membership").selectAll().where("account_id", "=", a.id).executeTakeFirstOrThrow();
    expect(m.status).toBe("approved");
    expect(m.role).toBe("member");
  });

  it("refuses a domain anyone can get, or one that is not a domain", async () => {
    const admin = await adminCookie();
    for (const domains of ["gmail.com", "not a domain!", "<script>"]) {
      const res = await run(() => members.action({ request: formRequest("/networks/north-west/members", { intent: "domains", domains }, { cookie: admin }), params: { slug: "north-west" }, ...ctx }));
      expect(res.status).toBe(400);
      expect((await res.json()).values.domains).toBe(domains);
    }
  });
});

describe("invitations", () => {
  it("binds the invitation to the invited address, is single-use and expires", async () => {
    const nat = (await getNetworkBySlug("national"))!;
    const admin = await accountByEmail("admin@example.org");
    const invited = await newVerifiedAccount("invitee@example.org", "Ivy Invitee");
    const token = await createInvitation({ networkId: nat.id, email: "invitee@example.org", role: "organiser", invitedBy: admin.id });
    expect(await db().selectFrom("invitation").select("id").where("token_hash", "=", token).executeTakeFirst()).toBeUndefined();

    const wrong = await cookieFor("member@example.org");
    const mismatch = await run(() => invitation.action({ request: formRequest(`/invitations/${token}`, {}, { cookie: wrong }), params: { token }, ...ctx }));
    expect(mismatch.status).toBe(403);
    expect((await mismatch.json()).problem).toMatch(/sent to invitee@example.org/);
    expect(await db().selectFrom("invitation").select("used_at").where("token_hash", "=", hashToken(token)).executeTakeFirstOrThrow()).toEqual({ used_at: null });

    // Viewing (a mail scanner's GET) does not use it.
    await invitation.loader({ request: getRequest(`/invitations/${token}`), params: { token }, ...ctx });
    const cookie = await cookieFor("invitee@example.org");
    const ok = await run(() => invitation.action({ request: formRequest(`/invitations/${token}`, {}, { cookie }), params: { token }, ...ctx }));
    expect(ok.status).toBe(302);
    const m = await db().selectFrom("network_membership").selectAll().where("account_id", "=", invited.id).where("network_id", "=", nat.id).executeTakeFirstOrThrow();
    expect([m.status, m.role]).toEqual(["approved", "organiser"]);
    const again = await run(() => invitation.action({ request: formRequest(`/invitations/${token}`, {}, { cookie }), params: { token }, ...ctx }));
    expect((await again.json()).problem).toMatch(/already been used/);

    const expired = await createInvitation({ networkId: nat.id, email: "invitee@example.org", role: "admin", invitedBy: admin.id });
    await db().updateTable("invitation").set({ expires_at: new Date(Date.now() - 1).toISOString() }).where("token_hash", "=", hashToken(expired)).execute();
    const late = await run(() => invitation.action({ request: formRequest(`/invitations/${expired}`, {}, { cookie }), params: { token: expired }, ...ctx }));
    expect((await late.json()).problem).toMatch(/expired/);
    expect((await db().selectFrom("network_membership").select("role").where("account_id", "=", invited.id).where("network_id", "=", nat.id).executeTakeFirstOrThrow()).role).toBe("organiser");
  });
});

describe("profile, password and devices", () => {
  it("proposes a new organisation as pending, linked to the proposer", async () => {
    const a = await newVerifiedAccount("proposer@example.org", "Pru Proposer");
    const nw = await db().selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    await db().insertInto("network_membership").values({ network_id: nw.id, account_id: a.id, role: "member", status: "approved", message: null, created_at: now, decided_at: now, decided_by_account_id: null }).execute();
    const cookie = await cookieFor("proposer@example.org");
    const res = await run(() =>
      profile.action({
        request: formRequest("/account/profile", { name: "Pru Proposer", jobTitle: "Connector", organisationId: "new", proposedName: "Bolton Community Connectors", proposedSector: "connector-scheme", bio: "Line one\nLine two", visible: "yes" }, { cookie }),
        params: {},
        ...ctx,
      }),
    );
    expect(res.status).toBe(302);
    const org = await db().selectFrom("organisation").selectAll().where("name", "=", "Bolton Community Connectors").executeTakeFirstOrThrow();
    expect([org.status, org.proposed_by_account_id, org.sector]).toEqual(["pending", a.id, "connector-scheme"]);
    // Listed in the proposer's network, so its admins see it in their queue.
    expect(await db().selectFrom("organisation_network").select("network_id").where("organisation_id", "=", org.id).execute()).toEqual([{ network_id: nw.id }]);
    const after = await accountByEmail("proposer@example.org");
    expect([after.organisation_id, after.bio, after.profile_visible]).toEqual([org.id, "Line one\nLine two", true]);
  });

  it("refuses a hidden or unknown organisation id and control characters in a job title", async () => {
    const cookie = await cookieFor("proposer@example.org");
    const before = await accountByEmail("proposer@example.org");
    const cases: Array<Record<string, string>> = [
      { name: "Pru", organisationId: "999999" },
      { name: "Pru", organisationId: "", jobTitle: "Boss\r\nBcc: x" },
    ];
    for (const fields of cases) {
      const res = await run(() => profile.action({ request: formRequest("/account/profile", fields, { cookie }), params: {}, ...ctx }));
      expect(res.status).toBe(400);
    }
    expect(await accountByEmail("proposer@example.org")).toEqual(before);
  });

  it("changing the password ends every other session, not this one", async () => {
    await newVerifiedAccount("changer@example.org");
    const here = await cookieFor("changer@example.org");
    const elsewhere = await cookieFor("changer@example.org");
    const res = await run(() => password.action({ request: formRequest("/account/password", { currentPassword: TEST_PASSWORD, newPassword: "my new long passphrase" }, { cookie: here }), params: {}, ...ctx }));
    expect(res.status).toBe(302);
    expect(await getAuth(getRequest("/", { cookie: here }))).not.toBeNull();
    expect(await getAuth(getRequest("/", { cookie: elsewhere }))).toBeNull();
  });

  it("lists sessions and ends one, but never another person's", async () => {
    const here = await cookieFor("changer@example.org");
    const other = await cookieFor("changer@example.org");
    const list = await (await run(() => sessions.loader({ request: getRequest("/account/sessions", { cookie: here }), params: {}, ...ctx }))).json();
    expect(list.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const otherHash = hashSessionId(other.split("=")[1]);
    const victim = hashSessionId((await cookieFor("member@example.org")).split("=")[1]);
    await run(() => sessions.action({ request: formRequest("/account/sessions", { intent: "end", session: victim }, { cookie: here }), params: {}, ...ctx }));
    expect(await db().selectFrom("session").select("id").where("id", "=", victim).executeTakeFirst()).toBeDefined();
    await run(() => sessions.action({ request: formRequest("/account/sessions", { intent: "end", session: otherHash }, { cookie: here }), params: {}, ...ctx }));
    expect(await getAuth(getRequest("/", { cookie: other }))).toBeNull();
  });
});

describe("your data (UK GDPR)", () => {
  it("downloads everything about the account as a JSON attachment, without secrets", async () => {
    const cookie = await cookieFor("member@example.org");
    const res = await data.loader({ request: getRequest("/account/data", { cookie }), params: {}, ...ctx });
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="roundtable-my-data-\d{4}-\d{2}-\d{2}\.json"$/);
    const body = await res.json();
    expect(body.account.email).toBe("member@example.org");
    expect(body.related.network_membership.length).toBeGreaterThan(0);
    expect(body.related.session.length).toBeGreaterThan(0);
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/\$argon2/);
    for (const s of await db().selectFrom("session").select("id").execute()) expect(text).not.toContain(s.id);
  });

  it("needs the password to delete, then anonymises the account and removes personal links", async () => {
    const a = await newVerifiedAccount("leaver@example.org", "Lee Leaver");
    const nw = (await getNetworkBySlug("north-west"))!;
    const now = new Date().toISOString();
    await db().insertInto("network_membership").values({ network_id: nw.id, account_id: a.id, role: "member", status: "approved", message: null, created_at: now, decided_at: now, decided_by_account_id: null }).execute();
    const org = await db().selectFrom("organisation").select("id").executeTakeFirstOrThrow();
    await db().insertInto("organisation_follow").values({ account_id: a.id, organisation_id: org.id, created_at: now }).execute();
    // The leaver approved someone's membership: that membership must survive them.
    const other = await newVerifiedAccount("stayer@example.org", "Stan Stayer");
    await db().insertInto("network_membership").values({ network_id: nw.id, account_id: other.id, role: "member", status: "approved", message: null, created_at: now, decided_at: now, decided_by_account_id: a.id }).execute();
    const cookie = await cookieFor("leaver@example.org");
    const wrong = await run(() => del.action({ request: formRequest("/account/delete", { password: "not my password" }, { cookie }), params: {}, ...ctx }));
    expect(wrong.status).toBe(400);
    expect((await accountByEmail("leaver@example.org")).deleted_at).toBeNull();
    const res = await run(() => del.action({ request: formRequest("/account/delete", { password: TEST_PASSWORD }, { cookie }), params: {}, ...ctx }));
    expect(res.status).toBe(302);
    const row = await db().selectFrom("account").selectAll().where("id", "=", a.id).executeTakeFirstOrThrow();
    expect(row.name).toBe(FORMER_MEMBER);
    expect(row.email).not.toContain("leaver");
    expect(row.password_hash).toBeNull();
    expect(row.deleted_at).not.toBeNull();
    expect(await db().selectFrom("session").select("id").where("account_id", "=", a.id).execute()).toHaveLength(0);
    expect(await db().selectFrom("network_membership").select("network_id").where("account_id", "=", a.id).execute()).toHaveLength(0);
    expect(await db().selectFrom("organisation_follow").select("organisation_id").where("account_id", "=", a.id).execute()).toHaveLength(0);
    expect(await db().selectFrom("network_membership").select("decided_by_account_id").where("account_id", "=", other.id).execute()).toEqual([{ decided_by_account_id: a.id }]);
    expect(await getAuth(getRequest("/", { cookie }))).toBeNull();
    expect((await authenticate("leaver@example.org", TEST_PASSWORD, getRequest("/"))).ok).toBe(false);
    await expect(exportAccountData(a.id)).resolves.toBeTruthy();
  });
});

describe("sign-up limits", () => {
  it("limits sign-ups from one address with 429, Retry-After and a plain message, keeping what was typed", async () => {
    let last: Response | undefined;
    for (let i = 0; i < 31; i++) {
      const request = formRequest("/sign-up", { name: "Bulk", email: `bulk${i}@example.org`, password: TEST_PASSWORD });
      request.headers.set("X-Roundtable-Client-Ip", "198.51.100.7");
      last = await run(() => signUp.action({ request, params: {}, ...ctx }));
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("Retry-After"))).toBeGreaterThan(0);
    const body = await last!.json();
    expect(body.errors.form).toMatch(/Too many attempts/);
    expect(body.values.email).toBe("bulk30@example.org");
    expect(await db().selectFrom("account").select("id").where("email", "=", "bulk30@example.org").executeTakeFirst()).toBeUndefined();
  });
});

describe("one session read per request", () => {
  it("the copies Remix makes of one GET request share it; another request, or a POST, reads the session again", async () => {
    const cookie = await cookieFor("member@example.org");
    const copy = (id: string, method = "GET") => new Request("http://localhost/", { method, headers: { Cookie: cookie, [REQUEST_ID_HEADER]: id } });
    expect((await getAuth(copy("request-one")))?.user.email).toBe("member@example.org");
    // The session ends between two loaders of the same page: that page still sees one state.
    await getDb().deleteFrom("session").where("id", "=", hashSessionId(cookie.split("=")[1])).execute();
    expect((await getAuth(copy("request-one")))?.user.email).toBe("member@example.org");
    expect(await getAuth(copy("request-two"))).toBeNull();
    expect(await getAuth(copy("request-one", "POST"))).toBeNull();
    expect(await getAuth(getRequest("/", { cookie }))).toBeNull();
  });
});

