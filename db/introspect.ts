import { sql } from "kysely";
import { dialectOf, type DB } from "./index";

/**
 * What the schema itself says, for code that must follow it without knowing every table (the
 * GDPR export and erasure). The one place that reads the catalogue: SQLite's
 * pragma_foreign_key_list, PostgreSQL's information_schema.
 */

export type ForeignKey = { table: string; column: string; onDelete: string };

/** Every column, in any table, with a foreign key to `target` (onDelete upper case: CASCADE, SET NULL, NO ACTION…). */
export async function foreignKeysTo(db: DB, target: string): Promise<ForeignKey[]> {
  if (dialectOf(db) === "postgres") {
    const { rows } = await sql<ForeignKey>`
      SELECT kcu.table_name AS "table", kcu.column_name AS "column", rc.delete_rule AS "onDelete"
      FROM information_schema.referential_constraints rc
      JOIN information_schema.key_column_usage kcu ON kcu.constraint_schema = rc.constraint_schema AND kcu.constraint_name = rc.constraint_name
      JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_schema = rc.unique_constraint_schema AND ccu.constraint_name = rc.unique_constraint_name
      WHERE kcu.table_schema = current_schema() AND ccu.table_name = ${target}
      ORDER BY 1, 2`.execute(db);
    return rows.map((r) => ({ ...r, onDelete: r.onDelete.toUpperCase() }));
  }
  const { rows } = await sql<ForeignKey>`
    SELECT m.name AS "table", f."from" AS "column", f.on_delete AS "onDelete"
    FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
    WHERE m.type = 'table' AND f."table" = ${target}
    ORDER BY 1, 2`.execute(db);
  return rows.map((r) => ({ ...r, onDelete: r.onDelete.toUpperCase() }));
}

/** Base tables and their column names (Kysely's introspection: the same on both dialects; views left out). */
export async function tableColumns(db: DB): Promise<Map<string, string[]>> {
  const tables = await db.introspection.getTables();
  return new Map(tables.filter((t) => !t.isView).map((t) => [t.name, t.columns.map((c) => c.name)]));
}
