import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresAdapter, PostgresDialect, type RawBuilder, type SelectQueryBuilder, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { BooleanResults, sqliteBooleanBinding } from "./booleans";
import type { Database } from "./schema";

/**
 * The one connection to the database: SQLite (a file at DATABASE_PATH, the default) or
 * PostgreSQL when DATABASE_URL is postgres://… (a pool of connections). Dialect-specific
 * settings live here and nowhere else.
 */
export type DB = Kysely<Database>;

export type Dialect = "sqlite" | "postgres";

/** Whether DATABASE_URL selects PostgreSQL. */
export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//.test(url);
}

/** The dialect behind a Kysely instance (migrations and the few dialect-specific queries ask this). */
export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

// COUNT(*) and SUM() are bigint/numeric in PostgreSQL, which pg returns as strings: our counts
// fit comfortably in a double, so read them as numbers, as SQLite does.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export function createPostgresDb(url: string, { max = Number(process.env.DATABASE_POOL_MAX) || 10 }: { max?: number } = {}): DB {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle connection the server ends (a restart, a managed failover, a terminated backend) leaves
  // the pool and is replaced on next use; without a listener, pg would crash the whole process.
  pool.on("error", (error) => console.error(`PostgreSQL closed an idle connection: ${error.message}`));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new BooleanResults()] });
}

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

/**
 * better-sqlite3 compiles a statement on every prepare(), and Kysely prepares every query it runs
 * (up to ~0.2 ms for a wide join, on every request). Kysely gets this view of the connection,
 * which keeps the most recently used statements by their SQL text (values are bound parameters,
 * so a query's shape is its text). A statement still being iterated is never handed out twice.
 */
export function withStatementCache(sqlite: SQLite.Database, max = 500): Pick<SQLite.Database, "prepare" | "close"> {
  const statements = new Map<string, SQLite.Statement>();
  return {
    prepare(source: string) {
      const cached = statements.get(source);
      if (cached && !cached.busy) {
        statements.delete(source);
        statements.set(source, cached);
        return cached;
      }
      const statement = sqlite.prepare(source);
      if (!cached) {
        statements.set(source, statement);
        if (statements.size > max) statements.delete(statements.keys().next().value!);
      }
      return statement;
    },
    close: () => sqlite.close(),
  } as Pick<SQLite.Database, "prepare" | "close">;
}

export function createDb(filename: string): { db: DB; sqlite: SQLite.Database } {
  const sqlite = openSqlite(filename);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqliteBooleanBinding(withStatementCache(sqlite)) }), plugins: [new BooleanResults()] });
  return { db, sqlite };
}

type Holder = { db: DB; sqlite: SQLite.Database | null; key: string };
const globalKey = "__roundtable_db__";
type GlobalWithDb = typeof globalThis & { [globalKey]?: Holder };

/**
 * The server process loads this module twice (once through tsx for start-up
 * and once inside the Remix server bundle); a process-wide singleton keeps it
 * to one SQLite connection (or one PostgreSQL pool).
 */
function holder(): Holder {
  const g: GlobalWithDb = globalThis;
  const url = process.env.DATABASE_URL;
  const filename = process.env.DATABASE_PATH || "./data/roundtable.db";
  const key = isPostgresUrl(url) ? url : filename;
  const existing = g[globalKey];
  if (existing && existing.key === key) return existing;
  const created = isPostgresUrl(url) ? { db: createPostgresDb(url), sqlite: null, key } : { ...createDb(filename), key };
  g[globalKey] = created;
  return created;
}

export function getDb(): DB {
  return holder().db;
}

export function dialect(): Dialect {
  return isPostgresUrl(process.env.DATABASE_URL) ? "postgres" : "sqlite";
}

/**
 * A column compared or sorted without regard to case, as its index is built (migrations'
 * nocaseKey): `name COLLATE NOCASE` on SQLite, `lower(name)` on PostgreSQL.
 */
