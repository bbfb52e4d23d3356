import { type Kysely, sql } from "kysely";
import { createTrigger, dropTrigger, float8, isPostgres, strict } from "./portable";

// Frozen: written against Kysely<any> so later schema changes never alter it.
//
// One search index for the whole portal, kept exact by triggers so no code path can forget it.
//
// - search_source_<kind> (views): what each searchable thing looks like as a document
//   (title, body, keywords, who may see it, where it is). The one definition of a document;
//   a PostgreSQL port keeps these views and the document table, and swaps search_fts for a
//   generated tsvector column with a GIN index.
// - search_document: one row per searchable thing, copied from those views by triggers on every
//   source table (and the tables their text comes from: topics, organisation names, thread
//   titles, discussion settings). Its id encodes the kind: kind code × 2^32 + the source id, so a
//   search within one kind is a rowid range the full-text index can seek to.
// - search_fts: FTS5 over search_document (external content, porter stemming, prefix indexes),
//   kept by the usual three triggers on search_document.
// - postcode_location: every postcode any venue, service or organisation uses, with its
//   coordinates once looked up (app/models/places.server.ts). A trigger on each source queues an
//   unknown postcode as 'pending'; the lookup job fills it; a trigger copies the coordinates onto
//   the documents using that postcode.
// It replaces resource_fts and discussion_fts, which were kept by calls in the models (one of
// which, after an organisation rename, nobody made).

export const KIND_CODES = { resource: 1, service: 2, organisation: 3, event: 4, post: 5 } as const;
type Kind = keyof typeof KIND_CODES;
const SHIFT = 4294967296;

const COLUMNS =
  "id, kind, ref_id, parent_id, organisation_id, network_id, category_id, visibility, title, body, keywords, starts_at, ends_at, postcode, area, latitude, longitude, online";

// Postcode area ("PR", "CA", "M"): the letters before the first digit of a normalised postcode.
const area = (pc: string) => `CASE WHEN ${pc} IS NULL THEN NULL WHEN substr(${pc}, 2, 1) GLOB '[A-Z]' THEN substr(${pc}, 1, 2) ELSE substr(${pc}, 1, 1) END`;
const topics = (table: string, key: string, id: string) =>
  `coalesce((SELECT group_concat(replace(x.topic, '-', ' '), ' ') FROM ${table} x WHERE x.${key} = ${id}), '')`;

