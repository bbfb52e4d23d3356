/**
 * Remembers recent search results under the search index's version (search_version, raised by
 * triggers on every document change: migration 0041). A remembered result is served only while
 * the version is unchanged, so it is always what a fresh search would return; each process (the
 * server loads models twice) keeps its own copy and checks the same number in the database.
 */
import { getDb } from "../../../db/index";

const MAX_ENTRIES = 500;
const entries = new Map<string, { version: number; value: unknown }>();

export async function searchVersion(): Promise<number> {
  const row = await getDb().selectFrom("search_version").select("version").where("id", "=", 1).executeTakeFirst();
  return row?.version ?? 0;
}

export async function remembered<T>(key: string, compute: () => Promise<T>): Promise<T> {
  // Read before computing: a write meanwhile raises the number, so this result is never served after it.
  const version = await searchVersion();
  const hit = entries.get(key);
  if (hit && hit.version === version) {
    entries.delete(key);
    entries.set(key, hit);
    return hit.value as T;
  }
  const value = await compute();
  entries.set(key, { version, value });
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
  return value;
}
