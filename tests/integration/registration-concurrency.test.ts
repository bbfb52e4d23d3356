/**
 * Two processes on one database register 200 people for 100 places at the same moment: exactly
 * 100 are going and 100 waiting, with waiting-list positions 1…200 each given once. On SQLite the
 * single writer (BEGIN IMMEDIATE) guarantees it; on PostgreSQL (npm run test:pg) SERIALIZABLE
 * transactions retried on conflict do.
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/index";
import { createPeople, createPopularEvent } from "../support/crowd";

function run(eventId: number, accountIds: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/register-many.ts", String(eventId), ...accountIds], {
    env: { ...process.env, DATABASE_POOL_MAX: "10" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  return new Promise<{ code: number | null; output: string }>((resolve) => child.on("exit", (code) => resolve({ code, output })));
}

describe("registration under concurrency", () => {
  it("two processes register 200 people for 100 places: exactly 100 going, 100 waiting", { timeout: 120_000 }, async () => {
    const db = getDb();
    const eventId = await createPopularEvent(db, 100);
    const ids = Array.from({ length: 200 }, (_, i) => `concurrent-${i}`);
    await createPeople(db, ids);

    const [a, b] = await Promise.all([run(eventId, ids.filter((_, i) => i % 2 === 0)), run(eventId, ids.filter((_, i) => i % 2 === 1))]);
    expect(a.output).toContain("100 registered, 0 refused");
    expect(b.output).toContain("100 registered, 0 refused");

    const rows = await db.selectFrom("registration").select(["status", "position"]).where("event_id", "=", eventId).execute();
    expect(rows).toHaveLength(200);
    expect(rows.filter((r) => r.status === "going")).toHaveLength(100);
    expect(rows.filter((r) => r.status === "waitlisted")).toHaveLength(100);
    expect(new Set(rows.map((r) => r.position)).size).toBe(200);
    // Everyone going signed up before everyone waiting.
    const lastGoing = Math.max(...rows.filter((r) => r.status === "going").map((r) => r.position));
    const firstWaiting = Math.min(...rows.filter((r) => r.status === "waitlisted").map((r) => r.position));
    expect(lastGoing).toBeLessThan(firstWaiting);
  });
});
