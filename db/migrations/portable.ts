import { type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, PostgresAdapter, type RawBuilder, sql } from "kysely";

// The few places where SQLite and PostgreSQL DDL differ, for migrations written with Kysely's
// schema builder. Migrations are frozen, so these helpers are too: add new ones, never change
// what an existing one emits.

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** SQLite STRICT tables (types enforced); PostgreSQL enforces column types anyway. */
export function strict(db: Kysely<any>) {
  return <T extends string, C extends string>(t: CreateTableBuilder<T, C>) => (isPostgres(db) ? t : t.modifyEnd(sql`STRICT`));
}

/** SQLite STRICT, WITHOUT ROWID (a table clustered on its primary key); a plain table on PostgreSQL. */
export function strictWithoutRowid(db: Kysely<any>) {
  return <T extends string, C extends string>(t: CreateTableBuilder<T, C>) => (isPostgres(db) ? t : t.modifyEnd(sql`STRICT, WITHOUT ROWID`));
}

/** An integer primary key numbered by the database: SQLite's rowid alias, PostgreSQL's identity column. */
export function serialId(db: Kysely<any>) {
  return (c: ColumnDefinitionBuilder) => (isPostgres(db) ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey());
}

/**
 * SQLite's case-insensitive collation on a column. On PostgreSQL there is none: the app stores
 * the normalised (lower-case) form of what must match case-insensitively, e.g. email addresses.
 */
export function nocase(db: Kysely<any>) {
  return (c: ColumnDefinitionBuilder) => (isPostgres(db) ? c : c.modifyEnd(sql`COLLATE NOCASE`));
}

/** A case-insensitive sort key for an index: `col COLLATE NOCASE` on SQLite, `lower(col)` on PostgreSQL. */
export function nocaseKey(db: Kysely<any>, column: string): RawBuilder<unknown> {
  return isPostgres(db) ? sql`lower(${sql.ref(column)})` : sql`${sql.ref(column)} COLLATE NOCASE`;
}

export type TriggerSpec = {
  name: string;
  table: string;
  /** e.g. "AFTER INSERT", "AFTER UPDATE OF a, b", "BEFORE DELETE" */
  when: string;
  /** SQL statements, each ending with ";", using NEW / OLD. */
  body: string;
};

/**
 * A row trigger. SQLite: CREATE TRIGGER … BEGIN body END. PostgreSQL: a PL/pgSQL function of
 * the same name plus the trigger (BEFORE triggers return the row so the change goes ahead).
 */
export async function createTrigger(db: Kysely<any>, { name, table, when, body }: TriggerSpec): Promise<void> {
  if (!isPostgres(db)) {
    await sql`CREATE TRIGGER ${sql.raw(name)} ${sql.raw(when)} ON ${sql.raw(table)} BEGIN ${sql.raw(body)} END`.execute(db);
    return;
  }
  const row = /DELETE/i.test(when) ? "OLD" : "NEW";
  const result = /^BEFORE/i.test(when) ? row : "NULL";
  await sql
    .raw(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN ${body} RETURN ${result}; END $fn$`)
    .execute(db);
  await sql.raw(`CREATE TRIGGER ${name} ${when} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`).execute(db);
}

export async function dropTrigger(db: Kysely<any>, name: string, table: string): Promise<void> {
  if (!isPostgres(db)) {
    await sql`DROP TRIGGER IF EXISTS ${sql.raw(name)}`.execute(db);
    return;
  }
  await sql.raw(`DROP TRIGGER IF EXISTS ${name} ON ${table}`).execute(db);
  await sql.raw(`DROP FUNCTION IF EXISTS ${name}()`).execute(db);
}

/** Binary data: SQLite's BLOB, PostgreSQL's bytea (both read back as a Buffer). */
export function blob(db: Kysely<any>): "blob" | "bytea" {
  return isPostgres(db) ? "bytea" : "blob";
}

/** The current instant as UTC ISO-8601 text with milliseconds (how instants are stored), in SQL. */
export function isoNowSql(db: Kysely<any>): string {
  return isPostgres(db)
    ? `to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    : `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;
}

/** An 8-byte float: SQLite's REAL (STRICT tables allow no other name), PostgreSQL's double precision. */
export function float8(db: Kysely<any>): "real" | "double precision" {
  return isPostgres(db) ? "double precision" : "real";
}

/**
 * A yes/no column: PostgreSQL's boolean, SQLite's 0/1 integer (db/booleans.ts reads both as JS
 * booleans). Landed migrations emit exactly what they did on SQLite; only PostgreSQL's side is
 * boolean (no PostgreSQL database predates it).
 */
export function bool(db: Kysely<any>): "boolean" | "integer" {
  return isPostgres(db) ? "boolean" : "integer";
}

/** A yes/no value in DDL or a migration's data change: true/false on PostgreSQL, 1/0 on SQLite. */
export function boolLit(db: Kysely<any>, value: boolean): boolean | number {
  return isPostgres(db) ? value : value ? 1 : 0;
}

/** SQLite's `CHECK (column IN (0,1))` on a yes/no column; PostgreSQL's boolean needs none. */
export function boolCheck(db: Kysely<any>, column: string) {
  return (c: ColumnDefinitionBuilder) => (isPostgres(db) ? c : c.check(sql`${sql.raw(column)} IN (0,1)`));
}
