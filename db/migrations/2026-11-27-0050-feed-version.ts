import { type Kysely, sql } from "kysely";

// Frozen: written against Kysely<any> so later schema changes never alter it.
//
// feed_version: one row whose number rises with every write that can change what any iCal
// feed says (events, their topics and changed dates, registrations, follows, memberships,
// feed tokens, the names of organisations and networks). Feed ETags are made from it, so a
// conditional request is answered from one primary-key read before any session, feed query or
// React work, and every process (and both module copies in one process) agrees on it: caches
// keyed by it can never serve a stale feed. Triggers bump it in the same transaction as the
// write, so no code path can forget.
const WATCHED: Array<{ table: string; update?: string }> = [
  { table: "event" },
  { table: "event_topic" },
  { table: "event_occurrence_override" },
  { table: "registration" },
  { table: "organisation_follow" },
  { table: "network_membership" },
  { table: "feed_token", update: "revoked_at, account_id" },
  { table: "organisation", update: "name, slug, status" },
  { table: "network", update: "name, slug" },
  { table: "account", update: "is_platform_admin" },
];

const BUMP = sql.raw(
  `UPDATE feed_version SET version = version + 1, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1;`,
);

function triggerNames(table: string): string[] {
  return ["ai", "au", "ad"].map((op) => `${table}_feed_version_${op}`);
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE feed_version (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      version INTEGER NOT NULL,
      changed_at TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`INSERT INTO feed_version (id, version, changed_at) VALUES (1, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`.execute(db);
  for (const { table, update } of WATCHED) {
    const [ai, au, ad] = triggerNames(table).map((n) => sql.raw(n));
    const t = sql.raw(table);
    await sql`CREATE TRIGGER ${ai} AFTER INSERT ON ${t} BEGIN ${BUMP} END`.execute(db);
    await sql`CREATE TRIGGER ${au} AFTER UPDATE ${sql.raw(update ? `OF ${update} ` : "")}ON ${t} BEGIN ${BUMP} END`.execute(db);
    await sql`CREATE TRIGGER ${ad} AFTER DELETE ON ${t} BEGIN ${BUMP} END`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const { table } of WATCHED) for (const name of triggerNames(table)) await sql`DROP TRIGGER IF EXISTS ${sql.raw(name)}`.execute(db);
  await sql`DROP TABLE IF EXISTS feed_version`.execute(db);
}
