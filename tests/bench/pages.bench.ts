/**
 * Issue 15's table, re-measured: the real server (the built app, `npm run build` first) on
 * loopback over a database at the issue's scale (`npm run db:scale`), with autocannon
 * (10 connections, BENCH_SECONDS per round, two rounds), side by side with a bare Remix 2 page
 * rendering the same number of list items from its loader, and raw node:http serving the same
 * bytes (feeds). Also the cold start: the first request for each page after a restart.
 * Prints figures and ratios; never fails on a time. The machine is shared: figures are under load.
 *
 *   BENCH_SCALE_DB=./data/scale.db npm run bench pages   (reuse a built database: it is copied)
 *   BENCH_SECONDS=3 BENCH_PAGES=home,events,feed …        (shorter rounds; only some rows)
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import autocannon from "autocannon";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = 2;
const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rt-bench-pages-"));
const dbPath = path.join(dir, "scale.db");

// ---------------------------------------------------------------- the database

if (process.env.BENCH_SCALE_DB) {
  fs.copyFileSync(path.resolve(process.env.BENCH_SCALE_DB), dbPath);
  console.log(`database: a copy of ${process.env.BENCH_SCALE_DB}`);
} else {
  process.env.DATABASE_PATH = dbPath;
  const { buildScaleDatabase } = await import("./scale-data");
  const { closeDb } = await import("../../db/index");
  const info = await buildScaleDatabase((line) => console.log(`  ${line}`));
  await closeDb();
  console.log(`database: ${Object.entries(info.counts).map(([k, v]) => `${v} ${k}`).join(", ")}`);
}

// A signed-in member of North West (the network of the long thread), and the bench's ids.
const SQLite = (await import("better-sqlite3")).default;
const { benchSessionId } = await import("./scale-data");
const probe = new SQLite(dbPath, { readonly: true });
const member = probe
  .prepare(
    `SELECT a.id FROM account a JOIN network_membership m ON m.account_id = a.id JOIN network n ON n.id = m.network_id
     WHERE n.slug = 'north-west' AND m.status = 'approved' AND m.role = 'member' AND a.id LIKE 'bench%' ORDER BY a.id LIMIT 1`,
  )
  .get() as { id: string };
const memberCookie = `rt_session=${benchSessionId(Number(member.id.slice(5)))}`;
const longThread = (probe.prepare("SELECT thread_id AS id FROM discussion_post GROUP BY thread_id ORDER BY count(*) DESC LIMIT 1").get() as { id: number }).id;
const bigCategory = (probe.prepare("SELECT category_id AS id FROM discussion_thread GROUP BY category_id ORDER BY count(*) DESC LIMIT 1").get() as { id: number }).id;
probe.close();

// ---------------------------------------------------------------- servers

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

async function startProcess(args: string[], env: NodeJS.ProcessEnv, ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes(ready)) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

const appPort = await freePort();
const appUrl = `http://127.0.0.1:${appPort}`;
const appEnv: NodeJS.ProcessEnv = {
  NODE_ENV: "production",
  HOST: "127.0.0.1",
  PORT: String(appPort),
  APP_URL: appUrl,
  DATABASE_PATH: dbPath,
  DATABASE_URL: "",
  OUTBOX_DIR: path.join(dir, "outbox"),
  UPLOADS_DIR: path.join(dir, "uploads"),
  SEED_DEMO: "off",
  JOBS: "off",
};
const startApp = () => startProcess(["--import", "tsx", "app/server.ts"], appEnv, "Roundtable is running");

/** One GET: status, headers, raw body (decoded when compressed) and the time to the last byte. */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; raw: Buffer; text: string; ms: number }> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const raw = Buffer.concat(chunks);
          const enc = res.headers["content-encoding"];
          const text = (enc === "br" ? zlib.brotliDecompressSync(raw) : enc === "gzip" ? zlib.gunzipSync(raw) : raw).toString("utf8");
          resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, text, ms: performance.now() - t });
        });
      })
      .on("error", reject);
  });
}

type Load = { rps: number[]; p99: number[]; codes: string };

async function load(url: string, headers: Record<string, string> = {}): Promise<Load> {
  const out: Load = { rps: [], p99: [], codes: "" };
  const codes = new Map<string, number>();
  for (let r = 0; r < ROUNDS; r++) {
    const result = await autocannon({ url, connections: 10, duration: SECONDS, headers });
    out.rps.push(result.requests.average);
    out.p99.push(result.latency.p99);
    for (const [code, s] of Object.entries(result.statusCodeStats ?? {})) codes.set(code, (codes.get(code) ?? 0) + (s as { count: number }).count);
    if (result.errors || result.timeouts) codes.set("error", (codes.get("error") ?? 0) + result.errors + result.timeouts);
  }
  out.codes = [...codes].map(([c, n]) => `${c}×${n}`).join(" ");
  return out;
}

