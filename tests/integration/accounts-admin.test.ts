/**
 * The three gaps closed after the accounts issue: platform admins reset someone's
 * two-step verification (with an audit record), paged and filtered member lists,
 * and an invitation carried through sign-up and confirmation.
 */
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/index";
import { createInvitation, getNetworkBySlug, MEMBERS_PAGE_SIZE } from "../../app/models/networks.server";
import { ADMIN_ACCOUNTS_PAGE_SIZE } from "../../app/models/admin.server";
import { getAuth } from "../../app/utils/auth.server";
import { generateTotpSecret, hashToken } from "../../app/utils/totp.server";
import * as adminIndex from "../../app/routes/admin._index";
import * as adminAccounts from "../../app/routes/admin.accounts._index";
import * as adminAccount from "../../app/routes/admin.accounts.$id";
import * as accountPage from "../../app/routes/account._index";
import * as members from "../../app/routes/networks.$slug_.members";
import * as signUp from "../../app/routes/sign-up";
import * as verify from "../../app/routes/verify-email";
import * as signIn from "../../app/routes/sign-in";
import * as invitation from "../../app/routes/invitations.$token";
import { adminCookie, cookieFor } from "../support/auth";
import { cookieFrom, formRequest, getRequest, TEST_PASSWORD } from "../support/fixtures";
import { readOutbox } from "../support/e2e";

const ctx = { context: {} };
const db = () => getDb();

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

async function accountByEmail(email: string) {
  return db().selectFrom("account").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
}

const now = () => new Date().toISOString();

async function insertAccount(id: string, name: string, email: string, visible = true) {
  await db()
    .insertInto("account")
    .values({ id, email, email_verified_at: now(), name, password_hash: null, job_title: null, bio: null, organisation_id: null, profile_visible: visible, is_platform_admin: false, totp_secret: null, totp_last_counter: null, created_at: now(), updated_at: now() })
    .execute();
}

