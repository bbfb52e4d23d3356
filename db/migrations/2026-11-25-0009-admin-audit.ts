import { type Kysely, sql } from "kysely";
import { serialId, strict } from "./portable";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  // What platform admins did to other people's accounts (e.g. reset two-step verification):
  // who, to whom, when and the note they gave. Kept when either account is later anonymised.
  await db.schema
    .createTable("admin_action")
    .addColumn("id", "integer", serialId(db))
    .addColumn("admin_account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("target_account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("action", "text", (c) => c.notNull().check(sql`action IN ('reset-two-step')`))
    .addColumn("note", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .$call(strict(db))
    .execute();
  await db.schema.createIndex("admin_action_target_idx").on("admin_action").columns(["target_account_id", "created_at"]).execute();
  // Paged member lists: a network's approved members without scanning other networks'.
  await db.schema.createIndex("network_membership_network_status_idx").on("network_membership").columns(["network_id", "status"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS network_membership_network_status_idx`.execute(db);
  await sql`DROP TABLE IF EXISTS admin_action`.execute(db);
}
