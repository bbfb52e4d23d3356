/**
 * npm run db:copy -- --from ./data/roundtable.db --to postgres://user:pass@host:5432/roundtable
 * npm run db:copy -- --from postgres://user:pass@host:5432/roundtable --to ./data/back.db
 *
 * Moves a network's data between SQLite and PostgreSQL (either way) into an empty database:
 * migrates both sides to the same schema, copies every table row for row (ids kept; triggers and
 * foreign-key checks paused for the copy, so derived tables such as the search documents arrive
 * exactly as they were), then verifies every copied table by row count and a SHA-256 of its rows
 * read back from both sides. Exits non-zero on any difference.
 *
 * - Into PostgreSQL: triggers pause through session_replication_role, which needs a superuser (or
 *   rds_superuser on Amazon RDS); identity sequences move on past the copied ids. Run it as the
 *   database owner before the application starts writing.
 * - Into SQLite: the triggers are dropped for the copy and recreated, and the FTS5 index (SQLite
 *   only) is rebuilt from the copied search documents; foreign keys are checked afterwards.
 */
import { createHash } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type SQLite from "better-sqlite3";
import { createDb, createPostgresDb, isPostgresUrl } from "./index";
import { migrateToLatest } from "./migrate";

type Row = Record<string, unknown>;
type Side = { db: Kysely<any>; sqlite: SQLite.Database | null; name: string };
type Tables = Map<string, string[]>;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function open(location: string): Side {
  if (isPostgresUrl(location)) return { db: createPostgresDb(location, { max: 2 }) as Kysely<any>, sqlite: null, name: "PostgreSQL" };
  const { db, sqlite } = createDb(location);
  return { db: db as Kysely<any>, sqlite, name: "SQLite" };
}

async function baseTables(db: Kysely<any>): Promise<Tables> {
  const tables = await db.introspection.getTables();
  return new Map(tables.filter((t) => !t.isView && !t.name.startsWith("kysely_")).map((t) => [t.name, t.columns.map((c) => c.name)]));
}

/**
 * One value in a form both dialects agree on: bytes as hex, booleans as 1/0 (SQLite's integers),
 * instants as ISO text, bigints as numbers.
 */
function canonical(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return `\\x${Buffer.from(v).toString("hex")}`;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "bigint") return Number(v);
  return v;
}

/**
 * A value as the target binds it. A yes/no value (read as a JS boolean from either side) goes in
 * as 1/0: SQLite's integer, and text PostgreSQL's boolean input takes too, as do the few 0/1
 * integer columns (search_document.online). better-sqlite3 takes no dates.
 */
function bindable(v: unknown, target: Side): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (!target.sqlite) return v;
  if (v instanceof Date) return v.toISOString();
  return v;
}

/** Row count and SHA-256 of a table's rows (the given columns), independent of row order. */
export async function fingerprint(db: Kysely<any>, table: string, columns: string[]): Promise<{ rows: number; sha256: string }> {
  const { rows } = await sql<Row>`SELECT ${sql.join(columns.map((c) => sql.ref(c)))} FROM ${sql.table(table)}`.execute(db);
  const lines = rows.map((r) => JSON.stringify(columns.map((c) => canonical(r[c])))).sort();
  const hash = createHash("sha256");
  for (const line of lines) hash.update(line).update("\n");
  return { rows: rows.length, sha256: hash.digest("hex") };
}