const VIEWS: Record<Kind, string> = {
  resource: `
    SELECT ${KIND_CODES.resource} * ${SHIFT} + r.id AS id, 'resource' AS kind, r.id AS ref_id, NULL AS parent_id,
      r.publisher_organisation_id AS organisation_id, r.network_id AS network_id, NULL AS category_id, r.visibility AS visibility,
      r.title AS title, r.summary AS body,
      trim(coalesce(o.name, '') || ' ' || coalesce(r.publisher_name, '') || ' ' || replace(r.kind, '-', ' ') || ' ' || coalesce(r.year, '') || ' '
        || ${topics("resource_topic", "resource_id", "r.id")} || ' ' || coalesce((SELECT group_concat(d.domain, ' ') FROM resource_outcome d WHERE d.resource_id = r.id), '')) AS keywords,
      r.published_at AS starts_at, NULL AS ends_at, NULL AS postcode, NULL AS area, NULL AS latitude, NULL AS longitude, 0 AS online
    FROM resource r LEFT JOIN organisation o ON o.id = r.publisher_organisation_id
    WHERE r.status = 'published'`,
  service: `
    SELECT ${KIND_CODES.service} * ${SHIFT} + s.id AS id, 'service' AS kind, s.id AS ref_id, s.organisation_id AS parent_id,
      s.organisation_id AS organisation_id, NULL AS network_id, NULL AS category_id, 'public' AS visibility,
      s.name AS title, trim(s.description || ' ' || s.eligibility || ' ' || s.how_to_refer || ' ' || s.schedule_text) AS body,
      trim(o.name || ' ' || coalesce(s.location_name, '') || ' ' || coalesce(s.city, '') || ' ' || s.cost || ' ' || ${topics("service_topic", "service_id", "s.id")}) AS keywords,
      NULL AS starts_at, NULL AS ends_at, s.postcode AS postcode, ${area("s.postcode")} AS area,
      pl.latitude AS latitude, pl.longitude AS longitude, s.online AS online
    FROM service s JOIN organisation o ON o.id = s.organisation_id LEFT JOIN postcode_location pl ON pl.postcode = s.postcode
    WHERE s.status = 'active' AND o.status = 'approved'`,
  organisation: `
    SELECT ${KIND_CODES.organisation} * ${SHIFT} + o.id AS id, 'organisation' AS kind, o.id AS ref_id, NULL AS parent_id,
      o.id AS organisation_id, NULL AS network_id, NULL AS category_id, 'public' AS visibility,
      o.name AS title, trim(o.summary || ' ' || o.description) AS body,
      trim(replace(o.sector, '-', ' ') || ' ' || o.area_served) AS keywords,
      NULL AS starts_at, NULL AS ends_at, o.postcode AS postcode, ${area("o.postcode")} AS area,
      pl.latitude AS latitude, pl.longitude AS longitude, 0 AS online
    FROM organisation o LEFT JOIN postcode_location pl ON pl.postcode = o.postcode
    WHERE o.status = 'approved'`,
  event: `
    SELECT ${KIND_CODES.event} * ${SHIFT} + e.id AS id, 'event' AS kind, e.id AS ref_id, NULL AS parent_id,
      e.organisation_id AS organisation_id, e.network_id AS network_id, NULL AS category_id, e.visibility AS visibility,
      e.title AS title, e.description AS body,
      trim(replace(e.kind, '-', ' ') || ' ' || coalesce(e.venue, '') || ' ' || coalesce(e.address, '') || ' ' || coalesce(o.name, '') || ' '
        || ${topics("event_topic", "event_id", "e.id")}) AS keywords,
      e.start_utc AS starts_at, e.series_end_utc AS ends_at, e.postcode AS postcode, ${area("e.postcode")} AS area,
      pl.latitude AS latitude, pl.longitude AS longitude, (e.online_url IS NOT NULL) AS online
    FROM event e LEFT JOIN organisation o ON o.id = e.organisation_id LEFT JOIN postcode_location pl ON pl.postcode = e.postcode
    WHERE e.status IN ('scheduled', 'postponed')`,
  // Posts are indexed as written (Markdown); the emphasis and heading marks are dropped so snippets read as text.
  post: `
    SELECT ${KIND_CODES.post} * ${SHIFT} + p.id AS id, 'post' AS kind, p.id AS ref_id, p.thread_id AS parent_id,
      NULL AS organisation_id, t.network_id AS network_id, t.category_id AS category_id,
      coalesce((SELECT ds.visibility FROM discussion_setting ds WHERE ds.network_id = t.network_id), 'members') AS visibility,
      CASE WHEN p.seq = 1 THEN t.title ELSE '' END AS title,
      replace(replace(replace(replace(p.body, '**', ''), '__', ''), '#', ''), '\`', '') AS body, '' AS keywords,
      p.created_at AS starts_at, NULL AS ends_at, NULL AS postcode, NULL AS area, NULL AS latitude, NULL AS longitude, 0 AS online
    FROM discussion_post p JOIN discussion_thread t ON t.id = p.thread_id
    WHERE p.hidden = 0 AND p.deleted_at IS NULL AND t.hidden = 0`,
};

/**
 * The views in PostgreSQL's dialect: string_agg for group_concat, a regex for GLOB, right() for a
 * negative substr, typed NULLs (a view's bare NULL is text there), 0/1 for a boolean test, and the
 * year cast to text before coalescing with ''.
 */
