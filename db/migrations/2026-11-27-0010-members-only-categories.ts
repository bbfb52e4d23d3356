import { type Kysely, sql } from "kysely";
import { isPostgres } from "./portable";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  // A network admin may keep one category for members only even when the network's discussions
  // are public (client stories, safeguarding): such threads stay out of public pages, feeds,
  // search and public digests. 0 = follows the network's setting.
  if (isPostgres(db)) await sql`ALTER TABLE discussion_category ADD COLUMN members_only BOOLEAN NOT NULL DEFAULT false`.execute(db);
  else await sql`ALTER TABLE discussion_category ADD COLUMN members_only INTEGER NOT NULL DEFAULT 0 CHECK (members_only IN (0,1))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE discussion_category DROP COLUMN members_only`.execute(db);
}