/** Inserts the source's rows of every table (the columns both sides have) through `conn`. */
async function copyRows(source: Side, target: Side, conn: Kysely<any>, tables: string[], columnsOf: (t: string) => string[], log: (line: string) => void) {
  // Rows the migrations created (e.g. feed_version's one row) are replaced by the source's.
  for (const table of tables) await sql`DELETE FROM ${sql.table(table)}`.execute(conn);
  for (const table of tables) {
    const columns = columnsOf(table);
    const { rows } = await sql<Row>`SELECT ${sql.join(columns.map((c) => sql.ref(c)))} FROM ${sql.table(table)}`.execute(source.db);
    // Within both engines' limits on bound parameters (SQLite 32,766; PostgreSQL 65,535).
    const perBatch = Math.max(1, Math.floor(30_000 / columns.length));
    for (let i = 0; i < rows.length; i += perBatch) {
      const values = rows.slice(i, i + perBatch).map((r) => sql`(${sql.join(columns.map((c) => bindable(r[c], target)))})`);
      await sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) VALUES ${sql.join(values)}`.execute(conn);
    }
    log(`${table}: ${rows.length} rows`);
  }
}

async function copyIntoPostgres(source: Side, target: Side, tables: string[], columnsOf: (t: string) => string[], log: (line: string) => void) {
  await target.db.connection().execute(async (conn) => {
    await sql`BEGIN`.execute(conn);
    try {
      await sql`SET LOCAL session_replication_role = replica`.execute(conn);
      await copyRows(source, target, conn, tables, columnsOf, log);
      // Identity columns continue after the copied ids.
      const { rows: identities } = await sql<{ table_name: string; column_name: string }>`
        SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND is_identity = 'YES'`.execute(conn);
      for (const { table_name, column_name } of identities) {
        await sql`SELECT setval(pg_get_serial_sequence(${table_name}, ${column_name}), coalesce((SELECT max(${sql.ref(column_name)}) FROM ${sql.table(table_name)}), 0) + 1, false)`.execute(conn);
      }
      await sql`COMMIT`.execute(conn);
    } catch (error) {
      await sql`ROLLBACK`.execute(conn);
      throw error;
    }
  });
}

async function copyIntoSqlite(source: Side, target: Side, tables: string[], columnsOf: (t: string) => string[], log: (line: string) => void) {
  const sqlite = target.sqlite!;
  // SQLite cannot pause triggers: drop them for the copy and recreate them from their own SQL.
  const triggers = sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL").all() as Array<{ name: string; sql: string }>;
  const fts5 = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'").all() as Array<{ name: string }>).map((t) => t.name);
  sqlite.pragma("foreign_keys = OFF");
  try {
    await target.db.connection().execute(async (conn) => {
      await sql`BEGIN IMMEDIATE`.execute(conn);
      try {
        for (const t of triggers) sqlite.exec(`DROP TRIGGER ${JSON.stringify(t.name)}`);
        await copyRows(source, target, conn, tables, columnsOf, log);
        for (const t of triggers) sqlite.exec(t.sql);
        // External-content FTS5 tables read their rows from the copied tables.
        for (const name of fts5) sqlite.exec(`INSERT INTO ${JSON.stringify(name)}(${JSON.stringify(name)}) VALUES ('rebuild')`);
        const broken = sqlite.pragma("foreign_key_check") as unknown[];
        if (broken.length) throw new Error(`The copy breaks ${broken.length} foreign keys (first: ${JSON.stringify(broken[0])})`);
        await sql`COMMIT`.execute(conn);
      } catch (error) {
        await sql`ROLLBACK`.execute(conn);
        throw error;
      }
    });
  } finally {
    sqlite.pragma("foreign_keys = ON");
  }
}

/**
 * Copies one database into another, empty one (SQLite file or postgres:// URL on either side)
 * and verifies it; returns whether every copied table is the same on both sides.
 */
export async function copyDatabase(from: string, to: string, log: (line: string) => void = console.log): Promise<boolean> {
  const source = open(from);
  const target = open(to);
  try {
    await migrateToLatest(source.db as never);
    await migrateToLatest(target.db as never);
    const { rows: accounts } = await sql<{ n: number }>`SELECT count(*) AS n FROM account`.execute(target.db);
    if (Number(accounts[0].n) > 0) throw new Error("The target database already has accounts: db:copy only fills an empty database");
    const sourceTables = await baseTables(source.db);
    const targetTables = await baseTables(target.db);
    // Tables one engine alone has (SQLite's FTS5 index and its shadow tables) are not copied.
    const tables = [...sourceTables.keys()].filter((t) => targetTables.has(t)).sort();
    const skipped = [...sourceTables.keys()].filter((t) => !targetTables.has(t));
    if (skipped.length) log(`Not copied (${source.name} only): ${skipped.join(", ")}`);
    // Columns one engine alone has (PostgreSQL's generated tsvector) are computed by the target.
    const columnsOf = (table: string) => sourceTables.get(table)!.filter((c) => targetTables.get(table)!.includes(c));

    if (target.sqlite) await copyIntoSqlite(source, target, tables, columnsOf, log);
    else await copyIntoPostgres(source, target, tables, columnsOf, log);

    let same = true;
    for (const table of tables) {
      const columns = columnsOf(table);
      const [a, b] = await Promise.all([fingerprint(source.db, table, columns), fingerprint(target.db, table, columns)]);
      const ok = a.rows === b.rows && a.sha256 === b.sha256;
      if (!ok) same = false;
      log(`${ok ? "same" : "DIFFERENT"} ${table}: ${a.rows} → ${b.rows} rows, sha256 ${a.sha256.slice(0, 16)} → ${b.sha256.slice(0, 16)}`);
    }
    log(same ? `Copied and verified ${tables.length} tables (${source.name} → ${target.name}).` : "The copy differs from the source (see DIFFERENT above).");
    return same;
  } finally {
    await source.db.destroy();
    await target.db.destroy();
  }
}

const isMain = process.argv[1] && /db[\\/]copy\.ts$/.test(process.argv[1]);
if (isMain) {
  const from = arg("from");
  const to = arg("to");
  if (!from || !to || isPostgresUrl(from) === isPostgresUrl(to)) {
    console.error(
      "Usage: npm run db:copy -- --from ./data/roundtable.db --to postgres://user:password@host:5432/roundtable\n" +
        "   or: npm run db:copy -- --from postgres://user:password@host:5432/roundtable --to ./data/roundtable-copy.db\n" +
        "(one side SQLite, the other PostgreSQL; the target must be empty)",
    );
    process.exit(2);
  }
  copyDatabase(from, to).then(
    (ok) => process.exit(ok ? 0 : 1),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
