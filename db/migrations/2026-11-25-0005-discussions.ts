import { type Kysely, sql } from "kysely";
import { bool, boolCheck, boolLit, isPostgres, serialId, strict, strictWithoutRowid } from "./portable";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  // In-app notifications: written by every domain through app/models/notifications.server.ts.
  await db.schema
    .createTable("notification")
    .addColumn("id", "integer", serialId(db))
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("cascade").notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("read_at", "text")
    .$call(strict(db))
    .execute();
  await db.schema.createIndex("notification_account_idx").on("notification").columns(["account_id", "created_at desc", "id desc"]).execute();
  await db.schema.createIndex("notification_unread_idx").on("notification").columns(["account_id", "read_at"]).execute();

  // Each network chooses whether its discussions are public or for members only (no row: members only).
  await db.schema
    .createTable("discussion_setting")
    .addColumn("network_id", "integer", (c) => c.primaryKey().references("network.id").onDelete("cascade"))
    .addColumn("visibility", "text", (c) => c.notNull().defaultTo("members").check(sql`visibility IN ('public','members')`))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by_account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .$call(strict(db))
    .execute();

  await db.schema
    .createTable("discussion_category")
    .addColumn("id", "integer", serialId(db))
    .addColumn("network_id", "integer", (c) => c.references("network.id").onDelete("cascade").notNull())
    .addColumn("slug", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("discussion_category_network_id_slug_key", ["network_id", "slug"])
    .$call(strict(db))
    .execute();

  await db.schema
    .createTable("discussion_thread")
    .addColumn("id", "integer", serialId(db))
    .addColumn("network_id", "integer", (c) => c.references("network.id").onDelete("cascade").notNull())
    .addColumn("category_id", "integer", (c) => c.references("discussion_category.id").notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("author_account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("subject_type", "text", (c) => c.check(sql`subject_type IS NULL OR subject_type IN ('event','resource','organisation')`))
    .addColumn("subject_id", "integer")
    .addColumn("pinned", bool(db), (c) => boolCheck(db, "pinned")(c.notNull().defaultTo(boolLit(db, false))))
    .addColumn("locked", bool(db), (c) => boolCheck(db, "locked")(c.notNull().defaultTo(boolLit(db, false))))
    .addColumn("hidden", bool(db), (c) => boolCheck(db, "hidden")(c.notNull().defaultTo(boolLit(db, false))))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_post_at", "text", (c) => c.notNull())
    .addColumn("reply_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_seq", "integer", (c) => c.notNull().defaultTo(0))
    .addCheckConstraint("discussion_thread_check", sql`(subject_type IS NULL) = (subject_id IS NULL)`)
    .$call(strict(db))
    .execute();
  // Category pages: pinned first, then most recently active; covers the paging scan.
  await db.schema.createIndex("discussion_thread_category_idx").on("discussion_thread").columns(["category_id", "hidden", "pinned desc", "last_post_at desc", "id desc"]).execute();
  await db.schema.createIndex("discussion_thread_recent_idx").on("discussion_thread").columns(["network_id", "hidden", "last_post_at desc", "id desc"]).execute();
  await db.schema.createIndex("discussion_thread_subject_idx").on("discussion_thread").columns(["subject_type", "subject_id"]).execute();
  await db.schema.createIndex("discussion_thread_author_idx").on("discussion_thread").columns(["author_account_id"]).execute();

  // seq numbers a thread's posts 1, 2, 3… (1 is the opening post) and never changes, so
  // page n holds seq (n-1)*size+1 … n*size: any page and any post's page is an index range.
  await db.schema
    .createTable("discussion_post")
    .addColumn("id", "integer", serialId(db))
    .addColumn("thread_id", "integer", (c) => c.references("discussion_thread.id").onDelete("cascade").notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("author_account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("edited_at", "text")
    .addColumn("hidden", bool(db), (c) => boolCheck(db, "hidden")(c.notNull().defaultTo(boolLit(db, false))))
    .addColumn("deleted_at", "text")
    .addUniqueConstraint("discussion_post_thread_id_seq_key", ["thread_id", "seq"])
    .$call(strict(db))
    .execute();
  await db.schema.createIndex("discussion_post_author_idx").on("discussion_post").columns(["author_account_id", "created_at"]).execute();

  await db.schema
    .createTable("discussion_thread_follow")
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("cascade").notNull())
    .addColumn("thread_id", "integer", (c) => c.references("discussion_thread.id").onDelete("cascade").notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("discussion_thread_follow_pkey", ["account_id", "thread_id"])
    .$call(strictWithoutRowid(db))
    .execute();
  await db.schema.createIndex("discussion_thread_follow_thread_idx").on("discussion_thread_follow").columns(["thread_id"]).execute();

  await db.schema
    .createTable("discussion_category_follow")
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("cascade").notNull())
    .addColumn("category_id", "integer", (c) => c.references("discussion_category.id").onDelete("cascade").notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("discussion_category_follow_pkey", ["account_id", "category_id"])
    .$call(strictWithoutRowid(db))
    .execute();
  await db.schema.createIndex("discussion_category_follow_category_idx").on("discussion_category_follow").columns(["category_id"]).execute();

  // The last post (by seq) each account has seen in each thread: unread markers.
  await db.schema
    .createTable("discussion_thread_read")
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("cascade").notNull())
    .addColumn("thread_id", "integer", (c) => c.references("discussion_thread.id").onDelete("cascade").notNull())
    .addColumn("last_read_seq", "integer", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("discussion_thread_read_pkey", ["account_id", "thread_id"])
    .$call(strictWithoutRowid(db))
    .execute();

  await db.schema
    .createTable("discussion_post_report")
    .addColumn("id", "integer", serialId(db))
    .addColumn("post_id", "integer", (c) => c.references("discussion_post.id").onDelete("cascade").notNull())
    .addColumn("reporter_account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("resolved_at", "text")
    .addColumn("resolved_by_account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("resolution", "text")
    .$call(strict(db))
    .execute();
  await db.schema.createIndex("discussion_post_report_open_idx").on("discussion_post_report").columns(["resolved_at", "post_id"]).execute();
  await db.schema.createIndex("discussion_post_report_post_idx").on("discussion_post_report").columns(["post_id"]).execute();

  // Mention handles (@jo-bloggs): unique, made from the name the first time they are needed.
  await db.schema
    .createTable("discussion_handle")
    .addColumn("account_id", "text", (c) => c.primaryKey().references("account.id").onDelete("cascade"))
    .addColumn("handle", "text", (c) => c.notNull().unique())
    .$call(strict(db))
    .execute();

  // Full-text index (SQLite FTS5; see app/models/discussion-search.server.ts). rowid = discussion_post.id.
  // PostgreSQL gets its own search index from the search module's PostgreSQL migration.
  if (!isPostgres(db)) {
    await sql`
      CREATE VIRTUAL TABLE discussion_fts USING fts5(
        title, body,
        tokenize = 'porter unicode61 remove_diacritics 2'
      )`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS discussion_fts`.execute(db);
  for (const table of [
    "discussion_handle",
    "discussion_post_report",
    "discussion_thread_read",
    "discussion_category_follow",
    "discussion_thread_follow",
    "discussion_post",
    "discussion_thread",
    "discussion_category",
    "discussion_setting",
    "notification",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
