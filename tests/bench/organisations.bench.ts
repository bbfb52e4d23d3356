/**
 * Organisations at scale: 5,000 approved organisations, each with one or two services.
 * Measures the directory page loader with and without filters, and the Open Referral UK
 * /services page (list and one service). Prints figures and ratios; never fails.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { stats, time } from "./support";

const ORGS = Number(process.env.BENCH_ORGS ?? 5_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rt-bench-organisations-"));
process.env.DATABASE_PATH = path.join(dir, "bench.db");
process.env.UPLOADS_DIR = path.join(dir, "uploads");
process.env.OUTBOX_DIR = path.join(dir, "outbox");
process.env.APP_URL = "http://localhost:3000";
process.env.NODE_ENV = "test";

const { getDb, getSqlite, closeDb } = await import("../../db/index");
const { migrateToLatest } = await import("../../db/migrate");
const { seedFoundation } = await import("../../db/seed/foundation");
const directory = await import("../../app/routes/organisations._index");
const orukList = await import("../../app/routes/api.openreferral.services._index");
const orukOne = await import("../../app/routes/api.openreferral.services.$id");
const { SECTORS } = await import("../../db/types/foundation");
const { TOPICS } = await import("../../app/utils/vocab");

let seed = 11;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
const AREAS = ["Cumbria", "Lancashire", "Merseyside", "Cheshire", "Greater Manchester", "Halton", "Wirral", "Preston", "Blackpool", "Carlisle"];
const WORDS = "community garden walking choir museum dance befriending advice carers youth art heritage wellbeing nature cafe".split(" ");
const name = (i: number) => `${pick(WORDS)} ${pick(WORDS)} ${i}`.replace(/^./, (c) => c.toUpperCase());


const db = getDb();
await migrateToLatest(db);
await seedFoundation(db);
const sqlite = getSqlite();
const networks = (sqlite.prepare("SELECT id FROM network").all() as Array<{ id: number }>).map((n) => n.id);
const now = new Date().toISOString();

const t0 = performance.now();
let serviceCount = 0;
let sampleUuid = "";
sqlite.transaction(() => {
  const org = sqlite.prepare(
    "INSERT INTO organisation (uuid, slug, name, sector, summary, description, area_served, website, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'approved', ?, ?)",
  );
  const link = sqlite.prepare("INSERT OR IGNORE INTO organisation_network (organisation_id, network_id) VALUES (?, ?)");
  const svc = sqlite.prepare(
    "INSERT INTO service (uuid, organisation_id, name, description, eligibility, how_to_refer, schedule_text, address, city, postcode, cost, is_free, url, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, 'active', ?, ?)",
  );
  const topic = sqlite.prepare("INSERT OR IGNORE INTO service_topic (service_id, topic) VALUES (?, ?)");
  for (let i = 0; i < ORGS; i++) {
    const n = name(i);
    const id = Number(
      org.run(randomUUID(), `bench-${i}`, n, pick(SECTORS), `A ${pick(WORDS)} group for ${pick(WORDS)}.`, "Bench data.", pick(AREAS), `https://bench${i}.example.org`, now, now).lastInsertRowid,
    );
    link.run(id, pick(networks));
    const services = 1 + Math.floor(rand() * 2);
    for (let s = 0; s < services; s++) {
      const uuid = randomUUID();
      if (!sampleUuid) sampleUuid = uuid;
      const sid = Number(svc.run(uuid, id, `${n} ${pick(WORDS)} session`, `Weekly ${pick(WORDS)} sessions.`, "Adults", "Self-referral", "Tuesdays", "1 High Street", pick(AREAS), "M1 1AA", "Free", `https://bench${i}.example.org/s${s}`, now, now).lastInsertRowid);
      topic.run(sid, pick(TOPICS).value);
      serviceCount++;
    }
  }
})();
const insertMs = performance.now() - t0;

const ctx = {};
const req = (p: string) => new Request(`http://localhost:3000${p}`);
const cases: Array<[string, () => Promise<unknown>]> = [
  ["directory, first page", () => directory.loader({ request: req("/organisations"), params: {}, context: ctx })],
  ["directory, page 100", () => directory.loader({ request: req("/organisations?page=100"), params: {}, context: ctx })],
  ["directory, sector + network", () => directory.loader({ request: req("/organisations?sector=vcse&network=north-west"), params: {}, context: ctx })],
  ["directory, service topic", () => directory.loader({ request: req("/organisations?topic=dementia"), params: {}, context: ctx })],
  ["directory, area + name search", () => directory.loader({ request: req("/organisations?area=Cumbria&q=garden"), params: {}, context: ctx })],
  ["ORUK /services, page 1 (50)", () => orukList.loader({ request: req("/api/openreferral/services"), params: {}, context: ctx })],
  ["ORUK /services, page 100 (50)", () => orukList.loader({ request: req("/api/openreferral/services?page=100"), params: {}, context: ctx })],
  ["ORUK /services, search", () => orukList.loader({ request: req("/api/openreferral/services?search=choir"), params: {}, context: ctx })],
  ["ORUK /services/{id}", () => orukOne.loader({ request: req(`/api/openreferral/services/${sampleUuid}`), params: { id: sampleUuid }, context: ctx })],
];

console.log(`${ORGS} organisations, ${serviceCount} services inserted in ${insertMs.toFixed(0)} ms`);
const results: Array<{ name: string; median: number; p99: number }> = [];
for (const [label, fn] of cases) {
  const s = stats(await time(fn));
  results.push({ name: label, ...s });
}
const base = results[0].median;
console.log("operation".padEnd(34), "median ms".padStart(10), "p99 ms".padStart(10), "× first page".padStart(14));
for (const r of results) console.log(r.name.padEnd(34), r.median.toFixed(2).padStart(10), r.p99.toFixed(2).padStart(10), (r.median / base).toFixed(2).padStart(14));

await closeDb();
fs.rmSync(dir, { recursive: true, force: true });
