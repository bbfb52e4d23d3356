/**
 * The issue-15 scale, in one database: the demo data plus 5,000 organisations (7,413
 * services), 100,000 resources, 10,000 events (1,000 series), 20,000 accounts, a thread of
 * 5,001 posts and a category of 10,000 threads. Prepared statements in one transaction per
 * table, deterministic pseudo-random data (the same counts every run). Used by
 * `npm run db:scale` and the page benchmark; the generators follow the per-domain benches.
 *
 * Import this module only after DATABASE_PATH is set: it opens the one connection.
 */
import { randomUUID } from "node:crypto";
import { getDb, getSqlite } from "../../db/index";
import { migrateToLatest } from "../../db/migrate";
import { seedDemo } from "../../db/seed/index";
import { SECTORS } from "../../db/types/foundation";
import { extendOccurrences, timeColumns } from "../../app/models/events/occurrences.server";
import { OPTIMISE } from "../../app/models/search/fts.server";
import { hashSessionId } from "../../app/utils/auth.server";
import { hashPassword } from "../../app/utils/password.server";
import { RESOURCE_KINDS, TOPICS } from "../../app/utils/vocab";

export const SCALE = { organisations: 5_000, resources: 100_000, events: 10_000, accounts: 20_000, replies: 5_000, threads: 10_000 };
export const BENCH_PASSWORD = "correct horse battery staple";

function random(seed: number) {
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  return { rand, pick };
}

type Log = (line: string) => void;

async function step<T>(log: Log, what: string, fn: () => T | Promise<T>): Promise<T> {
  const t = performance.now();
  const out = await fn();
  log(`${what}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return out;
}

function insertOrganisations(): number {
  const sqlite = getSqlite();
  const { rand, pick } = random(11);
  const AREAS = ["Cumbria", "Lancashire", "Merseyside", "Cheshire", "Greater Manchester", "Halton", "Wirral", "Preston", "Blackpool", "Carlisle"];
  const WORDS = "community garden walking choir museum dance befriending advice carers youth art heritage wellbeing nature cafe".split(" ");
  const networks = (sqlite.prepare("SELECT id FROM network").all() as Array<{ id: number }>).map((n) => n.id);
  const now = new Date().toISOString();
  let services = 0;
  sqlite.transaction(() => {
    const org = sqlite.prepare(
      "INSERT INTO organisation (uuid, slug, name, sector, summary, description, area_served, website, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'approved', ?, ?)",
    );
    const link = sqlite.prepare("INSERT OR IGNORE INTO organisation_network (organisation_id, network_id) VALUES (?, ?)");
    const svc = sqlite.prepare(
      "INSERT INTO service (uuid, organisation_id, name, description, eligibility, how_to_refer, schedule_text, address, city, postcode, cost, is_free, url, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, 'active', ?, ?)",
    );
    const topic = sqlite.prepare("INSERT OR IGNORE INTO service_topic (service_id, topic) VALUES (?, ?)");
    for (let i = 0; i < SCALE.organisations; i++) {
      const n = `${pick(WORDS)} ${pick(WORDS)} ${i}`.replace(/^./, (c) => c.toUpperCase());
      const id = Number(org.run(randomUUID(), `bench-${i}`, n, pick(SECTORS), `A ${pick(WORDS)} group for ${pick(WORDS)}.`, "Bench data.", pick(AREAS), `https://bench${i}.example.org`, now, now).lastInsertRowid);
      link.run(id, pick(networks));
      const count = 1 + Math.floor(rand() * 2);
      for (let s = 0; s < count; s++) {
        const sid = Number(svc.run(randomUUID(), id, `${n} ${pick(WORDS)} session`, `Weekly ${pick(WORDS)} sessions.`, "Adults", "Self-referral", "Tuesdays", "1 High Street", pick(AREAS), "M1 1AA", "Free", `https://bench${i}.example.org/s${s}`, now, now).lastInsertRowid);
        topic.run(sid, pick(TOPICS).value);
        services++;
      }
    }
  })();
  return services;
}

