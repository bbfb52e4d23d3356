import { type Kysely, sql } from "kysely";
import { nocase, serialId, strict, strictWithoutRowid } from "./portable";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  // Deleted accounts are anonymised, not removed, so other domains' content keeps its author row.
  await sql`ALTER TABLE account ADD COLUMN deleted_at TEXT`.execute(db);

  // Emailed single-use links (verify an address, reset a password). Only the SHA-256 of the
  // token is kept: a leaked database holds no usable link.
  await db.schema
    .createTable("email_token")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("purpose", "text", (c) => c.notNull().check(sql`purpose IN ('verify-email','reset-password')`))
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("cascade").notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .$call(strictWithoutRowid(db))
    .execute();
  await db.schema.createIndex("email_token_account_idx").on("email_token").columns(["account_id", "purpose"]).execute();

  await db.schema
    .createTable("invitation")
    .addColumn("id", "integer", serialId(db))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("network_id", "integer", (c) => c.references("network.id").onDelete("cascade").notNull())
    .addColumn("email", "text", (c) => nocase(db)(c.notNull()))
    .addColumn("role", "text", (c) => c.notNull().defaultTo("member").check(sql`role IN ('member','organiser','moderator','admin')`))
    .addColumn("invited_by_account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .addColumn("accepted_by_account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .$call(strict(db))
    .execute();
  await db.schema.createIndex("invitation_network_idx").on("invitation").columns(["network_id", "used_at"]).execute();

  await db.schema
    .createTable("recovery_code")
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("cascade").notNull())
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .addPrimaryKeyConstraint("recovery_code_pkey", ["account_id", "code_hash"])
    .$call(strictWithoutRowid(db))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["recovery_code", "invitation", "email_token"]) await db.schema.dropTable(table).execute();
  await sql`ALTER TABLE account DROP COLUMN deleted_at`.execute(db);
}
