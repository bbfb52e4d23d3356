import type { Kysely } from "kysely";
import { strict } from "./portable";

// Frozen: written against Kysely<any> so later schema changes never alter it.
//
// feed_event_block: each event's VEVENT text as the feeds last built it, under a key made of
// everything the text depends on (the event's row version, topics, changed dates, organisation
// name, the site address, the format). A feed after a restart (or in another process) reads the
// blocks instead of building 2,000 events again; a block whose key no longer matches is rebuilt.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("feed_event_block")
    .addColumn("event_id", "integer", (c) => c.primaryKey().references("event.id").onDelete("cascade"))
    .addColumn("cache_key", "text", (c) => c.notNull())
    .addColumn("block", "text", (c) => c.notNull())
    .$call(strict(db))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("feed_event_block").ifExists().execute();
}
