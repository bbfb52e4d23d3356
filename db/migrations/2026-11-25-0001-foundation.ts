import { type Kysely, sql } from "kysely";
import { bool, boolLit, nocase, nocaseKey, serialId, strict, strictWithoutRowid } from "./portable";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("organisation")
    .addColumn("id", "integer", serialId(db))
    .addColumn("uuid", "text", (c) => c.notNull().unique())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("sector", "text", (c) => c.notNull().check(sql`sector IN ('local-authority','vcse','icb','nhs-trust','primary-care','university','arts-culture-heritage','national-body','connector-scheme')`))
    .addColumn("summary", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("area_served", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("address", "text")
    .addColumn("postcode", "text")
    .addColumn("website", "text")
    .addColumn("email", "text")
    .addColumn("phone", "text")
    .addColumn("registry_number", "text")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("approved").check(sql`status IN ('pending','approved','rejected')`))
    .addColumn("proposed_by_account_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .$call(strict(db))
    .execute();
  await db.schema.createIndex("organisation_name_idx").on("organisation").expression(nocaseKey(db, "name")).execute();
  await db.schema.createIndex("organisation_sector_idx").on("organisation").columns(["sector", "status"]).execute();

  await db.schema
    .createTable("network")
    .addColumn("id", "integer", serialId(db))
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("short_name", "text", (c) => c.notNull())
    .addColumn("region", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("about", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("purpose", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("host_organisation_id", "integer", (c) => c.references("organisation.id").onDelete("set null"))
    .addColumn("contact_email", "text")
    .addColumn("auto_approve_domains", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .$call(strict(db))
    .execute();

  await db.schema
    .createTable("organisation_network")
    .addColumn("organisation_id", "integer", (c) => c.references("organisation.id").onDelete("cascade").notNull())
    .addColumn("network_id", "integer", (c) => c.references("network.id").onDelete("cascade").notNull())
    .addPrimaryKeyConstraint("organisation_network_pkey", ["organisation_id", "network_id"])
    .$call(strictWithoutRowid(db))
    .execute();
  await db.schema.createIndex("organisation_network_network_idx").on("organisation_network").columns(["network_id", "organisation_id"]).execute();

  await db.schema
    .createTable("account")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => nocase(db)(c.notNull().unique()))
    .addColumn("email_verified_at", "text")
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("password_hash", "text")
    .addColumn("job_title", "text")
    .addColumn("bio", "text")
    .addColumn("organisation_id", "integer", (c) => c.references("organisation.id").onDelete("set null"))
    .addColumn("profile_visible", bool(db), (c) => c.notNull().defaultTo(boolLit(db, true)))
    .addColumn("is_platform_admin", bool(db), (c) => c.notNull().defaultTo(boolLit(db, false)))
    .addColumn("totp_secret", "text")
    .addColumn("totp_last_counter", "integer")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .$call(strict(db))
    .execute();

  await db.schema
    .createTable("session")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("cascade").notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_seen_at", "text", (c) => c.notNull())
    .addColumn("user_agent", "text")
    .addColumn("ip_address", "text")
    .addColumn("mfa_verified", bool(db), (c) => c.notNull().defaultTo(boolLit(db, false)))
    .$call(strict(db))
    .execute();
  await db.schema.createIndex("session_account_idx").on("session").columns(["account_id"]).execute();
  await db.schema.createIndex("session_expires_idx").on("session").columns(["expires_at"]).execute();

  await db.schema
    .createTable("network_membership")
    .addColumn("network_id", "integer", (c) => c.references("network.id").onDelete("cascade").notNull())
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("cascade").notNull())
    .addColumn("role", "text", (c) => c.notNull().defaultTo("member").check(sql`role IN ('member','organiser','moderator','admin')`))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending").check(sql`status IN ('pending','approved','declined')`))
    .addColumn("message", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("decided_at", "text")
    .addColumn("decided_by_account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addPrimaryKeyConstraint("network_membership_pkey", ["network_id", "account_id"])
    .$call(strictWithoutRowid(db))
    .execute();
  await db.schema.createIndex("network_membership_account_idx").on("network_membership").columns(["account_id", "status"]).execute();

  await db.schema
    .createTable("organisation_follow")
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("cascade").notNull())
    .addColumn("organisation_id", "integer", (c) => c.references("organisation.id").onDelete("cascade").notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("organisation_follow_pkey", ["account_id", "organisation_id"])
    .$call(strictWithoutRowid(db))
    .execute();
  await db.schema.createIndex("organisation_follow_org_idx").on("organisation_follow").columns(["organisation_id"]).execute();

  // Fixed-window counters for rate limits: in SQLite so they survive restarts.
  await db.schema
    .createTable("rate_limit")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("window_start", "integer", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .$call(strict(db))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["rate_limit", "organisation_follow", "network_membership", "session", "account", "organisation_network", "network", "organisation"]) {
    await db.schema.dropTable(table).execute();
  }
}
