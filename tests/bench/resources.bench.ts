/**
 * Resource search at scale: 100,000 synthetic resources (bulk insert + FTS5
 * index build), then search latency for common two-word queries, facet
 * counting, and the list page loader's server time. Prints figures; never fails.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { stats, time } from "./support";

const N = Number(process.env.BENCH_RESOURCES ?? 100_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rt-bench-resources-"));
process.env.DATABASE_PATH = path.join(dir, "bench.db");
process.env.UPLOADS_DIR = path.join(dir, "uploads");
process.env.OUTBOX_DIR = path.join(dir, "outbox");
process.env.NODE_ENV = "test";

const { getDb, getSqlite, closeDb } = await import("../../db/index");
const { migrateToLatest } = await import("../../db/migrate");
const { seedFoundation } = await import("../../db/seed/foundation");
const { searchResources, searchResourceFacets } = await import("../../app/models/resource-search.server");
const { OPTIMISE } = await import("../../app/models/search/fts.server");
const { loader } = await import("../../app/routes/resources._index");
const { TOPICS, RESOURCE_KINDS } = await import("../../app/utils/vocab");

// Deterministic pseudo-random numbers, so runs are comparable.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

const WORDS = (
  "social prescribing community wellbeing health arts museum dance dementia loneliness isolation volunteering nature green " +
  "link worker evaluation outcomes commissioning funding housing money work children families mental physical activity " +
  "garden walking music singing heritage library football carers older people young rural urban inequalities primary care " +
  "practice network region north west national review evidence guide toolkit briefing report case study video directory"
).split(" ");
const sentence = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(" ");


const db = getDb();
await migrateToLatest(db);
await seedFoundation(db);
const sqlite = getSqlite();
const orgs = sqlite.prepare("SELECT id, name FROM organisation").all() as Array<{ id: number; name: string }>;
const networks = (sqlite.prepare("SELECT id FROM network").all() as Array<{ id: number }>).map((n) => n.id);

const t0 = performance.now();
const insertResource = sqlite.prepare(
  `INSERT INTO resource (id, network_id, visibility, status, kind, title, summary, publisher_organisation_id, publisher_name, year, url, licence, contributor_account_id, created_at, updated_at, published_at)
   VALUES (?, ?, ?, 'published', ?, ?, ?, ?, ?, ?, ?, '', NULL, ?, ?, ?)`,
);
const insertTopic = sqlite.prepare("INSERT INTO resource_topic (resource_id, topic) VALUES (?, ?)");
const insertOutcome = sqlite.prepare("INSERT INTO resource_outcome (resource_id, domain) VALUES (?, ?)");
sqlite.transaction(() => {
  for (let id = 1; id <= N; id++) {
    const org = rand() < 0.7 ? pick(orgs) : null;
    const publisherName = org ? null : `Publisher ${Math.floor(rand() * 400)}`;
    const kind = pick(RESOURCE_KINDS).value;
    const year = 2005 + Math.floor(rand() * 20);
    const title = sentence(4 + Math.floor(rand() * 5));
    const summary = sentence(25 + Math.floor(rand() * 30));
    const published = new Date(Date.UTC(2015, 0, 1) + Math.floor(rand() * 3650) * 86_400_000).toISOString();
    const topics = [...new Set([pick(TOPICS).value, pick(TOPICS).value])];
    const outcomes = [...new Set([pick(["person", "system", "community"]), pick(["person", "system", "community"])])];
    insertResource.run(id, pick(networks), rand() < 0.9 ? "public" : "members", kind, title, summary, org?.id ?? null, publisherName, year, `https://example.org/r/${id}`, published, published, published);
    for (const t of topics) insertTopic.run(id, t);
    for (const o of outcomes) insertOutcome.run(id, o);
  }
})();
const loadMs = performance.now() - t0;
const t1 = performance.now();
await OPTIMISE.execute(db);
sqlite.exec("ANALYZE");
const optimiseMs = performance.now() - t1;

const QUERIES = ["social prescribing", "community wellbeing", "arts health", "dementia dance", "link worker", "mental health", "green nature", "evidence review", "older people", "museum volunteering"];
const noFilters = { kind: [], topic: [], publisher: [], year: [], outcome: [], network: [] };
const input = (q: string) => ({ q, filters: noFilters, sort: "relevance" as const, page: 1, perPage: 20, readableNetworkIds: [] });

const rows: Array<[string, ReturnType<typeof stats>, string]> = [];
let qi = 0;
const matched: number[] = [];
const searchMs = await time(async () => {
  const q = QUERIES[qi++ % QUERIES.length];
  const r = await searchResources(input(q));
  matched.push(r.total);
}, 40);
rows.push(["search (results + 6 facets), 2-word queries", stats(searchMs), `~${Math.round(matched.reduce((a, b) => a + b, 0) / matched.length)} matches/query`]);
qi = 0;
const facetMs = await time(() => searchResourceFacets(input(QUERIES[qi++ % QUERIES.length])), 40);
rows.push(["facet counting only (6 facets), 2-word queries", stats(facetMs), ""]);
const facetAllMs = await time(() => searchResourceFacets(input("")), 15);
rows.push(["facet counting only, no query (all rows)", stats(facetAllMs), ""]);
const loaderList = await time(() => loader({ request: new Request("http://localhost/resources"), params: {}, context: {} }), 15);
rows.push(["list page loader: /resources", stats(loaderList), ""]);
qi = 0;
const loaderSearch = await time(() => loader({ request: new Request(`http://localhost/resources?q=${encodeURIComponent(QUERIES[qi++ % QUERIES.length])}`), params: {}, context: {} }), 30);
rows.push(["list page loader: /resources?q=<2 words>", stats(loaderSearch), ""]);
const loaderFiltered = await time(() => loader({ request: new Request("http://localhost/resources?q=social+prescribing&kind=video&topic=dementia&year=2017"), params: {}, context: {} }), 15);
rows.push(["list page loader: query + 3 filters", stats(loaderFiltered), ""]);
const deep = await time(() => loader({ request: new Request("http://localhost/resources?q=health&sort=newest&page=200"), params: {}, context: {} }), 10);
rows.push(["list page loader: page 200, newest", stats(deep), ""]);

console.log(`\nResources benchmark: ${N.toLocaleString("en-GB")} resources`);
console.log(`bulk insert + FTS index: ${(loadMs / 1000).toFixed(1)} s; optimise + ANALYZE: ${(optimiseMs / 1000).toFixed(1)} s\n`);
console.log("operation".padEnd(52), "median ms".padStart(10), "p99 ms".padStart(10), "p99/median".padStart(11), " note");
for (const [name, s, note] of rows) {
  console.log(name.padEnd(52), s.median.toFixed(1).padStart(10), s.p99.toFixed(1).padStart(10), (s.p99 / s.median).toFixed(2).padStart(11), ` ${note}`);
}
await closeDb();
fs.rmSync(dir, { recursive: true, force: true });
