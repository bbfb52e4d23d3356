import { getDb } from "../../db/index";


export async function listApprovedOrganisations({ limit = 200 }: { limit?: number } = {}) {
  return getDb()
    .selectFrom("organisation")
    .select(["id", "slug", "name", "sector", "summary", "area_served"])
    .where("status", "=", "approved")
    .orderBy("name")
    .limit(limit)
    .execute();
}

export async function getOrganisationBySlug(slug: string) {
  return getDb()
    .selectFrom("organisation")
    .selectAll()
    .where("slug", "=", slug)
    .where("status", "=", "approved")
    .executeTakeFirst();
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
