import { type Kysely, sql } from "kysely";

// Frozen: written against Kysely<any> so later schema changes never alter it.
//
// "Near a postcode" keeps things that run online and have no place (after the placed ones). The
// placed ones come from search_document_place_idx (partial: latitude is not null); this partial
// index finds the online-only ones, so the two halves of the OR are each an index search
// (SQLite's multi-index OR) instead of a scan of every document.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("search_document_online_idx").on("search_document").column("kind").where(sql<boolean>`latitude IS NULL AND online = 1`).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("search_document_online_idx").ifExists().execute();
}
