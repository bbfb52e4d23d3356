/**
 * The portal-wide search at the issue-14 scale: 100,000 resources, 10,000 events, 5,000
 * organisations with ~7,400 services (spread over real North West coordinates), 50,000 posts.
 * Server time of /search's loader (first page of grouped results) for a common two-word query,
 * "near a postcode" over the services, and /resources?q=… for the same words; each one at a
 * time and with 10 requests in flight (the server is one thread, so that is what 10 connections
 * see). Prints figures; never fails on a time.
 *
 *   BENCH_SCALE_DB=./data/scale.db npm run bench search   (reuse a built database: it is copied)
 */
import fs from "node:fs";
import { register } from "node:module";
import os from "node:os";
import path from "node:path";
import { stats, time } from "./support";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rt-bench-search-"));
const dbPath = path.join(dir, "scale.db");
process.env.DATABASE_PATH = dbPath;
process.env.NODE_ENV = "test";
// Nothing leaves the machine: lookups fail fast; the bench writes its coordinates itself.
process.env.POSTCODES_API_URL = "http://127.0.0.1:9";
process.env.POSTCODES_ALLOW_PRIVATE = "on";

if (process.env.BENCH_SCALE_DB) {
  fs.copyFileSync(path.resolve(process.env.BENCH_SCALE_DB), dbPath);
  console.log(`database: a copy of ${process.env.BENCH_SCALE_DB}`);
} else {
  const { buildScaleDatabase } = await import("./scale-data");
  const info = await buildScaleDatabase((line) => console.log(`  ${line}`));
  console.log(`database: ${Object.entries(info.counts).map(([k, v]) => `${v} ${k}`).join(", ")}`);
}

const { getSqlite, getDb, closeDb } = await import("../../db/index");
await (await import("../../db/migrate")).migrateToLatest(getDb());
const { OPTIMISE } = await import("../../app/models/search/fts.server");
const sqlite = getSqlite();

// ---------------------------------------------------------------- top up to the issue's scale

let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const WORDS = "social prescribing community walking group lonely befriending garden money advice dementia music arts carers".split(" ");
const sentence = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(" ");

const t0 = performance.now();
const posts = (sqlite.prepare("SELECT count(*) AS n FROM discussion_post").get() as { n: number }).n;
const thread = sqlite.prepare("SELECT id FROM discussion_thread ORDER BY id LIMIT 1 OFFSET ?");
const threads = (sqlite.prepare("SELECT count(*) AS n FROM discussion_thread").get() as { n: number }).n;
const nextSeq = sqlite.prepare("SELECT last_seq FROM discussion_thread WHERE id = ?");
const addPost = sqlite.prepare("INSERT INTO discussion_post (thread_id, seq, author_account_id, body, created_at, hidden) VALUES (?, ?, NULL, ?, ?, 0)");
const bump = sqlite.prepare("UPDATE discussion_thread SET last_seq = ?, reply_count = reply_count + 1 WHERE id = ?");
sqlite.transaction(() => {
  for (let i = posts; i < 50_000; i++) {
    const id = (thread.get(Math.floor(rand() * threads)) as { id: number }).id;
    const seq = (nextSeq.get(id) as { last_seq: number }).last_seq + 1;
    addPost.run(id, seq, sentence(20), new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString());
    bump.run(seq, id);
  }
})();
// Every service somewhere in the North West (lat 53.3–54.9, lng −3.3 to −2.0), as postcodes the lookup found.
const services = sqlite.prepare("SELECT id FROM service").all() as Array<{ id: number }>;
const place = sqlite.prepare("INSERT INTO postcode_location (postcode, status, latitude, longitude, attempts) VALUES (?, 'found', ?, ?, 1) ON CONFLICT DO UPDATE SET status = 'found', latitude = excluded.latitude, longitude = excluded.longitude");
const setPostcode = sqlite.prepare("UPDATE service SET postcode = ?, online = ? WHERE id = ?");
sqlite.transaction(() => {
  place.run("PR1 2HE", 53.7632, -2.7031);
  for (const s of services) {
    const postcode = `BN${Math.floor(s.id / 1000) + 1} ${s.id % 10}${String.fromCharCode(65 + (s.id % 26))}${String.fromCharCode(65 + ((s.id >> 5) % 26))}`;
    place.run(postcode, 53.3 + rand() * 1.6, -3.3 + rand() * 1.3);
    setPostcode.run(postcode, rand() < 0.05 ? 1 : 0, s.id);
  }
})();
await OPTIMISE.execute(getDb());
sqlite.exec("ANALYZE");
const count = (sql: string) => (sqlite.prepare(sql).get() as { n: number }).n;
console.log(
  `topped up in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${count("SELECT count(*) AS n FROM resource")} resources, ${count("SELECT count(*) AS n FROM event")} events, ` +
    `${count("SELECT count(*) AS n FROM organisation")} organisations, ${count("SELECT count(*) AS n FROM service")} services, ${count("SELECT count(*) AS n FROM discussion_post")} posts, ` +
    `${count("SELECT count(*) AS n FROM search_document")} search documents`,
);