describe("platform admin: find accounts and reset two-step verification", () => {
  it("answers 404 to everyone but a platform admin, and sends an admin without two-step to set it up", async () => {
    const member = await accountByEmail("member@example.org");
    for (const email of ["member@example.org", "organiser@example.org", "moderator@example.org", "national@example.org"]) {
      const cookie = await cookieFor(email);
      expect((await run(() => adminIndex.loader({ request: getRequest("/admin", { cookie }), params: {}, ...ctx }))).status).toBe(404);
      expect((await run(() => adminAccounts.loader({ request: getRequest("/admin/accounts", { cookie }), params: {}, ...ctx }))).status).toBe(404);
      expect((await run(() => adminAccount.loader({ request: getRequest(`/admin/accounts/${member.id}`, { cookie }), params: { id: member.id }, ...ctx }))).status).toBe(404);
    }
    // A network admin (not a platform admin) gets 404 too.
    const nw = await getNetworkBySlug("north-west");
    await insertAccount("netadmin0001", "Network Admin", "netadmin@example.org");
    await db().updateTable("account").set({ totp_secret: generateTotpSecret() }).where("id", "=", "netadmin0001").execute();
    await db().insertInto("network_membership").values({ network_id: nw!.id, account_id: "netadmin0001", role: "admin", status: "approved", message: null, created_at: now(), decided_at: now(), decided_by_account_id: null }).execute();
    const netAdmin = await cookieFor("netadmin@example.org");
    expect((await run(() => adminAccounts.loader({ request: getRequest("/admin/accounts", { cookie: netAdmin }), params: {}, ...ctx }))).status).toBe(404);

    const anon = await run(() => adminIndex.loader({ request: getRequest("/admin"), params: {}, ...ctx }));
    expect(anon.status).toBe(302);
    expect(anon.headers.get("Location")).toMatch(/^\/sign-in\?redirectTo=%2Fadmin/);
    // The demo admin before turning on two-step verification: sent to set it up first.
    await db().updateTable("account").set({ totp_secret: null }).where("email", "=", "admin@example.org").execute();
    const noTotpCookie = await cookieFor("admin@example.org");
    const noTotp = await run(() => adminIndex.loader({ request: getRequest("/admin", { cookie: noTotpCookie }), params: {}, ...ctx }));
    expect(noTotp.status).toBe(302);
    expect(noTotp.headers.get("Location")).toMatch(/^\/account\/two-step\?redirectTo=%2Fadmin/);
    const withTotp = await adminCookie();
    expect((await run(() => adminIndex.loader({ request: getRequest("/admin", { cookie: withTotp }), params: {}, ...ctx }))).status).toBe(200);
  });

  it("searches by email or name, literally, one page at a time", async () => {
    const cookie = await adminCookie();
    for (let i = 0; i < 60; i++) await insertAccount(`pager${String(i).padStart(4, "0")}`, `Paging Person ${String(i).padStart(2, "0")}`, `pager${i}@paging.example`);
    const search = async (qs: string) => (await run(() => adminAccounts.loader({ request: getRequest(`/admin/accounts?${qs}`, { cookie }), params: {}, ...ctx }))).json();
    const byEmail = await search("q=organiser%40example");
    expect(byEmail.items.map((a: { email: string }) => a.email)).toEqual(["organiser@example.org"]);
    const byName = await search("q=paging+person");
    expect(byName.total).toBe(60);
    expect(byName.pages).toBe(Math.ceil(60 / ADMIN_ACCOUNTS_PAGE_SIZE));
    expect(byName.items).toHaveLength(ADMIN_ACCOUNTS_PAGE_SIZE);
    const last = await search(`q=paging+person&page=${byName.pages}`);
    expect(last.items).toHaveLength(60 - ADMIN_ACCOUNTS_PAGE_SIZE * (byName.pages - 1));
    // Pages do not overlap, and together list everyone once.
    const seen = new Set<string>();
    for (let p = 1; p <= byName.pages; p++) for (const a of (await search(`q=paging+person&page=${p}`)).items) seen.add(a.id);
    expect(seen.size).toBe(60);
    // Odd page numbers fall back to a real page.
    expect((await search("q=paging+person&page=999")).page).toBe(byName.pages);
    expect((await search("q=paging+person&page=-3")).page).toBe(1);
    expect((await search("q=paging+person&page=abc")).page).toBe(1);
    // LIKE wildcards are matched literally, not as wildcards.
    expect((await search("q=%25")).total).toBe(0);
    expect((await search("q=_")).total).toBe(0);
    // Hostile text is just a search.
    expect((await search(`q=${encodeURIComponent("<script>'\" OR 1=1 --")}`)).total).toBe(0);
    // Deleted accounts are not listed.
    expect((await search("q=deleted.invalid")).total).toBe(0);
  });

  it("asks for confirmation, then clears the secret and recovery codes, ends every session, emails the person and records who did it", async () => {
    const admin = await accountByEmail("admin@example.org");
    const adminCk = await adminCookie();
    const member = await accountByEmail("member@example.org");
    await db().updateTable("account").set({ totp_secret: generateTotpSecret(), totp_last_counter: 5 }).where("id", "=", member.id).execute();
    await db().insertInto("recovery_code").values([{ account_id: member.id, code_hash: hashToken("aaaa-bbbb"), created_at: now(), used_at: null }]).execute();
    const memberCookie = await cookieFor("member@example.org");
    const secondDevice = await cookieFor("member@example.org");
    expect(await getAuth(getRequest("/", { cookie: memberCookie }))).not.toBeNull();
    const path = `/admin/accounts/${member.id}`;
    const before = await run(() => adminAccount.loader({ request: getRequest(path, { cookie: adminCk }), params: { id: member.id }, ...ctx }));
    const view = await before.json();
    expect(view.account).toMatchObject({ email: "member@example.org", hasTotp: true });
    expect(view.account.sessionCount).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(view)).not.toMatch(/totp_secret|password/);

    const post = (fields: Record<string, string>, cookie = adminCk) => run(() => adminAccount.action({ request: formRequest(path, fields, { cookie }), params: { id: member.id }, ...ctx }));
    // Not confirmed: nothing changes, and the note typed is kept.
    const unconfirmed = await post({ intent: "reset-two-step", note: "Phoned them" });
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.json()).toMatchObject({ errors: { confirm: expect.stringMatching(/checked/) }, values: { note: "Phoned them" } });
    // An over-long note: a clear error, nothing changes.
    expect((await post({ intent: "reset-two-step", confirm: "yes", note: "x".repeat(100_000) })).status).toBe(400);
    // Someone who is not a platform admin: 404, nothing changes.
    const organiserCookie = await cookieFor("organiser@example.org");
    expect((await post({ intent: "reset-two-step", confirm: "yes" }, organiserCookie)).status).toBe(404);
    expect((await accountByEmail("member@example.org")).totp_secret).not.toBeNull();
    expect(await db().selectFrom("admin_action").selectAll().execute()).toEqual([]);

    const done = await post({ intent: "reset-two-step", confirm: "yes", note: "Called them back on the number\r\nin the directory <script>" });
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe(path);
    const after = await accountByEmail("member@example.org");
    expect(after.totp_secret).toBeNull();
    expect(after.totp_last_counter).toBeNull();
    expect(after.password_hash).toBe(member.password_hash);
    expect(await db().selectFrom("recovery_code").selectAll().where("account_id", "=", member.id).execute()).toEqual([]);
    expect(await db().selectFrom("session").selectAll().where("account_id", "=", member.id).execute()).toEqual([]);
    expect(await getAuth(getRequest("/", { cookie: memberCookie }))).toBeNull();
    expect(await getAuth(getRequest("/", { cookie: secondDevice }))).toBeNull();
    // The admin stays signed in.
    expect(await getAuth(getRequest("/", { cookie: adminCk }))).not.toBeNull();
    const audit = await db().selectFrom("admin_action").selectAll().execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ admin_account_id: admin.id, target_account_id: member.id, action: "reset-two-step", note: "Called them back on the number in the directory <script>" });
    const mail = (await outboxTo("member@example.org")).filter((m) => /Two-step verification was reset/.test(m.subject));
    expect(mail).toHaveLength(1);
    expect(mail[0].text).toMatch(/\/account\/two-step/);
    // The page lists the action with who did it.
    const listed = await (await run(() => adminAccount.loader({ request: getRequest(path, { cookie: adminCk }), params: { id: member.id }, ...ctx }))).json();
    expect(listed.actions).toHaveLength(1);
    expect(listed.actions[0]).toMatchObject({ label: "Reset two-step verification", by: admin.name });
    // Again: already off, a clear message, no second record.
    const again = await post({ intent: "reset-two-step", confirm: "yes" });
    expect(again.status).toBe(400);
    expect(await db().selectFrom("admin_action").selectAll().execute()).toHaveLength(1);
  });

  it("refuses to reset the admin's own account, unknown or deleted accounts", async () => {
    const cookie = await adminCookie();
    const admin = await accountByEmail("admin@example.org");
    const self = await run(() => adminAccount.action({ request: formRequest(`/admin/accounts/${admin.id}`, { intent: "reset-two-step", confirm: "yes" }, { cookie }), params: { id: admin.id }, ...ctx }));
    expect(self.status).toBe(400);
    expect((await accountByEmail("admin@example.org")).totp_secret).not.toBeNull();
    for (const id of ["nope", "../admin", "x".repeat(200)]) {
      expect((await run(() => adminAccount.loader({ request: getRequest(`/admin/accounts/${encodeURIComponent(id)}`, { cookie }), params: { id }, ...ctx }))).status).toBe(404);
      expect((await run(() => adminAccount.action({ request: formRequest(`/admin/accounts/${encodeURIComponent(id)}`, { intent: "reset-two-step", confirm: "yes" }, { cookie }), params: { id }, ...ctx }))).status).toBe(404);
    }
    await insertAccount("gone00000001", "Former member", "deleted-gone00000001@deleted.invalid");
    await db().updateTable("account").set({ deleted_at: now() }).where("id", "=", "gone00000001").execute();
    expect((await run(() => adminAccount.loader({ request: getRequest("/admin/accounts/gone00000001", { cookie }), params: { id: "gone00000001" }, ...ctx }))).status).toBe(404);
  });

  it("links the member directory from the account page, and the admin tools for platform admins only", async () => {
    const organiserCookie = await cookieFor("organiser@example.org");
    const member = await (await run(() => accountPage.loader({ request: getRequest("/account", { cookie: organiserCookie }), params: {}, ...ctx }))).json();
    expect(member.account.platformAdmin).toBe(false);
    const adminCk = await adminCookie();
    const admin = await (await run(() => accountPage.loader({ request: getRequest("/account", { cookie: adminCk }), params: {}, ...ctx }))).json();
    expect(admin.account.platformAdmin).toBe(true);
  });
});

