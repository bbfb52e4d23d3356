import { type Kysely, sql } from "kysely";
import { bool, boolLit, serialId, strict, strictWithoutRowid } from "./portable";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("event")
    .addColumn("id", "integer", serialId(db))
    .addColumn("uid", "text", (c) => c.notNull().unique())
    .addColumn("sequence", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("network_id", "integer", (c) => c.references("network.id").onDelete("cascade").notNull())
    .addColumn("organisation_id", "integer", (c) => c.references("organisation.id").onDelete("set null"))
    .addColumn("organiser_account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind IN ('round-table','conference','panel','workshop','online-chat','training')`))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("start_local", "text", (c) => c.notNull())
    .addColumn("end_local", "text", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull().defaultTo("Europe/London"))
    .addColumn("start_utc", "text", (c) => c.notNull())
    .addColumn("end_utc", "text", (c) => c.notNull())
    .addColumn("series_end_utc", "text", (c) => c.notNull())
    .addColumn("all_day", bool(db), (c) => c.notNull().defaultTo(boolLit(db, false)))
    .addColumn("recurrence", "text")
    .addColumn("rrule", "text")
    .addColumn("venue", "text")
    .addColumn("address", "text")
    .addColumn("postcode", "text")
    .addColumn("online_url", "text", (c) => c.check(sql`online_url IS NULL OR online_url LIKE 'http://%' OR online_url LIKE 'https://%'`))
    .addColumn("online_url_registrants_only", bool(db), (c) => c.notNull().defaultTo(boolLit(db, false)))
    .addColumn("capacity", "integer", (c) => c.check(sql`capacity IS NULL OR capacity > 0`))
    .addColumn("access_bsl", bool(db), (c) => c.notNull().defaultTo(boolLit(db, false)))
    .addColumn("access_captions", bool(db), (c) => c.notNull().defaultTo(boolLit(db, false)))
    .addColumn("access_step_free", bool(db), (c) => c.notNull().defaultTo(boolLit(db, false)))
    .addColumn("accessibility_notes", "text")
    .addColumn("visibility", "text", (c) => c.notNull().defaultTo("public").check(sql`visibility IN ('public','members')`))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("scheduled").check(sql`status IN ('draft','scheduled','postponed','cancelled')`))
    .addColumn("cancelled_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .$call(strict(db))
    .execute();
  // Range queries: occurrences overlapping [from, to) come from events with start_utc < to and series_end_utc > from.
  await db.schema.createIndex("event_start_idx").on("event").columns(["start_utc", "series_end_utc"]).execute();
  await db.schema.createIndex("event_series_end_idx").on("event").columns(["series_end_utc", "start_utc"]).execute();
  await db.schema.createIndex("event_network_idx").on("event").columns(["network_id", "start_utc"]).execute();
  await db.schema.createIndex("event_organisation_idx").on("event").columns(["organisation_id", "start_utc"]).execute();
  await db.schema.createIndex("event_updated_idx").on("event").columns(["updated_at"]).execute();

  await db.schema
    .createTable("event_topic")
    .addColumn("event_id", "integer", (c) => c.references("event.id").onDelete("cascade").notNull())
    .addColumn("topic", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("event_topic_pkey", ["event_id", "topic"])
    .$call(strictWithoutRowid(db))
    .execute();
  await db.schema.createIndex("event_topic_topic_idx").on("event_topic").columns(["topic", "event_id"]).execute();

  await db.schema
    .createTable("event_occurrence_override")
    .addColumn("event_id", "integer", (c) => c.references("event.id").onDelete("cascade").notNull())
    .addColumn("recurrence_id_local", "text", (c) => c.notNull())
    .addColumn("cancelled", bool(db), (c) => c.notNull().defaultTo(boolLit(db, false)))
    .addColumn("start_local", "text")
    .addColumn("end_local", "text")
    .addColumn("note", "text")
    .addColumn("sequence", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("event_occurrence_override_pkey", ["event_id", "recurrence_id_local"])
    .$call(strictWithoutRowid(db))
    .execute();

  await db.schema
    .createTable("registration")
    .addColumn("id", "integer", serialId(db))
    .addColumn("event_id", "integer", (c) => c.references("event.id").onDelete("cascade").notNull())
    .addColumn("occurrence", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("cascade").notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status IN ('going','waitlisted','not-going')`))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("registration_event_id_occurrence_account_id_key", ["event_id", "occurrence", "account_id"])
    .$call(strict(db))
    .execute();
  await db.schema.createIndex("registration_list_idx").on("registration").columns(["event_id", "occurrence", "status", "position"]).execute();
  await db.schema.createIndex("registration_account_idx").on("registration").columns(["account_id", "status"]).execute();

  await db.schema
    .createTable("event_reminder")
    .addColumn("registration_id", "integer", (c) => c.references("registration.id").onDelete("cascade").notNull())
    .addColumn("start_utc", "text", (c) => c.notNull())
    .addColumn("sent_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("event_reminder_pkey", ["registration_id", "start_utc"])
    .$call(strictWithoutRowid(db))
    .execute();

  await db.schema
    .createTable("feed_token")
    .addColumn("id", "integer", serialId(db))
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("cascade").notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .addColumn("last_used_at", "text")
    .$call(strict(db))
    .execute();
  await db.schema.createIndex("feed_token_account_idx").on("feed_token").columns(["account_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["feed_token", "event_reminder", "registration", "event_occurrence_override", "event_topic", "event"]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
