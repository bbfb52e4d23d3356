import type { Kysely } from "kysely";

// Frozen: written against Kysely<any> so later schema changes never alter it.
//
// /organisations offers the areas approved organisations serve (SELECT DISTINCT area_served … ORDER BY
// area_served) on every visit: read in order from an index instead of sorting 5,000 organisations.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("organisation_area_idx").on("organisation").columns(["status", "area_served"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("organisation_area_idx").execute();
}
