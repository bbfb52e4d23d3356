import { randomUUID } from "node:crypto";
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import { boolSql, caseInsensitive, getDb, nowIso, writeTransaction, type DB } from "../../db/index";
import type { Database } from "../../db/schema";
import type { Sector } from "../../db/types/foundation";
import { SECTORS } from "../../db/types/foundation";
import type { CaseStudyInput, OrganisationInput, ServiceInput } from "../validation/organisations";
import type { SessionUser } from "../utils/auth.server";
import { slugify } from "../utils/text";
import { OUTCOME_DOMAINS, TOPIC_VALUES, type OutcomeDomain } from "../utils/vocab";
import { adminNetworkIds, organisationAccess, readableNetworkIds } from "./access.server";
import { lookUpPending, milesTo, nearSql, type Place } from "./places.server";

// ---------------------------------------------------------------- public reads (approved only)

export async function listApprovedOrganisations({ limit = 200 }: { limit?: number } = {}) {
  return getDb()
    .selectFrom("organisation")
    .select(["id", "slug", "name", "sector", "summary", "area_served"])
    .where("status", "=", "approved")
    // As the organisations page orders them, which organisation_status_name_idx serves (no sort of thousands).
    .orderBy(caseInsensitive("name"))
    .orderBy("id")
    .limit(limit)
    .execute();
}

export async function getOrganisationBySlug(slug: string) {
  return getDb().selectFrom("organisation").selectAll().where("slug", "=", slug).where("status", "=", "approved").executeTakeFirst();
}

export async function listNetworkOrganisations(networkId: number) {
  return getDb()
    .selectFrom("organisation")
    .innerJoin("organisation_network", "organisation_network.organisation_id", "organisation.id")
    .select(["organisation.id", "organisation.slug", "organisation.name", "organisation.sector"])
    .where("organisation_network.network_id", "=", networkId)
    .where("organisation.status", "=", "approved")
    .orderBy("organisation.name")
    .execute();
}

/** For pickers in other domains (event organiser, resource publisher): approved organisations only. */
export async function listOrganisationOptions(): Promise<Array<{ id: number; name: string }>> {
  return getDb().selectFrom("organisation").select(["id", "name"]).where("status", "=", "approved").orderBy("name").execute();
}

export type OrganisationMatch = { id: number; name: string; slug: string };

/**
 * What a typed organisation filter means: the organisation with that slug or exact name (any
 * case), else up to `limit` approved organisations whose name contains the text.
 */
export async function matchOrganisations(text: string, limit = 50): Promise<OrganisationMatch[]> {
  const typed = text.trim().slice(0, 100);
  if (!typed) return [];
  const db = getDb();
  const exact = await db
    .selectFrom("organisation")
    .select(["id", "name", "slug"])
    .where("status", "=", "approved")
    .where((eb) => eb.or([eb("slug", "=", typed), eb(eb.fn("lower", ["name"]), "=", typed.toLowerCase())]))
    .orderBy("id")
    .execute();
  if (exact.length) return exact;
  return db.selectFrom("organisation").select(["id", "name", "slug"]).where("status", "=", "approved").where(likeContains("name", typed)).orderBy("name").limit(limit).execute();
}

/**
 * Suggestions for a typed organisation filter (a handful, never the whole table): approved
 * organisations whose name contains `q`, those starting with it first; with `organisingEvents`,
 * only those with events.
 */
export async function suggestOrganisations({ q, organisingEvents = false, limit = 10 }: { q: string; organisingEvents?: boolean; limit?: number }): Promise<string[]> {
  const typed = q.trim().slice(0, 100);
  if (typed.length < 2) return [];
  let query = getDb().selectFrom("organisation").select("name").where("status", "=", "approved").where(likeContains("name", typed));
  if (organisingEvents) query = query.where((eb) => eb.exists(eb.selectFrom("event").select("event.id").whereRef("event.organisation_id", "=", "organisation.id")));
  const prefix = `${typed.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await query
    .orderBy(sql`CASE WHEN name LIKE ${prefix} ESCAPE '\\' THEN 0 ELSE 1 END`)
    .orderBy("name")
    .limit(limit)
    .execute();
  return rows.map((r) => r.name);
}

/** Organisations the account follows (their events join its calendar feed, their news its digest). */
export async function getFollowedOrganisationIds(accountId: string): Promise<number[]> {
  const rows = await getDb()
    .selectFrom("organisation_follow")
    .innerJoin("organisation", "organisation.id", "organisation_follow.organisation_id")
    .select("organisation.id")
    .where("organisation_follow.account_id", "=", accountId)
    .where("organisation.status", "=", "approved")
    .execute();
  return rows.map((r) => r.id);
}

export type DigestItem = { id: string; title: string; url: string; summary: string; meta: string };

/** New services and case studies of the given (followed) organisations since an instant, newest first. */
export async function listForDigest({ since, organisationIds, limit = 20 }: { since: string; organisationIds: number[]; limit?: number }): Promise<DigestItem[]> {
  if (organisationIds.length === 0) return [];
  const db = getDb();
  const services = await db
    .selectFrom("service")
    .innerJoin("organisation", "organisation.id", "service.organisation_id")
    .select(["service.id", "service.name", "service.description", "service.created_at", "organisation.name as org_name", "organisation.slug"])
    .where("service.organisation_id", "in", organisationIds)
    .where("organisation.status", "=", "approved")
    .where("service.status", "=", "active")
    .where("service.created_at", ">", since)
    .orderBy("service.created_at", "desc")
    .limit(limit)
    .execute();
  const studies = await db
    .selectFrom("case_study")
    .innerJoin("organisation", "organisation.id", "case_study.organisation_id")
    .select(["case_study.id", "case_study.title", "case_study.summary", "case_study.figure_text", "case_study.created_at", "organisation.name as org_name", "organisation.slug"])
    .where("case_study.organisation_id", "in", organisationIds)
    .where("organisation.status", "=", "approved")
    .where("case_study.created_at", ">", since)
    .orderBy("case_study.created_at", "desc")
    .limit(limit)
    .execute();
  const items = [
    ...services.map((s) => ({
      at: s.created_at,
      item: { id: `service-${s.id}`, title: s.name, url: `/organisations/${s.slug}#service-${s.id}`, summary: firstLine(s.description), meta: `New service from ${s.org_name}` },
    })),
    ...studies.map((c) => ({
      at: c.created_at,
      item: { id: `case-study-${c.id}`, title: c.title, url: `/organisations/${c.slug}#case-study-${c.id}`, summary: c.figure_text || firstLine(c.summary), meta: `New case study from ${c.org_name}` },
    })),
  ];
  return items
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .slice(0, limit)
    .map((x) => x.item);
}