function pgView(body: string): string {
  return body
    .replace(/group_concat\((replace\([^)]*\)|[^,()]+), ' '\)/g, "string_agg($1, ' ')")
    .replace(/substr\(([^,]+), 2, 1\) GLOB '\[A-Z\]'/g, "substr($1, 2, 1) ~ '^[A-Z]$$'")
    .replace(/coalesce\(r\.year, ''\)/g, "coalesce(CAST(r.year AS TEXT), '')")
    .replace(/\(e\.online_url IS NOT NULL\) AS online/g, "CASE WHEN e.online_url IS NOT NULL THEN 1 ELSE 0 END AS online")
    // Yes/no columns are boolean there (portable.ts bool()); search_document.online stays 0/1.
    .replace(/\bs\.online AS online/g, "CASE WHEN s.online THEN 1 ELSE 0 END AS online")
    .replace(/\b([a-z])\.hidden = 0\b/g, "NOT $1.hidden")
    .replace(/NULL AS (parent_id|organisation_id|network_id|category_id)\b/g, "CAST(NULL AS INTEGER) AS $1")
    .replace(/NULL AS (starts_at|ends_at|postcode|area)\b/g, "CAST(NULL AS TEXT) AS $1")
    .replace(/NULL AS (latitude|longitude)\b/g, "CAST(NULL AS DOUBLE PRECISION) AS $1");
}

/** SQL that replaces the documents of `kind` whose view column `column` equals `value` (inside a trigger). */
function refresh(kind: Kind, column: "ref_id" | "parent_id" | "organisation_id" | "network_id", value: string) {
  const idFilter = column === "ref_id" ? `id = ${KIND_CODES[kind]} * ${SHIFT} + ${value}` : `kind = '${kind}' AND ${column} = ${value}`;
  return `
    DELETE FROM search_document WHERE ${idFilter};
    INSERT INTO search_document (${COLUMNS}) SELECT ${COLUMNS} FROM search_source_${kind} WHERE ${column} = ${value};`;
}

const queuePostcode = (value: string) => `INSERT INTO postcode_location (postcode, status) SELECT ${value}, 'pending' WHERE ${value} IS NOT NULL ON CONFLICT DO NOTHING;`;

type Trigger = { name: string; on: string; when: "INSERT" | "UPDATE" | "DELETE"; of?: string; body: string };

function triggers(): Trigger[] {
  const t: Trigger[] = [];
  const own = (kind: Kind, table: string, extra: (row: "NEW" | "OLD") => string = () => "") => {
    t.push({ name: `${table}_search_ai`, on: table, when: "INSERT", body: extra("NEW") + refresh(kind, "ref_id", "NEW.id") });
    t.push({ name: `${table}_search_au`, on: table, when: "UPDATE", body: extra("NEW") + refresh(kind, "ref_id", "NEW.id") });
    t.push({ name: `${table}_search_ad`, on: table, when: "DELETE", body: refresh(kind, "ref_id", "OLD.id") });
  };
  const child = (kind: Kind, table: string, key: string) => {
    for (const when of ["INSERT", "UPDATE", "DELETE"] as const) {
      const row = when === "DELETE" ? "OLD" : "NEW";
      t.push({
        name: `${table}_search_${when[0].toLowerCase()}`,
        on: table,
        when,
        body: (when === "UPDATE" ? refresh(kind, "ref_id", `OLD.${key}`) : "") + refresh(kind, "ref_id", `${row}.${key}`),
      });
    }
  };
  own("resource", "resource");
  child("resource", "resource_topic", "resource_id");
  child("resource", "resource_outcome", "resource_id");
  own("service", "service", (row) => queuePostcode(`${row}.postcode`));
  child("service", "service_topic", "service_id");
  own("organisation", "organisation", (row) => queuePostcode(`${row}.postcode`));
  // A renamed, approved or withdrawn organisation changes the text or visibility of what it publishes and runs.
  t.push({
    name: "organisation_search_dependants_au",
    on: "organisation",
    when: "UPDATE",
    of: "name, status",
    body: refresh("resource", "organisation_id", "NEW.id") + refresh("service", "organisation_id", "NEW.id") + refresh("event", "organisation_id", "NEW.id"),
  });
  own("event", "event", (row) => queuePostcode(`${row}.postcode`));
  child("event", "event_topic", "event_id");
  own("post", "discussion_post");
  t.push({ name: "discussion_thread_search_au", on: "discussion_thread", when: "UPDATE", of: "title, hidden, category_id, network_id", body: refresh("post", "parent_id", "NEW.id") });
  t.push({ name: "discussion_setting_search_ai", on: "discussion_setting", when: "INSERT", body: refresh("post", "network_id", "NEW.network_id") });
  t.push({ name: "discussion_setting_search_au", on: "discussion_setting", when: "UPDATE", body: refresh("post", "network_id", "NEW.network_id") });
  t.push({ name: "discussion_setting_search_ad", on: "discussion_setting", when: "DELETE", body: refresh("post", "network_id", "OLD.network_id") });
  // Coordinates found (or withdrawn) for a postcode reach every document using it.
  t.push({
    name: "postcode_location_search_au",
    on: "postcode_location",
    when: "UPDATE",
    of: "latitude, longitude",
    body: "UPDATE search_document SET latitude = NEW.latitude, longitude = NEW.longitude WHERE postcode = NEW.postcode;",
  });
  return t;
}

