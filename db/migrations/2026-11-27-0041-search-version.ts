import { type Kysely, sql } from "kysely";
import { isPostgres } from "./portable";

// Frozen: written against Kysely<any> so later schema changes never alter it.
//
// search_version: one number that rises with every change to the search documents (and to network
// names, which results show), kept by triggers. A search result remembered under a version is
// exact for as long as the number has not moved, so repeated searches (the common words many
// people type) can be answered without ranking every match again, in any process.
//
// On PostgreSQL the same table and triggers, as one PL/pgSQL function fired once per statement
// (a bulk load raises the number once, not once per row). The raise becomes visible with the
// write's commit, so a search that read the old number never sees the new documents under it.

const TRIGGERS: Array<[string, string]> = [
  ["search_version_doc_ai", "AFTER INSERT ON search_document"],
  ["search_version_doc_ad", "AFTER DELETE ON search_document"],
  ["search_version_doc_au", "AFTER UPDATE ON search_document"],
  ["search_version_network_au", "AFTER UPDATE OF name, short_name, slug ON network"],
];

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`CREATE TABLE search_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)`.execute(db);
    await sql`INSERT INTO search_version (id, version) VALUES (1, 1)`.execute(db);
    await sql`CREATE FUNCTION search_version_bump() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN UPDATE search_version SET version = version + 1 WHERE id = 1; RETURN NULL; END $fn$`.execute(db);
    for (const [name, on] of TRIGGERS) {
      await sql`CREATE TRIGGER ${sql.raw(name)} ${sql.raw(on)} FOR EACH STATEMENT EXECUTE FUNCTION search_version_bump()`.execute(db);
    }
    return;
  }
  await sql`CREATE TABLE search_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL) STRICT`.execute(db);
  await sql`INSERT INTO search_version (id, version) VALUES (1, 1)`.execute(db);
  for (const [name, on] of TRIGGERS) {
    await sql`CREATE TRIGGER ${sql.raw(name)} ${sql.raw(on)} BEGIN UPDATE search_version SET version = version + 1 WHERE id = 1; END`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const [name, on] of TRIGGERS) await sql`DROP TRIGGER IF EXISTS ${sql.raw(name)} ON ${sql.raw(on.replace(/^.* ON /, ""))}`.execute(db);
    await sql`DROP FUNCTION IF EXISTS search_version_bump()`.execute(db);
    await sql`DROP TABLE IF EXISTS search_version`.execute(db);
    return;
  }
  for (const [name] of TRIGGERS) await sql`DROP TRIGGER IF EXISTS ${sql.raw(name)}`.execute(db);
  await sql`DROP TABLE IF EXISTS search_version`.execute(db);
}