function firstLine(s: string): string {
  const line = s.split("\n").find((l) => l.trim()) ?? "";
  return line.length > 240 ? `${line.slice(0, 239)}…` : line;
}

// ---------------------------------------------------------------- directory

export const DIRECTORY_PAGE_SIZE = 20;

export type DirectoryFilters = {
  sector?: string;
  network?: string;
  area?: string;
  topic?: string;
  q?: string;
  page?: number;
  /** Near a postcode: only organisations within this many miles of the place, nearest first. */
  near?: { place: Place; withinMiles: number } | null;
};

/** Case-insensitive LIKE (SQLite's LIKE is; PostgreSQL's is not) with the user's %, _ and \ taken literally. */
export function likeContains(column: string, text: string) {
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql<boolean>`lower(${sql.ref(column)}) LIKE lower(${`%${escaped}%`}) ESCAPE '\\'`;
}

/** The directory's filters as one condition on the organisation row (approved ones only). */
function directoryWhere(filters: DirectoryFilters) {
  return (eb: ExpressionBuilder<Database, "organisation">) => {
    const c: Expression<SqlBool>[] = [eb("organisation.status", "=", "approved")];
    if (filters.sector) {
      const sector = SECTORS.find((s) => s === filters.sector);
      c.push(sector ? eb("organisation.sector", "=", sector) : eb.lit(false));
    }
    if (filters.network) {
      c.push(
        eb.exists(
          eb
            .selectFrom("organisation_network")
            .innerJoin("network", "network.id", "organisation_network.network_id")
            .select("organisation_network.organisation_id")
            .whereRef("organisation_network.organisation_id", "=", "organisation.id")
            .where("network.slug", "=", filters.network),
        ),
      );
    }
    if (filters.area) c.push(eb("organisation.area_served", "=", filters.area));
    if (filters.topic) {
      c.push(
        eb.exists(
          eb
            .selectFrom("service")
            .innerJoin("service_topic", "service_topic.service_id", "service.id")
            .select("service.id")
            .whereRef("service.organisation_id", "=", "organisation.id")
            .where("service.status", "=", "active")
            .where("service_topic.topic", "=", filters.topic),
        ),
      );
    }
    const q = filters.q?.trim().slice(0, 100);
    if (q) c.push(likeContains("organisation.name", q));
    return eb.and(c);
  };
}

/**
 * The public directory: approved organisations filtered by sector, network, area, service topic and
 * name, a page at a time: alphabetical, or near a postcode nearest first with the distance (read
 * from the search documents' indexed coordinates, app/models/places.server.ts nearSql).
 */
