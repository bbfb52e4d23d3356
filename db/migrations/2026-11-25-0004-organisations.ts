import { type Kysely, sql } from "kysely";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  // A service an organisation offers (Open Referral UK "service"): its own UUID for the API.
  await sql`
    CREATE TABLE service (
      id INTEGER PRIMARY KEY,
      uuid TEXT NOT NULL UNIQUE,
      organisation_id INTEGER NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      eligibility TEXT NOT NULL DEFAULT '',
      how_to_refer TEXT NOT NULL DEFAULT '',
      schedule_text TEXT NOT NULL DEFAULT '',
      location_name TEXT,
      address TEXT,
      city TEXT,
      postcode TEXT,
      online INTEGER NOT NULL DEFAULT 0 CHECK (online IN (0,1)),
      cost TEXT NOT NULL DEFAULT '',
      is_free INTEGER NOT NULL DEFAULT 0 CHECK (is_free IN (0,1)),
      url TEXT CHECK (url IS NULL OR url LIKE 'http://%' OR url LIKE 'https://%'),
      email TEXT,
      phone TEXT,
      status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','inactive','defunct','temporarily closed')),
      created_by_account_id TEXT REFERENCES account(id) ON DELETE SET NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX service_organisation_idx ON service (organisation_id, status)`.execute(db);
  await sql`CREATE INDEX service_updated_idx ON service (updated_at DESC, id DESC)`.execute(db);

  await sql`
    CREATE TABLE service_topic (
      service_id INTEGER NOT NULL REFERENCES service(id) ON DELETE CASCADE,
      topic TEXT NOT NULL,
      PRIMARY KEY (service_id, topic)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX service_topic_topic_idx ON service_topic (topic, service_id)`.execute(db);

  // A case study with one headline outcome figure, tagged to Common Outcomes Framework domains.
  await sql`
    CREATE TABLE case_study (
      id INTEGER PRIMARY KEY,
      organisation_id INTEGER NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
      title TEXT NOT NULL,
      summary TEXT NOT NULL DEFAULT '',
      figure_text TEXT NOT NULL DEFAULT '',
      value REAL,
      unit TEXT,
      period TEXT,
      participants INTEGER CHECK (participants IS NULL OR participants >= 0),
      partners TEXT,
      source_title TEXT,
      source_url TEXT CHECK (source_url IS NULL OR source_url LIKE 'http://%' OR source_url LIKE 'https://%'),
      created_by_account_id TEXT REFERENCES account(id) ON DELETE SET NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX case_study_organisation_idx ON case_study (organisation_id)`.execute(db);
  await sql`CREATE INDEX case_study_created_idx ON case_study (created_at DESC)`.execute(db);

  await sql`
    CREATE TABLE case_study_domain (
      case_study_id INTEGER NOT NULL REFERENCES case_study(id) ON DELETE CASCADE,
      domain TEXT NOT NULL CHECK (domain IN ('person','system','community')),
      PRIMARY KEY (case_study_id, domain)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX case_study_domain_domain_idx ON case_study_domain (domain, case_study_id)`.execute(db);

  // Who works at an organisation; its admins edit the profile and answer affiliation requests.
  await sql`
    CREATE TABLE organisation_member (
      organisation_id INTEGER NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
      account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member','admin')),
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','declined')),
      message TEXT,
      created_at TEXT NOT NULL,
      decided_at TEXT,
      decided_by_account_id TEXT REFERENCES account(id) ON DELETE SET NULL,
      PRIMARY KEY (organisation_id, account_id)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX organisation_member_account_idx ON organisation_member (account_id, status)`.execute(db);

  // Logos live in the database (outside public/), at most 2 MB, and are served with nosniff.
  await sql`
    CREATE TABLE organisation_logo (
      organisation_id INTEGER PRIMARY KEY REFERENCES organisation(id) ON DELETE CASCADE,
      content_type TEXT NOT NULL CHECK (content_type IN ('image/png','image/jpeg','image/webp')),
      data BLOB NOT NULL,
      size INTEGER NOT NULL CHECK (size <= 2097152),
      updated_at TEXT NOT NULL
    ) STRICT`.execute(db);

  await sql`CREATE INDEX organisation_status_name_idx ON organisation (status, name COLLATE NOCASE)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS organisation_status_name_idx`.execute(db);
  for (const table of ["organisation_logo", "organisation_member", "case_study_domain", "case_study", "service_topic", "service"]) {
    await db.schema.dropTable(table).execute();
  }
}
