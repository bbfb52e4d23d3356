/**
 * Where things are: postcodes → coordinates, from postcodes.io (POSTCODES_API_URL).
 *
 * Every postcode a venue, service or organisation uses is queued in postcode_location by triggers
 * (migration 0040) as 'pending'. Saving never waits on the network inside a transaction and never
 * fails because the postcode service is down: after the save commits, lookUpNow() tries at once;
 * anything still pending is retried by the "postcode lookups" job with growing gaps. Found
 * coordinates reach the search documents through a trigger.
 *
 * Outbound requests go only to POSTCODES_API_URL, with the postcode (validated, normalised and
 * URL-encoded) as the last path segment, so what a person types never chooses the host. The host
 * is resolved, and every address it resolves to is refused when it is loopback, private,
 * link-local, unique-local, CGNAT or unspecified, unless POSTCODES_ALLOW_PRIVATE=on (set only by
 * the tests, for the local stand-in on 127.0.0.1). The connection is made to the very address
 * that was checked (the `lookup` hook), so a DNS answer that changes in between gains nothing.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { type RawBuilder, sql } from "kysely";
import { getDb, skipLocked, writeTransaction, type DB } from "../../db/index";
import { env } from "../utils/env.server";
import { normalisePostcode } from "../validation/postcode";
import { withinFrom } from "../validation/near";
import type { SearchKind } from "../../db/types/search";
import { isPrivateAddress } from "../utils/safe-fetch.server";

export type Located = { postcode: string; latitude: number; longitude: number };
export type Lookup = { kind: "found"; latitude: number; longitude: number } | { kind: "unknown" } | { kind: "unavailable" };

const TIMEOUT_MS = 3000;
const MAX_BYTES = 64 * 1024;
const RETRY_BASE_MS = 5 * 60 * 1000;
const RETRY_MAX_MS = 24 * 60 * 60 * 1000;

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean; family?: number } | number, callback: LookupCallback) => {
    const opts = typeof options === "number" ? { family: options } : options;
    dnsLookup(hostname, { all: true, family: opts.family ?? 0, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, "", 4);
      const list = addresses as LookupAddress[];
      if (list.length === 0 || (!allowPrivate && list.some((a) => isPrivateAddress(a.address)))) {
        return callback(Object.assign(new Error(`refused address for ${hostname}`), { code: "EPRIVATE" }), "", 4);
      }
      if (opts.all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

/** GET a small JSON document from the postcode service; null when it cannot be reached or read. */
function getJson(url: URL, allowPrivate: boolean): Promise<{ status: number; body: unknown } | null> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(host) && !allowPrivate && isPrivateAddress(host)) return Promise.resolve(null);
  return new Promise((resolve) => {
    const lib = url.protocol === "https:" ? https : http;
    let done = false;
    const finish = (value: { status: number; body: unknown } | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => finish(null), TIMEOUT_MS);
    const req = lib.request(
      url,
      { method: "GET", headers: { Accept: "application/json", "User-Agent": "Roundtable postcode lookup" }, lookup: guardedLookup(allowPrivate) as unknown as typeof dnsLookup, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > MAX_BYTES) return finish(null);
          chunks.push(c);
        });
        res.on("error", () => finish(null));
        res.on("end", () => {
          try {
            finish({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
          } catch {
            finish(null);
          }
        });
      },
    );
    req.on("error", () => finish(null));
    req.end();
  });
}

/** Asks the postcode service about one normalised postcode (postcodes.io: GET /postcodes/{postcode}). */
export async function lookupPostcode(postcode: string): Promise<Lookup> {
  const config = env();
  const base = config.POSTCODES_API_URL.replace(/\/+$/, "");
  const answer = await getJson(new URL(`${base}/postcodes/${encodeURIComponent(postcode)}`), config.POSTCODES_ALLOW_PRIVATE === "on");
  if (!answer) return { kind: "unavailable" };
  if (answer.status === 404) return { kind: "unknown" };
  const result = typeof answer.body === "object" && answer.body !== null && "result" in answer.body ? (answer.body as { result: unknown }).result : null;
  if (answer.status === 200 && result && typeof result === "object") {
    const { latitude, longitude } = result as { latitude?: unknown; longitude?: unknown };
    // postcodes.io answers null coordinates for a few postcodes without a grid reference.
    if (typeof latitude === "number" && typeof longitude === "number" && Number.isFinite(latitude) && Number.isFinite(longitude)) return { kind: "found", latitude, longitude };
    return { kind: "unknown" };
  }
  return { kind: "unavailable" };
}