export async function searchOrganisations(filters: DirectoryFilters, pageSize = DIRECTORY_PAGE_SIZE) {
  const db = getDb();
  const near = filters.near ?? null;
  const placed = near ? nearSql("organisation", near.place, near.withinMiles) : null;
  const nearby = placed
    ? db.selectFrom("search_document as d").innerJoin("organisation", "organisation.id", "d.ref_id").where("d.kind", "=", "organisation").where(placed.where).where(directoryWhere(filters))
    : null;
  const listed = db.selectFrom("organisation").where(directoryWhere(filters));
  const countRow = await (nearby ?? listed).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst();
  const total = Number(countRow?.n ?? 0);
  const totalPages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, filters.page ?? 1), totalPages);
  const offset = (page - 1) * pageSize;
  // One page of ids in order (with coordinates near a postcode), then that page's rows.
  const order: Array<{ id: number; latitude: number | null; longitude: number | null }> =
    nearby && placed
      ? await nearby
          .select(["organisation.id", "d.latitude", "d.longitude"])
          .orderBy(placed.order)
          .orderBy(caseInsensitive("organisation.name"))
          .orderBy("organisation.id")
          .limit(pageSize)
          .offset(offset)
          .execute()
      : (await listed.select("organisation.id").orderBy(caseInsensitive("organisation.name")).orderBy("organisation.id").limit(pageSize).offset(offset).execute()).map((r) => ({ ...r, latitude: null, longitude: null }));
  const ids = order.map((r) => r.id);
  const rows = ids.length
    ? await db
        .selectFrom("organisation")
        .select([
          "organisation.id",
          "organisation.slug",
          "organisation.name",
          "organisation.sector",
          "organisation.summary",
          "organisation.area_served",
          (eb) => eb.exists(eb.selectFrom("organisation_logo").select("organisation_id").whereRef("organisation_logo.organisation_id", "=", "organisation.id")).as("has_logo"),
        ])
        .where("organisation.id", "in", ids)
        .execute()
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const networks = await networksOf(ids);
  return {
    items: order.flatMap((o) => {
      const r = byId.get(o.id);
      return r ? [{ ...r, has_logo: Boolean(r.has_logo), networks: networks.get(r.id) ?? [], miles: milesTo(near?.place ?? null, o), latitude: o.latitude, longitude: o.longitude }] : [];
    }),
    total,
    page,
    totalPages,
  };
}

async function networksOf(organisationIds: number[]) {
  const map = new Map<number, Array<{ slug: string; short_name: string }>>();
  if (organisationIds.length === 0) return map;
  const rows = await getDb()
    .selectFrom("organisation_network")
    .innerJoin("network", "network.id", "organisation_network.network_id")
    .select(["organisation_network.organisation_id", "network.slug", "network.short_name"])
    .where("organisation_network.organisation_id", "in", organisationIds)
    .orderBy("network.name")
    .execute();
  for (const r of rows) {
    const list = map.get(r.organisation_id) ?? [];
    list.push({ slug: r.slug, short_name: r.short_name });
    map.set(r.organisation_id, list);
  }
  return map;
}

/** The filter choices the directory offers: networks and the areas approved organisations serve. */
export async function directoryFilterOptions() {
  const db = getDb();
  const networks = await db.selectFrom("network").select(["slug", "name"]).orderBy("name").execute();
  const areas = await db
    .selectFrom("organisation")
    .select("area_served")
    .distinct()
    .where("status", "=", "approved")
    .where("area_served", "!=", "")
    .orderBy("area_served")
    .limit(500)
    .execute();
  return { networks, areas: areas.map((a) => a.area_served) };
}

/** Local social-prescribing schemes, grouped by the area they serve. */
export async function listConnectorSchemes() {
  const rows = await getDb()
    .selectFrom("organisation")
    .select(["id", "slug", "name", "summary", "area_served", "website", "email", "phone"])
    .where("status", "=", "approved")
    .where("sector", "=", "connector-scheme")
    .orderBy("area_served")
    .orderBy("name")
    .execute();
  const groups: Array<{ area: string; schemes: typeof rows }> = [];
  for (const r of rows) {
    const area = r.area_served || "Area not stated";
    const last = groups[groups.length - 1];
    if (last && last.area === area) last.schemes.push(r);
    else groups.push({ area, schemes: [r] });
  }
  return groups;
}

/** Case-study outcomes gathered by Common Outcomes Framework domain, with their sources. */
export async function listEvidenceByDomain() {
  const rows = await getDb()
    .selectFrom("case_study_domain")
    .innerJoin("case_study", "case_study.id", "case_study_domain.case_study_id")
    .innerJoin("organisation", "organisation.id", "case_study.organisation_id")
    .select([
      "case_study_domain.domain",
      "case_study.id",
      "case_study.title",
      "case_study.figure_text",
      "case_study.period",
      "case_study.participants",
      "case_study.partners",
      "case_study.source_title",
      "case_study.source_url",
      "organisation.name as organisation_name",
      "organisation.slug as organisation_slug",
    ])
    .where("organisation.status", "=", "approved")
    .orderBy("case_study.title")
    .execute();
  return OUTCOME_DOMAINS.map((d) => ({ domain: d.value, label: d.label, items: rows.filter((r) => r.domain === d.value) }));
}

// ---------------------------------------------------------------- one organisation, and who may do what

export type OrganisationRow = Awaited<ReturnType<typeof getOrganisationById>> & {};

export async function getOrganisationById(id: number) {
  return getDb().selectFrom("organisation").selectAll().where("id", "=", id).executeTakeFirst();
}

/**
 * An organisation as this viewer may see it: approved ones for everyone; a pending or
 * rejected one only for its proposer, its admins and the admins who decide on it.
 */
export async function getOrganisationForViewer(slug: string, user: SessionUser | null) {
  if (slug.length > 120) return undefined;
  const org = await getDb().selectFrom("organisation").selectAll().where("slug", "=", slug).executeTakeFirst();
  if (!org) return undefined;
  const access = await organisationAccess(user, org);
  if (org.status !== "approved" && !(access.isProposer || access.isOrgAdmin || access.isNetworkAdmin)) return undefined;
  return { org, access };
}