// ---------------------------------------------------------------- timings

// Route modules import stylesheets and images (the map): tsx cannot load those.
register("./asset-stub.mjs", import.meta.url);
const { loader: searchLoader } = await import("../../app/routes/search");
const { loader: resourcesLoader } = await import("../../app/routes/resources._index");
const { siteSearch } = await import("../../app/models/search/site-search.server");

const req = (p: string) => new Request(`http://localhost:3000${p}`);
const call = async (loader: (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response>, p: string) => {
  const res = await loader({ request: req(p), params: {}, context: {} });
  await res.text();
};

/** 10 requests in flight at once, `rounds` times: the latency each one sees. */
async function inFlight(fn: () => Promise<unknown>, rounds = 10): Promise<number[]> {
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const t = performance.now();
        await fn();
        out.push(performance.now() - t);
      }),
    );
  }
  return out;
}

const fmt = (ms: number[]) => {
  const s = stats(ms);
  return `median ${s.median.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms`;
};
const viewer = { readableNetworkIds: [] as number[], readableCategoryIds: (sqlite.prepare("SELECT c.id FROM discussion_category c JOIN discussion_setting s ON s.network_id = c.network_id WHERE s.visibility = 'public'").all() as Array<{ id: number }>).map((r) => r.id) };
const model = (q: string, near: { latitude: number; longitude: number } | null = null, groups: ("service" | "resource")[] = []) =>
  siteSearch({ q, groups, topic: null, networkId: null, area: null, near, withinMiles: 10, pages: {}, perPage: 5, viewer });

const cases: Array<[string, () => Promise<unknown>]> = [
  ["/search?q=social prescribing (loader)", () => call(searchLoader, "/search?q=social+prescribing")],
  ["  siteSearch model only", () => model("social prescribing")],
  ["/search?q=walking group (loader)", () => call(searchLoader, "/search?q=walking+group")],
  ["/search?kind=service&near=PR1 2HE&within=10 (loader)", () => call(searchLoader, "/search?kind=service&near=PR1+2HE&within=10")],
  ["  near PR1 2HE over services, model only", () => model("", { latitude: 53.7632, longitude: -2.7031 }, ["service"])],
  ["/resources?q=social prescribing (loader)", () => call(resourcesLoader, "/resources?q=social+prescribing")],
];
// Cold: the index version is raised before each run, so nothing remembered is used (what the first
// person to search for something after any change waits). Warm: the same search again, answered
// from the result remembered under the unchanged version.
const { sql } = await import("kysely");
const raiseVersion = () => sql`UPDATE search_version SET version = version + 1`.execute(getDb());
console.log("\nserver time, cold (index version raised before each run: every search computed), 20 runs:");
for (const [name, fn] of cases) {
  const cold = await time(async () => {
    await raiseVersion();
    await fn();
  }, 20, 2);
  console.log(`${name.padEnd(52)} ${fmt(cold)}`);
}
console.log("\nserver time, warm (the same search again), one at a time 30 runs | 10 in flight, 100 requests:");
for (const [name, fn] of cases) {
  const one = await time(fn, 30, 3);
  const ten = await inFlight(fn);
  console.log(`${name.padEnd(52)} ${fmt(one).padEnd(32)} | 10 in flight: ${fmt(ten)}`);
}
const hits = await model("social prescribing");
console.log(`\n"social prescribing" matches: ${hits.groups.map((g) => `${g.total} ${g.group}s`).join(", ")}`);

await closeDb();
fs.rmSync(dir, { recursive: true, force: true });
