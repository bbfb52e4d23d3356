/**
 * Digest sending at scale: one `digest:send` run for 10,000 subscribers (the demo content, so
 * every digest has events, resources and discussions) against a local SMTP server (smtp-server on
 * 127.0.0.1, counting messages without parsing them). Prints the run's time, messages per second,
 * peak memory (RSS sampled every 20 ms), and the cost of the second, idempotent run that finds
 * nothing due. Prints figures; never fails.
 */
import { benchWorld } from "./support";

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);
const world = await benchWorld("digests", "https://roundtable.example.org");

const { getDb, getSqlite, closeDb } = await import("../../db/index");
const { migrateToLatest } = await import("../../db/migrate");
const { seedDemo } = await import("../../db/seed/index");
const { runDigestSend } = await import("../../app/models/digest-sender.server");
const { resetTransport } = await import("../../emails/transport");

await migrateToLatest(getDb());
await seedDemo(getDb(), { demoPassword: "correct horse battery staple", log: () => {} });

// Bulk insert: one transaction, one prepared statement. A mix of choices, as real subscribers have.
const sqlite = getSqlite();
const networks = (sqlite.prepare("SELECT id FROM network ORDER BY id").all() as Array<{ id: number }>).map((r) => r.id);
const topicsChoices = ["[]", "[]", '["dementia"]', '["arts-and-health","mental-health"]'];
const insert = sqlite.prepare(
  `INSERT INTO digest_subscription (email, account_id, frequency, network_ids, topics, include_follows, status, consent_at, consent_method, consent_text, token_salt, created_at, updated_at)
   VALUES (?, NULL, ?, ?, ?, 0, 'active', ?, 'bench', 'bench', ?, ?, ?)`,
);
const now = new Date().toISOString();
sqlite.transaction(() => {
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const nets = i % 3 === 0 ? "[]" : `[${networks[i % networks.length]}]`;
    insert.run(`reader${i}@bench.example.org`, i % 4 === 0 ? "daily" : "weekly", nets, topicsChoices[i % topicsChoices.length], now, `salt${i}`, now, now);
  }
})();

let peakRss = process.memoryUsage().rss;
const baseRss = peakRss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

const t0 = performance.now();
const first = await runDigestSend({ concurrency: Number(process.env.BENCH_CONCURRENCY ?? 3) });
const firstMs = performance.now() - t0;
peakRss = Math.max(peakRss, process.memoryUsage().rss);

const t1 = performance.now();
const second = await runDigestSend();
const secondMs = performance.now() - t1;
clearInterval(sampler);

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
console.log(`Digest run for ${SUBSCRIBERS.toLocaleString("en-GB")} subscribers (local SMTP, pooled, 3 connections)`);
console.table([
  { measure: "first run: time", value: `${(firstMs / 1000).toFixed(1)} s` },
  { measure: "first run: digests sent", value: `${first.sent} (empty: ${first.empty}, failed: ${first.failed}, retrying: ${first.retrying})` },
  { measure: "messages received by SMTP", value: `${world.smtp.received} (${(world.smtp.bytes / world.smtp.received / 1024).toFixed(1)} KB each)` },
  { measure: "messages per second", value: (first.sent / (firstMs / 1000)).toFixed(0) },
  { measure: "per message (ms)", value: (firstMs / Math.max(1, first.sent)).toFixed(2) },
  { measure: "peak RSS (start → peak)", value: `${mb(baseRss)} → ${mb(peakRss)}` },
  { measure: "second run (nothing due): time", value: `${secondMs.toFixed(0)} ms, sent ${second.sent}` },
]);

resetTransport();
await closeDb();
await world.close();
