import { type Kysely, sql } from "kysely";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  // What platform admins did to other people's accounts (e.g. reset two-step verification):
  // who, to whom, when and the note they gave. Kept when either account is later anonymised.
  await sql`
    CREATE TABLE admin_action (
      id INTEGER PRIMARY KEY,
      admin_account_id TEXT REFERENCES account(id) ON DELETE SET NULL,
      target_account_id TEXT REFERENCES account(id) ON DELETE SET NULL,
      action TEXT NOT NULL CHECK (action IN ('reset-two-step')),
      note TEXT,
      created_at TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX admin_action_target_idx ON admin_action (target_account_id, created_at)`.execute(db);
  // Paged member lists: a network's approved members without scanning other networks'.
  await sql`CREATE INDEX network_membership_network_status_idx ON network_membership (network_id, status)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS network_membership_network_status_idx`.execute(db);
  await sql`DROP TABLE IF EXISTS admin_action`.execute(db);
}
