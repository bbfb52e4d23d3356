import { type Kysely, sql } from "kysely";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE event (
      id INTEGER PRIMARY KEY,
      uid TEXT NOT NULL UNIQUE,
      sequence INTEGER NOT NULL DEFAULT 0,
      network_id INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
      organisation_id INTEGER REFERENCES organisation(id) ON DELETE SET NULL,
      organiser_account_id TEXT REFERENCES account(id) ON DELETE SET NULL,
      kind TEXT NOT NULL CHECK (kind IN ('round-table','conference','panel','workshop','online-chat','training')),
      title TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      start_local TEXT NOT NULL,
      end_local TEXT NOT NULL,
      time_zone TEXT NOT NULL DEFAULT 'Europe/London',
      start_utc TEXT NOT NULL,
      end_utc TEXT NOT NULL,
      series_end_utc TEXT NOT NULL,
      all_day INTEGER NOT NULL DEFAULT 0,
      recurrence TEXT,
      rrule TEXT,
      venue TEXT,
      address TEXT,
      postcode TEXT,
      online_url TEXT CHECK (online_url IS NULL OR online_url LIKE 'http://%' OR online_url LIKE 'https://%'),
      online_url_registrants_only INTEGER NOT NULL DEFAULT 0,
      capacity INTEGER CHECK (capacity IS NULL OR capacity > 0),
      access_bsl INTEGER NOT NULL DEFAULT 0,
      access_captions INTEGER NOT NULL DEFAULT 0,
      access_step_free INTEGER NOT NULL DEFAULT 0,
      accessibility_notes TEXT,
      visibility TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public','members')),
      status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('draft','scheduled','postponed','cancelled')),
      cancelled_at TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT`.execute(db);
  // Range queries: occurrences overlapping [from, to) come from events with start_utc < to and series_end_utc > from.
  await sql`CREATE INDEX event_start_idx ON event (start_utc, series_end_utc)`.execute(db);
  await sql`CREATE INDEX event_series_end_idx ON event (series_end_utc, start_utc)`.execute(db);
  await sql`CREATE INDEX event_network_idx ON event (network_id, start_utc)`.execute(db);
  await sql`CREATE INDEX event_organisation_idx ON event (organisation_id, start_utc)`.execute(db);
  await sql`CREATE INDEX event_updated_idx ON event (updated_at)`.execute(db);

  await sql`
    CREATE TABLE event_topic (
      event_id INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
      topic TEXT NOT NULL,
      PRIMARY KEY (event_id, topic)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX event_topic_topic_idx ON event_topic (topic, event_id)`.execute(db);

  await sql`
    CREATE TABLE event_occurrence_override (
      event_id INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
      recurrence_id_local TEXT NOT NULL,
      cancelled INTEGER NOT NULL DEFAULT 0,
      start_local TEXT,
      end_local TEXT,
      note TEXT,
      sequence INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (event_id, recurrence_id_local)
    ) STRICT, WITHOUT ROWID`.execute(db);

  await sql`
    CREATE TABLE registration (
      id INTEGER PRIMARY KEY,
      event_id INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
      occurrence TEXT NOT NULL DEFAULT '',
      account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      status TEXT NOT NULL CHECK (status IN ('going','waitlisted','not-going')),
      position INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (event_id, occurrence, account_id)
    ) STRICT`.execute(db);
  await sql`CREATE INDEX registration_list_idx ON registration (event_id, occurrence, status, position)`.execute(db);
  await sql`CREATE INDEX registration_account_idx ON registration (account_id, status)`.execute(db);

  await sql`
    CREATE TABLE event_reminder (
      registration_id INTEGER NOT NULL REFERENCES registration(id) ON DELETE CASCADE,
      start_utc TEXT NOT NULL,
      sent_at TEXT NOT NULL,
      PRIMARY KEY (registration_id, start_utc)
    ) STRICT, WITHOUT ROWID`.execute(db);

  await sql`
    CREATE TABLE feed_token (
      id INTEGER PRIMARY KEY,
      account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      token_hash TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      revoked_at TEXT,
      last_used_at TEXT
    ) STRICT`.execute(db);
  await sql`CREATE INDEX feed_token_account_idx ON feed_token (account_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["feed_token", "event_reminder", "registration", "event_occurrence_override", "event_topic", "event"]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
