import { type Kysely, sql } from "kysely";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE resource (
      id INTEGER PRIMARY KEY,
      network_id INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
      visibility TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public','members')),
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','published','rejected')),
      kind TEXT NOT NULL CHECK (kind IN ('directory','report','guide','briefing','evidence-review','video','case-study','toolkit')),
      title TEXT NOT NULL,
      summary TEXT NOT NULL DEFAULT '',
      publisher_organisation_id INTEGER REFERENCES organisation(id) ON DELETE SET NULL,
      publisher_name TEXT,
      year INTEGER CHECK (year IS NULL OR (year BETWEEN 1800 AND 2200)),
      url TEXT CHECK (url IS NULL OR url LIKE 'http://%' OR url LIKE 'https://%'),
      licence TEXT NOT NULL DEFAULT '',
      contributor_account_id TEXT REFERENCES account(id) ON DELETE SET NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      published_at TEXT,
      rejection_reason TEXT,
      moderated_by_account_id TEXT REFERENCES account(id) ON DELETE SET NULL,
      moderated_at TEXT
    ) STRICT`.execute(db);
  await sql`CREATE INDEX resource_published_idx ON resource (status, published_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX resource_network_idx ON resource (network_id, status, published_at DESC)`.execute(db);
  await sql`CREATE INDEX resource_publisher_idx ON resource (publisher_organisation_id, status)`.execute(db);
  await sql`CREATE INDEX resource_contributor_idx ON resource (contributor_account_id)`.execute(db);

  await sql`
    CREATE TABLE resource_topic (
      resource_id INTEGER NOT NULL REFERENCES resource(id) ON DELETE CASCADE,
      topic TEXT NOT NULL,
      PRIMARY KEY (resource_id, topic)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX resource_topic_topic_idx ON resource_topic (topic, resource_id)`.execute(db);

  await sql`
    CREATE TABLE resource_outcome (
      resource_id INTEGER NOT NULL REFERENCES resource(id) ON DELETE CASCADE,
      domain TEXT NOT NULL CHECK (domain IN ('person','system','community')),
      PRIMARY KEY (resource_id, domain)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX resource_outcome_domain_idx ON resource_outcome (domain, resource_id)`.execute(db);

  await sql`
    CREATE TABLE resource_file (
      id INTEGER PRIMARY KEY,
      resource_id INTEGER NOT NULL REFERENCES resource(id) ON DELETE CASCADE,
      version INTEGER NOT NULL,
      storage_id TEXT NOT NULL UNIQUE,
      original_filename TEXT NOT NULL,
      content_type TEXT NOT NULL,
      size_bytes INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      uploaded_at TEXT NOT NULL,
      uploaded_by_account_id TEXT REFERENCES account(id) ON DELETE SET NULL,
      UNIQUE (resource_id, version)
    ) STRICT`.execute(db);

  await sql`
    CREATE TABLE resource_save (
      account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      resource_id INTEGER NOT NULL REFERENCES resource(id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      PRIMARY KEY (account_id, resource_id)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX resource_save_resource_idx ON resource_save (resource_id)`.execute(db);

  await sql`
    CREATE TABLE resource_report (
      id INTEGER PRIMARY KEY,
      resource_id INTEGER NOT NULL REFERENCES resource(id) ON DELETE CASCADE,
      account_id TEXT REFERENCES account(id) ON DELETE SET NULL,
      note TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL,
      resolved_at TEXT,
      resolved_by_account_id TEXT REFERENCES account(id) ON DELETE SET NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX resource_report_open_idx ON resource_report (resolved_at, resource_id)`.execute(db);

  // Full-text index (SQLite only; see app/models/resource-search.server.ts). rowid = resource.id.
  // Kept in step by the model in the same transaction as each write, not by triggers, because
  // it also indexes the publisher's organisation name and the topic labels from other tables.
  await sql`
    CREATE VIRTUAL TABLE resource_fts USING fts5(
      title, summary, publisher, topics,
      tokenize = 'porter unicode61 remove_diacritics 2'
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS resource_fts`.execute(db);
  for (const table of ["resource_report", "resource_save", "resource_file", "resource_outcome", "resource_topic", "resource"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
