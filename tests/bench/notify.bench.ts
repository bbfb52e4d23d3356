/**
 * Cancelling an event with 2,000 registrants (issue 11): the organiser's request (the cancel page's
 * action, real Request and session) only queues the notices; then one `notify:send` run delivers
 * them to a local SMTP server (smtp-server on 127.0.0.1, counting without parsing). Prints the
 * request time, the queue it left, the job's send rate and its peak memory (RSS sampled every
 * 20 ms), and the second run that finds nothing due. Prints figures; never fails.
 */
import { benchWorld } from "./support";

const REGISTRANTS = Number(process.env.BENCH_REGISTRANTS ?? 2_000);
const world = await benchWorld("notify", "http://localhost:3000");

const { getDb, getSqlite, closeDb } = await import("../../db/index");
const { migrateToLatest } = await import("../../db/migrate");
const { seedDemo } = await import("../../db/seed/index");
const { runNoticeSend } = await import("../../app/models/notifier-sender.server");
const { resetTransport } = await import("../../emails/transport");
const cancelRoute = await import("../../app/routes/events.$id_.cancel");
const { cookieFor } = await import("../support/auth");
const { formRequest } = await import("../support/fixtures");

await migrateToLatest(getDb());
await seedDemo(getDb(), { demoPassword: "correct horse battery staple", log: () => {} });

// 2,000 confirmed members of North West, all going to one upcoming public event.
const sqlite = getSqlite();
const network = sqlite.prepare("SELECT id FROM network WHERE slug = 'north-west'").get() as { id: number };
const event = sqlite.prepare("SELECT id, title FROM event WHERE network_id = ? AND status = 'scheduled' AND recurrence IS NULL AND start_utc > ? ORDER BY start_utc LIMIT 1").get(network.id, new Date().toISOString()) as { id: number; title: string };
const now = new Date().toISOString();
const addAccount = sqlite.prepare(
  `INSERT INTO account (id, email, email_verified_at, name, password_hash, profile_visible, is_platform_admin, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, 1, 0, ?, ?)`,
);
const addMember = sqlite.prepare(`INSERT INTO network_membership (network_id, account_id, role, status, created_at) VALUES (?, ?, 'member', 'approved', ?)`);
const addRegistration = sqlite.prepare(`INSERT INTO registration (event_id, occurrence, account_id, status, position, created_at, updated_at) VALUES (?, '', ?, 'going', ?, ?, ?)`);
sqlite.transaction(() => {
  for (let i = 0; i < REGISTRANTS; i++) {
    const id = `bench-${i}`;
    addAccount.run(id, `person${i}@bench.example.org`, now, `Bench Person ${i}`, now, now);
    addMember.run(network.id, id, now);
    addRegistration.run(event.id, id, i + 1, now, now);
  }
})();

const organiser = await cookieFor("organiser@example.org");
const t0 = performance.now();
const res = await cancelRoute.action({
  request: formRequest(`/events/${event.id}/cancel`, { reason: "The venue has flooded. Sorry!" }, { cookie: organiser }),
  params: { id: String(event.id) },
  context: {},
});
const requestMs = performance.now() - t0;
const queued = sqlite.prepare("SELECT count(*) AS n FROM notice_email WHERE status = 'pending'").get() as { n: number };
const notices = sqlite.prepare("SELECT count(*) AS n FROM notice").get() as { n: number };

let peakRss = process.memoryUsage().rss;
const baseRss = peakRss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
const t1 = performance.now();
const first = await runNoticeSend({ concurrency: Number(process.env.BENCH_CONCURRENCY ?? 3) });
const sendMs = performance.now() - t1;
peakRss = Math.max(peakRss, process.memoryUsage().rss);
clearInterval(sampler);
const t2 = performance.now();
const second = await runNoticeSend();
const secondMs = performance.now() - t2;

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
console.log(`Cancelling "${event.title}" with ${REGISTRANTS.toLocaleString("en-GB")} registrants (local SMTP, pooled, 3 connections)`);
console.table([
  { measure: "cancel request: status", value: String(res.status) },
  { measure: "cancel request: time (queues everything)", value: `${requestMs.toFixed(0)} ms` },
  { measure: "queued emails / shared notice rows", value: `${queued.n} / ${notices.n}` },
  { measure: "notify:send: time", value: `${(sendMs / 1000).toFixed(1)} s` },
  { measure: "notify:send: sent", value: `${first.sent} (dropped ${first.dropped}, failed ${first.failed}, retrying ${first.retrying})` },
  { measure: "messages received by SMTP", value: `${world.smtp.received} (${(world.smtp.bytes / Math.max(1, world.smtp.received) / 1024).toFixed(1)} KB each, with the .ics)` },
  { measure: "messages per second", value: (first.sent / (sendMs / 1000)).toFixed(0) },
  { measure: "peak RSS (start → peak)", value: `${mb(baseRss)} → ${mb(peakRss)}` },
  { measure: "second run (nothing due): time", value: `${secondMs.toFixed(0)} ms, sent ${second.sent}` },
]);

resetTransport();
await closeDb();
await world.close();
