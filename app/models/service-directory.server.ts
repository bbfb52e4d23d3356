/**
 * The public list of services (/services): every active service of an approved organisation,
 * filtered by topic and name, alphabetical or, near a postcode, nearest first with the distance;
 * services that run online and have no place stay in, after the placed ones, marked "online".
 */
import { type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import { caseInsensitive, getDb } from "../../db/index";
import type { Database } from "../../db/schema";
import { likeContains } from "./organisations.server";
import { milesTo, nearSql, type Place } from "./places.server";

export type ServiceDirectoryInput = { q: string; topic: string | null; near: { place: Place; withinMiles: number } | null; page: number; perPage: number };

function serviceWhere(input: ServiceDirectoryInput) {
  return (eb: ExpressionBuilder<Database, "service" | "organisation">) => {
    const c: Expression<SqlBool>[] = [eb("service.status", "=", "active"), eb("organisation.status", "=", "approved")];
    if (input.topic) {
      const topic = input.topic;
      c.push(eb.exists(eb.selectFrom("service_topic").select("service_topic.service_id").whereRef("service_topic.service_id", "=", "service.id").where("service_topic.topic", "=", topic)));
    }
    const q = input.q.trim().slice(0, 100);
    if (q) c.push(eb.or([likeContains("service.name", q), likeContains("organisation.name", q)]));
    return eb.and(c);
  };
}

export async function listServiceDirectory(input: ServiceDirectoryInput) {
  const db = getDb();
  const placed = input.near ? nearSql("service", input.near.place, input.near.withinMiles, { includeOnline: true }) : null;
  const nearby = placed
    ? db
        .selectFrom("search_document as d")
        .innerJoin("service", "service.id", "d.ref_id")
        .innerJoin("organisation", "organisation.id", "service.organisation_id")
        .where("d.kind", "=", "service")
        .where(placed.where)
        .where(serviceWhere(input))
    : null;
  const listed = db.selectFrom("service").innerJoin("organisation", "organisation.id", "service.organisation_id").where(serviceWhere(input));
  const countRow = await (nearby ?? listed).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst();
  const total = Number(countRow?.n ?? 0);
  const totalPages = Math.max(1, Math.ceil(total / input.perPage));
  const page = Math.min(Math.max(1, input.page), totalPages);
  const offset = (page - 1) * input.perPage;
  const columns = [
    "service.id",
    "service.name",
    "service.description",
    "service.location_name",
    "service.city",
    "service.online",
    "service.is_free",
    "organisation.name as organisation_name",
    "organisation.slug as organisation_slug",
  ] as const;
  const rows =
    nearby && placed
      ? await nearby
          .select([...columns, "d.latitude", "d.longitude"])
          .orderBy(placed.order)
          .orderBy(caseInsensitive("service.name"))
          .orderBy("service.id")
          .limit(input.perPage)
          .offset(offset)
          .execute()
      : (await listed.select(columns).orderBy(caseInsensitive("service.name")).orderBy("service.id").limit(input.perPage).offset(offset).execute()).map((r) => ({
          ...r,
          latitude: null,
          longitude: null,
        }));
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      summary: firstSentences(r.description, 200),
      place: [r.location_name, r.city].filter(Boolean).join(", "),
      online: r.online,
      free: r.is_free,
      organisation: { name: r.organisation_name, slug: r.organisation_slug },
      url: `/organisations/${r.organisation_slug}#service-${r.id}`,
      miles: milesTo(input.near?.place ?? null, r),
      latitude: r.latitude,
      longitude: r.longitude,
    })),
    total,
    page,
    totalPages,
  };
}

function firstSentences(text: string, max: number): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length <= max ? one : `${one.slice(0, max - 1).replace(/\s+\S*$/, "")}…`;
}
