/**
 * Every integration test file gets its own freshly migrated and seeded database (a SQLite file,
 * or with RT_TEST_DB=postgres a PostgreSQL database in the run's throwaway cluster) and outbox
 * folder, so files can run in parallel and in any order.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import { onPgAdmin } from "./pg-database";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rt-int-"));
process.env.DATABASE_PATH = path.join(dir, "test.db");
process.env.OUTBOX_DIR = path.join(dir, "outbox");
process.env.UPLOADS_DIR = path.join(dir, "uploads");
process.env.APP_URL = "http://localhost:3000";
process.env.DEMO_PASSWORD = TEST_PASSWORD();
process.env.NODE_ENV = "test";
delete process.env.SMTP_URL;
// No test reaches the internet: postcode lookups fail fast unless a test starts the stand-in
// (tests/support/postcodes.ts) and points POSTCODES_API_URL at it.
process.env.POSTCODES_API_URL = "http://127.0.0.1:9";
process.env.POSTCODES_ALLOW_PRIVATE = "on";

const pgAdminUrl = inject("pgAdminUrl");
const pgDatabase = `rt_${path.basename(dir).replace(/[^a-zA-Z0-9]/g, "_").toLowerCase()}`;
if (pgAdminUrl) process.env.DATABASE_URL = pgAdminUrl.replace(/\/[^/]*$/, `/${pgDatabase}`);
else delete process.env.DATABASE_URL;

function TEST_PASSWORD() {
  return "correct horse battery staple";
}

beforeAll(async () => {
  if (pgAdminUrl) await onPgAdmin(pgAdminUrl, `CREATE DATABASE ${pgDatabase}`);
  const { getDb } = await import("../../db/index");
  const { migrateToLatest } = await import("../../db/migrate");
  const { seedDemo } = await import("../../db/seed/index");
  await migrateToLatest(getDb());
  await seedDemo(getDb(), { demoPassword: TEST_PASSWORD(), log: () => {} });
});

afterAll(async () => {
  const { closeDb } = await import("../../db/index");
  await closeDb();
  if (pgAdminUrl) await onPgAdmin(pgAdminUrl, `DROP DATABASE IF EXISTS ${pgDatabase} WITH (FORCE)`);
  fs.rmSync(dir, { recursive: true, force: true });
});
