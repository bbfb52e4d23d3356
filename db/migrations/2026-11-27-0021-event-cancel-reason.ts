import { type Kysely, sql } from "kysely";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  // The organiser's reason for cancelling, shown on the event page and in the cancellation email.
  await sql`ALTER TABLE event ADD COLUMN cancel_reason TEXT`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE event DROP COLUMN cancel_reason`.execute(db);
}
