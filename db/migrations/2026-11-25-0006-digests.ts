import { type Kysely, sql } from "kysely";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE digest_subscription (
      id INTEGER PRIMARY KEY,
      email TEXT NOT NULL UNIQUE,
      account_id TEXT UNIQUE REFERENCES account(id) ON DELETE CASCADE,
      frequency TEXT NOT NULL DEFAULT 'weekly' CHECK (frequency IN ('daily','weekly','off')),
      network_ids TEXT NOT NULL DEFAULT '[]',
      topics TEXT NOT NULL DEFAULT '[]',
      include_follows INTEGER NOT NULL DEFAULT 1 CHECK (include_follows IN (0,1)),
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','active','unsubscribed','suspended')),
      consent_at TEXT,
      consent_method TEXT,
      consent_text TEXT,
      confirm_token_hash TEXT UNIQUE,
      confirm_expires_at TEXT,
      confirm_used_at TEXT,
      token_salt TEXT NOT NULL,
      last_sent_at TEXT,
      last_period TEXT,
      failure_count INTEGER NOT NULL DEFAULT 0,
      last_failure TEXT,
      suspended_at TEXT,
      unsubscribed_at TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX digest_subscription_due_idx ON digest_subscription (status, frequency)`.execute(db);

  // One row per (subscription, period): the UNIQUE constraint is what makes sending idempotent.
  await sql`
    CREATE TABLE digest_send (
      id INTEGER PRIMARY KEY,
      subscription_id INTEGER NOT NULL REFERENCES digest_subscription(id) ON DELETE CASCADE,
      period TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sending','sent','empty','failed','retry')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at TEXT,
      message_id TEXT NOT NULL,
      owner_run TEXT,
      claimed_at TEXT,
      sent_at TEXT,
      item_count INTEGER NOT NULL DEFAULT 0,
      error TEXT,
      created_at TEXT NOT NULL,
      UNIQUE (subscription_id, period)
    ) STRICT`.execute(db);
  await sql`CREATE INDEX digest_send_status_idx ON digest_send (status, period)`.execute(db);

  // The server secret for HMAC-derived manage/unsubscribe tokens (one row).
  await sql`
    CREATE TABLE digest_secret (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      secret TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT`.execute(db);

  // Members' choices for notification emails by kind; no row means on.
  await sql`
    CREATE TABLE email_preference (
      account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      kind TEXT NOT NULL CHECK (kind IN ('registration','waitlist','reminder','mention','reply','moderation')),
      enabled INTEGER NOT NULL CHECK (enabled IN (0,1)),
      updated_at TEXT NOT NULL,
      PRIMARY KEY (account_id, kind)
    ) STRICT`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS email_preference`.execute(db);
  await sql`DROP TABLE IF EXISTS digest_secret`.execute(db);
  await sql`DROP TABLE IF EXISTS digest_send`.execute(db);
  await sql`DROP TABLE IF EXISTS digest_subscription`.execute(db);
}