export const TRIGGER_NAMES = triggers().map((t) => t.name);

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable("postcode_location")
    .addColumn("postcode", "text", (c) => c.primaryKey())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending").check(sql`status IN ('pending', 'found', 'unknown')`))
    .addColumn("latitude", float8(db))
    .addColumn("longitude", float8(db))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("checked_at", "text")
    .addColumn("next_attempt_at", "text")
    .$call(strict(db))
    .execute();
  await db.schema.createIndex("postcode_location_pending_idx").on("postcode_location").columns(["status", "next_attempt_at"]).execute();

  // Existing postcodes in the one normal form ("PR1 2HE"): upper case, one space before the last three characters.
  const lastThree = pg ? "right(replace(upper(trim(postcode)), ' ', ''), 3)" : "substr(replace(upper(trim(postcode)), ' ', ''), -3)";
  for (const table of ["organisation", "service", "event"]) {
    await sql`
      UPDATE ${sql.raw(table)} SET postcode = CASE
        WHEN length(replace(upper(trim(postcode)), ' ', '')) BETWEEN 5 AND 7
          THEN substr(replace(upper(trim(postcode)), ' ', ''), 1, length(replace(upper(trim(postcode)), ' ', '')) - 3) || ' ' || ${sql.raw(lastThree)}
        WHEN trim(postcode) = '' THEN NULL
        ELSE upper(trim(postcode)) END
      WHERE postcode IS NOT NULL`.execute(db);
    await sql`INSERT INTO postcode_location (postcode) SELECT DISTINCT postcode FROM ${sql.raw(table)} WHERE postcode IS NOT NULL ON CONFLICT DO NOTHING`.execute(db);
  }

  // Ids are kind × 2^32 + source id: 64-bit (SQLite's INTEGER is; PostgreSQL needs bigint).
  await db.schema
    .createTable("search_document")
    .addColumn("id", pg ? "bigint" : "integer", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind IN ('resource', 'service', 'organisation', 'event', 'post')`))
    .addColumn("ref_id", "integer", (c) => c.notNull())
    .addColumn("parent_id", "integer")
    .addColumn("organisation_id", "integer")
    .addColumn("network_id", "integer")
    .addColumn("category_id", "integer")
    .addColumn("visibility", "text", (c) => c.notNull().check(sql`visibility IN ('public', 'members')`))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("keywords", "text", (c) => c.notNull())
    .addColumn("starts_at", "text")
    .addColumn("ends_at", "text")
    .addColumn("postcode", "text")
    .addColumn("area", "text")
    .addColumn("latitude", float8(db))
    .addColumn("longitude", float8(db))
    .addColumn("online", "integer", (c) => c.notNull().defaultTo(0))
    .$call(strict(db))
    .execute();
  for (const [name, columns, where] of [
    ["search_document_parent_idx", ["parent_id", "kind"], "parent_id"],
    ["search_document_organisation_idx", ["organisation_id", "kind"], "organisation_id"],
    ["search_document_network_idx", ["network_id", "kind"], "network_id"],
    ["search_document_postcode_idx", ["postcode"], "postcode"],
    // "Near a postcode": a bounding box on latitude (range) then longitude, read from the index alone.
    ["search_document_place_idx", ["kind", "latitude", "longitude"], "latitude"],
  ] as const) {
    await db.schema.createIndex(name).on("search_document").columns([...columns]).where(sql.ref(where), "is not", null).execute();
  }

  if (pg) {
    // PostgreSQL: a stored tsvector over the same three columns, weighted as bm25 weights them
    // (title A, keywords B, body C), with a GIN index; kept by PostgreSQL itself.
    await sql`
      ALTER TABLE search_document ADD COLUMN fts tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', keywords), 'B') || setweight(to_tsvector('english', body), 'C')
      ) STORED`.execute(db);
    await sql`CREATE INDEX search_document_fts_idx ON search_document USING gin (fts)`.execute(db);
  } else {
    await sql`
      CREATE VIRTUAL TABLE search_fts USING fts5(
        title, body, keywords,
        content = 'search_document', content_rowid = 'id',
        tokenize = 'porter unicode61 remove_diacritics 2',
        prefix = '2 3'
      )`.execute(db);
    await sql`CREATE TRIGGER search_document_fts_ai AFTER INSERT ON search_document BEGIN
        INSERT INTO search_fts (rowid, title, body, keywords) VALUES (NEW.id, NEW.title, NEW.body, NEW.keywords);
      END`.execute(db);
    await sql`CREATE TRIGGER search_document_fts_ad AFTER DELETE ON search_document BEGIN
        INSERT INTO search_fts (search_fts, rowid, title, body, keywords) VALUES ('delete', OLD.id, OLD.title, OLD.body, OLD.keywords);
      END`.execute(db);
    await sql`CREATE TRIGGER search_document_fts_au AFTER UPDATE OF title, body, keywords ON search_document BEGIN
        INSERT INTO search_fts (search_fts, rowid, title, body, keywords) VALUES ('delete', OLD.id, OLD.title, OLD.body, OLD.keywords);
        INSERT INTO search_fts (rowid, title, body, keywords) VALUES (NEW.id, NEW.title, NEW.body, NEW.keywords);
      END`.execute(db);
  }

  for (const [kind, body] of Object.entries(VIEWS)) await sql`CREATE VIEW ${sql.raw(`search_source_${kind}`)} AS ${sql.raw(pg ? pgView(body) : body)}`.execute(db);
  for (const kind of Object.keys(VIEWS)) {
    await sql`INSERT INTO search_document (${sql.raw(COLUMNS)}) SELECT ${sql.raw(COLUMNS)} FROM ${sql.raw(`search_source_${kind}`)}`.execute(db);
  }
  for (const tr of triggers()) {
    await createTrigger(db, { name: tr.name, table: tr.on, when: `AFTER ${tr.when}${tr.of ? ` OF ${tr.of}` : ""}`, body: tr.body });
  }

  await sql`DROP TABLE IF EXISTS resource_fts`.execute(db);
  await sql`DROP TABLE IF EXISTS discussion_fts`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const tr of triggers()) await dropTrigger(db, tr.name, tr.on);
  for (const kind of Object.keys(VIEWS)) await sql`DROP VIEW IF EXISTS ${sql.raw(`search_source_${kind}`)}`.execute(db);
  await sql`DROP TABLE IF EXISTS search_fts`.execute(db);
  await sql`DROP TABLE IF EXISTS search_document`.execute(db);
  await sql`DROP TABLE IF EXISTS postcode_location`.execute(db);
  // The two indexes this replaced, refilled from the sources (SQLite only: PostgreSQL never had them).
  if (isPostgres(db)) return;
  await sql`CREATE VIRTUAL TABLE resource_fts USING fts5(title, summary, publisher, topics, tokenize = 'porter unicode61 remove_diacritics 2')`.execute(db);
  await sql`
    INSERT INTO resource_fts (rowid, title, summary, publisher, topics)
    SELECT r.id, r.title, r.summary, trim(coalesce(o.name, '') || ' ' || coalesce(r.publisher_name, '')),
      coalesce((SELECT group_concat(topic, ' ') FROM resource_topic WHERE resource_id = r.id), '')
    FROM resource r LEFT JOIN organisation o ON o.id = r.publisher_organisation_id`.execute(db);
  await sql`CREATE VIRTUAL TABLE discussion_fts USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2')`.execute(db);
  await sql`
    INSERT INTO discussion_fts (rowid, title, body)
    SELECT p.id, CASE WHEN p.seq = 1 THEN t.title ELSE '' END, p.body FROM discussion_post p JOIN discussion_thread t ON t.id = p.thread_id`.execute(db);
}
