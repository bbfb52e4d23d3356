import type { Kysely } from "kysely";

// Frozen: written against Kysely<any> so later schema changes never alter it.
//
// The month view reads every date of a month (thousands at scale) with its local times: an
// index holding those columns too answers it from the index alone, and serves every walk the
// narrower index of migration 0051 served (its columns come first), which it replaces.

const COLUMNS = ["start_utc", "event_id", "occurrence", "end_utc", "cancelled"];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("event_occurrence_list_idx").on("event_occurrence").columns([...COLUMNS, "start_local", "end_local", "moved"]).execute();
  await db.schema.dropIndex("event_occurrence_start_idx").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("event_occurrence_start_idx").on("event_occurrence").columns(COLUMNS).execute();
  await db.schema.dropIndex("event_occurrence_list_idx").execute();
}
