import { type Kysely, sql } from "kysely";
import { blob, bool, boolCheck, boolLit, float8, nocaseKey, serialId, strict, strictWithoutRowid } from "./portable";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  // A service an organisation offers (Open Referral UK "service"): its own UUID for the API.
  await db.schema
    .createTable("service")
    .addColumn("id", "integer", serialId(db))
    .addColumn("uuid", "text", (c) => c.notNull().unique())
    .addColumn("organisation_id", "integer", (c) => c.references("organisation.id").onDelete("cascade").notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("eligibility", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("how_to_refer", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("schedule_text", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("location_name", "text")
    .addColumn("address", "text")
    .addColumn("city", "text")
    .addColumn("postcode", "text")
    .addColumn("online", bool(db), (c) => boolCheck(db, "online")(c.notNull().defaultTo(boolLit(db, false))))
    .addColumn("cost", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("is_free", bool(db), (c) => boolCheck(db, "is_free")(c.notNull().defaultTo(boolLit(db, false))))
    .addColumn("url", "text", (c) => c.check(sql`url IS NULL OR url LIKE 'http://%' OR url LIKE 'https://%'`))
    .addColumn("email", "text")
    .addColumn("phone", "text")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("active").check(sql`status IN ('active','inactive','defunct','temporarily closed')`))
    .addColumn("created_by_account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .$call(strict(db))
    .execute();
  await db.schema.createIndex("service_organisation_idx").on("service").columns(["organisation_id", "status"]).execute();
  await db.schema.createIndex("service_updated_idx").on("service").columns(["updated_at desc", "id desc"]).execute();

  await db.schema
    .createTable("service_topic")
    .addColumn("service_id", "integer", (c) => c.references("service.id").onDelete("cascade").notNull())
    .addColumn("topic", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("service_topic_pkey", ["service_id", "topic"])
    .$call(strictWithoutRowid(db))
    .execute();
  await db.schema.createIndex("service_topic_topic_idx").on("service_topic").columns(["topic", "service_id"]).execute();

  // A case study with one headline outcome figure, tagged to Common Outcomes Framework domains.
  await db.schema
    .createTable("case_study")
    .addColumn("id", "integer", serialId(db))
    .addColumn("organisation_id", "integer", (c) => c.references("organisation.id").onDelete("cascade").notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("figure_text", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("value", float8(db))
    .addColumn("unit", "text")
    .addColumn("period", "text")
    .addColumn("participants", "integer", (c) => c.check(sql`participants IS NULL OR participants >= 0`))
    .addColumn("partners", "text")
    .addColumn("source_title", "text")
    .addColumn("source_url", "text", (c) => c.check(sql`source_url IS NULL OR source_url LIKE 'http://%' OR source_url LIKE 'https://%'`))
    .addColumn("created_by_account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .$call(strict(db))
    .execute();
  await db.schema.createIndex("case_study_organisation_idx").on("case_study").columns(["organisation_id"]).execute();
  await db.schema.createIndex("case_study_created_idx").on("case_study").columns(["created_at desc"]).execute();

  await db.schema
    .createTable("case_study_domain")
    .addColumn("case_study_id", "integer", (c) => c.references("case_study.id").onDelete("cascade").notNull())
    .addColumn("domain", "text", (c) => c.notNull().check(sql`domain IN ('person','system','community')`))
    .addPrimaryKeyConstraint("case_study_domain_pkey", ["case_study_id", "domain"])
    .$call(strictWithoutRowid(db))
    .execute();
  await db.schema.createIndex("case_study_domain_domain_idx").on("case_study_domain").columns(["domain", "case_study_id"]).execute();

  // Who works at an organisation; its admins edit the profile and answer affiliation requests.
  await db.schema
    .createTable("organisation_member")
    .addColumn("organisation_id", "integer", (c) => c.references("organisation.id").onDelete("cascade").notNull())
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("cascade").notNull())
    .addColumn("role", "text", (c) => c.notNull().defaultTo("member").check(sql`role IN ('member','admin')`))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending").check(sql`status IN ('pending','approved','declined')`))
    .addColumn("message", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("decided_at", "text")
    .addColumn("decided_by_account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addPrimaryKeyConstraint("organisation_member_pkey", ["organisation_id", "account_id"])
    .$call(strictWithoutRowid(db))
    .execute();
  await db.schema.createIndex("organisation_member_account_idx").on("organisation_member").columns(["account_id", "status"]).execute();

  // Logos live in the database (outside public/), at most 2 MB, and are served with nosniff.
  await db.schema
    .createTable("organisation_logo")
    .addColumn("organisation_id", "integer", (c) => c.primaryKey().references("organisation.id").onDelete("cascade"))
    .addColumn("content_type", "text", (c) => c.notNull().check(sql`content_type IN ('image/png','image/jpeg','image/webp')`))
    .addColumn("data", blob(db), (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull().check(sql`size <= 2097152`))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .$call(strict(db))
    .execute();

  await sql`CREATE INDEX organisation_status_name_idx ON organisation (status, ${nocaseKey(db, "name")})`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS organisation_status_name_idx`.execute(db);
  for (const table of ["organisation_logo", "organisation_member", "case_study_domain", "case_study", "service_topic", "service"]) {
    await db.schema.dropTable(table).execute();
  }
}