// ---------------------------------------------------------------- the pages

type Row = { key: string; label: string; path: string; cookie?: string };
const allRows: Row[] = [
  { key: "home", label: "/ (home)", path: "/" },
  { key: "home-signed-in", label: "/ (home, signed in)", path: "/", cookie: memberCookie },
  { key: "events", label: "/events", path: "/events" },
  { key: "events-signed-in", label: "/events (signed in)", path: "/events", cookie: memberCookie },
  { key: "events50", label: "/events?page=50", path: "/events?page=50" },
  { key: "calendar", label: "/events/calendar", path: "/events/calendar" },
  { key: "search", label: "/resources?q=social prescribing", path: "/resources?q=social+prescribing" },
  { key: "site-search", label: "/search?q=social prescribing", path: "/search?q=social+prescribing" },
  { key: "resources", label: "/resources", path: "/resources" },
  { key: "organisations", label: "/organisations", path: "/organisations" },
  { key: "members", label: "/members (signed in)", path: "/members", cookie: memberCookie },
  { key: "thread", label: "thread, first page (signed in)", path: `/discussions/${longThread}`, cookie: memberCookie },
  { key: "category", label: "category of 10,000 threads", path: `/discussions/c/${bigCategory}` },
];
// BENCH_PAGES=home,events,feed measures only those rows ("feed" is the /events.ics rows).
const wanted = (process.env.BENCH_PAGES ?? "").split(",").map((s) => s.trim()).filter(Boolean);
const unknown = wanted.filter((k) => k !== "feed" && !allRows.some((r) => r.key === k));
if (unknown.length) throw new Error(`BENCH_PAGES: unknown ${unknown.join(", ")} (known: ${[...allRows.map((r) => r.key), "feed"].join(", ")})`);
const rows = wanted.length ? allRows.filter((r) => wanted.includes(r.key)) : allRows;
const withFeed = wanted.length === 0 || wanted.includes("feed");
const FEED = "/events.ics";

const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
const headersFor = (row: { cookie?: string }) => ({ "User-Agent": BROWSER_UA, ...(row.cookie ? { Cookie: row.cookie } : {}) });

// Cold start: restart the server before each page's first request.
console.log("\ncold start: the first request for each page after a restart");
const cold = new Map<string, number>();
for (const row of [...rows, ...(withFeed ? [{ key: "feed", label: `${FEED} (full)`, path: FEED }] : [])]) {
  const server = await startApp();
  const res = await get(`${appUrl}${row.path}`, { ...headersFor(row), "Accept-Encoding": "br, gzip" });
  cold.set(row.label, res.ms);
  console.log(`  ${row.label.padEnd(34)} ${res.status} ${res.ms.toFixed(0).padStart(6)} ms`);
  await stopProcess(server);
}

const app = await startApp();
const barePort = await freePort();
const bareDir = path.join(root, "tests/bench/bare-remix");
const remixCli = path.join(root, "node_modules/@remix-run/dev/dist/cli.js");
await new Promise<void>((resolve, reject) => {
  const b = spawn(process.execPath, [remixCli, "build"], { cwd: bareDir, env: { ...process.env, NODE_ENV: "production" }, stdio: "ignore" });
  b.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`bare Remix build failed (${code})`))));
});
const bare = await startProcess(["--import", "tsx", path.join(bareDir, "serve.ts")], { PORT: String(barePort), NODE_ENV: "production" }, "bare remix ready");
const bareUrl = `http://127.0.0.1:${barePort}`;
const bareCache = new Map<number, Load>();

const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
const range = (xs: number[], digits = 0) => {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo.toFixed(digits) === hi.toFixed(digits) ? lo.toFixed(digits) : `${lo.toFixed(digits)}–${hi.toFixed(digits)}`;
};

type Result = { label: string; rps: string; p99: string; html: string; br: string; base: string; ratio: string; cold: string; codes: string; pass: string };
const results: Result[] = [];

