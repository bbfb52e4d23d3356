import { type Kysely, sql } from "kysely";

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
  await sql`
    CREATE TABLE event_occurrence (
      event_id INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
      occurrence TEXT NOT NULL,
      start_utc TEXT NOT NULL,
      end_utc TEXT NOT NULL,
      start_local TEXT NOT NULL,
      end_local TEXT NOT NULL,
      cancelled INTEGER NOT NULL DEFAULT 0,
      moved INTEGER NOT NULL DEFAULT 0,
      note TEXT,
      PRIMARY KEY (event_id, occurrence)
    ) STRICT, WITHOUT ROWID`.execute(db);
  // Lists walk this index in time order and read the end and cancelled flag from it.
  await sql`CREATE INDEX event_occurrence_start_idx ON event_occurrence (start_utc, event_id, occurrence, end_utc, cancelled)`.execute(db);
  await sql`
    CREATE TABLE event_occurrence_horizon (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      until_utc TEXT NOT NULL
    ) STRICT`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS event_occurrence_horizon`.execute(db);
  await sql`DROP TABLE IF EXISTS event_occurrence`.execute(db);
}
