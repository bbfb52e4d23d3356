/**
 * Open Referral UK (HSDS 3.0 UK profile) read API: maps approved organisations'
 * services to the standard's shapes. Public data only: services of approved
 * organisations, never people, affiliations or pending proposals.
 */
import { createHash } from "node:crypto";
import { sql } from "kysely";
import { getDb } from "../../db/index";
import { env } from "../utils/env.server";
import { TOPICS, topicLabel } from "../utils/vocab";

export const ORUK_VERSION = "3.0";
export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 200;
const TAXONOMY_NAME = "Roundtable topics";

/**
 * Nested records (schedules, locations, cost options, taxonomy terms) have no rows of
 * their own, but the standard wants a stable UUID for each: derive one (name-based,
 * version 5 layout) from what it belongs to, so it is the same on every request.
 */
export function derivedUuid(name: string): string {
  const h = createHash("sha1").update(`roundtable:oruk:${name}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(s: string): boolean {
  return UUID.test(s);
}

// The same pattern ajv-formats uses for "email": an address it would reject is left out, not sent.
const STRICT_EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
function email(value: string | null): string | undefined {
  return value && STRICT_EMAIL.test(value) ? value : undefined;
}

function uri(value: string | null): string | undefined {
  if (!value) return undefined;
  try {
    const u = new URL(value);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : undefined;
  } catch {
    return undefined;
  }
}

const topicTaxonomyId = () => derivedUuid("taxonomy:topics");
const termId = (topic: string) => derivedUuid(`topic:${topic}`);

function taxonomyTerm(topic: string) {
  return {
    id: termId(topic),
    name: topicLabel(topic),
    description: `Services about ${topicLabel(topic).toLowerCase()}, as tagged in Roundtable.`,
    taxonomy: TAXONOMY_NAME,
    taxonomy_id: topicTaxonomyId(),
    term: topic,
  };
}

export function listTaxonomies() {
  return [
    {
      id: topicTaxonomyId(),
      name: TAXONOMY_NAME,
      description: "The topics Roundtable's social-prescribing networks use for services, events and resources.",
      version: "1",
    },
  ];
}

export function listTaxonomyTerms() {
  return TOPICS.map((t) => taxonomyTerm(t.value));
}

/** A page envelope as the standard's OpenAPI `Page` describes it. */
export function pageEnvelope<T>(contents: T[], total: number, page: number, perPage: number) {
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: page,
    size: contents.length,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

/** page and per_page from a query string: junk or out-of-range values fall back to defaults or the nearest limit. */
export function readPaging(params: URLSearchParams): { page: number; perPage: number } {
  const int = (v: string | null) => (v !== null && /^\s*[0-9]{1,9}\s*$/.test(v) ? Number(v) : null);
  const page = Math.min(Math.max(int(params.get("page")) ?? 1, 1), 1_000_000);
  const rawPer = int(params.get("per_page"));
  const perPage = rawPer === null || rawPer < 1 ? DEFAULT_PER_PAGE : Math.min(rawPer, MAX_PER_PAGE);
  return { page, perPage };
}

function serviceQuery() {
  return getDb()
    .selectFrom("service")
    .innerJoin("organisation", "organisation.id", "service.organisation_id")
    .leftJoin("organisation_logo", "organisation_logo.organisation_id", "organisation.id")
    .where("organisation.status", "=", "approved");
}

const ORG_COLUMNS = [
  "organisation.id as org_id",
  "organisation.uuid as org_uuid",
  "organisation.slug as org_slug",
  "organisation.name as org_name",
  "organisation.summary as org_summary",
  "organisation.description as org_description",
  "organisation.email as org_email",
  "organisation.website as org_website",
  "organisation.registry_number as org_registry",
  "organisation_logo.organisation_id as org_has_logo",
] as const;

type OrgFields = {
  org_uuid: string;
  org_slug: string;
  org_name: string;
  org_summary: string;
  org_description: string;
  org_email: string | null;
  org_website: string | null;
  org_has_logo: unknown;
};

function organization(r: OrgFields) {
  const base = env().APP_URL.replace(/\/$/, "");
  return {
    id: r.org_uuid,
    name: r.org_name,
    description: r.org_description || r.org_summary,
    email: email(r.org_email),
    website: uri(r.org_website),
    logo: r.org_has_logo ? `${base}/organisations/${encodeURIComponent(r.org_slug)}/logo` : undefined,
    uri: `${base}/organisations/${encodeURIComponent(r.org_slug)}`,
  };
}

type ServiceFields = {
  uuid: string;
  name: string;
  description: string;
  eligibility: string;
  how_to_refer: string;
  url: string | null;
  email: string | null;
  status: "active" | "inactive" | "defunct" | "temporarily closed";
  cost: string;
  updated_at: string;
};

function description(s: ServiceFields): string {
  const parts = [s.description];
  if (s.eligibility) parts.push(`Who it is for: ${s.eligibility}`);
  if (s.how_to_refer) parts.push(`How to refer: ${s.how_to_refer}`);
  return parts.join("\n\n");
}

function serviceListItem(s: ServiceFields & OrgFields) {
  const org = organization(s);
  return {
    id: s.uuid,
    organization_id: org.id,
    name: s.name,
    description: description(s),
    url: uri(s.url),
    email: email(s.email),
    status: s.status,
    last_modified: new Date(s.updated_at).toISOString(),
    organization: org,
  };
}

/** The /services list: paged, searchable by words in the name, description or organisation. */
export async function listOrukServices(params: URLSearchParams) {
  const { page, perPage } = readPaging(params);
  let query = serviceQuery();
  const search = (params.get("search") ?? "").trim().slice(0, 200);
  if (search) {
    // Case-insensitive on both dialects (PostgreSQL's LIKE is case-sensitive).
    const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(
      (eb) =>
        sql<boolean>`(lower(${eb.ref("service.name")}) LIKE lower(${like}) ESCAPE '\\' OR lower(${eb.ref("service.description")}) LIKE lower(${like}) ESCAPE '\\' OR lower(${eb.ref("organisation.name")}) LIKE lower(${like}) ESCAPE '\\')`,
    );
  }
  // Filters the standard names: an id that is not one of ours matches nothing.
  const termParam = params.get("taxonomy_term_id");
  if (termParam !== null) {
    const topic = TOPICS.find((t) => termId(t.value) === termParam.trim().toLowerCase())?.value;
    query = topic
      ? query.where((eb) => eb.exists(eb.selectFrom("service_topic").select("service_topic.service_id").whereRef("service_topic.service_id", "=", "service.id").where("service_topic.topic", "=", topic)))
      : query.where(sql<boolean>`1 = 0`);
  }
  const taxonomyParam = params.get("taxonomy_id");
  if (taxonomyParam !== null && taxonomyParam.trim().toLowerCase() !== topicTaxonomyId()) query = query.where(sql<boolean>`1 = 0`);
  const orgParam = params.get("organization_id");
  if (orgParam !== null) query = isUuid(orgParam.trim()) ? query.where("organisation.uuid", "=", orgParam.trim().toLowerCase()) : query.where(sql<boolean>`1 = 0`);

  const countRow = await query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst();
  const total = Number(countRow?.n ?? 0);
  const rows = await query
    .select(["service.uuid", "service.name", "service.description", "service.eligibility", "service.how_to_refer", "service.url", "service.email", "service.status", "service.cost", "service.updated_at", ...ORG_COLUMNS])
    .orderBy("service.name")
    .orderBy("service.id")
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute();
  return pageEnvelope(rows.map(serviceListItem), total, page, perPage);
}

/** One fully nested service, or undefined (unknown, malformed or not public). */
export async function getOrukService(id: string) {
  if (!isUuid(id)) return undefined;
  const s = await serviceQuery()
    .selectAll("service")
    .select([...ORG_COLUMNS, "organisation.area_served as org_area"])
    .where("service.uuid", "=", id.toLowerCase())
    .executeTakeFirst();
  if (!s) return undefined;
  const topics = (await getDb().selectFrom("service_topic").select("topic").where("service_id", "=", s.id).orderBy("topic").execute()).map((t) => t.topic);
  const item = serviceListItem(s);
  const locations = [];
  if (s.address && s.postcode) {
    const locationId = derivedUuid(`service:${s.uuid}:location:physical`);
    locations.push({
      id: derivedUuid(`service:${s.uuid}:service_at_location:physical`),
      service_id: s.uuid,
      location_id: locationId,
      location: {
        id: locationId,
        location_type: "physical",
        name: s.location_name ?? s.address,
        addresses: [
          {
            id: derivedUuid(`service:${s.uuid}:address`),
            location_id: locationId,
            address_1: s.address,
            city: s.city ?? "",
            state_province: "",
            postal_code: s.postcode,
            country: "GB",
            address_type: "physical",
          },
        ],
      },
    });
  }
  if (s.online) {
    const locationId = derivedUuid(`service:${s.uuid}:location:virtual`);
    locations.push({
      id: derivedUuid(`service:${s.uuid}:service_at_location:virtual`),
      service_id: s.uuid,
      location_id: locationId,
      location: { id: locationId, location_type: "virtual", name: "Online" },
    });
  }
  return {
    ...item,
    organization: {
      ...item.organization,
      organization_identifiers: s.org_registry
        ? [{ id: derivedUuid(`organisation:${s.org_uuid}:identifier`), organization_id: s.org_uuid, identifier_type: "Registration number", identifier: s.org_registry }]
        : [],
    },
    schedules: s.schedule_text ? [{ id: derivedUuid(`service:${s.uuid}:schedule`), service_id: s.uuid, description: s.schedule_text }] : [],
    service_areas: s.org_area ? [{ id: derivedUuid(`service:${s.uuid}:area`), service_id: s.uuid, name: s.org_area, extent_type: "text" }] : [],
    service_at_locations: locations,
    cost_options:
      s.cost || s.is_free
        ? [{ id: derivedUuid(`service:${s.uuid}:cost`), service_id: s.uuid, option: s.cost || "Free", ...(s.is_free ? { amount: 0, amount_description: "Free" } : {}) }]
        : [],
    contacts: [],
    languages: [],
    funding: [],
    attributes: topics.map((topic) => ({
      id: derivedUuid(`service:${s.uuid}:attribute:${topic}`),
      link_id: s.uuid,
      link_type: "service",
      taxonomy_term_id: termId(topic),
      taxonomy_term: taxonomyTerm(topic),
    })),
  };
}

/** CORS-open JSON, as public directories and council systems read it. */
export function orukJson(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Access-Control-Allow-Origin": "*",
      "Cache-Control": status === 200 ? "public, max-age=60" : "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

export function orukNotFound(what = "service"): Response {
  return orukJson({ error: "not_found", message: `No ${what} with that id.` }, 404);
}