function insertResources(): void {
  const sqlite = getSqlite();
  const { rand, pick } = random(42);
  const WORDS = (
    "social prescribing community wellbeing health arts museum dance dementia loneliness isolation volunteering nature green " +
    "link worker evaluation outcomes commissioning funding housing money work children families mental physical activity " +
    "garden walking music singing heritage library football carers older people young rural urban inequalities primary care " +
    "practice network region north west national review evidence guide toolkit briefing report case study video directory"
  ).split(" ");
  const sentence = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(" ");
  const orgs = sqlite.prepare("SELECT id, name FROM organisation").all() as Array<{ id: number; name: string }>;
  const networks = (sqlite.prepare("SELECT id FROM network").all() as Array<{ id: number }>).map((n) => n.id);
  const first = (sqlite.prepare("SELECT coalesce(max(id), 0) AS n FROM resource").get() as { n: number }).n + 1;
  const insertResource = sqlite.prepare(
    `INSERT INTO resource (id, network_id, visibility, status, kind, title, summary, publisher_organisation_id, publisher_name, year, url, licence, contributor_account_id, created_at, updated_at, published_at)
     VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, '', NULL, ?, ?, ?)`,
  );
  const insertTopic = sqlite.prepare("INSERT INTO resource_topic (resource_id, topic) VALUES (?, ?)");
  const insertOutcome = sqlite.prepare("INSERT INTO resource_outcome (resource_id, domain) VALUES (?, ?)");
  sqlite.transaction(() => {
    for (let id = first; id < first + SCALE.resources; id++) {
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
    // Published once their topics are in: the search index triggers then write each document once,
    // not once per topic row (pending resources have no document).
    sqlite.prepare("UPDATE resource SET status = 'published' WHERE id >= ? AND id < ?").run(first, first + SCALE.resources);
  })();
}

/** 9,000 one-off events from a year ago to two years ahead and 1,000 series (weekly open-ended, fortnightly, monthly). */
function insertEvents(): void {
  const sqlite = getSqlite();
  const networks = (sqlite.prepare("SELECT id FROM network").all() as Array<{ id: number }>).map((n) => n.id);
  const orgs = (sqlite.prepare("SELECT id FROM organisation").all() as Array<{ id: number }>).map((o) => o.id);
  const topics = ["arts-and-health", "dementia", "link-workers", "mental-health", "nature-and-green"];
  const kinds = ["round-table", "conference", "panel", "workshop", "online-chat", "training"] as const;
  const now = Date.now();
  const stamp = new Date().toISOString();
  const ins = sqlite.prepare(
    `insert into event (uid, sequence, network_id, organisation_id, organiser_account_id, kind, title, description, start_local, end_local, time_zone,
      start_utc, end_utc, series_end_utc, all_day, recurrence, rrule, venue, address, postcode, online_url, online_url_registrants_only, capacity,
      access_bsl, access_captions, access_step_free, accessibility_notes, visibility, status, cancelled_at, created_at, updated_at)
     values (?, 0, ?, ?, null, ?, ?, ?, ?, ?, 'Europe/London', ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, 0, ?, 0, 1, 1, null, ?, ?, ?, ?, ?)`,
  );
  const topic = sqlite.prepare("insert into event_topic (event_id, topic) values (?, ?)");
  const override = sqlite.prepare(
    "insert into event_occurrence_override (event_id, recurrence_id_local, cancelled, start_local, end_local, note, sequence, created_at, updated_at) values (?, ?, 1, null, null, null, 1, ?, ?)",
  );
  sqlite.transaction(() => {
    for (let i = 0; i < SCALE.events; i++) {
      const recurring = i % 10 === 0;
      const offsetDays = recurring ? -((i * 37) % 365) : Math.floor(((i * 7919) % 1095) - 365);
      const day = new Date(now + offsetDays * 86_400_000).toISOString().slice(0, 10);
      const hour = 9 + (i % 10);
      const startLocal = `${day}T${String(hour).padStart(2, "0")}:00`;
      const endLocal = `${day}T${String(hour + 1).padStart(2, "0")}:30`;
      const rec = !recurring ? null : i % 30 === 0 ? { freq: "monthly-weekday" as const, count: 24 } : i % 20 === 0 ? { freq: "fortnightly" as const, count: 40 } : { freq: "weekly" as const };
      const cols = timeColumns({ startLocal, endLocal, allDay: false, recurrence: rec });
      const status = i % 97 === 0 ? "cancelled" : i % 53 === 0 ? "draft" : "scheduled";
      const online = i % 3 === 0;
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
          cols.recurrence,
          cols.rrule,
          online ? null : `Venue ${i}`,
          online ? null : "1 High Street\nManchester",
          online ? null : "M1 1AA",
          online ? `https://meet.example.org/${i}` : null,
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
        const c = new Date(Date.parse(day) + 14 * 86_400_000).toISOString().slice(0, 10);
        override.run(id, `${c}T${String(hour).padStart(2, "0")}:00`, stamp, stamp);
      }
    }
  })();
}

