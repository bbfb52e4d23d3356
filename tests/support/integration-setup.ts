/**
 * Every integration test file gets its own freshly migrated and seeded SQLite
 * database and outbox folder, so files can run in parallel and in any order.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rt-int-"));
process.env.DATABASE_PATH = path.join(dir, "test.db");
process.env.OUTBOX_DIR = path.join(dir, "outbox");
process.env.UPLOADS_DIR = path.join(dir, "uploads");
process.env.APP_URL = "http://localhost:3000";
process.env.DEMO_PASSWORD = TEST_PASSWORD();
process.env.NODE_ENV = "test";
delete process.env.SMTP_URL;

function TEST_PASSWORD() {
  return "correct horse battery staple";
}

beforeAll(async () => {
  const { getDb } = await import("../../db/index");
  const { migrateToLatest } = await import("../../db/migrate");
  const { seedDemo } = await import("../../db/seed/index");
  await migrateToLatest(getDb());
  await seedDemo(getDb(), { demoPassword: TEST_PASSWORD(), log: () => {} });
});

afterAll(async () => {
  const { closeDb } = await import("../../db/index");
  await closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
});
