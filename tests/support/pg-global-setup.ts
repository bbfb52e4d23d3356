/**
 * One throwaway PostgreSQL cluster (tests/support/pg-cluster.ts) for a project's run: for the
 * projects whose name ends in -pg (integration-pg, e2e-pg; see tests/vitest.config.ts), and for
 * the integration project itself with RT_TEST_DB=postgres (npm run test:pg). Integration files
 * get one database each (tests/support/integration-setup.ts); e2e-pg files make their own
 * (tests/support/pg-database.ts). Otherwise this does nothing and the tests use SQLite.
 */
import type { TestProject } from "vitest/node";
import { startPgCluster } from "./pg-cluster";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.RT_TEST_DB !== "postgres" && !project.name.endsWith("-pg")) {
    project.provide("pgAdminUrl", "");
    return;
  }
  const cluster = await startPgCluster();
  project.provide("pgAdminUrl", cluster.url("postgres"));
  return () => cluster.stop();
}
