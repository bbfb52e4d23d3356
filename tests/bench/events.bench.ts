/**
 * Events at scale: 10,000 events (9,000 one-off over three years, 1,000 recurring: weekly
 * open-ended, fortnightly by count, monthly by weekday; some with cancelled or moved dates).
 * Measures the public feed (cold build, rebuild after one change, warm build, size), the 304 path (one aggregate query), and the
 * upcoming list loader (pages 1 and 5, and a filtered page). Prints figures; never fails.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { stats, time } from "./support";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rt-bench-events-"));
process.env.DATABASE_PATH = path.join(dir, "bench.db");
process.env.UPLOADS_DIR = path.join(dir, "uploads");
process.env.OUTBOX_DIR = path.join(dir, "outbox");
process.env.APP_URL = "https://roundtable.example";
process.env.NODE_ENV = "test";

const { getDb, getSqlite, closeDb } = await import("../../db/index");
const { migrateToLatest } = await import("../../db/migrate");
const { seedDemo } = await import("../../db/seed/index");
const { extendOccurrences, timeColumns } = await import("../../app/models/events/occurrences.server");
const eventsIndex = await import("../../app/routes/events._index");
const feed = await import("../../app/routes/events[.]ics");


const db = getDb();
await migrateToLatest(db);
await seedDemo(db, { demoPassword: "correct horse battery staple", log: () => {} });
const networks = (await db.selectFrom("network").select("id").execute()).map((n) => n.id);
const orgs = (await db.selectFrom("organisation").select("id").execute()).map((o) => o.id);
const topics = ["arts-and-health", "dementia", "link-workers", "mental-health", "nature-and-green"];
const kinds = ["round-table", "conference", "panel", "workshop", "online-chat", "training"] as const;

const sqlite = getSqlite();
const t0 = performance.now();
sqlite.transaction(() => {
  const now = Date.now();
  const stamp = new Date().toISOString();
  const ins = sqlite.prepare(
    `insert into event (uid, sequence, network_id, organisation_id, organiser_account_id, kind, title, description, start_local, end_local, time_zone,
      start_utc, end_utc, series_end_utc, all_day, recurrence, rrule, venue, address, postcode, online_url, online_url_registrants_only, capacity,
      access_bsl, access_captions, access_step_free, accessibility_notes, visibility, status, cancelled_at, created_at, updated_at)
     values (?, 0, ?, ?, null, ?, ?, ?, ?, ?, 'Europe/London', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0, 1, 1, null, ?, ?, ?, ?, ?)`,
  );
  const topic = sqlite.prepare("insert into event_topic (event_id, topic) values (?, ?)");
  const override = sqlite.prepare("insert into event_occurrence_override (event_id, recurrence_id_local, cancelled, start_local, end_local, note, sequence, created_at, updated_at) values (?, ?, ?, ?, ?, null, 1, ?, ?)");
  for (let i = 0; i < EVENTS; i++) {
    const recurring = i % 10 === 0;
    // One-offs spread from a year ago to two years ahead; series started up to a year ago.
    const offsetDays = recurring ? -((i * 37) % 365) : Math.floor(((i * 7919) % 1095) - 365);
    const day = new Date(now + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const hour = 9 + (i % 10);
    const startLocal = `${day}T${String(hour).padStart(2, "0")}:00`;
    const endLocal = `${day}T${String(hour + 1).padStart(2, "0")}:30`;
    const rec = !recurring ? null : i % 30 === 0 ? { freq: "monthly-weekday" as const, count: 24 } : i % 20 === 0 ? { freq: "fortnightly" as const, count: 40 } : { freq: "weekly" as const };
    const cols = timeColumns({ startLocal, endLocal, allDay: false, recurrence: rec });
    const status = i % 97 === 0 ? "cancelled" : i % 53 === 0 ? "draft" : "scheduled";
    const id = Number(
      ins.run(
        `bench-${i}@roundtable`,
        networks[i % networks.length],
        orgs[i % orgs.length],
        kinds[i % kinds.length],
        `Bench event ${i}: ${recurring ? "series" : "one-off"}`,
        `A description of event ${i}, with **markdown** and a [link](https://example.org/${i}).\n\nSecond paragraph.`,
        cols.start_local,
        cols.end_local,
        cols.start_utc,
        cols.end_utc,
        cols.series_end_utc,
        0,
        cols.recurrence,
        cols.rrule,
        i % 3 === 0 ? null : `Venue ${i}`,
        i % 3 === 0 ? null : "1 High Street\nManchester",
        i % 3 === 0 ? null : "M1 1AA",
        i % 3 === 0 ? `https://meet.example.org/${i}` : null,
        i % 5 === 0 ? 30 : null,
        i % 11 === 0 ? "members" : "public",
        status,
        status === "cancelled" ? stamp : null,
        stamp,
        stamp,
      ).lastInsertRowid,
    );
    topic.run(id, topics[i % topics.length]);
    if (recurring && i % 4 === 0) {
      // Cancel the occurrence a fortnight after the first, move the one after.
      const c = new Date(Date.parse(day) + 14 * 86_400_000).toISOString().slice(0, 10);
      override.run(id, `${c}T${String(hour).padStart(2, "0")}:00`, 1, null, null, stamp, stamp);
    }
  }
})();
const { rows: dates } = await extendOccurrences();
const insertMs = performance.now() - t0;
const total = Number((await db.selectFrom("event").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

const call = (loader: typeof feed.loader, url: string, headers: Record<string, string> = {}) =>
  loader({ request: new Request(`https://roundtable.example${url}`, { headers }), params: {}, context: {} }) as Promise<Response>;

let size = 0;
let vevents = 0;
let t1 = performance.now();
await (await call(feed.loader, "/events.ics")).text();
const coldFeedMs = performance.now() - t1;
// One event changes: the feed is rebuilt from cached VEVENT blocks plus one new block.
await db.updateTable("event").set({ sequence: 1, updated_at: new Date(Date.now() + 1000).toISOString() }).where("uid", "=", "bench-1@roundtable").execute();
t1 = performance.now();
await (await call(feed.loader, "/events.ics")).text();
const oneChangeMs = performance.now() - t1;
const feedMs = await time(async () => {
  const res = await call(feed.loader, "/events.ics");
  const body = await res.text();
  size = Buffer.byteLength(body);
  vevents = (body.match(/\r\nBEGIN:VEVENT\r\n/g) ?? []).length;
}, 5);
const etag = (await call(feed.loader, "/events.ics")).headers.get("etag")!;
const notModifiedMs = await time(async () => {
  const res = await call(feed.loader, "/events.ics", { "If-None-Match": etag });
  if (res.status !== 304) throw new Error(`expected 304, got ${res.status}`);
}, 50);
const list = (url: string) => time(async () => {
  const res = await call(eventsIndex.loader as unknown as typeof feed.loader, url);
  await res.json();
}, 20);
const list1 = await list("/events");
const list5 = await list("/events?page=5");
const listFiltered = await list("/events?kind=workshop&topic=dementia");

const rows: Array<[string, { median: number; p99: number }]> = [
  ["public feed, cold (nothing cached)", { median: coldFeedMs, p99: coldFeedMs }],
  ["public feed, after one event changed", { median: oneChangeMs, p99: oneChangeMs }],
  ["public feed /events.ics (warm build)", stats(feedMs)],
  ["public feed 304 (If-None-Match)", stats(notModifiedMs)],
  ["upcoming list loader, page 1", stats(list1)],
  ["upcoming list loader, page 5", stats(list5)],
  ["upcoming list loader, filtered", stats(listFiltered)],
];
console.log(`events: ${total} in the database, ${dates} dates stored (${Math.round(insertMs)} ms to insert and expand); feed: ${vevents} VEVENTs, ${(size / 1024).toFixed(0)} KiB`);
console.log("operation".padEnd(36), "median ms".padStart(10), "p99 ms".padStart(10));
for (const [name, s] of rows) console.log(name.padEnd(36), s.median.toFixed(2).padStart(10), s.p99.toFixed(2).padStart(10));
console.log(`ratio feed build / 304: ${(stats(feedMs).median / stats(notModifiedMs).median).toFixed(0)}x`);

await closeDb();
fs.rmSync(dir, { recursive: true, force: true });
