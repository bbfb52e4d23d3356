import type { Kysely } from "kysely";
import { bool, boolLit } from "./portable";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  // 0: an open event, anyone joins without registering (the page says so instead of offering registration).
  await db.schema.alterTable("event").addColumn("registration_required", bool(db), (c) => c.notNull().defaultTo(boolLit(db, true))).execute();
  // The demo's weekly Social Prescribing Hour is open ("no registration needed"); seeded databases get it too.
  await db.updateTable("event").set({ registration_required: boolLit(db, false) }).where("uid", "=", "seed-social-prescribing-hour@roundtable").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("event").dropColumn("registration_required").execute();
}
