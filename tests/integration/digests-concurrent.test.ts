import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, expect, it } from "vitest";
import { getDb } from "../../db/index";
import { startSmtp, type TestSmtp } from "../support/smtp";

/**
 * Two `npm run digest:send` runs at the same moment (two processes, as with two app servers or a
 * server and cron) send each digest exactly once between them: on SQLite the single writer, on
 * PostgreSQL (npm run test:pg) FOR UPDATE SKIP LOCKED claims keep them apart.
 * The runs really overlap: the SMTP stand-in answers nothing until both runs are sending at once
 * (digest_send rows claimed by two different runs), so each has claimed a batch (50) while the
 * other holds its own; N is more than two batches so both have work left when the gate opens.
 */
const N = 120;
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
  return new Promise<{ code: number | null; output: string }>((resolve) => child.on("exit", (code) => resolve({ code, output })));
}

it("two digest runs at once send each digest once", async () => {
  const db = getDb();
  const now = new Date().toISOString();
  await db
    .insertInto("digest_subscription")
    .values(
      Array.from({ length: N }, (_, i) => ({
        email: `together${i + 1}@example.com`,
        account_id: null,
        frequency: "weekly" as const,
        network_ids: "[]",
        topics: "[]",
        include_follows: false,
        status: "active" as const,
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
      })),
    )
    .execute();
  let open = () => {};
  const smtp = await startSmtp({ gate: new Promise<void>((resolve) => (open = resolve)) });
  servers.push(smtp);
  const runs = Promise.all([runJob(smtp.url), runJob(smtp.url)]);
  let finished = false;
  void runs.then(() => (finished = true));
  for (;;) {
    const owners = await db.selectFrom("digest_send").select("owner_run").distinct().where("status", "=", "sending").execute();
    if (owners.length >= 2) break;
    if (finished) throw new Error(`the runs ended without ever sending at the same time:\n${(await runs).map((r) => r.output).join("\n")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  open();
  const [a, b] = await runs;
  expect(a.code, a.output).toBe(0);
  expect(b.code, b.output).toBe(0);
  // Both runs sent a share, and the shares add up.
  const sent = [a, b].map((r) => Number(/ sent=(\d+) /.exec(r.output)?.[1] ?? -1));
  expect(sent.every((n) => n > 0), `${a.output}\n${b.output}`).toBe(true);
  expect(sent[0] + sent[1]).toBe(N);
  for (let i = 1; i <= N; i++) {
    expect(smtp.accepted.filter((m) => m.envelopeTo.includes(`together${i}@example.com`)).length, `together${i}`).toBe(1);
  }
  const rows = await db.selectFrom("digest_send").select(["status", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("status").execute();
  expect(Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))).toEqual({ sent: N });
}, 120_000);
