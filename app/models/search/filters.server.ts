import { sql } from "kysely";
import { dialect, getDb } from "../../../db/index";
import { remembered } from "./cache.server";

/** The choices the search's filters offer: every network, and the postcode areas ("CA", "M", "PR") of the postcodes in use. */
export async function searchFilterOptions(): Promise<{ networks: Array<{ id: number; slug: string; short_name: string }>; areas: string[] }> {
  const db = getDb();
  const networks = await db.selectFrom("network").select(["id", "slug", "short_name"]).orderBy("name").execute();
  // A letter in second place: GLOB on SQLite, a regular expression on PostgreSQL.
  const letter = dialect() === "postgres" ? sql`substr(postcode, 2, 1) ~ '^[A-Z]$'` : sql`substr(postcode, 2, 1) GLOB '[A-Z]'`;
  // Remembered under the index version (reading every postcode on each search cost more than the search):
  // a postcode arrives with the service, organisation or event using it, whose document raises the version.
  const areas = await remembered("search-filter-areas", async () => {
    const rows = await sql<{ area: string }>`
      SELECT DISTINCT CASE WHEN ${letter} THEN substr(postcode, 1, 2) ELSE substr(postcode, 1, 1) END AS area
      FROM postcode_location ORDER BY area`.execute(db);
    return rows.rows.map((r) => r.area);
  });
  return { networks, areas };
}
