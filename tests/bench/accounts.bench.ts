/**
 * Accounts at scale: 20,000 accounts with 60,000 sessions and 40,000 memberships.
 * Measures what every signed-in request pays (session validation through lucia and our
 * adapter, the readable-networks lookup), the members page loader for an admin, and
 * sign-in's password check, including the unknown-email vs wrong-password time ratio
 * (should be about 1: the dummy hash makes them cost the same). Prints figures; never fails.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { stats, time } from "./support";

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 20_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rt-bench-accounts-"));
process.env.DATABASE_PATH = path.join(dir, "bench.db");
process.env.UPLOADS_DIR = path.join(dir, "uploads");
process.env.OUTBOX_DIR = path.join(dir, "outbox");
process.env.NODE_ENV = "test";

const { getDb, getSqlite, closeDb } = await import("../../db/index");
const { migrateToLatest } = await import("../../db/migrate");
const { seedDemo } = await import("../../db/seed/index");
const { getAuth, hashSessionId, createLoginSession } = await import("../../app/utils/auth.server");
const { readableNetworkIds, networkRole } = await import("../../app/models/access.server");
const { authenticate } = await import("../../app/models/accounts.server");
const { hashPassword } = await import("../../app/utils/password.server");
const members = await import("../../app/routes/networks.$slug_.members");


const db = getDb();
await migrateToLatest(db);
await seedDemo(db, { demoPassword: "correct horse battery staple", log: () => {} });
const networks = (await db.selectFrom("network").select("id").execute()).map((n) => n.id);
const passwordHash = await hashPassword("correct horse battery staple");

const sqlite = getSqlite();
const t0 = performance.now();
const cookies: string[] = [];
sqlite.transaction(() => {
  const now = new Date().toISOString();
  const later = new Date(Date.now() + 7 * 86400_000).toISOString();
  const acc = sqlite.prepare("insert into account (id, email, email_verified_at, name, password_hash, profile_visible, is_platform_admin, created_at, updated_at) values (?, ?, ?, ?, ?, 1, 0, ?, ?)");
  const ses = sqlite.prepare("insert into session (id, account_id, expires_at, created_at, last_seen_at, user_agent, ip_address, mfa_verified) values (?, ?, ?, ?, ?, 'bench', '127.0.0.1', 0)");
  const mem = sqlite.prepare("insert into network_membership (network_id, account_id, role, status, created_at) values (?, ?, ?, ?, ?)");
  for (let i = 0; i < ACCOUNTS; i++) {
    const id = `bench${i.toString().padStart(8, "0")}`;
    acc.run(id, `person${i}@bench.example`, now, `Person ${i}`, passwordHash, now, now);
    for (let s = 0; s < 3; s++) {
      const raw = `${id}s${s}`.padEnd(40, "x");
      ses.run(hashSessionId(raw), id, later, now, now);
      if (s === 0 && i % 97 === 0) cookies.push(`rt_session=${raw}`);
    }
    mem.run(networks[i % networks.length], id, i % 50 === 0 ? "organiser" : "member", i % 10 === 0 ? "pending" : "approved", now);
    if (i % 2 === 0) mem.run(networks[(i + 1) % networks.length], id, "member", "approved", now);
  }
})();
const loadMs = performance.now() - t0;

const { Request } = globalThis;
const req = (cookie: string, path = "/") => new Request(`http://localhost:3000${path}`, { headers: { Cookie: cookie } });

const validate = stats(await time((i) => getAuth(req(cookies[i % cookies.length])), 300));
const readable = stats(
  await time(async (i) => {
    const auth = await getAuth(req(cookies[i % cookies.length]));
    return readableNetworkIds(auth!.user);
  }, 300),
);
const role = stats(
  await time(async (i) => {
    const auth = await getAuth(req(cookies[i % cookies.length]));
    return networkRole(auth!.user, networks[0]);
  }, 300),
);

const adminId = (await db.selectFrom("account").select("id").where("email", "=", "admin@example.org").executeTakeFirstOrThrow()).id;
await db.updateTable("account").set({ totp_secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" }).where("id", "=", adminId).execute();
const adminCookie = (await createLoginSession(adminId, new Request("http://localhost:3000/"), { mfaVerified: true })).split(";")[0];
const slug = (await db.selectFrom("network").select("slug").where("id", "=", networks[0]).executeTakeFirstOrThrow()).slug;
const membersPage = stats(await time(() => members.loader({ request: req(adminCookie, `/networks/${slug}/members`), params: { slug }, context: {} }), 10));

const passwordRuns = 12;
const wrong = stats(await time((i) => authenticate(`person${i + 1}@bench.example`, "not the password", new Request("http://localhost/", { headers: { "X-Roundtable-Client-Ip": `10.0.0.${i}` } })), passwordRuns));
const unknown = stats(await time((i) => authenticate(`nobody${i}@bench.example`, "not the password", new Request("http://localhost/", { headers: { "X-Roundtable-Client-Ip": `10.0.1.${i}` } })), passwordRuns));

const f = (n: number) => n.toFixed(2).padStart(9);
console.log(`accounts: ${ACCOUNTS.toLocaleString("en-GB")} accounts, ${(ACCOUNTS * 3).toLocaleString("en-GB")} sessions, ~${Math.round(ACCOUNTS * 1.5).toLocaleString("en-GB")} memberships (bulk load ${Math.round(loadMs)} ms)`);
console.log("operation                                   median ms   p99 ms");
console.log(`validate session (lucia + adapter)         ${f(validate.median)} ${f(validate.p99)}`);
console.log(`validate + readableNetworkIds              ${f(readable.median)} ${f(readable.p99)}`);
console.log(`validate + networkRole                     ${f(role.median)} ${f(role.p99)}`);
console.log(`members page loader (admin, ${Math.round(ACCOUNTS / networks.length).toLocaleString("en-GB")} members) ${f(membersPage.median)} ${f(membersPage.p99)}`);
console.log(`sign-in, wrong password (argon2id)         ${f(wrong.median)} ${f(wrong.p99)}`);
console.log(`sign-in, unknown email (dummy hash)        ${f(unknown.median)} ${f(unknown.p99)}`);
console.log(`ratio unknown / wrong (want ≈ 1.00)        ${(unknown.median / wrong.median).toFixed(2).padStart(9)}`);

await closeDb();
fs.rmSync(dir, { recursive: true, force: true });
