import { type Kysely, sql } from "kysely";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  // A partner's iCal feed that an organisation imports into one of its networks.
  // status: pending (added by an organisation editor, waiting for a network organiser),
  // approved (imported and published), rejected. claimed_until lets one import run hold a
  // source at a time across processes (the server's timer and cron).
  await sql`
    CREATE TABLE calendar_source (
      id INTEGER PRIMARY KEY,
      organisation_id INTEGER NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
      network_id INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
      url TEXT NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
      name TEXT NOT NULL DEFAULT '',
      keywords TEXT NOT NULL DEFAULT '',
      kind TEXT NOT NULL DEFAULT 'workshop',
      status TEXT NOT NULL CHECK (status IN ('pending','approved','rejected')),
      added_by_account_id TEXT REFERENCES account(id) ON DELETE SET NULL,
      decided_by_account_id TEXT REFERENCES account(id) ON DELETE SET NULL,
      decided_at TEXT,
      etag TEXT,
      last_modified TEXT,
      last_fetched_at TEXT,
      last_success_at TEXT,
      last_error TEXT,
      notes TEXT,
      events_imported INTEGER NOT NULL DEFAULT 0,
      claimed_until TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (organisation_id, network_id, url)
    ) STRICT`.execute(db);
  await sql`CREATE INDEX calendar_source_due_idx ON calendar_source (status, last_fetched_at)`.execute(db);
  await sql`CREATE INDEX calendar_source_network_idx ON calendar_source (network_id, status)`.execute(db);

  // Which of our events came from which source's UID (or UID#date for one date of a series
  // we expanded). The event itself is an ordinary event row.
  await sql`
    CREATE TABLE imported_event (
      source_id INTEGER NOT NULL REFERENCES calendar_source(id) ON DELETE CASCADE,
      external_key TEXT NOT NULL,
      event_id INTEGER NOT NULL UNIQUE REFERENCES event(id) ON DELETE CASCADE,
      content_hash TEXT NOT NULL,
      external_url TEXT,
      upstream_cancelled INTEGER NOT NULL DEFAULT 0,
      hidden INTEGER NOT NULL DEFAULT 0,
      removed_at TEXT,
      PRIMARY KEY (source_id, external_key)
    ) STRICT`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS imported_event`.execute(db);
  await sql`DROP TABLE IF EXISTS calendar_source`.execute(db);
}
