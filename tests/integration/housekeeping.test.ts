import { describe, expect, it } from "vitest";
import { getDb } from "../../db/index";
import { runHousekeeping } from "../../app/models/housekeeping.server";
import { registeredJobs } from "../../app/jobs/scheduler.server";
import "../../app/jobs/schedule.server";

// Issue 12, item 19: expired sessions, rate-limit windows and spent tokens were never pruned.
const DAY = 24 * 3600 * 1000;
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

describe("housekeeping", () => {
  it("runs on the server's schedule", () => {
    expect(registeredJobs().map((j) => j.name)).toContain("housekeeping");
  });

  it("removes expired sessions, old rate-limit windows and spent or long-expired links, and keeps the rest", async () => {
    const db = getDb();
    const account = await db.selectFrom("account").select("id").where("email", "=", "member@example.org").executeTakeFirstOrThrow();
    const session = (id: string, expires: number, created = -DAY) => ({ id, account_id: account.id, expires_at: iso(expires), created_at: iso(created), last_seen_at: iso(created), user_agent: null, ip_address: null, mfa_verified: false });
    await db.insertInto("session").values([session("hk-expired", -DAY), session("hk-too-old", DAY, -40 * DAY), session("hk-live", 5 * DAY)]).execute();
    const now = Math.floor(Date.now() / 1000);
    await db.insertInto("rate_limit").values([{ key: "hk:old", window_start: now - 3 * 24 * 3600, count: 4 }, { key: "hk:fresh", window_start: now - 60, count: 1 }]).execute();
    const token = (hash: string, expires: number, used: number | null) => ({ token_hash: hash, purpose: "reset-password" as const, account_id: account.id, email: "member@example.org", created_at: iso(-20 * DAY), expires_at: iso(expires), used_at: used === null ? null : iso(used) });
    await db.insertInto("email_token").values([token("hk-long-expired", -10 * DAY, null), token("hk-spent-long-ago", -9 * DAY, -10 * DAY), token("hk-just-used", DAY, -3600_000), token("hk-open", 3600_000, null)]).execute();

    const removed = await runHousekeeping(new Date());
    expect(removed.sessions).toBeGreaterThanOrEqual(2);
    const sessions = (await db.selectFrom("session").select("id").where("id", "like", "hk-%").execute()).map((r) => r.id);
    expect(sessions).toEqual(["hk-live"]);
    expect((await db.selectFrom("rate_limit").select("key").where("key", "like", "hk:%").execute()).map((r) => r.key)).toEqual(["hk:fresh"]);
    const tokens = (await db.selectFrom("email_token").select("token_hash").where("token_hash", "like", "hk-%").orderBy("token_hash").execute()).map((r) => r.token_hash);
    expect(tokens).toEqual(["hk-just-used", "hk-open"]);

    // Idempotent: a second run finds nothing more to do.
    expect(await runHousekeeping(new Date())).toEqual({ sessions: 0, rateLimits: 0, emailTokens: 0, invitations: 0 });
  });
});
