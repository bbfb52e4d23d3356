/**
 * Databases on the run's throwaway PostgreSQL cluster (started by tests/support/pg-global-setup.ts
 * and handed to test files as the injected `pgAdminUrl`): create one, get its URL, drop it.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

/** Runs one statement as the cluster's superuser (CREATE/DROP DATABASE cannot run in a transaction). */
export async function onPgAdmin(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export type PgDatabase = { name: string; url: string; drop(): Promise<void> };

/** A new, empty database named `<prefix>_<random>`. */
export async function createPgDatabase(adminUrl: string, prefix = "rt"): Promise<PgDatabase> {
  if (!adminUrl) throw new Error("No PostgreSQL cluster for this project (see tests/support/pg-global-setup.ts)");
  const name = `${prefix}_${randomBytes(6).toString("hex")}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  await onPgAdmin(adminUrl, `CREATE DATABASE ${name}`);
  return {
    name,
    url: adminUrl.replace(/\/[^/]*$/, `/${name}`),
    drop: () => onPgAdmin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
