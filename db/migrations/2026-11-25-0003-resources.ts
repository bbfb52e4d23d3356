import { type Kysely, sql } from "kysely";
import { serialId, strict, strictWithoutRowid, isPostgres } from "./portable";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("resource")
    .addColumn("id", "integer", serialId(db))
    .addColumn("network_id", "integer", (c) => c.references("network.id").onDelete("cascade").notNull())
    .addColumn("visibility", "text", (c) => c.notNull().defaultTo("public").check(sql`visibility IN ('public','members')`))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending").check(sql`status IN ('pending','published','rejected')`))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind IN ('directory','report','guide','briefing','evidence-review','video','case-study','toolkit')`))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("publisher_organisation_id", "integer", (c) => c.references("organisation.id").onDelete("set null"))
    .addColumn("publisher_name", "text")
    .addColumn("year", "integer", (c) => c.check(sql`year IS NULL OR (year BETWEEN 1800 AND 2200)`))
    .addColumn("url", "text", (c) => c.check(sql`url IS NULL OR url LIKE 'http://%' OR url LIKE 'https://%'`))
    .addColumn("licence", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("contributor_account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("published_at", "text")
    .addColumn("rejection_reason", "text")
    .addColumn("moderated_by_account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("moderated_at", "text")
    .$call(strict(db))
    .execute();
  await db.schema.createIndex("resource_published_idx").on("resource").columns(["status", "published_at desc", "id desc"]).execute();
  await db.schema.createIndex("resource_network_idx").on("resource").columns(["network_id", "status", "published_at desc"]).execute();
  await db.schema.createIndex("resource_publisher_idx").on("resource").columns(["publisher_organisation_id", "status"]).execute();
  await db.schema.createIndex("resource_contributor_idx").on("resource").columns(["contributor_account_id"]).execute();

  await db.schema
    .createTable("resource_topic")
    .addColumn("resource_id", "integer", (c) => c.references("resource.id").onDelete("cascade").notNull())
    .addColumn("topic", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("resource_topic_pkey", ["resource_id", "topic"])
    .$call(strictWithoutRowid(db))
    .execute();
  await db.schema.createIndex("resource_topic_topic_idx").on("resource_topic").columns(["topic", "resource_id"]).execute();

  await db.schema
    .createTable("resource_outcome")
    .addColumn("resource_id", "integer", (c) => c.references("resource.id").onDelete("cascade").notNull())
    .addColumn("domain", "text", (c) => c.notNull().check(sql`domain IN ('person','system','community')`))
    .addPrimaryKeyConstraint("resource_outcome_pkey", ["resource_id", "domain"])
    .$call(strictWithoutRowid(db))
    .execute();
  await db.schema.createIndex("resource_outcome_domain_idx").on("resource_outcome").columns(["domain", "resource_id"]).execute();

  await db.schema
    .createTable("resource_file")
    .addColumn("id", "integer", serialId(db))
    .addColumn("resource_id", "integer", (c) => c.references("resource.id").onDelete("cascade").notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("storage_id", "text", (c) => c.notNull().unique())
    .addColumn("original_filename", "text", (c) => c.notNull())
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("size_bytes", "integer", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("uploaded_at", "text", (c) => c.notNull())
    .addColumn("uploaded_by_account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addUniqueConstraint("resource_file_resource_id_version_key", ["resource_id", "version"])
    .$call(strict(db))
    .execute();

  await db.schema
    .createTable("resource_save")
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("cascade").notNull())
    .addColumn("resource_id", "integer", (c) => c.references("resource.id").onDelete("cascade").notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("resource_save_pkey", ["account_id", "resource_id"])
    .$call(strictWithoutRowid(db))
    .execute();
  await db.schema.createIndex("resource_save_resource_idx").on("resource_save").columns(["resource_id"]).execute();

  await db.schema
    .createTable("resource_report")
    .addColumn("id", "integer", serialId(db))
    .addColumn("resource_id", "integer", (c) => c.references("resource.id").onDelete("cascade").notNull())
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("resolved_at", "text")
    .addColumn("resolved_by_account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .$call(strict(db))
    .execute();
  await db.schema.createIndex("resource_report_open_idx").on("resource_report").columns(["resolved_at", "resource_id"]).execute();

  // Full-text index (SQLite FTS5; see app/models/resource-search.server.ts). rowid = resource.id.
  // PostgreSQL gets its own search index from the search module's PostgreSQL migration.
  // Kept in step by the model in the same transaction as each write, not by triggers, because
  // it also indexes the publisher's organisation name and the topic labels from other tables.
  if (!isPostgres(db)) {
    await sql`
      CREATE VIRTUAL TABLE resource_fts USING fts5(
        title, summary, publisher, topics,
        tokenize = 'porter unicode61 remove_diacritics 2'
      )`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS resource_fts`.execute(db);
  for (const table of ["resource_report", "resource_save", "resource_file", "resource_outcome", "resource_topic", "resource"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
