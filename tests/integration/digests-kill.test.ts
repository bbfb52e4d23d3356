import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, expect, it } from "vitest";
import { getDb } from "../../db/index";
import { startSmtp, type TestSmtp } from "../support/smtp";

/**
 * `npm run digest:send` killed half-way (kill -9) and run again delivers each digest exactly once.
 * The first SMTP server accepts K messages and then never answers, so the job is stuck mid-run with
 * messages in flight; the test waits until the job has recorded those K as sent, kills it, and runs
 * the job again against a healthy server.
 */
const N = 10;
const K = 4;
const servers: TestSmtp[] = [];

afterAll(async () => {
  for (const s of servers) await s.close();
});

function runJob(smtpUrl: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "app/jobs/digest-send.ts"], {
    env: { ...process.env, SMTP_URL: smtpUrl, NODE_ENV: "test" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function statusCounts() {
  const rows = await getDb().selectFrom("digest_send").select(["status", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("status").execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it("a run killed half-way and restarted delivers each digest exactly once", async () => {
  const db = getDb();
  const now = new Date().toISOString();
  for (let i = 1; i <= N; i++) {
    await db
      .insertInto("digest_subscription")
      .values({
        email: `reader${i}@example.com`,
        account_id: null,
        frequency: "weekly",
        network_ids: "[]",
        topics: "[]",
        include_follows: false,
        status: "active",
        consent_at: now,
        consent_method: "test",
        consent_text: "test",
        confirm_token_hash: null,
        confirm_expires_at: null,
        confirm_used_at: null,
        token_salt: randomBytes(9).toString("base64url"),
        last_sent_at: "2000-01-01T00:00:00.000Z",
        last_period: null,
        failure_count: 0,
        last_failure: null,
        suspended_at: null,
        unsubscribed_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  const stalling = await startSmtp({ holdAfter: K });
  servers.push(stalling);
  const first = runJob(stalling.url);
  await waitFor(async () => stalling.held > 0 && ((await statusCounts()).sent ?? 0) >= K, "the first run to stall after K messages");
  first.child.kill("SIGKILL");
  expect(await first.exited).toBe(null); // killed, not finished
  const afterKill = await statusCounts();
  expect(afterKill.sent).toBe(K);
  expect(afterKill.sending).toBeGreaterThan(0); // killed with messages in flight
  expect(stalling.accepted.length).toBe(K);

  const healthy = await startSmtp();
  servers.push(healthy);
  const second = runJob(healthy.url);
  expect(await second.exited).toBe(0);
  expect(second.output()).toMatch(/digest:send .* claimed=0 resumed=\d+ sent=6 /);

  const all = [...stalling.accepted, ...healthy.accepted];
  for (let i = 1; i <= N; i++) {
    expect(all.filter((m) => m.envelopeTo.includes(`reader${i}@example.com`)).length, `reader${i}`).toBe(1);
  }
  expect(new Set(all.map((m) => m.mail.messageId)).size).toBe(N);
  expect(await statusCounts()).toEqual({ sent: N });

  // And once more: nothing is due, nothing is sent.
  const third = runJob(healthy.url);
  expect(await third.exited).toBe(0);
  expect(third.output()).toMatch(/claimed=0 resumed=0 sent=0 /);
  expect(healthy.accepted.length).toBe(N - K);
}, 120_000);
