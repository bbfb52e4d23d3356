import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import type { Database } from "./schema";

/**
 * The one connection to the database. SQLite-specific settings live here and
 * nowhere else, so a PostgreSQL dialect can be added beside this module.
 */
export type DB = Kysely<Database>;

export function openSqlite(filename: string): SQLite.Database {
  if (filename !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
  const sqlite = new SQLite(filename);
  // WAL lets readers continue while one writer commits; FULL keeps commits durable on power loss.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  return sqlite;
}

export function createDb(filename: string): { db: DB; sqlite: SQLite.Database } {
  const sqlite = openSqlite(filename);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, sqlite };
}

type Holder = { db: DB; sqlite: SQLite.Database; filename: string };
const globalKey = "__roundtable_db__";
type GlobalWithDb = typeof globalThis & { [globalKey]?: Holder };

/**
 * The server process loads this module twice (once through tsx for start-up
 * and once inside the Remix server bundle); a process-wide singleton keeps it
 * to one SQLite connection.
 */
function holder(): Holder {
  const g: GlobalWithDb = globalThis;
  const filename = process.env.DATABASE_PATH || "./data/roundtable.db";
  const existing = g[globalKey];
  if (existing && existing.filename === filename) return existing;
  const created = { ...createDb(filename), filename };
  g[globalKey] = created;
  return created;
}

export function getDb(): DB {
  return holder().db;
}

export function getSqlite(): SQLite.Database {
  return holder().sqlite;
}

/** Closes the process-wide connection (tests, CLI scripts). */
export async function closeDb(): Promise<void> {
  const g: GlobalWithDb = globalThis;
  const existing = g[globalKey];
  if (!existing) return;
  g[globalKey] = undefined;
  await existing.db.destroy();
}

/** Current instant as UTC ISO-8601 text: the only format instants are stored in. */
export function nowIso(): string {
  return new Date().toISOString();
}

/**
 * A write transaction that takes SQLite's write lock up front (BEGIN IMMEDIATE),
 * so a read-then-write never fails half-way with SQLITE_BUSY when another
 * process (digest:send, db:seed) writes at the same time. Keep the callback
 * short and never wait on the network inside it.
 */
export async function writeTransaction<T>(fn: (trx: DB) => Promise<T>, db: DB = getDb()): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn);
      throw error;
    }
  });
}