/** A positive integer id from a route parameter, or null. */
export function parseId(value: string | undefined): number | null {
  return value && /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : null;
}

export async function listOrganisationNetworks(organisationId: number) {
  return getDb()
    .selectFrom("organisation_network")
    .innerJoin("network", "network.id", "organisation_network.network_id")
    .select(["network.id", "network.slug", "network.name", "network.short_name"])
    .where("organisation_network.organisation_id", "=", organisationId)
    .orderBy("network.name")
    .execute();
}

export async function listServices(organisationId: number, { includeClosed = true }: { includeClosed?: boolean } = {}) {
  let q = getDb().selectFrom("service").selectAll().where("organisation_id", "=", organisationId);
  if (!includeClosed) q = q.where("status", "=", "active");
  const rows = await q.orderBy("name").execute();
  const topics = await topicsOf(rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, topics: topics.get(r.id) ?? [] }));
}

async function topicsOf(serviceIds: number[]) {
  const map = new Map<number, string[]>();
  if (serviceIds.length === 0) return map;
  const rows = await getDb().selectFrom("service_topic").select(["service_id", "topic"]).where("service_id", "in", serviceIds).orderBy("topic").execute();
  for (const r of rows) map.set(r.service_id, [...(map.get(r.service_id) ?? []), r.topic]);
  return map;
}

export async function getService(organisationId: number, serviceId: number) {
  const row = await getDb().selectFrom("service").selectAll().where("organisation_id", "=", organisationId).where("id", "=", serviceId).executeTakeFirst();
  if (!row) return undefined;
  return { ...row, topics: (await topicsOf([row.id])).get(row.id) ?? [] };
}

export async function listCaseStudies(organisationId: number) {
  const rows = await getDb().selectFrom("case_study").selectAll().where("organisation_id", "=", organisationId).orderBy("created_at").orderBy("id").execute();
  const domains = await domainsOf(rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, domains: domains.get(r.id) ?? [] }));
}

async function domainsOf(ids: number[]) {
  const map = new Map<number, OutcomeDomain[]>();
  if (ids.length === 0) return map;
  const rows = await getDb().selectFrom("case_study_domain").select(["case_study_id", "domain"]).where("case_study_id", "in", ids).execute();
  for (const r of rows) map.set(r.case_study_id, [...(map.get(r.case_study_id) ?? []), r.domain]);
  const order = OUTCOME_DOMAINS.map((d) => d.value);
  for (const [k, v] of map) map.set(k, v.sort((a, b) => order.indexOf(a) - order.indexOf(b)));
  return map;
}

export async function getCaseStudy(organisationId: number, caseStudyId: number) {
  const row = await getDb().selectFrom("case_study").selectAll().where("organisation_id", "=", organisationId).where("id", "=", caseStudyId).executeTakeFirst();
  if (!row) return undefined;
  return { ...row, domains: (await domainsOf([row.id])).get(row.id) ?? [] };
}

/** People who work there, for signed-in viewers only: approved affiliations with a visible profile. */
export async function listOrganisationPeople(organisationId: number) {
  return getDb()
    .selectFrom("organisation_member")
    .innerJoin("account", "account.id", "organisation_member.account_id")
    .select(["account.name", "account.job_title", "organisation_member.role"])
    .where("organisation_member.organisation_id", "=", organisationId)
    .where("organisation_member.status", "=", "approved")
    .where("account.profile_visible", "=", true)
    .where("account.deleted_at", "is", null)
    .orderBy("account.name")
    .limit(200)
    .execute();
}

// ---------------------------------------------------------------- follow

export async function isFollowing(accountId: string, organisationId: number): Promise<boolean> {
  const row = await getDb().selectFrom("organisation_follow").select("account_id").where("account_id", "=", accountId).where("organisation_id", "=", organisationId).executeTakeFirst();
  return row !== undefined;
}

export async function setFollowing(accountId: string, organisationId: number, follow: boolean): Promise<void> {
  const db = getDb();
  if (follow) {
    await db.insertInto("organisation_follow").values({ account_id: accountId, organisation_id: organisationId, created_at: nowIso() }).onConflict((oc) => oc.doNothing()).execute();
  } else {
    await db.deleteFrom("organisation_follow").where("account_id", "=", accountId).where("organisation_id", "=", organisationId).execute();
  }
}

