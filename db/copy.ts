/**
 * npm run db:copy -- --from ./data/roundtable.db --to postgres://user:pass@host:5432/roundtable
 *
 * Moves a SQLite database's data into an empty PostgreSQL database: migrates the target to the
 * same schema, copies every table row for row (ids kept; triggers and foreign-key checks paused
 * for the copy, so derived tables such as the search index arrive exactly as they were), moves the
 * id sequences past the copied ids, then verifies every table by row count and a SHA-256 of its
 * rows read back from both sides. Exits non-zero on any difference.
 *
 * Pausing triggers uses session_replication_role, which needs a superuser (or rds_superuser on
 * Amazon RDS); run it as the database owner before the application starts writing.
 */
import { createHash } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { createDb, createPostgresDb, isPostgresUrl } from "./index";
import { migrateToLatest } from "./migrate";

type Row = Record<string, unknown>;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function baseTables(db: Kysely<any>): Promise<Map<string, string[]>> {
  const tables = await db.introspection.getTables();
  return new Map(tables.filter((t) => !t.isView && !t.name.startsWith("kysely_")).map((t) => [t.name, t.columns.map((c) => c.name)]));
}

/** One value in a form both dialects agree on (bytes as hex; numbers as numbers). */
function canonical(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return `\\x${Buffer.from(v).toString("hex")}`;
  if (typeof v === "bigint") return Number(v);
  return v;
}

/** Row count and SHA-256 of a table's rows (the given columns), independent of row order. */
async function fingerprint(db: Kysely<any>, table: string, columns: string[]): Promise<{ rows: number; sha256: string }> {
  const { rows } = await sql<Row>`SELECT ${sql.join(columns.map((c) => sql.ref(c)))} FROM ${sql.table(table)}`.execute(db);
  const lines = rows.map((r) => JSON.stringify(columns.map((c) => canonical(r[c])))).sort();
  const hash = createHash("sha256");
  for (const line of lines) hash.update(line).update("\n");
  return { rows: rows.length, sha256: hash.digest("hex") };
}

export async function copySqliteToPostgres(from: string, to: string, log: (line: string) => void = console.log): Promise<boolean> {
  const source = createDb(from).db as Kysely<any>;
  const target = createPostgresDb(to, { max: 2 }) as Kysely<any>;
  try {
    await migrateToLatest(source as never);
    await migrateToLatest(target as never);
    const { rows: accounts } = await sql<{ n: number }>`SELECT count(*) AS n FROM account`.execute(target);
    if (Number(accounts[0].n) > 0) throw new Error("The target database already has accounts: db:copy only fills an empty database");
    const sourceTables = await baseTables(source);
    const targetTables = await baseTables(target);
    // SQLite-only tables (the FTS5 index and its shadow tables) have no PostgreSQL counterpart.
    const tables = [...sourceTables.keys()].filter((t) => targetTables.has(t)).sort();
    const skipped = [...sourceTables.keys()].filter((t) => !targetTables.has(t));
    if (skipped.length) log(`Not copied (SQLite-only): ${skipped.join(", ")}`);

    await target.connection().execute(async (conn) => {
      await sql`BEGIN`.execute(conn);
      try {
        await sql`SET LOCAL session_replication_role = replica`.execute(conn);
        // Rows the migrations created (e.g. feed_version's one row) are replaced by the source's.
        for (const table of tables) await sql`DELETE FROM ${sql.table(table)}`.execute(conn);
        for (const table of tables) {
          const columns = sourceTables.get(table)!.filter((c) => targetTables.get(table)!.includes(c));
          const { rows } = await sql<Row>`SELECT ${sql.join(columns.map((c) => sql.ref(c)))} FROM ${sql.table(table)}`.execute(source);
          const perBatch = Math.max(1, Math.floor(30_000 / columns.length));
          for (let i = 0; i < rows.length; i += perBatch) {
            const values = rows.slice(i, i + perBatch).map((r) => sql`(${sql.join(columns.map((c) => r[c] ?? null))})`);
            await sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) VALUES ${sql.join(values)}`.execute(conn);
          }
          log(`${table}: ${rows.length} rows`);
        }
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

    let same = true;
    for (const table of tables) {
      const columns = sourceTables.get(table)!.filter((c) => targetTables.get(table)!.includes(c));
      const [a, b] = await Promise.all([fingerprint(source, table, columns), fingerprint(target, table, columns)]);
      const ok = a.rows === b.rows && a.sha256 === b.sha256;
      if (!ok) same = false;
      log(`${ok ? "same" : "DIFFERENT"} ${table}: ${a.rows} → ${b.rows} rows, sha256 ${a.sha256.slice(0, 16)} → ${b.sha256.slice(0, 16)}`);
    }
    log(same ? `Copied and verified ${tables.length} tables.` : "The copy differs from the source (see DIFFERENT above).");
    return same;
  } finally {
    await source.destroy();
    await target.destroy();
  }
}

const isMain = process.argv[1] && /db[\\/]copy\.ts$/.test(process.argv[1]);
if (isMain) {
  const from = arg("from");
  const to = arg("to");
  if (!from || !to || isPostgresUrl(from) || !isPostgresUrl(to)) {
    console.error("Usage: npm run db:copy -- --from ./data/roundtable.db --to postgres://user:password@host:5432/roundtable");
    process.exit(2);
  }
  copySqliteToPostgres(from, to).then(
    (ok) => process.exit(ok ? 0 : 1),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