describe("members pages are paged and filtered", () => {
  it("lists 50 at a time for members and admins, filters by name, and keeps the permission rules", async () => {
    const nw = (await getNetworkBySlug("north-west"))!;
    const N = 130;
    for (let i = 0; i < N; i++) {
      const id = `bulk${String(i).padStart(8, "0")}`;
      // Every tenth profile hidden: listed to admins, not to members.
      await insertAccount(id, `Bulk Member ${String(i).padStart(3, "0")}`, `bulk${i}@bulk.example`, i % 10 !== 0);
      await db().insertInto("network_membership").values({ network_id: nw.id, account_id: id, role: "member", status: i < 120 ? "approved" : "pending", message: null, created_at: now(), decided_at: null, decided_by_account_id: null }).execute();
    }
    const load = async (qs: string, cookie: string) => run(() => members.loader({ request: getRequest(`/networks/north-west/members?${qs}`, { cookie }), params: { slug: "north-west" }, ...ctx }));
    const memberCookie = await cookieFor("organiser@example.org");
    const first = await (await load("", memberCookie)).json();
    expect(first.admin).toBeNull();
    expect(first.members.items).toHaveLength(MEMBERS_PAGE_SIZE);
    const visibleBulk = 120 - 12;
    expect(first.members.total).toBeGreaterThanOrEqual(visibleBulk);
    const filtered = await (await load("q=bulk+member", memberCookie)).json();
    expect(filtered.members.total).toBe(visibleBulk);
    expect(filtered.members.pages).toBe(Math.ceil(visibleBulk / MEMBERS_PAGE_SIZE));
    const names = new Set<string>();
    for (let p = 1; p <= filtered.members.pages; p++) for (const m of (await (await load(`q=bulk+member&page=${p}`, memberCookie)).json()).members.items) names.add(m.name);
    expect(names.size).toBe(visibleBulk);
    expect(names.has("Bulk Member 010")).toBe(false);
    expect((await (await load("q=Bulk+Member+007", memberCookie)).json()).members.items.map((m: { name: string }) => m.name)).toEqual(["Bulk Member 007"]);
    expect((await (await load("q=%25", memberCookie)).json()).members.total).toBe(0);
    expect((await (await load("page=9999", memberCookie)).json()).members.page).toBe(first.members.pages);
    // Members see no email addresses.
    expect(JSON.stringify(filtered)).not.toMatch(/bulk\.example/);

    const adminCk = await adminCookie();
    const nationalCk = await cookieFor("national@example.org");
    const admin = await (await load("q=bulk", adminCk)).json();
    expect(admin.admin.approved.total).toBe(120);
    expect(admin.admin.approved.items).toHaveLength(MEMBERS_PAGE_SIZE);
    expect(admin.admin.pending.total).toBe(10);
    const byEmail = await (await load("q=bulk7%40", adminCk)).json();
    expect(byEmail.admin.approved.items.map((m: { email: string }) => m.email)).toEqual(["bulk7@bulk.example"]);
    const adminLast = await (await load("q=bulk&page=3", adminCk)).json();
    expect(adminLast.admin.approved.items).toHaveLength(20);

    // Still 404 for a member of another network and a non-member, on any page.
    expect((await load("page=2", nationalCk)).status).toBe(404);
    expect((await load("q=bulk", nationalCk)).status).toBe(404);
  });
});

