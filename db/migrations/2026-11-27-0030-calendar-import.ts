import { type Kysely, sql } from "kysely";
import { bool, boolLit, serialId, strict } from "./portable";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  // A partner's iCal feed that an organisation imports into one of its networks.
  // status: pending (added by an organisation editor, waiting for a network organiser),
  // approved (imported and published), rejected. claimed_until lets one import run hold a
  // source at a time across processes (the server's timer and cron).
  await db.schema
    .createTable("calendar_source")
    .addColumn("id", "integer", serialId(db))
    .addColumn("organisation_id", "integer", (c) => c.notNull().references("organisation.id").onDelete("cascade"))
    .addColumn("network_id", "integer", (c) => c.notNull().references("network.id").onDelete("cascade"))
    .addColumn("url", "text", (c) => c.notNull().check(sql`url LIKE 'http://%' OR url LIKE 'https://%'`))
    .addColumn("name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("keywords", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("kind", "text", (c) => c.notNull().defaultTo("workshop"))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status IN ('pending','approved','rejected')`))
    .addColumn("added_by_account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("decided_by_account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("decided_at", "text")
    .addColumn("etag", "text")
    .addColumn("last_modified", "text")
    .addColumn("last_fetched_at", "text")
    .addColumn("last_success_at", "text")
    .addColumn("last_error", "text")
    .addColumn("notes", "text")
    .addColumn("events_imported", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("claimed_until", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("calendar_source_org_network_url_key", ["organisation_id", "network_id", "url"])
    .$call(strict(db))
    .execute();
  await db.schema.createIndex("calendar_source_due_idx").on("calendar_source").columns(["status", "last_fetched_at"]).execute();
  await db.schema.createIndex("calendar_source_network_idx").on("calendar_source").columns(["network_id", "status"]).execute();

  // Which of our events came from which source's UID (or UID#date for one date of a series
  // we expanded). The event itself is an ordinary event row.
  await db.schema
    .createTable("imported_event")
    .addColumn("source_id", "integer", (c) => c.notNull().references("calendar_source.id").onDelete("cascade"))
    .addColumn("external_key", "text", (c) => c.notNull())
    .addColumn("event_id", "integer", (c) => c.notNull().unique().references("event.id").onDelete("cascade"))
    .addColumn("content_hash", "text", (c) => c.notNull())
    .addColumn("external_url", "text")
    .addColumn("upstream_cancelled", bool(db), (c) => c.notNull().defaultTo(boolLit(db, false)))
    .addColumn("hidden", bool(db), (c) => c.notNull().defaultTo(boolLit(db, false)))
    .addColumn("removed_at", "text")
    .addPrimaryKeyConstraint("imported_event_pkey", ["source_id", "external_key"])
    .$call(strict(db))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS imported_event`.execute(db);
  await sql`DROP TABLE IF EXISTS calendar_source`.execute(db);
}
