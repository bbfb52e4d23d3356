import { type Kysely, sql } from "kysely";

// Frozen: written against Kysely<any> so later schema changes never alter it.
//
// search_version: one number that rises with every change to the search documents (and to network
// names, which results show), kept by triggers. A search result remembered under a version is
// exact for as long as the number has not moved, so repeated searches (the common words many
// people type) can be answered without ranking every match again, in any process.

const TRIGGERS: Array<[string, string]> = [
  ["search_version_doc_ai", "AFTER INSERT ON search_document"],
  ["search_version_doc_ad", "AFTER DELETE ON search_document"],
  ["search_version_doc_au", "AFTER UPDATE ON search_document"],
  ["search_version_network_au", "AFTER UPDATE OF name, short_name, slug ON network"],
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE search_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL) STRICT`.execute(db);
  await sql`INSERT INTO search_version (id, version) VALUES (1, 1)`.execute(db);
  for (const [name, on] of TRIGGERS) {
    await sql`CREATE TRIGGER ${sql.raw(name)} ${sql.raw(on)} BEGIN UPDATE search_version SET version = version + 1 WHERE id = 1; END`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of TRIGGERS) await sql`DROP TRIGGER IF EXISTS ${sql.raw(name)}`.execute(db);
  await sql`DROP TABLE IF EXISTS search_version`.execute(db);
}
