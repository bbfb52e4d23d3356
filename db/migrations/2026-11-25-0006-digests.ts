import { type Kysely, sql } from "kysely";
import { bool, boolCheck, boolLit, serialId, strict } from "./portable";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("digest_subscription")
    .addColumn("id", "integer", serialId(db))
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("cascade").unique())
    .addColumn("frequency", "text", (c) => c.notNull().defaultTo("weekly").check(sql`frequency IN ('daily','weekly','off')`))
    .addColumn("network_ids", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("topics", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("include_follows", bool(db), (c) => boolCheck(db, "include_follows")(c.notNull().defaultTo(boolLit(db, true))))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending").check(sql`status IN ('pending','active','unsubscribed','suspended')`))
    .addColumn("consent_at", "text")
    .addColumn("consent_method", "text")
    .addColumn("consent_text", "text")
    .addColumn("confirm_token_hash", "text", (c) => c.unique())
    .addColumn("confirm_expires_at", "text")
    .addColumn("confirm_used_at", "text")
    .addColumn("token_salt", "text", (c) => c.notNull())
    .addColumn("last_sent_at", "text")
    .addColumn("last_period", "text")
    .addColumn("failure_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_failure", "text")
    .addColumn("suspended_at", "text")
    .addColumn("unsubscribed_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .$call(strict(db))
    .execute();
  await db.schema.createIndex("digest_subscription_due_idx").on("digest_subscription").columns(["status", "frequency"]).execute();

  // One row per (subscription, period): the UNIQUE constraint is what makes sending idempotent.
  await db.schema
    .createTable("digest_send")
    .addColumn("id", "integer", serialId(db))
    .addColumn("subscription_id", "integer", (c) => c.references("digest_subscription.id").onDelete("cascade").notNull())
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending").check(sql`status IN ('pending','sending','sent','empty','failed','retry')`))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text")
    .addColumn("message_id", "text", (c) => c.notNull())
    .addColumn("owner_run", "text")
    .addColumn("claimed_at", "text")
    .addColumn("sent_at", "text")
    .addColumn("item_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("digest_send_subscription_id_period_key", ["subscription_id", "period"])
    .$call(strict(db))
    .execute();
  await db.schema.createIndex("digest_send_status_idx").on("digest_send").columns(["status", "period"]).execute();

  // The server secret for HMAC-derived manage/unsubscribe tokens (one row).
  await db.schema
    .createTable("digest_secret")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("secret", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .$call(strict(db))
    .execute();

  // Members' choices for notification emails by kind; no row means on.
  await db.schema
    .createTable("email_preference")
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("cascade").notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind IN ('registration','waitlist','reminder','mention','reply','moderation')`))
    .addColumn("enabled", bool(db), (c) => boolCheck(db, "enabled")(c.notNull()))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("email_preference_pkey", ["account_id", "kind"])
    .$call(strict(db))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS email_preference`.execute(db);
  await sql`DROP TABLE IF EXISTS digest_secret`.execute(db);
  await sql`DROP TABLE IF EXISTS digest_send`.execute(db);
  await sql`DROP TABLE IF EXISTS digest_subscription`.execute(db);
}
