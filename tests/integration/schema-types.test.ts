/**
 * Portable types, on both dialects (npm run test:pg for PostgreSQL): yes/no columns are boolean on
 * PostgreSQL and 0/1 integers on SQLite, and model code reads and writes JS booleans on both.
 */
import { describe, expect, it } from "vitest";
import { BOOLEAN_COLUMNS } from "../../db/booleans";
import { dialect, getDb, nowIso } from "../../db/index";

// search_document.online (the search index's own copy) stays a 0/1 integer on both; it reads as a boolean too.
const INTEGER_ON_BOTH = new Set(["search_document.online"]);

/** An account row with the given identity and yes/no columns, verified and created now. */
async function addAccount(values: { id: string; email: string; name: string; profile_visible: boolean; is_platform_admin: boolean }) {
  const now = nowIso();
  await getDb().insertInto("account").values({ ...values, email_verified_at: now, created_at: now, updated_at: now }).execute();
}

describe("yes/no columns", () => {
  it("are boolean on PostgreSQL and integers on SQLite, and every one is listed in db/booleans.ts", async () => {
    const tables = await getDb().introspection.getTables();
    const found: string[] = [];
    for (const t of tables.filter((x) => !x.isView)) {
      for (const c of t.columns) {
        const type = c.dataType.toLowerCase();
        if (type === "bool" || type === "boolean") found.push(`${t.name}.${c.name}`);
        if (BOOLEAN_COLUMNS.has(c.name)) {
          const expected = dialect() === "postgres" && !INTEGER_ON_BOTH.has(`${t.name}.${c.name}`) ? ["bool", "boolean"] : ["integer", "int4"];
          expect(expected, `${t.name}.${c.name} is ${type}`).toContain(type);
        }
      }
    }
    for (const column of found) expect(BOOLEAN_COLUMNS.has(column.split(".")[1]), column).toBe(true);
    if (dialect() === "postgres") expect(found.length).toBeGreaterThan(20);
  });

  it("are written and read as JS booleans, in the query builder and in raw SQL", async () => {
    const db = getDb();
    await addAccount({ id: "bool-check", email: "bool-check@example.org", name: "Bool Check", profile_visible: false, is_platform_admin: true });
    const row = await db.selectFrom("account").select(["profile_visible", "is_platform_admin"]).where("id", "=", "bool-check").executeTakeFirstOrThrow();
    expect(row).toEqual({ profile_visible: false, is_platform_admin: true });
    const found = await db.selectFrom("account").select("id").where("id", "=", "bool-check").where("is_platform_admin", "=", true).where("profile_visible", "=", false).execute();
    expect(found).toHaveLength(1);
    await db.updateTable("account").set({ profile_visible: true }).where("id", "=", "bool-check").execute();
    const { sql } = await import("kysely");
    const raw = await sql<{ profile_visible: boolean; is_platform_admin: boolean }>`select profile_visible, is_platform_admin from account where id = ${"bool-check"} and is_platform_admin = ${true}`.execute(db);
    expect(raw.rows).toEqual([{ profile_visible: true, is_platform_admin: true }]);
  });
});

describe("email addresses", () => {
  it("are found whatever their case or spaces, through email_normalized kept by the database on insert and on change", async () => {
    const db = getDb();
    await addAccount({ id: "mixed-case", email: " Mixed.Case@Example.ORG ", name: "Mixed Case", profile_visible: true, is_platform_admin: false });
    const { getAccountByEmail } = await import("../../app/models/accounts.server");
    expect((await getAccountByEmail("MIXED.case@example.org"))?.id).toBe("mixed-case");
    await db.updateTable("account").set({ email: "Changed@Example.org" }).where("id", "=", "mixed-case").execute();
    expect((await getAccountByEmail("changed@EXAMPLE.org "))?.id).toBe("mixed-case");
    expect(await getAccountByEmail("mixed.case@example.org")).toBeUndefined();
    // Unique: another account cannot take the same address in another case.
    await expect(addAccount({ id: "same-address", email: "CHANGED@example.org", name: "Same", profile_visible: true, is_platform_admin: false })).rejects.toThrow();
    const seeded = await db.selectFrom("account").select(["email", "email_normalized"]).execute();
    for (const a of seeded) expect(a.email_normalized).toBe(a.email.trim().toLowerCase());
  });
});

describe("timestamps", () => {
  it("are stored one way on both: UTC ISO-8601 text with milliseconds", async () => {
    const db = getDb();
    const rows = [
      ...(await db.selectFrom("account").select("created_at as at").limit(5).execute()),
      ...(await db.selectFrom("event").select("updated_at as at").limit(5).execute()),
      ...(await db.selectFrom("feed_version").select("changed_at as at").execute()),
    ];
    expect(rows.length).toBeGreaterThan(5);
    for (const { at } of rows) expect(at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const tables = await db.introspection.getTables();
    for (const t of tables.filter((x) => !x.isView)) {
      for (const c of t.columns) if (/_(at|utc)$/.test(c.name)) expect(c.dataType.toLowerCase(), `${t.name}.${c.name}`).toBe("text");
    }
  });
});
