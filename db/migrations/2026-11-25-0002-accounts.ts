import { type Kysely, sql } from "kysely";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  // Deleted accounts are anonymised, not removed, so other domains' content keeps its author row.
  await sql`ALTER TABLE account ADD COLUMN deleted_at TEXT`.execute(db);

  // Emailed single-use links (verify an address, reset a password). Only the SHA-256 of the
  // token is kept: a leaked database holds no usable link.
  await sql`
    CREATE TABLE email_token (
      token_hash TEXT PRIMARY KEY,
      purpose TEXT NOT NULL CHECK (purpose IN ('verify-email','reset-password')),
      account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      email TEXT NOT NULL,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      used_at TEXT
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX email_token_account_idx ON email_token (account_id, purpose)`.execute(db);

  await sql`
    CREATE TABLE invitation (
      id INTEGER PRIMARY KEY,
      token_hash TEXT NOT NULL UNIQUE,
      network_id INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
      email TEXT NOT NULL COLLATE NOCASE,
      role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member','organiser','moderator','admin')),
      invited_by_account_id TEXT REFERENCES account(id) ON DELETE SET NULL,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      used_at TEXT,
      accepted_by_account_id TEXT REFERENCES account(id) ON DELETE SET NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX invitation_network_idx ON invitation (network_id, used_at)`.execute(db);

  await sql`
    CREATE TABLE recovery_code (
      account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      code_hash TEXT NOT NULL,
      created_at TEXT NOT NULL,
      used_at TEXT,
      PRIMARY KEY (account_id, code_hash)
    ) STRICT, WITHOUT ROWID`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["recovery_code", "invitation", "email_token"]) await db.schema.dropTable(table).execute();
  await sql`ALTER TABLE account DROP COLUMN deleted_at`.execute(db);
}
