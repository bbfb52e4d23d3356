import { type Kysely, sql } from "kysely";
import { createTrigger, dropTrigger, isoNowSql, strict } from "./portable";

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

const bump = (db: Kysely<any>) => `UPDATE feed_version SET version = version + 1, changed_at = ${isoNowSql(db)} WHERE id = 1;`;

function triggerNames(table: string): string[] {
  return ["ai", "au", "ad"].map((op) => `${table}_feed_version_${op}`);
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("feed_version")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("changed_at", "text", (c) => c.notNull())
    .$call(strict(db))
    .execute();
  await sql`INSERT INTO feed_version (id, version, changed_at) VALUES (1, 1, ${sql.raw(isoNowSql(db))})`.execute(db);
  for (const { table, update } of WATCHED) {
    const [ai, au, ad] = triggerNames(table);
    await createTrigger(db, { name: ai, table, when: "AFTER INSERT", body: bump(db) });
    await createTrigger(db, { name: au, table, when: `AFTER UPDATE${update ? ` OF ${update}` : ""}`, body: bump(db) });
    await createTrigger(db, { name: ad, table, when: "AFTER DELETE", body: bump(db) });
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const { table } of WATCHED) for (const name of triggerNames(table)) await dropTrigger(db, name, table);
  await db.schema.dropTable("feed_version").ifExists().execute();
}
