/**
 * The portal-wide search behind /search: every kind the viewer may see, grouped, with counts, one
 * page per kind. Words go through the one index (./fts.server.ts); visibility, filters and place
 * are plain SQL over search_document, so the PostgreSQL port only swaps the match and rank parts.
 *
 * Visibility, per kind (the same rules as each kind's own pages):
 * - resources and events: public, or in a network the viewer belongs to (documents exist only
 *   for published resources and scheduled or postponed events);
 * - discussion posts: in a category the viewer may read (discussionReadableCategoryIds), so a
 *   members-only category or network never reaches anyone outside it;
 * - services and organisations: public once approved (only approved, active ones have documents).
 * Members are not in the index: signed-in members search the member directory by name
 * (searchMembers), which applies each member's own visibility choice.
 */
import { type RawBuilder, sql } from "kysely";
import { caseInsensitive, getDb } from "../../../db/index";
import { shortWhen } from "../../utils/event-time";
import { EVENT_KINDS, RESOURCE_KINDS, SECTOR_LABELS } from "../../utils/vocab";
import { milesTo, nearSql, type Place } from "../places.server";
import { remembered } from "./cache.server";
import { boundedPage } from "./bounded.server";
import { docId, documentId, documents, highlightsFor, matches, matchQuery, rank, ranksOf, ranksOnceForGroups, splitHighlight, type HighlightPart, type SearchKind } from "./fts.server";
import { withoutEmphasis } from "./highlight";

import { SEARCH_GROUPS as GROUPS, type SearchGroup as Group } from "../../validation/search";

export type { Group };
const KIND_OF: Record<Group, SearchKind> = { service: "service", organisation: "organisation", event: "event", resource: "resource", discussion: "post" };
const PLACED: readonly Group[] = ["service", "organisation", "event"];
const TOPICAL: Partial<Record<Group, string>> = {
  service: "SELECT 1 FROM service_topic x WHERE x.service_id = d.ref_id AND x.topic = ",
  event: "SELECT 1 FROM event_topic x WHERE x.event_id = d.ref_id AND x.topic = ",
  resource: "SELECT 1 FROM resource_topic x WHERE x.resource_id = d.ref_id AND x.topic = ",
  organisation: "SELECT 1 FROM service x JOIN service_topic y ON y.service_id = x.id WHERE x.organisation_id = d.ref_id AND x.status = 'active' AND y.topic = ",
};

export type { Place };

export type SiteSearchInput = {
  q: string;
  /** Only these groups (empty: all). */
  groups: Group[];
  topic: string | null;
  /** Network id (already resolved from its slug). */
  networkId: number | null;
  /** Postcode area ("PR"). */
  area: string | null;
  near: Place | null;
  withinMiles: number;
  /** Page number per group; a group without one is on page 1. */
  pages: Partial<Record<Group, number>>;
  perPage: number;
  viewer: { readableNetworkIds: number[]; readableCategoryIds: number[] };
  /** "Now" for upcoming-before-past (tests pass a fixed instant). */
  now?: string;
  limits?: SearchLimits;
};

export type SiteHit = {
  group: Group;
  refId: number;
  titleParts: HighlightPart[];
  snippetParts: HighlightPart[];
  /** Miles from the place searched near, when both are known. */
  miles: number | null;
  /** Where it is (for the map), when known. */
  latitude: number | null;
  longitude: number | null;
  online: boolean;
  startsAt: string | null;
  upcoming: boolean;
  postcode: string | null;
};

export type SiteItem = SiteHit & { url: string; title: string; meta: string[] };

/** `more`: the group has more than `total` results (counting stopped there). */
export type SiteGroup = { group: Group; total: number; more: boolean; page: number; pageCount: number; hits: SiteItem[] };

/**
 * How far a group's results are counted, and how many of its newest matches are ranked when
 * there are more than that (see boundedRows). Tests pass smaller ones.
 */
export type SearchLimits = { counted: number; window: number };
export const LIMITS: SearchLimits = { counted: 1000, window: 200 };

export type SiteSearchOutput = {
  /** Nothing searchable was typed and no place given: the page shows help instead. */
  blank: boolean;
  groups: SiteGroup[];
  total: number;
};

function visibleTo(group: Group, viewer: SiteSearchInput["viewer"]): RawBuilder<boolean> {
  if (group === "discussion") return viewer.readableCategoryIds.length ? sql<boolean>`d.category_id IN (${sql.join(viewer.readableCategoryIds)})` : sql<boolean>`FALSE`;
  if (group === "resource" || group === "event") {
    return viewer.readableNetworkIds.length
      ? sql<boolean>`(d.visibility = 'public' OR d.network_id IN (${sql.join(viewer.readableNetworkIds)}))`
      : sql<boolean>`d.visibility = 'public'`;
  }
  return sql<boolean>`TRUE`;
}