export function caseInsensitive(column: string): RawBuilder<string> {
  return dialect() === "postgres" ? sql<string>`lower(${sql.ref(column)})` : sql<string>`${sql.ref(column)} COLLATE NOCASE`;
}

/**
 * A yes/no literal in SQL text, written as each dialect's index definitions have it: 1/0 on SQLite
 * (0/1 integer columns), TRUE/FALSE on PostgreSQL (boolean columns). For the few queries that must
 * repeat a partial index's literal; everywhere else pass a JS boolean as a parameter.
 */
export function boolSql(value: boolean): RawBuilder<boolean> {
  return sql.raw<boolean>(dialect() === "postgres" ? (value ? "TRUE" : "FALSE") : value ? "1" : "0");
}

/**
 * For a job claiming queued rows: on PostgreSQL the rows another process is claiming at this
 * moment are skipped (FOR UPDATE SKIP LOCKED), so two runs share the work instead of colliding;
 * SQLite has a single writer and needs nothing.
 */
export function skipLocked<QB extends SelectQueryBuilder<any, any, any>>(qb: QB): QB {
  return dialect() === "postgres" ? (qb.forUpdate().skipLocked() as QB) : qb;
}

/** The raw SQLite handle (SQLite-only maintenance code); throws on PostgreSQL. */
export function getSqlite(): SQLite.Database {
  const { sqlite } = holder();
  if (!sqlite) throw new Error("getSqlite() called with DATABASE_URL set (PostgreSQL)");
  return sqlite;
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

/** PostgreSQL's "try again" errors: serialization failure and deadlock. */
function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "40001" || code === "40P01";
}

/**
 * A write transaction whose reads and writes behave as if it ran alone.
 * SQLite: takes the write lock up front (BEGIN IMMEDIATE), so a read-then-write never fails
 * half-way with SQLITE_BUSY when another process (digest:send, db:seed) writes at the same time.
 * PostgreSQL: SERIALIZABLE, retried from the start when PostgreSQL reports a conflict (the
 * callback only touches the database, so running it again is safe). Either way, checks such as
 * "the last admin" hold across processes.
 * `lock` names the one row every writer of this kind of data locks first (an event for its
 * registrations): on PostgreSQL the transaction then takes that row lock (SELECT … FOR UPDATE) and
 * runs at READ COMMITTED, so a crowd registering for one event queues on the row instead of
 * failing and retrying. Everything the callback reads and writes must belong to that row.
 * `claim` is for a job taking queued rows (selected with skipLocked(), then marked as its own):
 * on PostgreSQL it runs at READ COMMITTED, where SKIP LOCKED belongs (under SERIALIZABLE the rows
 * another run holds turn into conflicts and retries instead of being passed over).
 * Keep the callback short and never wait on the network inside it. It may run more than once on
 * PostgreSQL: it must not change anything outside the database (return what it counted instead).
 */
export async function writeTransaction<T>(
  fn: (trx: DB) => Promise<T>,
  db: DB = getDb(),
  { lock, claim = false }: { lock?: { table: "event"; id: number }; claim?: boolean } = {},
): Promise<T> {
  if (dialectOf(db) === "postgres") {
    for (let attempt = 1; ; attempt++) {
      try {
        if (claim) return await db.transaction().setIsolationLevel("read committed").execute(fn);
        if (lock) {
          return await db
            .transaction()
            .setIsolationLevel("read committed")
            .execute(async (trx) => {
              await sql`SELECT id FROM ${sql.table(lock.table)} WHERE id = ${lock.id} FOR UPDATE`.execute(trx);
              return fn(trx);
            });
        }
        return await db.transaction().setIsolationLevel("serializable").execute(fn);
      } catch (error) {
        if (!isRetryable(error) || attempt >= 50) throw error;
        // Jittered, growing back-off (up to ~0.2 s) so retries do not collide again.
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** Math.min(attempt, 6))));
      }
    }
  }
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
