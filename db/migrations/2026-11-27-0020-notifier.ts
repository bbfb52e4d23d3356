import { type Kysely, sql } from "kysely";
import { isPostgres, serialId, strict } from "./portable";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  // A member's choice per kind of notice: email now, in the digest, on the site only, or off. No row: the kind's default.
  await db.schema
    .createTable("notification_preference")
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("cascade").notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("choice", "text", (c) => c.notNull().check(sql`choice IN ('email','digest','site','off')`))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("notification_preference_pkey", ["account_id", "kind"])
    .$call(strict(db))
    .execute();
  // Members who had switched a kind's email off keep it off (they still see it on the site).
  await sql`
    INSERT INTO notification_preference (account_id, kind, choice, updated_at)
    SELECT account_id, kind, 'site', updated_at FROM email_preference WHERE ${sql.raw(isPostgres(db) ? "NOT enabled" : "enabled = 0")}`.execute(db);

  // How each in-app notification was delivered: 'digest' rows are what the member's next digest lists.
  await sql`ALTER TABLE notification ADD COLUMN delivery TEXT`.execute(db);
  await db.schema.createIndex("notification_digest_idx").on("notification").columns(["account_id", "delivery", "created_at"]).execute();

  // One message, shared by everyone it goes to (a cancellation to 2,000 people is one row here).
  await db.schema
    .createTable("notice")
    .addColumn("id", "integer", serialId(db))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .$call(strict(db))
    .execute();

  // The email queue: one row per (notice, recipient), claimed and sent by the notify:send job.
  await db.schema
    .createTable("notice_email")
    .addColumn("id", "integer", serialId(db))
    .addColumn("notice_id", "integer", (c) => c.references("notice.id").onDelete("cascade").notNull())
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("cascade").notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("coalesce_key", "text")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending").check(sql`status IN ('pending','sending','sent','failed','retry','dropped')`))
    .addColumn("not_before", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text")
    .addColumn("owner_run", "text")
    .addColumn("claimed_at", "text")
    .addColumn("sent_at", "text")
    .addColumn("error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .$call(strict(db))
    .execute();
  // While a message waits, a newer one with the same key replaces it (five edits, one email).
  await sql`CREATE UNIQUE INDEX notice_email_coalesce_idx ON notice_email (account_id, coalesce_key) WHERE status = 'pending'`.execute(db);
  await db.schema.createIndex("notice_email_due_idx").on("notice_email").columns(["status", "not_before"]).execute();
  await db.schema.createIndex("notice_email_notice_idx").on("notice_email").columns(["notice_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS notice_email`.execute(db);
  await sql`DROP TABLE IF EXISTS notice`.execute(db);
  await sql`DROP INDEX IF EXISTS notification_digest_idx`.execute(db);
  await sql`ALTER TABLE notification DROP COLUMN delivery`.execute(db);
  await sql`DROP TABLE IF EXISTS notification_preference`.execute(db);
}