console.log(`\nthroughput: autocannon, 10 connections, ${SECONDS} s × ${ROUNDS} rounds (machine shared with other work)`);
for (const row of rows) {
  const url = `${appUrl}${row.path}`;
  const page = await get(url, headersFor(row));
  const compressed = await get(url, { ...headersFor(row), "Accept-Encoding": "br" });
  const items = (page.text.match(/<li[\s>]/g) ?? []).length;
  const ours = await load(url, headersFor(row));
  let base = bareCache.get(items);
  if (!base) {
    base = await load(`${bareUrl}/?n=${items}`, { "User-Agent": BROWSER_UA });
    bareCache.set(items, base);
  }
  const ratio = Math.max(...ours.rps) / Math.max(...base.rps);
  const worstP99 = Math.max(...ours.p99);
  const ok = ratio >= 0.25 && worstP99 <= 100 && page.raw.length <= 100 * 1024 && (cold.get(row.label) ?? 0) <= 1000;
  results.push({
    label: row.label,
    rps: range(ours.rps),
    p99: `${range(ours.p99)} ms`,
    html: kb(page.raw.length),
    br: kb(compressed.raw.length),
    base: `${range(base.rps)} (${items} items)`,
    ratio: `${(ratio * 100).toFixed(0)}%`,
    cold: `${(cold.get(row.label) ?? 0).toFixed(0)} ms`,
    codes: ours.codes,
    pass: ok ? "meets" : "NOT met",
  });
  console.log(`  ${row.label}: rounds ${ours.rps.map((r, i) => `${r.toFixed(0)} req/s p99 ${ours.p99[i]} ms`).join(", ")}; ${ours.codes}`);
}

// Feeds: the warm full feed (gzip) against raw node serving the same bytes; the 304 likewise.
if (withFeed) await measureFeeds();

async function measureFeeds() {
  const full = await get(`${appUrl}${FEED}`, { "Accept-Encoding": "gzip" });
  const etag = String(full.headers.etag);
  const rawPort = await freePort();
  const rawServer = http
    .createServer((req, res) => {
      if (req.headers["if-none-match"] === etag) {
        res.writeHead(304, { ETag: etag, "Cache-Control": "public, max-age=300" });
        res.end();
        return;
      }
      res.writeHead(200, { "Content-Type": "text/calendar; charset=utf-8", "Content-Encoding": "gzip", "Content-Length": full.raw.length, ETag: etag });
      res.end(full.raw);
    })
    .listen(rawPort, "127.0.0.1");
  const rawUrl = `http://127.0.0.1:${rawPort}${FEED}`;
  const feedOurs = await load(`${appUrl}${FEED}`, { "Accept-Encoding": "gzip" });
  const feedRaw = await load(rawUrl, { "Accept-Encoding": "gzip" });
  const notModOurs = await load(`${appUrl}${FEED}`, { "If-None-Match": etag });
  const notModRaw = await load(rawUrl, { "If-None-Match": etag });
  rawServer.close();
  for (const [label, ours, raw, size, coldMs] of [
    [`${FEED} warm (gzip)`, feedOurs, feedRaw, `${kb(Buffer.byteLength(full.text))} → ${kb(full.raw.length)} gzip`, cold.get(`${FEED} (full)`) ?? 0],
    [`${FEED} answered 304`, notModOurs, notModRaw, "–", 0],
  ] as const) {
    const ratio = Math.max(...ours.rps) / Math.max(...raw.rps);
    results.push({
      label,
      rps: range(ours.rps),
      p99: `${range(ours.p99, 1)} ms`,
      html: size,
      br: "",
      base: `raw node ${range(raw.rps)}`,
      ratio: `${(ratio * 100).toFixed(0)}%`,
      cold: coldMs ? `${coldMs.toFixed(0)} ms` : "",
      codes: ours.codes,
      pass: ratio >= 0.1 && coldMs <= 1000 ? "meets" : "NOT met",
    });
  }
}

await stopProcess(bare);
await stopProcess(app);

console.log("\n| page | req/s | p99 | HTML (br) | bare Remix / raw node, same items or bytes | ratio | cold start | target |");
console.log("|---|---|---|---|---|---|---|---|");
for (const r of results) console.log(`| ${r.label} | ${r.rps} | ${r.p99} | ${r.html}${r.br ? ` (${r.br})` : ""} | ${r.base} | ${r.ratio} | ${r.cold} | ${r.pass} |`);
console.log("\nstatus codes under load:");
for (const r of results) console.log(`  ${r.label}: ${r.codes}`);
console.log("targets: list pages ≥ 25% of bare Remix req/s, p99 ≤ 100 ms, HTML ≤ 100 KB; feed ≥ 10% of raw node; cold start ≤ 1 s.");

fs.rmSync(dir, { recursive: true, force: true });
