/**
 * `npm run db:copy` round-trips the demo data: SQLite → PostgreSQL → SQLite. Each copy verifies
 * itself (row counts and SHA-256 per table); this test also compares the first SQLite database with
 * the last one directly, checks both search indexes (PostgreSQL's generated tsvector, SQLite's
 * rebuilt FTS5) find what the original finds, that new rows on PostgreSQL get fresh ids, and that a
 * second copy into a database that is no longer empty is refused.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { copyDatabase, fingerprint } from "../../db/copy";
import { closeDb, createDb, createPostgresDb, getDb } from "../../db/index";
import { migrateToLatest } from "../../db/migrate";
import { seedDemo } from "../../db/seed/index";
import { TEST_PASSWORD } from "../support/fixtures";
import { createPgDatabase, type PgDatabase } from "../support/pg-database";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rt-copy-"));
const original = path.join(dir, "original.db");
const back = path.join(dir, "back.db");
let pgDb: PgDatabase;

function cli(from: string, to: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "db/copy.ts", "--from", from, "--to", to], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  return new Promise<{ code: number | null; output: string }>((resolve) => child.on("exit", (code) => resolve({ code, output })));
}

async function tablesOf(db: Kysely<any>): Promise<Map<string, string[]>> {
  const tables = await db.introspection.getTables();
  return new Map(tables.filter((t) => !t.isView && !t.name.startsWith("kysely_")).map((t) => [t.name, t.columns.map((c) => c.name)]));
}

/** Search document ids FTS5 finds for a word, in order. */
function ftsIds(file: string, word: string): number[] {
  const db = new SQLite(file, { readonly: true });
  try {
    return (db.prepare("SELECT rowid AS id FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid").all(word) as Array<{ id: number }>).map((r) => r.id);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  // The demo data, seeded as `npm start` seeds it (some seeding goes through the models' getDb()).
  process.env.DATABASE_PATH = original;
  process.env.UPLOADS_DIR = path.join(dir, "uploads");
  delete process.env.DATABASE_URL;
  await migrateToLatest(getDb());
  await seedDemo(getDb(), { demoPassword: TEST_PASSWORD, log: () => {} });
  await closeDb();
  pgDb = await createPgDatabase(inject("pgAdminUrl"), "rt_copy");
});

afterAll(async () => {
  await pgDb?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("db:copy", () => {
  it("copies the demo data SQLite → PostgreSQL → SQLite and every table comes back the same", { timeout: 180_000 }, async () => {
    const lines: string[] = [];
    expect(await copyDatabase(original, pgDb.url, (l) => lines.push(l)), lines.join("\n")).toBe(true);
    expect(lines.join("\n")).toMatch(/Copied and verified \d+ tables \(SQLite → PostgreSQL\)/);

    // The command itself, the other way, into a new SQLite file.
    const run = await cli(pgDb.url, back);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/Copied and verified \d+ tables \(PostgreSQL → SQLite\)/);
    expect(run.output).not.toContain("DIFFERENT");

    // The first and last SQLite databases, compared directly: every table both engines have.
    const a = createDb(original).db as Kysely<any>;
    const b = createDb(back).db as Kysely<any>;
    const pg = createPostgresDb(pgDb.url, { max: 2 }) as Kysely<any>;
    try {
      const tablesA = await tablesOf(a);
      const tablesB = await tablesOf(b);
      const tablesPg = await tablesOf(pg);
      const shared = [...tablesA.keys()].filter((t) => tablesPg.has(t)).sort();
      expect(shared.length).toBeGreaterThan(30);
      expect(shared).toEqual(expect.arrayContaining(["account", "event", "registration", "resource", "search_document", "discussion_post", "session"]));
      let rows = 0;
      for (const table of shared) {
        expect(tablesB.get(table), table).toEqual(tablesA.get(table));
        const [fa, fb] = await Promise.all([fingerprint(a, table, tablesA.get(table)!), fingerprint(b, table, tablesA.get(table)!)]);
        expect(fb, table).toEqual(fa);
        rows += fa.rows;
      }
      expect(rows).toBeGreaterThan(200);

      // Search: the rebuilt FTS5 index finds what the original finds; PostgreSQL's tsvector is filled.
      for (const word of ["walking", "magic", "volunteer*"]) {
        const found = ftsIds(original, word);
        expect(found.length, word).toBeGreaterThan(0);
        expect(ftsIds(back, word), word).toEqual(found);
      }
      const { rows: tsv } = await sql<{ all: number; filled: number; walking: number }>`
        SELECT count(*) AS all, count(fts) AS filled, count(*) FILTER (WHERE fts @@ plainto_tsquery('english', 'walking')) AS walking FROM search_document`.execute(pg);
      expect(Number(tsv[0].filled)).toBe(Number(tsv[0].all));
      expect(Number(tsv[0].walking)).toBeGreaterThan(0);

      // New rows on PostgreSQL get ids after the copied ones.
      const { rows: ids } = await sql<{ max: number; next: number }>`
        SELECT (SELECT max(id) FROM event) AS max, nextval(pg_get_serial_sequence('event', 'id')) AS next`.execute(pg);
      expect(Number(ids[0].next)).toBeGreaterThan(Number(ids[0].max));
    } finally {
      await Promise.all([a.destroy(), b.destroy(), pg.destroy()]);
    }

    // A database that already has accounts is never overwritten.
    const again = await cli(original, pgDb.url);
    expect(again.code).toBe(1);
    expect(again.output).toContain("already has accounts");
  });
});
