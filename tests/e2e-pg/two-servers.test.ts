/**
 * Two app servers (the real built server, two processes) on one PostgreSQL database, as behind a
 * load balancer: 200 signed-in people press "I'm going" for an event with 100 places at the same
 * moment, half through each server. Exactly 100 are going and 100 waiting, in registration order
 * 1…200 with no gap and no number twice, and both servers then show the same full event. Then
 * PostgreSQL ends every connection (as a restart or a managed failover does): both servers live on.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPostgresDb, type DB } from "../../db/index";
import { createPeople, createPopularEvent, signInAll } from "../support/crowd";
import { startApp, type App } from "../support/e2e";
import { createPgDatabase, type PgDatabase } from "../support/pg-database";

let pgDb: PgDatabase;
let db: DB;
const apps: App[] = [];

beforeAll(async () => {
  pgDb = await createPgDatabase(inject("pgAdminUrl"), "rt_two");
  const env = { DATABASE_URL: pgDb.url, DATABASE_POOL_MAX: "10", JOBS: "off" };
  // The first migrates and seeds the demo data; the second finds it done.
  apps.push(await startApp(env));
  apps.push(await startApp(env));
  db = createPostgresDb(pgDb.url, { max: 2 });
});

afterAll(async () => {
  for (const app of apps) await app.stop();
  await db?.destroy();
  await pgDb?.drop();
});

/** "I'm going", as the event page's form posts it; answers with the flash message the person would see. */
async function pressGoing(app: App, eventId: number, cookie: string): Promise<string> {
  const response = await fetch(`${app.url}/events/${eventId}`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, Origin: app.url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ intent: "going", occurrence: "" }),
  });
  const flash = /rt_flash=([^;]+)/.exec(response.headers.get("set-cookie") ?? "");
  expect(response.status, `POST through ${app.url}: ${flash ? "" : await response.text()}`).toBe(302);
  return (JSON.parse(decodeURIComponent(flash![1])) as { m: string }).m;
}

describe("two servers, one PostgreSQL database", () => {
  it("200 people registering for 100 places at once through two servers: exactly 100 going, 100 waiting", { timeout: 180_000 }, async () => {
    const eventId = await createPopularEvent(db, 100);
    const ids = Array.from({ length: 200 }, (_, i) => `crowd-${i}`);
    await createPeople(db, ids);
    const cookies = await signInAll(db, ids);

    const messages = await Promise.all(ids.map((id, i) => pressGoing(apps[i % 2], eventId, cookies.get(id)!)));
    expect(messages.filter((m) => m.startsWith("You are going"))).toHaveLength(100);
    expect(messages.filter((m) => m.includes("you are on the waiting list"))).toHaveLength(100);

    const rows = await db.selectFrom("registration").select(["account_id", "status", "position"]).where("event_id", "=", eventId).orderBy("position").execute();
    expect(rows).toHaveLength(200);
    expect(rows.map((r) => r.position)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(rows.slice(0, 100).every((r) => r.status === "going")).toBe(true);
    expect(rows.slice(100).every((r) => r.status === "waitlisted")).toBe(true);
    expect(new Set(rows.map((r) => r.account_id)).size).toBe(200);
    // Each person's answer matches what was stored for them.
    const byAccount = new Map(rows.map((r) => [r.account_id, r.status]));
    ids.forEach((id, i) => expect(messages[i].startsWith("You are going") ? "going" : "waitlisted", id).toBe(byAccount.get(id)));

    // Whichever server answers, the event page says the same.
    for (const app of apps) {
      const page = await (await fetch(`${app.url}/events/${eventId}`)).text();
      expect(page, app.url).toContain("Full (100 places). 100 on the waiting list.");
    }
  });

  it("both servers survive PostgreSQL ending their connections (a restart or failover) and carry on", { timeout: 60_000 }, async () => {
    const { rows } = await sql<{ n: number }>`
      SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`.execute(db);
    expect(Number(rows[0].n)).toBeGreaterThan(0);
    for (const app of apps) {
      // A refused connection means the server process died; a 503 that the database is not back yet.
      for (;;) {
        const response = await fetch(`${app.url}/healthz`);
        if (response.status === 200 && app.logs().includes("PostgreSQL closed an idle connection")) break;
        expect([200, 503], app.logs()).toContain(response.status);
        await new Promise((r) => setTimeout(r, 100));
      }
      const page = await fetch(`${app.url}/events`);
      expect(page.status).toBe(200);
    }
  });
});
