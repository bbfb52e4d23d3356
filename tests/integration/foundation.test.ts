import { describe, expect, it } from "vitest";
import { getDb } from "../../db/index";
import { migrateToLatest, rollbackOne } from "../../db/migrate";
import { seedDemo } from "../../db/seed/index";
import { ConfigError, parseEnv } from "../../app/utils/env.server";
import { isCrossSiteWrite } from "../../app/utils/http.server";
import { getAuth, hashSessionId, SESSION_ABSOLUTE_DAYS } from "../../app/utils/auth.server";
import { cookieFor } from "../support/auth";
import { getRequest } from "../support/fixtures";

describe("configuration", () => {
  it("uses the embedded defaults", () => {
    const env = parseEnv({});
    expect(env.DATABASE_PATH).toBe("./data/roundtable.db");
    expect(env.OUTBOX_DIR).toBe("./data/outbox");
    expect(env.PORT).toBe(3000);
    expect(env.APP_URL).toBe("http://localhost:3000");
    expect(env.secureCookies).toBe(false);
    expect(env.SEED_DEMO).toBe("auto");
  });

  it.each([
    [{ APP_URL: "not a url" }, "APP_URL"],
    [{ APP_URL: "ftp://example.org" }, "APP_URL"],
    [{ SMTP_URL: "mail.example.org:25" }, "SMTP_URL"],
    [{ SMTP_URL: "http://mail.example.org" }, "SMTP_URL"],
    [{ PORT: "seventy" }, "PORT"],
    [{ MAIL_FROM: "Roundtable\r\nBcc: x@y.z <a@b.c>" }, "MAIL_FROM"],
    [{ SEED_DEMO: "maybe" }, "SEED_DEMO"],
  ])("names the variable in one line for %o", (source, name) => {
    let caught: unknown;
    try {
      parseEnv(source);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as Error).message;
    expect(message).toContain(name);
    expect(message.split("\n")).toHaveLength(1);
  });

  it("makes cookies secure when APP_URL is https", () => {
    expect(parseEnv({ APP_URL: "https://roundtable.example.org/" }).secureCookies).toBe(true);
  });
});

describe("same-origin check", () => {
  const h = (headers: Record<string, string>) => (name: string) => headers[name] ?? null;
  const app = "http://localhost:3000";
  it.each([
    ["POST", { "Sec-Fetch-Site": "cross-site" }, true],
    ["POST", { "Sec-Fetch-Site": "same-site" }, true],
    ["POST", { "Sec-Fetch-Site": "same-origin" }, false],
    ["DELETE", { Origin: "https://evil.example" }, true],
    ["POST", { Origin: "http://localhost:3000" }, false],
    ["POST", {}, false],
    ["GET", { "Sec-Fetch-Site": "cross-site" }, false],
  ] as const)("%s with %o → refused=%s", (method, headers, refused) => {
    expect(isCrossSiteWrite(method, h(headers), app, app)).toBe(refused);
  });
});

describe("database", () => {
  it("rolls back and re-applies every migration", async () => {
    const db = getDb();
    let undone: string[] = [];
    do {
      undone = await rollbackOne(db);
    } while (undone.length);
    const tables = await db.introspection.getTables();
    expect(tables.filter((t) => !t.name.startsWith("kysely_"))).toHaveLength(0);
    expect((await migrateToLatest(db)).length).toBeGreaterThan(0);
    await seedDemo(db, { demoPassword: "correct horse battery staple", log: () => {} });
  });

  it("seeds idempotently", async () => {
    const db = getDb();
    const count = async () => (await db.selectFrom("organisation").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n;
    const before = await count();
    await seedDemo(db, { demoPassword: "x", log: () => {} });
    await seedDemo(db, { demoPassword: "x", log: () => {} });
    expect(await count()).toBe(before);
    const networks = await db.selectFrom("network").select("slug").orderBy("slug").execute();
    expect(networks.map((n) => n.slug)).toEqual(["national", "north-west"]);
  });

  // With RT_TEST_DB=postgres (npm run test:pg) the same suite runs on PostgreSQL, where pragmas do not exist.
  it("uses STRICT tables with the required pragmas (on PostgreSQL: enforced keys and checks)", async () => {
    if (process.env.DATABASE_URL) {
      const db = getDb();
      const now = new Date().toISOString();
      await expect(db.insertInto("organisation_follow").values({ account_id: "no-such-account", organisation_id: 1, created_at: now }).execute()).rejects.toThrow(/foreign key/);
      await expect(db.updateTable("network_membership").set({ role: "owner" as "admin" }).execute()).rejects.toThrow(/check constraint/);
      const row = await db.selectFrom("network").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      expect(typeof row.n).toBe("number");
      return;
    }
    const { getSqlite } = await import("../../db/index");
    const sqlite = getSqlite();
    expect(sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(sqlite.pragma("synchronous", { simple: true })).toBe(2);
    const ddl = sqlite.prepare("select sql from sqlite_master where type='table' and name='organisation'").pluck().get();
    expect(String(ddl)).toMatch(/STRICT/);
  });
});

describe("sessions", () => {
  it("stores only the SHA-256 of the session id", async () => {
    const cookie = await cookieFor("member@example.org");
    const raw = cookie.split("=")[1];
    const rows = await getDb().selectFrom("session").select("id").execute();
    expect(rows.some((r) => r.id === raw)).toBe(false);
    expect(rows.some((r) => r.id === hashSessionId(raw))).toBe(true);
    expect(hashSessionId(raw)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("ends a session after its absolute lifetime even while it is in use", async () => {
    const cookie = await cookieFor("member@example.org");
    expect(await getAuth(getRequest("/", { cookie }))).not.toBeNull();
    const hash = hashSessionId(cookie.split("=")[1]);
    const old = new Date(Date.now() - (SESSION_ABSOLUTE_DAYS * 24 + 1) * 3600_000).toISOString();
    await getDb().updateTable("session").set({ created_at: old }).where("id", "=", hash).execute();
    expect(await getAuth(getRequest("/", { cookie }))).toBeNull();
    expect(await getDb().selectFrom("session").select("id").where("id", "=", hash).executeTakeFirst()).toBeUndefined();
  });

  it("ends a session after the idle expiry", async () => {
    const cookie = await cookieFor("member@example.org");
    const hash = hashSessionId(cookie.split("=")[1]);
    await getDb().updateTable("session").set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where("id", "=", hash).execute();
    expect(await getAuth(getRequest("/", { cookie }))).toBeNull();
  });

  it("ignores a malformed cookie", async () => {
    expect(await getAuth(getRequest("/", { cookie: "rt_session=../../etc/passwd" }))).toBeNull();
    expect(await getAuth(getRequest("/", { cookie: "rt_session=" }))).toBeNull();
  });
});