async function record(db: DB, postcode: string, outcome: Lookup, attempts: number, now: Date): Promise<void> {
  const checked = now.toISOString();
  if (outcome.kind === "unavailable") {
    const wait = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** attempts);
    await db
      .insertInto("postcode_location")
      .values({ postcode, status: "pending", latitude: null, longitude: null, attempts: attempts + 1, checked_at: checked, next_attempt_at: new Date(now.getTime() + wait).toISOString() })
      .onConflict((oc) => oc.column("postcode").doUpdateSet({ attempts: attempts + 1, checked_at: checked, next_attempt_at: new Date(now.getTime() + wait).toISOString() }))
      .execute();
    return;
  }
  const values =
    outcome.kind === "found"
      ? { status: "found" as const, latitude: outcome.latitude, longitude: outcome.longitude }
      : { status: "unknown" as const, latitude: null, longitude: null };
  await db
    .insertInto("postcode_location")
    .values({ postcode, ...values, attempts: attempts + 1, checked_at: checked, next_attempt_at: null })
    .onConflict((oc) => oc.column("postcode").doUpdateSet({ ...values, attempts: attempts + 1, checked_at: checked, next_attempt_at: null }))
    .execute();
}

export type Locate = { kind: "found"; place: Located } | { kind: "invalid" } | { kind: "unknown"; postcode: string } | { kind: "unavailable"; postcode: string };

/** Where a postcode someone typed is: from what is stored, else asked now (and stored). */
export async function locatePostcode(input: string): Promise<Locate> {
  const postcode = normalisePostcode(input);
  if (!postcode) return { kind: "invalid" };
  const db = getDb();
  const row = await db.selectFrom("postcode_location").selectAll().where("postcode", "=", postcode).executeTakeFirst();
  if (row?.status === "found" && row.latitude !== null && row.longitude !== null) return { kind: "found", place: { postcode, latitude: row.latitude, longitude: row.longitude } };
  if (row?.status === "unknown") return { kind: "unknown", postcode };
  const outcome = await lookupPostcode(postcode);
  await record(db, postcode, outcome, row?.attempts ?? 0, new Date());
  if (outcome.kind === "found") return { kind: "found", place: { postcode, latitude: outcome.latitude, longitude: outcome.longitude } };
  return { kind: outcome.kind, postcode };
}

/**
 * Looks up postcodes still pending (after a save, with the postcodes just saved; from the job, with
 * whatever is due). Never throws for the network: an unreachable service leaves them pending with
 * the next attempt set further off. Returns how many were settled (found or unknown).
 */
export async function lookUpPending({ postcodes, now = new Date(), limit = 100 }: { postcodes?: (string | null | undefined)[]; now?: Date; limit?: number } = {}): Promise<number> {
  const db = getDb();
  let due: Array<{ postcode: string; attempts: number; next_attempt_at: string | null }>;
  if (postcodes) {
    const wanted = postcodes.filter((p): p is string => Boolean(p));
    if (wanted.length === 0) return 0;
    due = await db.selectFrom("postcode_location").select(["postcode", "attempts", "next_attempt_at"]).where("status", "=", "pending").where("postcode", "in", wanted).execute();
  } else {
    due = await claimDue(db, now, limit);
  }
  let settled = 0;
  for (const [i, row] of due.entries()) {
    const outcome = await lookupPostcode(row.postcode);
    await record(db, row.postcode, outcome, row.attempts, now);
    if (outcome.kind !== "unavailable") settled++;
    // The service is down: leave the rest for the next run rather than wait on each.
    else if (!postcodes) {
      await release(db, due.slice(i + 1));
      break;
    }
  }
  return settled;
}

/** How long a job run holds the postcodes it took (each lookup gives up after TIMEOUT_MS). */
const CLAIM_MS = 15 * 60 * 1000;

/**
 * The job's share of the due postcodes: taken in a short transaction by moving their next attempt
 * past the run's lookups, so another process's run (several servers, or cron beside the server)
 * passes over them (PostgreSQL: FOR UPDATE SKIP LOCKED) instead of asking the service twice. A run
 * that dies leaves them due again once the claim runs out.
 */
async function claimDue(db: DB, now: Date, limit: number) {
  return writeTransaction(
    async (trx) => {
      const rows = await trx
        .selectFrom("postcode_location")
        .select(["postcode", "attempts", "next_attempt_at"])
        .where("status", "=", "pending")
        .where((eb) => eb.or([eb("next_attempt_at", "is", null), eb("next_attempt_at", "<=", now.toISOString())]))
        .orderBy(sql`next_attempt_at IS NOT NULL`)
        .orderBy("next_attempt_at")
        .orderBy("postcode")
        .limit(limit)
        .$call(skipLocked)
        .execute();
      if (rows.length) {
        await trx
          .updateTable("postcode_location")
          .set({ next_attempt_at: new Date(now.getTime() + CLAIM_MS).toISOString() })
          .where("postcode", "in", rows.map((r) => r.postcode))
          .execute();
      }
      return rows;
    },
    db,
    { claim: true },
  );
}

