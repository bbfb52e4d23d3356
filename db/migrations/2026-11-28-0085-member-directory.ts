import { type Kysely, sql } from "kysely";
import { boolLit, nocaseKey } from "./portable";

// Frozen: written against Kysely<any> so later schema changes never alter it.
//
// The member directory (/members) lists listed, not deleted accounts by name, case-insensitively:
// an index in that order over just those accounts lets a page stop after its 30 rows instead of
// sorting all 20,000 accounts first.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("account_directory_idx")
    .on("account")
    .expression(sql`${nocaseKey(db, "name")}, id`)
    .where(sql.ref("profile_visible"), "=", boolLit(db, true))
    .where(sql.ref("deleted_at"), "is", null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("account_directory_idx").execute();
}
