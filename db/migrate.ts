import { Migrator, type MigrationResultSet } from "kysely";
import type { DB } from "./index";
import { migrations } from "./migrations/index";

function migrator(db: DB): Migrator {
  // Domains add migrations independently; one dated earlier than one already
  // applied is still applied (each touches only its own tables).
  return new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
}

function check(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error");
    const message = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`Migration ${failed?.migrationName ?? ""} failed: ${message}`);
  }
  return (result.results ?? []).map((r) => r.migrationName);
}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(db: DB): Promise<string[]> {
  return check(await migrator(db).migrateToLatest());
}

/** Undoes the most recent migration; returns its name. */
export async function rollbackOne(db: DB): Promise<string[]> {
  return check(await migrator(db).migrateDown());
}
