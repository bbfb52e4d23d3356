import { type Kysely, sql } from "kysely";
import { bool, boolLit, strict, strictWithoutRowid } from "./portable";

// Frozen: written against Kysely<any> so later schema changes never alter it.
//
// event_occurrence: every date of every event, computed when the event is written (by the one
// function that writes event rows and their changed dates, app/models/events/writes.server.ts)
// instead of expanding every series on every page view. One-off events have one row
// (occurrence ''); series one row per date up to the horizon in event_occurrence_horizon, which
// the occurrences job moves forward as time passes. Cancelled dates stay as rows
// (cancelled = 1) so lists skip them through the index; moved dates sit at their new time.
// The rows are filled by that job (it finds no horizon yet and computes every event), not here:
// expanding a series needs the application's time-zone code.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("event_occurrence")
    .addColumn("event_id", "integer", (c) => c.references("event.id").onDelete("cascade").notNull())
    .addColumn("occurrence", "text", (c) => c.notNull())
    .addColumn("start_utc", "text", (c) => c.notNull())
    .addColumn("end_utc", "text", (c) => c.notNull())
    .addColumn("start_local", "text", (c) => c.notNull())
    .addColumn("end_local", "text", (c) => c.notNull())
    .addColumn("cancelled", bool(db), (c) => c.notNull().defaultTo(boolLit(db, false)))
    .addColumn("moved", bool(db), (c) => c.notNull().defaultTo(boolLit(db, false)))
    .addColumn("note", "text")
    .addPrimaryKeyConstraint("event_occurrence_pkey", ["event_id", "occurrence"])
    .$call(strictWithoutRowid(db))
    .execute();
  // Lists walk this index in time order and read the end and cancelled flag from it.
  await db.schema.createIndex("event_occurrence_start_idx").on("event_occurrence").columns(["start_utc", "event_id", "occurrence", "end_utc", "cancelled"]).execute();
  await db.schema
    .createTable("event_occurrence_horizon")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("until_utc", "text", (c) => c.notNull())
    .$call(strict(db))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("event_occurrence_horizon").ifExists().execute();
  await db.schema.dropTable("event_occurrence").ifExists().execute();
}
