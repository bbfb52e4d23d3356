/**
 * Two processes on one database register 200 people for 100 places at the same moment: exactly
 * 100 are going and 100 waiting, with waiting-list positions 1…200 each given once. On SQLite the
 * single writer (BEGIN IMMEDIATE) guarantees it; on PostgreSQL (npm run test:pg) SERIALIZABLE
 * transactions retried on conflict do.
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { getDb, nowIso } from "../../db/index";
import { timeColumns } from "../../app/models/events/occurrences.server";

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
    const now = nowIso();
    const network = await db.selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirstOrThrow();
    const start = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const event = await db
      .insertInto("event")
      .values({
        uid: `concurrency-${Date.now()}@roundtable`,
        sequence: 0,
        network_id: network.id,
        organisation_id: null,
        organiser_account_id: null,
        kind: "workshop",
        title: "A popular workshop",
        description: "",
        venue: null,
        address: null,
        postcode: null,
        online_url: "https://example.org/join",
        online_url_registrants_only: 0,
        capacity: 100,
        access_bsl: 0,
        access_captions: 0,
        access_step_free: 0,
        accessibility_notes: null,
        visibility: "public",
        status: "scheduled",
        cancelled_at: null,
        created_at: now,
        updated_at: now,
        ...timeColumns({ startLocal: `${start}T10:00`, endLocal: `${start}T12:00`, allDay: false, recurrence: null }),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const ids = Array.from({ length: 200 }, (_, i) => `concurrent-${i}`);
    await db
      .insertInto("account")
      .values(ids.map((id) => ({ id, email: `${id}@example.org`, name: `Person ${id}`, email_verified_at: now, profile_visible: 0, is_platform_admin: 0, created_at: now, updated_at: now })))
      .execute();

    const [a, b] = await Promise.all([run(event.id, ids.filter((_, i) => i % 2 === 0)), run(event.id, ids.filter((_, i) => i % 2 === 1))]);
    expect(a.output).toContain("100 registered, 0 refused");
    expect(b.output).toContain("100 registered, 0 refused");

    const rows = await db.selectFrom("registration").select(["status", "position"]).where("event_id", "=", event.id).execute();
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
