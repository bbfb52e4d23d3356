/**
 * Remembers recent search results under the search index's version (search_version, raised by
 * triggers on every document change: migration 0041). A remembered result is served only while
 * the version is unchanged, so it is always what a fresh search would return; each process (the
 * server loads models twice) keeps its own copy and checks the same number in the database.
 */
import { getDb } from "../../../db/index";
import { VersionedCache } from "../../utils/versioned-cache";

const results = new VersionedCache<unknown>(500);

export async function searchVersion(): Promise<number> {
  const row = await getDb().selectFrom("search_version").select("version").where("id", "=", 1).executeTakeFirst();
  return row?.version ?? 0;
}

export async function remembered<T>(key: string, compute: () => Promise<T>): Promise<T> {
  // Read before computing: a write meanwhile raises the number, so this result is never served after it.
  const version = await searchVersion();
  const hit = results.get(key, version);
  if (hit !== undefined) return hit as T;
  return results.set(key, version, await compute()) as T;
}
