import { type Kysely, sql } from "kysely";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  // A member's choice per kind of notice: email now, in the digest, on the site only, or off. No row: the kind's default.
  await sql`
    CREATE TABLE notification_preference (
      account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      kind TEXT NOT NULL,
      choice TEXT NOT NULL CHECK (choice IN ('email','digest','site','off')),
      updated_at TEXT NOT NULL,
      PRIMARY KEY (account_id, kind)
    ) STRICT`.execute(db);
  // Members who had switched a kind's email off keep it off (they still see it on the site).
  await sql`
    INSERT INTO notification_preference (account_id, kind, choice, updated_at)
    SELECT account_id, kind, 'site', updated_at FROM email_preference WHERE enabled = 0`.execute(db);

  // How each in-app notification was delivered: 'digest' rows are what the member's next digest lists.
  await sql`ALTER TABLE notification ADD COLUMN delivery TEXT`.execute(db);
  await sql`CREATE INDEX notification_digest_idx ON notification (account_id, delivery, created_at)`.execute(db);

  // One message, shared by everyone it goes to (a cancellation to 2,000 people is one row here).
  await sql`
    CREATE TABLE notice (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      payload TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT`.execute(db);

  // The email queue: one row per (notice, recipient), claimed and sent by the notify:send job.
  await sql`
    CREATE TABLE notice_email (
      id INTEGER PRIMARY KEY,
      notice_id INTEGER NOT NULL REFERENCES notice(id) ON DELETE CASCADE,
      account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      kind TEXT NOT NULL,
      coalesce_key TEXT,
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sending','sent','failed','retry','dropped')),
      not_before TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at TEXT,
      owner_run TEXT,
      claimed_at TEXT,
      sent_at TEXT,
      error TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT`.execute(db);
  // While a message waits, a newer one with the same key replaces it (five edits, one email).
  await sql`CREATE UNIQUE INDEX notice_email_coalesce_idx ON notice_email (account_id, coalesce_key) WHERE status = 'pending'`.execute(db);
  await sql`CREATE INDEX notice_email_due_idx ON notice_email (status, not_before)`.execute(db);
  await sql`CREATE INDEX notice_email_notice_idx ON notice_email (notice_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS notice_email`.execute(db);
  await sql`DROP TABLE IF EXISTS notice`.execute(db);
  await sql`DROP INDEX IF EXISTS notification_digest_idx`.execute(db);
  await sql`ALTER TABLE notification DROP COLUMN delivery`.execute(db);
  await sql`DROP TABLE IF EXISTS notification_preference`.execute(db);
}