/** 20,000 accounts (three sessions each), approved members of one or two networks; every 50th an organiser. */
async function insertAccounts(): Promise<void> {
  const sqlite = getSqlite();
  const networks = (sqlite.prepare("SELECT id FROM network").all() as Array<{ id: number }>).map((n) => n.id);
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const now = new Date().toISOString();
  const later = new Date(Date.now() + 7 * 86400_000).toISOString();
  sqlite.transaction(() => {
    const acc = sqlite.prepare("insert into account (id, email, email_verified_at, name, password_hash, profile_visible, is_platform_admin, created_at, updated_at) values (?, ?, ?, ?, ?, 1, 0, ?, ?)");
    const ses = sqlite.prepare("insert into session (id, account_id, expires_at, created_at, last_seen_at, user_agent, ip_address, mfa_verified) values (?, ?, ?, ?, ?, 'bench', '127.0.0.1', 0)");
    const mem = sqlite.prepare("insert into network_membership (network_id, account_id, role, status, created_at) values (?, ?, ?, ?, ?)");
    for (let i = 0; i < SCALE.accounts; i++) {
      const id = benchAccountId(i);
      acc.run(id, `person${i}@bench.example`, now, `Person ${i}`, passwordHash, now, now);
      for (let s = 0; s < 3; s++) ses.run(hashSessionId(benchSessionId(i, s)), id, later, now, now);
      mem.run(networks[i % networks.length], id, i % 50 === 0 ? "organiser" : "member", i % 10 === 0 ? "pending" : "approved", now);
      if (i % 2 === 0) mem.run(networks[(i + 1) % networks.length], id, "member", "approved", now);
    }
  })();
}

export const benchAccountId = (i: number) => `bench${i.toString().padStart(8, "0")}`;
/** The raw session id of bench account i's s-th session (its cookie value). */
export const benchSessionId = (i: number, s = 0) => `${benchAccountId(i)}s${s}`.padEnd(40, "x");

