import { type Kysely, sql } from "kysely";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE organisation (
      id INTEGER PRIMARY KEY,
      uuid TEXT NOT NULL UNIQUE,
      slug TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      sector TEXT NOT NULL CHECK (sector IN ('local-authority','vcse','icb','nhs-trust','primary-care','university','arts-culture-heritage','national-body','connector-scheme')),
      summary TEXT NOT NULL DEFAULT '',
      description TEXT NOT NULL DEFAULT '',
      area_served TEXT NOT NULL DEFAULT '',
      address TEXT,
      postcode TEXT,
      website TEXT,
      email TEXT,
      phone TEXT,
      registry_number TEXT,
      status TEXT NOT NULL DEFAULT 'approved' CHECK (status IN ('pending','approved','rejected')),
      proposed_by_account_id TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX organisation_name_idx ON organisation (name COLLATE NOCASE)`.execute(db);
  await sql`CREATE INDEX organisation_sector_idx ON organisation (sector, status)`.execute(db);

  await sql`
    CREATE TABLE network (
      id INTEGER PRIMARY KEY,
      slug TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      short_name TEXT NOT NULL,
      region TEXT NOT NULL,
      summary TEXT NOT NULL DEFAULT '',
      about TEXT NOT NULL DEFAULT '',
      purpose TEXT NOT NULL DEFAULT '',
      host_organisation_id INTEGER REFERENCES organisation(id) ON DELETE SET NULL,
      contact_email TEXT,
      auto_approve_domains TEXT NOT NULL DEFAULT '[]',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT`.execute(db);

  await sql`
    CREATE TABLE organisation_network (
      organisation_id INTEGER NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
      network_id INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
      PRIMARY KEY (organisation_id, network_id)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX organisation_network_network_idx ON organisation_network (network_id, organisation_id)`.execute(db);

  await sql`
    CREATE TABLE account (
      id TEXT PRIMARY KEY,
      email TEXT NOT NULL UNIQUE COLLATE NOCASE,
      email_verified_at TEXT,
      name TEXT NOT NULL,
      password_hash TEXT,
      job_title TEXT,
      bio TEXT,
      organisation_id INTEGER REFERENCES organisation(id) ON DELETE SET NULL,
      profile_visible INTEGER NOT NULL DEFAULT 1,
      is_platform_admin INTEGER NOT NULL DEFAULT 0,
      totp_secret TEXT,
      totp_last_counter INTEGER,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT`.execute(db);

  await sql`
    CREATE TABLE session (
      id TEXT PRIMARY KEY,
      account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      expires_at TEXT NOT NULL,
      created_at TEXT NOT NULL,
      last_seen_at TEXT NOT NULL,
      user_agent TEXT,
      ip_address TEXT,
      mfa_verified INTEGER NOT NULL DEFAULT 0
    ) STRICT`.execute(db);
  await sql`CREATE INDEX session_account_idx ON session (account_id)`.execute(db);
  await sql`CREATE INDEX session_expires_idx ON session (expires_at)`.execute(db);

  await sql`
    CREATE TABLE network_membership (
      network_id INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
      account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member','organiser','moderator','admin')),
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','declined')),
      message TEXT,
      created_at TEXT NOT NULL,
      decided_at TEXT,
      decided_by_account_id TEXT REFERENCES account(id) ON DELETE SET NULL,
      PRIMARY KEY (network_id, account_id)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX network_membership_account_idx ON network_membership (account_id, status)`.execute(db);

  await sql`
    CREATE TABLE organisation_follow (
      account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      organisation_id INTEGER NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      PRIMARY KEY (account_id, organisation_id)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX organisation_follow_org_idx ON organisation_follow (organisation_id)`.execute(db);

  // Fixed-window counters for rate limits: in SQLite so they survive restarts.
  await sql`
    CREATE TABLE rate_limit (
      key TEXT PRIMARY KEY,
      window_start INTEGER NOT NULL,
      count INTEGER NOT NULL
    ) STRICT`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["rate_limit", "organisation_follow", "network_membership", "session", "account", "organisation_network", "network", "organisation"]) {
    await db.schema.dropTable(table).execute();
  }
}
