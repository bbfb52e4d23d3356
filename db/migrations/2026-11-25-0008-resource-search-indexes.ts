import { type Kysely, sql } from "kysely";
import { createTrigger, dropTrigger, isPostgres, strictWithoutRowid } from "./portable";

// Frozen: written against Kysely<any> so later schema changes never alter it.
//
// Makes the resource list and search page fast at 100,000+ resources:
// - resource_facet_count: how many PUBLISHED resources each (network, visibility)
//   has per facet value (kind, year, topic, outcome, publisher) plus a 'total' row.
//   The list page with no search words and no filters reads its total and all six
//   facets from this small table instead of scanning every resource. Triggers keep
//   it in step inside the same statement (and so the same transaction) as every
//   write to resource, resource_topic and resource_outcome, including cascades from
//   a deleted network or organisation, so no code path can forget to update it.
//   Publisher counts are kept per organisation id (the name is looked up when read,
//   so renaming an organisation needs no update) or per free-text publisher name.
// - resource_listing_idx: newest-first listing that answers the visibility test
//   from the index alone, so skipping rows for page N reads no table rows.
// - resource_facet_idx: every column a search filters or counts on, keyed by id, so
//   checking each full-text match's visibility and reading its facet values touches
//   this narrow index instead of the wide resource rows (summaries and all).

/** Adds `delta` to every count the resource row `r` (NEW or OLD in a trigger) contributes to. */
function applyCounts(r: "NEW" | "OLD", delta: 1 | -1) {
  return `
    INSERT INTO resource_facet_count (network_id, visibility, facet, value, count)
    SELECT ${r}.network_id, ${r}.visibility, f.facet, f.value, ${delta} FROM (
      SELECT 'total' AS facet, '' AS value
      UNION ALL SELECT 'kind', ${r}.kind
      UNION ALL SELECT 'year', CAST(${r}.year AS TEXT) WHERE ${r}.year IS NOT NULL
      UNION ALL SELECT 'publisher_name', ${r}.publisher_name WHERE ${r}.publisher_name IS NOT NULL
      UNION ALL SELECT 'publisher_org', CAST(${r}.publisher_organisation_id AS TEXT)
        WHERE ${r}.publisher_name IS NULL AND ${r}.publisher_organisation_id IS NOT NULL
      UNION ALL SELECT 'topic', t.topic FROM resource_topic t WHERE t.resource_id = ${r}.id
      UNION ALL SELECT 'outcome', o.domain FROM resource_outcome o WHERE o.resource_id = ${r}.id
    ) AS f
    WHERE ${r}.status = 'published'
    ON CONFLICT (network_id, visibility, facet, value) DO UPDATE SET count = count + excluded.count;`;
}