/** Gives claimed postcodes back as they were, untried (the service went away part-way through a run). */
async function release(db: DB, rows: Array<{ postcode: string; next_attempt_at: string | null }>): Promise<void> {
  for (const r of rows) await db.updateTable("postcode_location").set({ next_attempt_at: r.next_attempt_at }).where("postcode", "=", r.postcode).where("status", "=", "pending").execute();
}

// ---------------------------------------------------------------- near a place

export type Place = { latitude: number; longitude: number };

const MILES_PER_DEGREE_LAT = 69.09;
const EARTH_RADIUS_MILES = 3958.8;

/** Great-circle distance in miles (haversine): the distance shown. */
function milesBetween(a: Place, b: Place): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLng = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Miles from `near` to a row's coordinates, or null when the row has none. */
export function milesTo(near: Place | null, row: { latitude: number | null; longitude: number | null }): number | null {
  return near && row.latitude !== null && row.longitude !== null ? milesBetween(near, { latitude: row.latitude, longitude: row.longitude }) : null;
}

/**
 * The one "within N miles of a place" for every page that offers it (/search, /services,
 * /organisations, /events), as SQL over search_document, whose coordinates are indexed
 * (search_document_place_idx: kind, latitude, longitude). `alias` names that table in the query.
 *
 * - where: the kind, then a bounding box on the indexed latitude and longitude, so the work grows with what
 *   is near rather than with the table; then the circle itself, planar with the longitude scaled
 *   at the place's latitude (well under 1% from the great circle at these distances). With
 *   `includeOnline`, things with no place that run online stay in, after everything placed (from
 *   their own partial index, migration 0075: the kind sits in both halves of the OR so each is
 *   an index search).
 * - order: placed before online-only, then nearest first (the squared planar distance).
 */
export function nearSql(kind: SearchKind, near: Place, withinMiles: number, { alias = "d", includeOnline = false }: { alias?: string; includeOnline?: boolean } = {}) {
  const kindIs = sql<boolean>`${sql.ref(`${alias}.kind`)} = ${kind}`;
  const lat = sql.ref(`${alias}.latitude`);
  const lng = sql.ref(`${alias}.longitude`);
  const dLat = withinMiles / MILES_PER_DEGREE_LAT;
  const lngScale = Math.max(Math.cos((near.latitude * Math.PI) / 180), 0.01);
  const dLng = dLat / lngScale;
  const distanceSquared = sql<number>`((${lat} - ${near.latitude}) * (${lat} - ${near.latitude}) + ((${lng} - ${near.longitude}) * ${lngScale}) * ((${lng} - ${near.longitude}) * ${lngScale}))`;
  const inCircle = sql<boolean>`(${kindIs} AND ${lat} BETWEEN ${near.latitude - dLat} AND ${near.latitude + dLat} AND ${lng} BETWEEN ${near.longitude - dLng} AND ${near.longitude + dLng} AND ${distanceSquared} <= ${dLat * dLat})`;
  const where: RawBuilder<boolean> = includeOnline ? sql<boolean>`(${inCircle} OR (${kindIs} AND ${lat} IS NULL AND ${sql.ref(`${alias}.online`)} = 1))` : inCircle;
  const order: RawBuilder<unknown> = sql`${lat} IS NULL, ${distanceSquared}`;
  return { where, order };
}

export type NearInput = {
  /** What was typed, kept for the form (normalised when it was found). */
  text: string;
  within: number;
  /** Where the postcode is, when one was given and found. */
  place: Located | null;
  /** The message for the postcode field, when one was given and cannot be used. */
  error: string | null;
};

/** Reads near=…&within=… from a query string: the postcode located, or the message to show on its field. */
export async function readNear(params: URLSearchParams): Promise<NearInput> {
  const text = (params.get("near") ?? "").slice(0, 20).trim();
  const within = withinFrom(params.get("within"));
  if (!text) return { text, within, place: null, error: null };
  const found = await locatePostcode(text);
  if (found.kind === "found") return { text: found.place.postcode, within, place: found.place, error: null };
  const error =
    found.kind === "invalid"
      ? "Enter a full UK postcode, like PR1 2HE"
      : found.kind === "unknown"
        ? `We could not find the postcode ${found.postcode}. Check it and try again`
        : `We cannot look up postcodes right now, so ${found.postcode} could not be used. Try again later, or search without it`;
  return { text, within, place: null, error };
}