describe("an invitation carried through sign-up", () => {
  it("keeps the invitation in the form and the confirmation link, stays bound to the invited address, and lands on the acceptance after signing in", async () => {
    const nat = (await getNetworkBySlug("national"))!;
    const admin = await accountByEmail("admin@example.org");
    const token = await createInvitation({ networkId: nat.id, email: "newcomer@example.org", role: "organiser", invitedBy: admin.id });
    const page = await run(() => signUp.loader({ request: getRequest(`/sign-up?invitation=${token}`), params: {}, ...ctx }));
    expect(page.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect((await page.json()).invitation).toMatchObject({ token, email: "newcomer@example.org", network: nat.name });
    // A bogus invitation token is simply ignored.
    expect((await (await run(() => signUp.loader({ request: getRequest("/sign-up?invitation=nonsense"), params: {}, ...ctx }))).json()).invitation).toBeNull();

    const signUpReq = (fields: Record<string, string>) => {
      const r = formRequest("/sign-up", fields);
      r.headers.set("X-Roundtable-Client-Ip", "198.51.100.7");
      return r;
    };
    // Another address with the invitation: refused with a clear message, nothing created.
    const wrong = await run(() => signUp.action({ request: signUpReq({ name: "New Comer", email: "someone-else@example.org", password: TEST_PASSWORD, invitation: token }), params: {}, ...ctx }));
    expect(wrong.status).toBe(400);
    const wrongBody = await wrong.json();
    expect(wrongBody.errors.email).toMatch(/newcomer@example\.org/);
    expect(wrongBody.values).toMatchObject({ name: "New Comer", email: "someone-else@example.org" });
    expect(wrongBody.values.password).toBeUndefined();
    expect(await db().selectFrom("account").select("id").where("email", "=", "someone-else@example.org").executeTakeFirst()).toBeUndefined();

    const ok = await run(() => signUp.action({ request: signUpReq({ name: "New Comer", email: "Newcomer@example.org", password: TEST_PASSWORD, invitation: token }), params: {}, ...ctx }));
    expect(ok.status).toBe(302);
    expect(ok.headers.get("Location")).toMatch(/invited=1/);
    const mail = (await outboxTo("newcomer@example.org")).find((m) => /Confirm your email/.test(m.subject))!;
    expect(mail.text).toMatch(new RegExp(`invitation=${token}`));
    expect(mail.text).toMatch(new RegExp(`accept your invitation to ${nat.name}`));
    const verifyToken = /verify-email\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1];
    const verifyPage = await (await run(() => verify.loader({ request: getRequest(`/verify-email?token=${verifyToken}&invitation=${token}`), params: {}, ...ctx }))).json();
    expect(verifyPage.invitation).toBe(token);
    const confirmed = await run(() => verify.action({ request: formRequest("/verify-email", { token: verifyToken, invitation: token }), params: {}, ...ctx }));
    expect(confirmed.status).toBe(302);
    const target = `/invitations/${token}`;
    expect(confirmed.headers.get("Location")).toBe(`/sign-in?redirectTo=${encodeURIComponent(target)}`);

    const signedIn = await run(() => signIn.action({ request: formRequest(`/sign-in?redirectTo=${encodeURIComponent(target)}`, { email: "newcomer@example.org", password: TEST_PASSWORD, redirectTo: target }), params: {}, ...ctx }));
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("Location")).toBe(target);
    const cookie = cookieFrom(signedIn.headers.get("Set-Cookie"));
    const invitePage = await (await run(() => invitation.loader({ request: getRequest(target, { cookie }), params: { token }, ...ctx }))).json();
    expect(invitePage.invitation).toMatchObject({ networkSlug: "national", email: "newcomer@example.org" });
    expect(invitePage.mismatch).toBeNull();
    const accepted = await run(() => invitation.action({ request: formRequest(target, {}, { cookie }), params: { token }, ...ctx }));
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("Location")).toBe("/networks/national");
    const account = await accountByEmail("newcomer@example.org");
    expect(await db().selectFrom("network_membership").select(["role", "status"]).where("account_id", "=", account.id).where("network_id", "=", nat.id).executeTakeFirst()).toEqual({ role: "organiser", status: "approved" });
  });

  it("does not send a confirmed person to an invitation for another address", async () => {
    const nat = (await getNetworkBySlug("national"))!;
    const admin = await accountByEmail("admin@example.org");
    const otherInvite = await createInvitation({ networkId: nat.id, email: "someone-else-entirely@example.org", role: "admin", invitedBy: admin.id });
    const r = formRequest("/sign-up", { name: "Plain Person", email: "plain@example.org", password: TEST_PASSWORD });
    r.headers.set("X-Roundtable-Client-Ip", "198.51.100.8");
    expect((await run(() => signUp.action({ request: r, params: {}, ...ctx }))).status).toBe(302);
    const mail = (await outboxTo("plain@example.org")).find((m) => /Confirm your email/.test(m.subject))!;
    expect(mail.text).not.toMatch(/invitation=/);
    const verifyToken = /verify-email\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1];
    // A tampered link naming someone else's invitation: confirmed, but sent to plain sign-in.
    const confirmed = await run(() => verify.action({ request: formRequest("/verify-email", { token: verifyToken, invitation: otherInvite }), params: {}, ...ctx }));
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("Location")).toBe("/sign-in");
  });

  it("tells someone who already has an account how to reach the invitation, without saying so on the page", async () => {
    const nat = (await getNetworkBySlug("national"))!;
    const admin = await accountByEmail("admin@example.org");
    const token = await createInvitation({ networkId: nat.id, email: "member@example.org", role: "member", invitedBy: admin.id });
    const r = formRequest("/sign-up", { name: "Member Again", email: "member@example.org", password: TEST_PASSWORD, invitation: token });
    r.headers.set("X-Roundtable-Client-Ip", "198.51.100.9");
    const res = await run(() => signUp.action({ request: r, params: {}, ...ctx }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/sign-up?sent=1&invited=1");
    const mail = (await outboxTo("member@example.org")).find((m) => /already|tried/i.test(m.subject))!;
    expect(mail.text).toMatch(new RegExp(`/invitations/${token}`));
  });
});