/** Adds `delta` for one topic/outcome row (NEW or OLD) of a published resource. */
function applyTagCount(facet: "topic" | "outcome", column: "topic" | "domain", r: "NEW" | "OLD", delta: 1 | -1) {
  return `
    INSERT INTO resource_facet_count (network_id, visibility, facet, value, count)
    SELECT res.network_id, res.visibility, '${facet}', ${r}.${column}, ${delta}
    FROM resource res WHERE res.id = ${r}.resource_id AND res.status = 'published'
    ON CONFLICT (network_id, visibility, facet, value) DO UPDATE SET count = count + excluded.count;`;
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("resource_facet_count")
    .addColumn("network_id", "integer", (c) => c.notNull())
    .addColumn("visibility", "text", (c) => c.notNull())
    .addColumn("facet", "text", (c) => c.notNull())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("resource_facet_count_pkey", ["network_id", "visibility", "facet", "value"])
    .$call(strictWithoutRowid(db))
    .execute();

  // PostgreSQL needs the existing row's count qualified in the upsert (SQLite reads it unqualified).
  const body = (text: string) => (isPostgres(db) ? text.replace(/SET count = count \+/g, "SET count = resource_facet_count.count +") : text);
  await createTrigger(db, { name: "resource_facet_count_ai", table: "resource", when: "AFTER INSERT", body: body(applyCounts("NEW", 1)) });
  await createTrigger(db, {
    name: "resource_facet_count_au",
    table: "resource",
    when: "AFTER UPDATE OF network_id, visibility, status, kind, year, publisher_organisation_id, publisher_name",
    body: body(`${applyCounts("OLD", -1)} ${applyCounts("NEW", 1)}`),
  });
  // Before the row goes: remove its tags first (their own triggers subtract them while the
  // resource can still be looked up), then its own counts. The cascade then finds nothing left.
  await createTrigger(db, {
    name: "resource_facet_count_bd",
    table: "resource",
    when: "BEFORE DELETE",
    body: body(`
      DELETE FROM resource_topic WHERE resource_id = OLD.id;
      DELETE FROM resource_outcome WHERE resource_id = OLD.id;
      ${applyCounts("OLD", -1)}
    `),
  });
  for (const [table, facet, column] of [
    ["resource_topic", "topic", "topic"],
    ["resource_outcome", "outcome", "domain"],
  ] as const) {
    await createTrigger(db, { name: `${table}_facet_count_ai`, table, when: "AFTER INSERT", body: body(applyTagCount(facet, column, "NEW", 1)) });
    await createTrigger(db, { name: `${table}_facet_count_ad`, table, when: "AFTER DELETE", body: body(applyTagCount(facet, column, "OLD", -1)) });
    await createTrigger(db, {
      name: `${table}_facet_count_au`,
      table,
      when: "AFTER UPDATE",
      body: body(`${applyTagCount(facet, column, "OLD", -1)} ${applyTagCount(facet, column, "NEW", 1)}`),
    });
  }

  // Counts for the resources already there.
  await sql`
    INSERT INTO resource_facet_count (network_id, visibility, facet, value, count)
    SELECT network_id, visibility, facet, value, count(*) FROM (
      SELECT network_id, visibility, 'total' AS facet, '' AS value FROM resource WHERE status = 'published'
      UNION ALL SELECT network_id, visibility, 'kind', kind FROM resource WHERE status = 'published'
      UNION ALL SELECT network_id, visibility, 'year', CAST(year AS TEXT) FROM resource WHERE status = 'published' AND year IS NOT NULL
      UNION ALL SELECT network_id, visibility, 'publisher_name', publisher_name FROM resource WHERE status = 'published' AND publisher_name IS NOT NULL
      UNION ALL SELECT network_id, visibility, 'publisher_org', CAST(publisher_organisation_id AS TEXT) FROM resource
        WHERE status = 'published' AND publisher_name IS NULL AND publisher_organisation_id IS NOT NULL
      UNION ALL SELECT r.network_id, r.visibility, 'topic', t.topic FROM resource_topic t JOIN resource r ON r.id = t.resource_id WHERE r.status = 'published'
      UNION ALL SELECT r.network_id, r.visibility, 'outcome', o.domain FROM resource_outcome o JOIN resource r ON r.id = o.resource_id WHERE r.status = 'published'
    ) AS f GROUP BY network_id, visibility, facet, value`.execute(db);

  await db.schema.createIndex("resource_listing_idx").on("resource").columns(["status", "published_at desc", "id desc", "visibility", "network_id"]).execute();
  await sql`
    CREATE INDEX resource_facet_idx
    ON resource (id, status, visibility, network_id, kind, year, publisher_organisation_id, publisher_name, published_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ["resource_facet_idx", "resource_listing_idx"]) await sql`DROP INDEX IF EXISTS ${sql.raw(index)}`.execute(db);
  for (const [trigger, table] of [
    ["resource_outcome_facet_count_au", "resource_outcome"],
    ["resource_outcome_facet_count_ad", "resource_outcome"],
    ["resource_outcome_facet_count_ai", "resource_outcome"],
    ["resource_topic_facet_count_au", "resource_topic"],
    ["resource_topic_facet_count_ad", "resource_topic"],
    ["resource_topic_facet_count_ai", "resource_topic"],
    ["resource_facet_count_bd", "resource"],
    ["resource_facet_count_au", "resource"],
    ["resource_facet_count_ai", "resource"],
  ])
    await dropTrigger(db, trigger, table);
  await sql`DROP TABLE IF EXISTS resource_facet_count`.execute(db);
}