/** Whether a group can answer this search at all (a topic filter leaves out discussions; a place or area, what has no place). */
function applies(group: Group, input: SiteSearchInput): boolean {
  if (input.groups.length && !input.groups.includes(group)) return false;
  if (input.topic && !TOPICAL[group]) return false;
  if ((input.area || (input.near && !input.q.trim())) && !PLACED.includes(group)) return false;
  return true;
}

function conditions(group: Group, input: SiteSearchInput): RawBuilder<boolean> {
  const c: RawBuilder<boolean>[] = [visibleTo(group, input.viewer)];
  if (input.topic) c.push(sql<boolean>`EXISTS (${sql.raw(TOPICAL[group] ?? "SELECT 0 WHERE 0 AND ")}${input.topic})`);
  if (input.networkId !== null) {
    c.push(
      group === "service" || group === "organisation"
        ? sql<boolean>`EXISTS (SELECT 1 FROM organisation_network n WHERE n.organisation_id = d.organisation_id AND n.network_id = ${input.networkId})`
        : sql<boolean>`d.network_id = ${input.networkId}`,
    );
  }
  if (input.area) c.push(sql<boolean>`d.area = ${input.area}`);
  // Online services and events stay, marked "online", after everything placed.
  if (input.near && PLACED.includes(group)) c.push(nearSql(KIND_OF[group], input.near, input.withinMiles, { includeOnline: true }).where);
  return sql.join(c, sql` AND `) as RawBuilder<boolean>;
}

type Row = { id: number; ref_id: number; starts_at: string | null; ends_at: string | null; latitude: number | null; longitude: number | null; online: boolean; postcode: string | null; title: string; body: string };

/** A group's documents matching the search (as `d`). */
function source(group: Group, input: SiteSearchInput, match: string | null) {
  const kind = KIND_OF[group];
  const where = conditions(group, input);
  const from = match
    ? sql`${documents()} WHERE ${matches(match, kind)} AND ${where}`
    : sql`search_document d WHERE d.id BETWEEN ${docId(documentId(kind, 0))} AND ${docId(documentId(kind, 0xffffffff))} AND ${where}`;
  return { where, from };
}

/**
 * How many results a group has, counted only up to `limits.counted` (one more means "more"):
 * past that the group says "1,000+" and its words are ranked within bounds. Discussions count
 * by thread (a thread once, at its best post).
 */
async function countGroup(group: Group, input: SiteSearchInput, match: string | null): Promise<number> {
  const { from } = source(group, input, match);
  const cap = (input.limits ?? LIMITS).counted + 1;
  const countSql =
    group === "discussion"
      ? sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT DISTINCT d.parent_id FROM ${from} LIMIT ${cap}) AS c`
      : sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT 1 AS x FROM ${from} LIMIT ${cap}) AS c`;
  return Number((await countSql.execute(getDb())).rows[0]?.n ?? 0);
}

/** Relevance of every match of the groups ranked in full, by document id, when worked out for several at once. */
type Ranks = Map<number, number>;