export async function followerCount(organisationId: number): Promise<number> {
  const row = await getDb().selectFrom("organisation_follow").select((eb) => eb.fn.countAll<number>().as("n")).where("organisation_id", "=", organisationId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

// ---------------------------------------------------------------- affiliation

export type AffiliationResult = "requested" | "already-requested" | "already-member";

/** Asks to be listed as working at an organisation; its admins approve. A declined request may be made again. */
export async function requestAffiliation(user: SessionUser, organisationId: number, message: string | null): Promise<AffiliationResult> {
  return writeTransaction(async (trx) => {
    const existing = await trx.selectFrom("organisation_member").select("status").where("organisation_id", "=", organisationId).where("account_id", "=", user.id).executeTakeFirst();
    if (existing?.status === "approved") return "already-member";
    if (existing?.status === "pending") return "already-requested";
    const values = { role: "member" as const, status: "pending" as const, message, created_at: nowIso(), decided_at: null, decided_by_account_id: null };
    await trx
      .insertInto("organisation_member")
      .values({ organisation_id: organisationId, account_id: user.id, ...values })
      .onConflict((oc) => oc.columns(["organisation_id", "account_id"]).doUpdateSet(values))
      .execute();
    return "requested";
  });
}

export async function leaveOrganisation(accountId: string, organisationId: number): Promise<{ ok: true } | { ok: false; message: string }> {
  return writeTransaction(async (trx) => {
    const m = await trx.selectFrom("organisation_member").select(["role", "status"]).where("organisation_id", "=", organisationId).where("account_id", "=", accountId).executeTakeFirst();
    if (!m) return { ok: true };
    if (m.status === "approved" && m.role === "admin" && (await orgAdminCount(trx, organisationId)) <= 1) {
      return { ok: false, message: "You are this organisation's only admin. Make someone else an admin first" };
    }
    await trx.deleteFrom("organisation_member").where("organisation_id", "=", organisationId).where("account_id", "=", accountId).execute();
    return { ok: true };
  });
}

/** Everyone affiliated or asking to be, for the organisation's admins. */
export async function listAffiliations(organisationId: number) {
  return getDb()
    .selectFrom("organisation_member")
    .innerJoin("account", "account.id", "organisation_member.account_id")
    .select([
      "account.id as account_id",
      "account.name",
      "account.email",
      "account.job_title",
      "organisation_member.role",
      "organisation_member.status",
      "organisation_member.message",
      "organisation_member.created_at",
    ])
    .where("organisation_member.organisation_id", "=", organisationId)
    .where("account.deleted_at", "is", null)
    .orderBy("organisation_member.status", "desc")
    .orderBy("account.name")
    .execute();
}

async function orgAdminCount(trx: DB, organisationId: number): Promise<number> {
  const row = await trx
    .selectFrom("organisation_member")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("organisation_id", "=", organisationId)
    .where("status", "=", "approved")
    .where("role", "=", "admin")
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export type AffiliationChange = { kind: "approve" | "decline" | "remove" | "make-admin" | "make-member"; accountId: string };

/** An organisation admin's decision on one affiliation of this organisation (scoped by organisation). */
export async function changeAffiliation(deciderId: string, organisationId: number, change: AffiliationChange): Promise<{ ok: true; email: string } | { ok: false; message: string }> {
  return writeTransaction(async (trx) => {
    const m = await trx
      .selectFrom("organisation_member")
      .innerJoin("account", "account.id", "organisation_member.account_id")
      .select(["organisation_member.status", "organisation_member.role", "account.email"])
      .where("organisation_member.organisation_id", "=", organisationId)
      .where("organisation_member.account_id", "=", change.accountId)
      .executeTakeFirst();
    if (!m) return { ok: false, message: "That person is not linked to this organisation" };
    const losesAdmin = m.status === "approved" && m.role === "admin" && (change.kind === "remove" || change.kind === "make-member");
    if (losesAdmin && (await orgAdminCount(trx, organisationId)) <= 1) return { ok: false, message: "An organisation needs at least one admin. Make someone else an admin first" };
    const scope = trx.updateTable("organisation_member").where("organisation_id", "=", organisationId).where("account_id", "=", change.accountId);
    switch (change.kind) {
      case "approve":
      case "decline":
        if (m.status !== "pending") return { ok: false, message: "That request has already been answered" };
        await scope.set({ status: change.kind === "approve" ? "approved" : "declined", decided_at: nowIso(), decided_by_account_id: deciderId }).execute();
        break;
      case "make-admin":
      case "make-member":
        if (m.status !== "approved") return { ok: false, message: "Approve the request before choosing a role" };
        await scope.set({ role: change.kind === "make-admin" ? "admin" : "member" }).execute();
        break;
      case "remove":
        await trx.deleteFrom("organisation_member").where("organisation_id", "=", organisationId).where("account_id", "=", change.accountId).execute();
        break;
    }
    return { ok: true, email: m.email };
  });
}

export async function orgAdminEmails(organisationId: number): Promise<string[]> {
  const rows = await getDb()
    .selectFrom("organisation_member")
    .innerJoin("account", "account.id", "organisation_member.account_id")
    .select("account.email")
    .where("organisation_member.organisation_id", "=", organisationId)
    .where("organisation_member.status", "=", "approved")
    .where("organisation_member.role", "=", "admin")
    .where("account.deleted_at", "is", null)
    .execute();
  return rows.map((r) => r.email);
}

// ---------------------------------------------------------------- propose, approve, edit

/** Paths under /organisations/ that are pages, never slugs. */
const RESERVED_SLUGS = new Set(["new", "queue", "evidence", "connector-schemes", "edit", "api"]);

async function uniqueSlug(trx: DB, name: string): Promise<string> {
  const base = slugify(name) || "organisation";
  for (let n = 1; n < 1000; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if (RESERVED_SLUGS.has(slug)) continue;
    const taken = await trx.selectFrom("organisation").select("id").where("slug", "=", slug).executeTakeFirst();
    if (!taken) return slug;
  }
  return `${base}-${randomUUID().slice(0, 8)}`;
}

/** Networks a member may list a new organisation in: those they belong to. */
export async function proposableNetworks(user: SessionUser) {
  const ids = await readableNetworkIds(user);
  if (ids.length === 0) return [];
  return getDb().selectFrom("network").select(["id", "name", "short_name"]).where("id", "in", ids).orderBy("name").execute();
}

function profileValues(input: Omit<OrganisationInput, "networks">) {
  return {
    name: input.name,
    sector: input.sector,
    summary: input.summary,
    description: input.description,
    area_served: input.area_served,
    address: input.address,
    postcode: input.postcode,
    website: input.website,
    email: input.email,
    phone: input.phone,
    registry_number: input.registry_number,
  };
}

/**
 * A member proposes an organisation: it waits (pending) for an admin of one of its
 * networks; the proposer becomes its first admin. Returns the new slug.
 */
export async function proposeOrganisation(user: SessionUser, input: OrganisationInput): Promise<{ id: number; slug: string }> {
  const created = await writeTransaction(async (trx) => {
    const now = nowIso();
    const slug = await uniqueSlug(trx, input.name);
    const { id } = await trx
      .insertInto("organisation")
      .values({ uuid: randomUUID(), slug, ...profileValues(input), status: "pending", proposed_by_account_id: user.id, created_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const networkId of input.networks) await trx.insertInto("organisation_network").values({ organisation_id: id, network_id: networkId }).execute();
    await trx
      .insertInto("organisation_member")
      .values({ organisation_id: id, account_id: user.id, role: "admin", status: "approved", message: null, created_at: now, decided_at: now, decided_by_account_id: null })
      .execute();
    return { id, slug };
  });
  await lookUpPending({ postcodes: [input.postcode] });
  return created;
}

export async function updateOrganisation(organisationId: number, input: Omit<OrganisationInput, "networks">, { networkIds }: { networkIds?: number[] } = {}): Promise<void> {
  await writeTransaction(async (trx) => {
    await trx.updateTable("organisation").set({ ...profileValues(input), updated_at: nowIso() }).where("id", "=", organisationId).execute();
    if (networkIds) {
      await trx.deleteFrom("organisation_network").where("organisation_id", "=", organisationId).execute();
      for (const networkId of networkIds) await trx.insertInto("organisation_network").values({ organisation_id: organisationId, network_id: networkId }).execute();
    }
  });
  await lookUpPending({ postcodes: [input.postcode] });
}

/** Proposed organisations waiting for this admin: those listed in a network they administer. */
export async function listPendingOrganisationsFor(user: SessionUser) {
  const ids = await adminNetworkIds(user);
  if (ids.length === 0) return [];
  const rows = await getDb()
    .selectFrom("organisation")
    .leftJoin("account", "account.id", "organisation.proposed_by_account_id")
    .select([
      "organisation.id",
      "organisation.slug",
      "organisation.name",
      "organisation.sector",
      "organisation.summary",
      "organisation.area_served",
      "organisation.website",
      "organisation.registry_number",
      "organisation.created_at",
      "account.name as proposer_name",
      "account.email as proposer_email",
    ])
    .where("organisation.status", "=", "pending")
    .where((eb) => eb.exists(eb.selectFrom("organisation_network").select("network_id").whereRef("organisation_network.organisation_id", "=", "organisation.id").where("network_id", "in", ids)))
    .orderBy("organisation.created_at")
    .execute();
  const networks = await networksOf(rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, networks: networks.get(r.id) ?? [] }));
}

/** Approves or rejects a proposed organisation; only an admin of one of its networks may. */
export async function decideOrganisation(
  user: SessionUser,
  organisationId: number,
  decision: "approve" | "reject",
): Promise<{ ok: true; name: string; slug: string; proposerAccountId: string | null } | { ok: false; message: string; notFound?: boolean }> {
  const ids = await adminNetworkIds(user);
  if (ids.length === 0 || !user.hasTotp) return { ok: false, message: "Not found", notFound: true };
  return writeTransaction(async (trx) => {
    const org = await trx
      .selectFrom("organisation")
      .leftJoin("account", "account.id", "organisation.proposed_by_account_id")
      .select(["organisation.id", "organisation.name", "organisation.slug", "organisation.status", "account.id as proposer_id"])
      .where("organisation.id", "=", organisationId)
      .where((eb) => eb.exists(eb.selectFrom("organisation_network").select("network_id").whereRef("organisation_network.organisation_id", "=", "organisation.id").where("network_id", "in", ids)))
      .executeTakeFirst();
    if (!org) return { ok: false, message: "Not found", notFound: true };
    if (org.status !== "pending") return { ok: false, message: `${org.name} has already been ${org.status}` };
    await trx.updateTable("organisation").set({ status: decision === "approve" ? "approved" : "rejected", updated_at: nowIso() }).where("id", "=", org.id).execute();
    return { ok: true, name: org.name, slug: org.slug, proposerAccountId: org.proposer_id };
  });
}

// ---------------------------------------------------------------- services and case studies

function serviceValues(input: ServiceInput) {
  const { topics: _topics, ...rest } = input;
  return rest;
}

async function writeTopics(trx: DB, serviceId: number, topics: string[]) {
  await trx.deleteFrom("service_topic").where("service_id", "=", serviceId).execute();
  for (const topic of topics.filter((t) => TOPIC_VALUES.some((v) => v === t))) await trx.insertInto("service_topic").values({ service_id: serviceId, topic }).execute();
}

export async function createService(organisationId: number, accountId: string, input: ServiceInput): Promise<number> {
  const created = await writeTransaction(async (trx) => {
    const now = nowIso();
    const { id } = await trx
      .insertInto("service")
      .values({ uuid: randomUUID(), organisation_id: organisationId, ...serviceValues(input), created_by_account_id: accountId, created_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeTopics(trx, id, input.topics);
    return id;
  });
  await lookUpPending({ postcodes: [input.postcode] });
  return created;
}

export async function updateService(organisationId: number, serviceId: number, input: ServiceInput): Promise<boolean> {
  const updated = await writeTransaction(async (trx) => {
    const res = await trx
      .updateTable("service")
      .set({ ...serviceValues(input), updated_at: nowIso() })
      .where("organisation_id", "=", organisationId)
      .where("id", "=", serviceId)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return false;
    await writeTopics(trx, serviceId, input.topics);
    return true;
  });
  if (updated) await lookUpPending({ postcodes: [input.postcode] });
  return updated;
}

export async function deleteService(organisationId: number, serviceId: number): Promise<void> {
  await getDb().deleteFrom("service").where("organisation_id", "=", organisationId).where("id", "=", serviceId).execute();
}

function caseStudyValues(input: CaseStudyInput) {
  const { domains: _domains, ...rest } = input;
  return rest;
}

async function writeDomains(trx: DB, caseStudyId: number, domains: OutcomeDomain[]) {
  await trx.deleteFrom("case_study_domain").where("case_study_id", "=", caseStudyId).execute();
  for (const domain of domains) await trx.insertInto("case_study_domain").values({ case_study_id: caseStudyId, domain }).execute();
}

function asDomains(values: string[]): OutcomeDomain[] {
  return OUTCOME_DOMAINS.map((d) => d.value).filter((v) => values.includes(v));
}

export async function createCaseStudy(organisationId: number, accountId: string, input: CaseStudyInput): Promise<number> {
  return writeTransaction(async (trx) => {
    const now = nowIso();
    const { id } = await trx
      .insertInto("case_study")
      .values({ organisation_id: organisationId, ...caseStudyValues(input), created_by_account_id: accountId, created_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeDomains(trx, id, asDomains(input.domains));
    return id;
  });
}

export async function updateCaseStudy(organisationId: number, caseStudyId: number, input: CaseStudyInput): Promise<boolean> {
  return writeTransaction(async (trx) => {
    const res = await trx
      .updateTable("case_study")
      .set({ ...caseStudyValues(input), updated_at: nowIso() })
      .where("organisation_id", "=", organisationId)
      .where("id", "=", caseStudyId)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return false;
    await writeDomains(trx, caseStudyId, asDomains(input.domains));
    return true;
  });
}

export async function deleteCaseStudy(organisationId: number, caseStudyId: number): Promise<void> {
  await getDb().deleteFrom("case_study").where("organisation_id", "=", organisationId).where("id", "=", caseStudyId).execute();
}

// ---------------------------------------------------------------- logo

export const LOGO_MAX_BYTES = 2 * 1024 * 1024;
export type LogoType = "image/png" | "image/jpeg" | "image/webp";

/** What the bytes really are (never the name or the browser's Content-Type): PNG, JPEG or WebP, else null. */
export function sniffLogo(bytes: Uint8Array): LogoType | null {
  const at = (offset: number, sig: number[]) => bytes.length >= offset + sig.length && sig.every((b, i) => bytes[offset + i] === b);
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (at(0, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) return "image/webp";
  return null;
}

export async function setLogo(organisationId: number, bytes: Uint8Array, contentType: LogoType): Promise<void> {
  const values = { content_type: contentType, data: Buffer.from(bytes), size: bytes.length, updated_at: nowIso() };
  await getDb()
    .insertInto("organisation_logo")
    .values({ organisation_id: organisationId, ...values })
    .onConflict((oc) => oc.column("organisation_id").doUpdateSet(values))
    .execute();
}

export async function removeLogo(organisationId: number): Promise<void> {
  await getDb().deleteFrom("organisation_logo").where("organisation_id", "=", organisationId).execute();
}

export async function hasLogo(organisationId: number): Promise<string | null> {
  const row = await getDb().selectFrom("organisation_logo").select("updated_at").where("organisation_id", "=", organisationId).executeTakeFirst();
  return row?.updated_at ?? null;
}

/** The logo of an approved organisation (public). */
/**
 * An organisation's logo for whoever may see its page (getOrganisationForViewer): everyone for an
 * approved one; its proposer, its admins and its networks' admins while it waits for approval.
 * `public` says whether a shared cache may keep it.
 */
export async function getLogoForViewer(slug: string, user: SessionUser | null) {
  const found = await getOrganisationForViewer(slug, user);
  if (!found) return undefined;
  const logo = await getDb()
    .selectFrom("organisation_logo")
    .select(["content_type", "data", "updated_at"])
    .where("organisation_id", "=", found.org.id)
    .executeTakeFirst();
  return logo && { ...logo, public: found.org.status === "approved" };
}

// ---------------------------------------------------------------- member directory

export const MEMBERS_PAGE_SIZE = 30;
/** How many members past the current page are counted exactly. */
export const MEMBERS_COUNTED = 1000;

/** The networks whose members this user may list. */
export async function listMemberNetworkOptions(user: SessionUser) {
  const ids = await readableNetworkIds(user);
  if (ids.length === 0) return [];
  return getDb().selectFrom("network").select(["slug", "name"]).where("id", "in", ids).orderBy("name").execute();
}

/**
 * Members the viewer may see: approved in a network the viewer belongs to (every network
 * for a platform admin), with a visible profile. Never lists email addresses.
 */
export async function searchMembers(
  viewer: SessionUser,
  { networkSlug, organisationIds, q, page = 1, counted: countAhead = MEMBERS_COUNTED }: { networkSlug?: string; organisationIds?: number[]; q?: string; page?: number; counted?: number },
) {
  const db = getDb();
  const readable = await readableNetworkIds(viewer);
  const empty = { items: [], total: 0, more: false, page: 1, totalPages: 1 };
  if (readable.length === 0) return empty;
  let networkIds = readable;
  if (networkSlug) {
    const n = await db.selectFrom("network").select("id").where("slug", "=", networkSlug).executeTakeFirst();
    if (!n || !readable.includes(n.id)) return empty;
    networkIds = [n.id];
  }
  const inNetworks = (eb: ExpressionBuilder<Database, "account">) =>
    eb.exists(
      eb
        .selectFrom("network_membership")
        .select("network_membership.account_id")
        .whereRef("network_membership.account_id", "=", "account.id")
        .where("network_membership.status", "=", "approved")
        .where("network_membership.network_id", "in", networkIds),
    );
  let query = db
    .selectFrom("account")
    // Literals, so the planner can use account_directory_idx (partial on exactly these terms).
    .where(sql<boolean>`account.profile_visible = ${boolSql(true)}`)
    .where(sql<boolean>`account.deleted_at IS NULL`)
    .where((eb) => inNetworks(eb));
  // organisationIds are approved organisations (matchOrganisations).
  if (organisationIds) query = organisationIds.length ? query.where("account.organisation_id", "in", organisationIds) : query.where(sql<boolean>`1 = 0`);
  const text = q?.trim().slice(0, 100);
  if (text) query = query.where(likeContains("account.name", text));
  // Counted only as far as MEMBERS_COUNTED past this page: beyond that the page says "more than"
  // (counting 20,000 members on every visit cost more than the page itself).
  const requested = Math.max(1, page);
  const limit = (requested - 1) * MEMBERS_PAGE_SIZE + countAhead;
  const countRow = await db
    .selectFrom(query.select("account.id").limit(limit + 1).as("m"))
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirst();
  const counted = Number(countRow?.n ?? 0);
  const more = counted > limit;
  const total = Math.min(counted, limit);
  const totalPages = Math.max(1, Math.ceil(total / MEMBERS_PAGE_SIZE));
  const current = Math.min(requested, totalPages);
  // Each row's organisation is looked up by key: a join made SQLite build a filter over every
  // approved organisation before reading the page's 30 accounts (0.7 ms, against 0.05 ms).
  const organisation = (eb: ExpressionBuilder<Database, "account">, column: "name" | "slug") =>
    eb
      .selectFrom("organisation")
      .select(`organisation.${column}`)
      .whereRef("organisation.id", "=", "account.organisation_id")
      .where("organisation.status", "=", "approved");
  const rows = await query
    .select((eb) => [
      "account.id",
      "account.name",
      "account.job_title",
      organisation(eb, "name").as("organisation_name"),
      organisation(eb, "slug").as("organisation_slug"),
    ])
    .orderBy(caseInsensitive("account.name"))
    .orderBy("account.id")
    .limit(MEMBERS_PAGE_SIZE)
    .offset((current - 1) * MEMBERS_PAGE_SIZE)
    .execute();
  const ids = rows.map((r) => r.id);
  const memberships = ids.length
    ? await db
        .selectFrom("network_membership")
        .innerJoin("network", "network.id", "network_membership.network_id")
        .select(["network_membership.account_id", "network.short_name"])
        .where("network_membership.account_id", "in", ids)
        .where("network_membership.status", "=", "approved")
        .where("network_membership.network_id", "in", readable)
        .orderBy("network.name")
        .execute()
    : [];
  return {
    items: rows.map(({ id, ...r }) => ({ key: id, ...r, networks: memberships.filter((m) => m.account_id === id).map((m) => m.short_name) })),
    /** Exact unless `more`: then at least this many, and pages go on past totalPages. */
    total,
    more,
    page: current,
    totalPages,
  };
}

export type { Sector };