/** One North West thread with 5,000 replies and a category of 10,000 threads (two posts each). */
function insertDiscussions(): { longThreadId: number; bigCategoryId: number } {
  const sqlite = getSqlite();
  const { rand } = random(7);
  const WORDS = "social prescribing link worker outcomes framework arts museum dance funding volunteers community evaluation referral wellbeing carers preston conference".split(" ");
  const sentence = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(" ");
  const body = () => `${sentence(25)}\n\n- **${sentence(3)}**\n- [${sentence(2)}](https://example.org/${Math.floor(rand() * 1000)})\n\n> ${sentence(10)}`;
  const networkId = (sqlite.prepare("SELECT id FROM network WHERE slug = 'north-west'").get() as { id: number }).id;
  const now = Date.now();
  const iso = (msAgo: number) => new Date(now - msAgo).toISOString();
  return sqlite.transaction(() => {
    sqlite.prepare("INSERT INTO account (id, email, email_verified_at, name, password_hash, profile_visible, is_platform_admin, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, 1, 0, ?, ?)").run("bench-author", "bench@example.org", iso(0), "Bench Author", iso(0), iso(0));
    const cat = sqlite.prepare("INSERT INTO discussion_category (network_id, slug, name, description, position, created_at) VALUES (?, ?, ?, '', 0, ?)");
    const longCat = Number(cat.run(networkId, "bench-long", "Long thread", iso(0)).lastInsertRowid);
    const bigCat = Number(cat.run(networkId, "bench-big", "Big category", iso(0)).lastInsertRowid);
    const thread = sqlite.prepare(
      "INSERT INTO discussion_thread (network_id, category_id, title, author_account_id, pinned, locked, hidden, created_at, last_post_at, reply_count, last_seq) VALUES (?, ?, ?, 'bench-author', ?, 0, ?, ?, ?, ?, ?)",
    );
    const post = sqlite.prepare("INSERT INTO discussion_post (thread_id, seq, author_account_id, body, created_at, hidden) VALUES (?, ?, 'bench-author', ?, ?, ?)");
    const longId = Number(thread.run(networkId, longCat, "A very long thread", 0, 0, iso(SCALE.replies * 60_000), iso(0), SCALE.replies, SCALE.replies + 1).lastInsertRowid);
    for (let seq = 1; seq <= SCALE.replies + 1; seq++) {
      const b = body();
      post.run(longId, seq, b, iso((SCALE.replies + 1 - seq) * 60_000), seq % 97 === 0 ? 1 : 0);
    }
    for (let i = 0; i < SCALE.threads; i++) {
      const title = `${sentence(6)} ${i}`;
      const id = Number(thread.run(networkId, bigCat, title, i % 2500 === 0 ? 1 : 0, i % 101 === 0 ? 1 : 0, iso(i * 3_600_000), iso(i * 600_000), 1, 2).lastInsertRowid);
      const b = body();
      post.run(id, 1, b, iso(i * 3_600_000), 0);
      post.run(id, 2, sentence(12), iso(i * 600_000), 0);
    }
    return { longThreadId: longId, bigCategoryId: bigCat };
  })();
}

export type ScaleInfo = { longThreadId: number; bigCategoryId: number; counts: Record<string, number> };

/** Fills the (empty) database at DATABASE_PATH. */
export async function buildScaleDatabase(log: Log = console.log): Promise<ScaleInfo> {
  const db = getDb();
  const sqlite = getSqlite();
  await migrateToLatest(db);
  await seedDemo(db, { demoPassword: BENCH_PASSWORD, log: () => {} });
  // Bulk load: durability is pointless for a database rebuilt from scratch.
  sqlite.pragma("synchronous = OFF");
  const services = await step(log, `${SCALE.organisations} organisations`, insertOrganisations);
  await step(log, `${SCALE.resources} resources`, insertResources);
  await step(log, `${SCALE.events} events`, insertEvents);
  const dates = await step(log, "event dates (the occurrences job's first run)", () => extendOccurrences());
  await step(log, `${SCALE.accounts} accounts`, insertAccounts);
  const ids = await step(log, "discussions", insertDiscussions);
  await step(log, "search index optimise + ANALYZE", async () => {
    await OPTIMISE.execute(db);
    sqlite.exec("ANALYZE");
  });
  sqlite.pragma("synchronous = FULL");
  const count = (table: string) => (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const counts = {
    events: count("event"),
    series: (sqlite.prepare("SELECT count(*) AS n FROM event WHERE recurrence IS NOT NULL").get() as { n: number }).n,
    resources: count("resource"),
    organisations: count("organisation"),
    services,
    eventDates: dates.rows,
    accounts: count("account"),
    longThreadPosts: (sqlite.prepare("SELECT count(*) AS n FROM discussion_post WHERE thread_id = ?").get(ids.longThreadId) as { n: number }).n,
    bigCategoryThreads: (sqlite.prepare("SELECT count(*) AS n FROM discussion_thread WHERE category_id = ?").get(ids.bigCategoryId) as { n: number }).n,
  };
  return { ...ids, counts };
}