async function searchGroup(group: Group, input: SiteSearchInput, match: string | null, now: string, counted: number, ranks: Ranks | null): Promise<SiteGroup> {
  const db = getDb();
  const kind = KIND_OF[group];
  const placed = Boolean(input.near && PLACED.includes(group));
  const lo = documentId(kind, 0);
  const hi = documentId(kind, 0xffffffff);
  const { where } = source(group, input, match);
  let { from } = source(group, input, match);
  const limits = input.limits ?? LIMITS;
  const more = counted > limits.counted;
  const total = Math.min(counted, limits.counted);
  const pageCount = Math.max(1, Math.ceil(total / input.perPage));
  const page = Math.min(Math.max(1, input.pages[group] ?? 1), pageCount);
  if (total === 0) return { group, total, more, page, pageCount, hits: [] };

  const order: RawBuilder<unknown>[] = [];
  if (placed && input.near) order.push(nearSql(kind, input.near, input.withinMiles).order);
  if (group === "event") order.push(sql`(coalesce(d.ends_at, d.starts_at) >= ${now}) DESC`);
  if (match) order.push(sql`rank`);
  if (group === "event") order.push(sql`d.starts_at`);
  else order.push(caseInsensitive("d.title"));
  // Last, the id: equal ranks and titles still have one order, so pages never repeat or skip a hit.
  order.push(sql`d.id`);
  let rankOf = match ? rank(match) : sql`0`;
  const mine = ranks && match && !more && !placed ? [...ranks].filter(([id]) => id >= lo && id <= hi) : null;
  if (mine) {
    // Ranked already, with the other small groups: read the ranks instead of running bm25 again.
    from = sql`json_each(${JSON.stringify(mine)}) AS k JOIN search_document d ON d.id = json_extract(k.value, '$[0]') WHERE d.id BETWEEN ${docId(lo)} AND ${docId(hi)} AND ${where}`;
    rankOf = sql`json_extract(k.value, '$[1]')`;
  }
  const offset = (page - 1) * input.perPage;
  const columns = sql`d.id, d.ref_id, d.starts_at, d.ends_at, d.latitude, d.longitude, d.online, d.postcode, d.title, d.body`;
  const rows =
    match && more && !placed
      ? { rows: await boundedRows(group, match, where, now, offset, input.perPage, limits.window) }
      : group === "discussion"
      ? // bm25() cannot run inside a window function: rank the matches first (materialised), then keep each thread's best.
        await sql<Row>`
          WITH ranked AS MATERIALIZED (SELECT d.*, ${rankOf} AS rank FROM ${from})
          SELECT ${columns} FROM (
            SELECT ranked.*, row_number() OVER (PARTITION BY ranked.parent_id ORDER BY ranked.rank, ranked.id) AS nth FROM ranked
          ) AS d WHERE d.nth = 1 ORDER BY ${sql.join(order)} LIMIT ${input.perPage} OFFSET ${offset}`.execute(db)
      : await sql<Row>`SELECT ${columns}, ${rankOf} AS rank FROM ${from} ORDER BY ${sql.join(order)} LIMIT ${input.perPage} OFFSET ${offset}`.execute(db);

  const marks = new Map<number, { title_hl: string | null; snippet: string | null }>();
  if (match && rows.rows.length) for (const h of (await highlightsFor(match, rows.rows.map((r) => r.id)).execute(db)).rows) marks.set(h.id, h);
  const found = rows.rows.map((r): SiteHit => {
    const m = marks.get(r.id);
    return {
      group,
      refId: r.ref_id,
      titleParts: m?.title_hl ? splitHighlight(m.title_hl) : [{ text: r.title, hit: false }],
      snippetParts: m?.snippet ? splitHighlight(m.snippet) : [{ text: shorten(withoutEmphasis(r.body), 200), hit: false }],
      miles: milesTo(input.near, r),
      latitude: r.latitude,
      longitude: r.longitude,
      online: r.online,
      startsAt: r.starts_at,
      upcoming: group === "event" ? (r.ends_at ?? r.starts_at ?? "") >= now : false,
      postcode: r.postcode,
    };
  });
  return { group, total, more, page, pageCount, hits: await describe(group, found) };
}

