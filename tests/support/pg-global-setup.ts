/**
 * With RT_TEST_DB=postgres (npm run test:pg), the integration tests run against PostgreSQL: one
 * throwaway cluster for the run (tests/support/pg-cluster.ts), one database per test file
 * (tests/support/integration-setup.ts). Without it this does nothing and the tests use SQLite.
 */
import type { TestProject } from "vitest/node";
import { startPgCluster } from "./pg-cluster";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.RT_TEST_DB !== "postgres") {
    project.provide("pgAdminUrl", "");
    return;
  }
  const cluster = await startPgCluster();
  project.provide("pgAdminUrl", cluster.url("postgres"));
  return () => cluster.stop();
}
