import { getDb } from "../../db/index";
import type { Sector } from "../../db/types/foundation";

export const SECTOR_LABELS: Record<Sector, string> = {
  "local-authority": "Local authority",
  vcse: "Voluntary, community and social enterprise (VCSE)",
  icb: "Integrated care board (CCG/ICB)",
  "nhs-trust": "NHS trust",
  "primary-care": "Primary care (GP practice or PCN)",
  university: "University or research",
  "arts-culture-heritage": "Arts, culture and heritage",
  "national-body": "National body",
  "connector-scheme": "Connector scheme",
};

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