/** One page of a group whose words match more than are counted, ranked within bounds (./bounded.server.ts). */
async function boundedRows(group: Group, match: string, where: RawBuilder<boolean>, now: string, offset: number, perPage: number, window: number): Promise<Row[]> {
  const ids = await boundedPage({
    kind: KIND_OF[group],
    match,
    window,
    offset,
    perPage,
    from: documents(),
    where,
    first: group === "event" ? sql<number>`(coalesce(d.ends_at, d.starts_at) >= ${now})` : undefined,
    onePerThread: group === "discussion",
  });
  if (ids.length === 0) return [];
  const rows = await sql<Row>`
    SELECT d.id, d.ref_id, d.starts_at, d.ends_at, d.latitude, d.longitude, d.online, d.postcode, d.title, d.body
    FROM search_document d WHERE d.id IN (${sql.join(ids.map(docId))})`.execute(getDb());
  const byId = new Map(rows.rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

const label = (list: readonly { value: string; label: string }[], value: string) => list.find((k) => k.value === value)?.label ?? value;

/** Where each hit links to and the few facts shown under its title, read for this page's rows only. */
async function describe(group: Group, hits: SiteHit[]): Promise<SiteItem[]> {
  if (hits.length === 0) return [];
  const db = getDb();
  const ids = hits.map((h) => h.refId);
  const facts = new Map<number, { url: string; title?: string; meta: string[] }>();
  if (group === "service") {
    const rows = await db
      .selectFrom("service as s")
      .innerJoin("organisation as o", "o.id", "s.organisation_id")
      .select(["s.id", "s.city", "s.location_name", "o.name", "o.slug"])
      .where("s.id", "in", ids)
      .execute();
    for (const r of rows) facts.set(r.id, { url: `/organisations/${r.slug}#service-${r.id}`, meta: [r.name, r.location_name ?? "", r.city ?? ""].filter(Boolean) });
  } else if (group === "organisation") {
    const rows = await db.selectFrom("organisation").select(["id", "slug", "sector", "area_served"]).where("id", "in", ids).execute();
    for (const r of rows) facts.set(r.id, { url: `/organisations/${r.slug}`, meta: [SECTOR_LABELS[r.sector] ?? r.sector, r.area_served].filter(Boolean) });
  } else if (group === "event") {
    const rows = await db.selectFrom("event").select(["id", "kind", "start_local", "end_local", "all_day", "recurrence", "venue"]).where("id", "in", ids).execute();
    for (const r of rows) {
      const when = `${r.recurrence ? "Repeats, from " : ""}${shortWhen(r.start_local, r.end_local, r.all_day)}`;
      facts.set(r.id, { url: `/events/${r.id}`, meta: [label(EVENT_KINDS, r.kind), when, r.venue ?? ""].filter(Boolean) });
    }
  } else if (group === "resource") {
    const rows = await db
      .selectFrom("resource as r")
      .leftJoin("organisation as o", "o.id", "r.publisher_organisation_id")
      .select(["r.id", "r.kind", "r.year", "r.publisher_name", "o.name"])
      .where("r.id", "in", ids)
      .execute();
    for (const r of rows) facts.set(r.id, { url: `/resources/${r.id}`, meta: [label(RESOURCE_KINDS, r.kind), r.publisher_name ?? r.name ?? "", r.year ? String(r.year) : ""].filter(Boolean) });
  } else {
    const rows = await db
      .selectFrom("discussion_post as p")
      .innerJoin("discussion_thread as t", "t.id", "p.thread_id")
      .innerJoin("network as n", "n.id", "t.network_id")
      .select(["p.id", "p.seq", "t.id as thread_id", "t.title", "t.reply_count", "n.short_name"])
      .where("p.id", "in", ids)
      .execute();
    for (const r of rows) {
      const replies = `${r.reply_count} ${r.reply_count === 1 ? "reply" : "replies"}`;
      facts.set(r.id, { url: r.seq === 1 ? `/discussions/${r.thread_id}` : `/discussions/${r.thread_id}/posts/${r.id}`, title: r.title, meta: [r.short_name, replies] });
    }
  }
  return hits.flatMap((h) => {
    const f = facts.get(h.refId);
    if (!f) return [];
    const plainTitle = h.titleParts.map((p) => p.text).join("");
    // A reply's document has no title of its own: it is shown under its thread's.
    const titleParts = plainTitle ? h.titleParts : [{ text: f.title ?? "", hit: false }];
    return [{ ...h, titleParts, url: f.url, title: f.title ?? plainTitle, meta: f.meta }];
  });
}

function shorten(s: string, n: number): string {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length <= n ? one : `${one.slice(0, n - 1).replace(/\s+\S*$/, "")}…`;
}

export async function siteSearch(input: SiteSearchInput): Promise<SiteSearchOutput> {
  const match = matchQuery(input.q);
  if (!match && !input.near) return { blank: true, groups: [], total: 0 };
  // Upcoming-before-past moves with the clock: to the minute is close enough, and lets a result be remembered.
  const now = (input.now ?? new Date().toISOString()).slice(0, 16);
  return remembered(`site:${JSON.stringify({ ...input, now })}`, () => runSearch(input, match, now));
}

async function runSearch(input: SiteSearchInput, match: string | null, now: string): Promise<SiteSearchOutput> {
  const groups: SiteGroup[] = [];
  const applicable = GROUPS.filter((g) => applies(g, input));
  const counts = new Map<Group, number>();
  for (const group of applicable) counts.set(group, await countGroup(group, input, match));
  // Groups ranked in full (some matches, not more than are counted, not ordered by place) share one ranking.
  const limits = input.limits ?? LIMITS;
  const full = applicable.filter((g) => (counts.get(g) ?? 0) > 0 && (counts.get(g) ?? 0) <= limits.counted && !(input.near && PLACED.includes(g)));
  const ranks = match && full.length > 1 && ranksOnceForGroups() ? new Map((await ranksOf(match, full.map((g) => KIND_OF[g])).execute(getDb())).rows.map((r) => [Number(r.id), r.rank])) : null;
  for (const group of applicable) groups.push(await searchGroup(group, input, match, now, counts.get(group) ?? 0, ranks));
  return { blank: false, groups, total: groups.reduce((n, g) => n + g.total, 0) };
}
