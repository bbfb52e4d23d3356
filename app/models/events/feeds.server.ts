// iCalendar: the feeds (all, network, organisation, topic, personal) with validators from the feed version,
// single-event downloads and "add to calendar" links, and the personal feed tokens.

import { createHash } from "node:crypto";
import { getDb, nowIso, writeTransaction } from "../../../db/index";
import type { SessionUser } from "../../utils/auth.server";
import { env } from "../../utils/env.server";
import { notModified } from "../../utils/http.server";
import { buildCalendarIcs, buildSingleEventIcs, EUROPE_LONDON_VTIMEZONE, feedEtag, googleCalendarUrl, outlookCalendarUrl, type CalendarEvent, type OccurrenceException } from "../../utils/ical.server";
import { markdownToPlainText } from "../../utils/markdown.server";
import { generateToken, hashToken } from "../../utils/totp.server";
import { topicLabel } from "../../utils/vocab";
import { accountActor, readableNetworkIds } from "../access.server";
import { overridesFor, parseRecurrence, type OverrideRow } from "./occurrences.server";
import type { EventDetails } from "./queries.server";
import { feedValidators } from "./feed-version.server";
import { DAY_MS, kindLabel, placeOf, type EventRow } from "./shared.server";

/** Cancelled events stay in feeds (STATUS:CANCELLED) this long so subscribed clients remove them. */
export const CANCELLED_KEEP_DAYS = 30;
/** Feeds cover events that ended up to this long ago. */
export const FEED_PAST_DAYS = 90;
/** A feed lists at most this many events (series count once), soonest first: calendar apps choke on huge feeds. */
export const FEED_MAX_EVENTS = 2000;

/** The event as an iCalendar component, with the description as plain text and no attendee data. */
export function toCalendarEvent(
  e: EventRow & { organisation_name?: string | null },
  topics: readonly string[],
  overrides: readonly OverrideRow[],
  appUrl: string,
): CalendarEvent {
  const recurrence = parseRecurrence(e.recurrence);
  const exceptions: OccurrenceException[] = recurrence
    ? overrides.map((o) => ({
        recurrenceIdLocal: e.all_day ? o.recurrence_id_local.slice(0, 10) : o.recurrence_id_local,
        cancelled: o.cancelled,
        startLocal: o.start_local ?? undefined,
        endLocal: o.end_local ?? undefined,
        sequence: o.sequence,
      }))
    : [];
  const { online } = placeOf(e);
  const access = [e.access_bsl ? "BSL interpreter" : null, e.access_captions ? "live captions" : null, e.access_step_free ? "step-free access" : null].filter(Boolean);
  const parts = [markdownToPlainText(e.description)];
  if (online && e.online_url && !e.online_url_registrants_only) parts.push(`Join online: ${e.online_url}`);
  if (online && e.online_url_registrants_only) parts.push("Online: the joining link is on the event page for people who have registered.");
  if (access.length) parts.push(`Access: ${access.join(", ")}.`);
  if (e.accessibility_notes) parts.push(e.accessibility_notes);
  const location = online ? "Online" : [e.venue, ...(e.address ?? "").split("\n"), e.postcode].map((x) => (x ?? "").trim()).filter(Boolean).join(", ");
  return {
    uid: e.uid,
    sequence: e.sequence,
    title: e.title,
    descriptionText: parts.filter(Boolean).join("\n\n"),
    startLocal: e.start_local,
    endLocal: e.end_local,
    allDay: e.all_day,
    timeZone: e.time_zone,
    location,
    url: `${appUrl}/events/${e.id}`,
    status: e.status === "draft" ? "scheduled" : e.status,
    updatedAt: new Date(e.updated_at),
    createdAt: new Date(e.created_at),
    recurrence: recurrence ?? undefined,
    exceptions,
    organiserName: e.organisation_name ?? undefined,
    categories: [kindLabel(e.kind), ...topics.map(topicLabel)],
  };
}

/** "Add to calendar" links and the single-event .ics for the event page and its download. */
export function addToCalendarLinks(details: NonNullable<EventDetails>) {
  const appUrl = env().APP_URL;
  const cal = toCalendarEvent(details.event, details.topics, details.overrides, appUrl);
  const ics = `/events/${details.event.id}.ics`;
  return { ics, google: googleCalendarUrl(cal), outlook: outlookCalendarUrl(cal, { icsUrl: `${appUrl}${ics}` }) };
}

export function singleEventIcs(details: NonNullable<EventDetails>): string {
  const appUrl = env().APP_URL;
  return buildSingleEventIcs(toCalendarEvent(details.event, details.topics, details.overrides, appUrl), { appUrl });
}
// ---------------------------------------------------------------- feeds

export type FeedScope =
  | { kind: "all" }
  | { kind: "network"; networkId: number; name: string; slug: string }
  | { kind: "organisation"; organisationId: number; name: string; slug: string }
  | { kind: "topic"; topic: string }
  | { kind: "personal"; accountId: string; readable: number[] };

function feedQuery(scope: FeedScope, now: Date) {
  const db = getDb();
  const cancelledSince = new Date(now.getTime() - CANCELLED_KEEP_DAYS * DAY_MS).toISOString();
  let qb = db
    .selectFrom("event")
    .where("event.status", "!=", "draft")
    .where("event.series_end_utc", ">", new Date(now.getTime() - FEED_PAST_DAYS * DAY_MS).toISOString())
    .where((eb) => eb.or([eb("event.status", "!=", "cancelled"), eb("event.cancelled_at", ">", cancelledSince)]));
  if (scope.kind === "personal") {
    const { accountId, readable } = scope;
    qb = qb
      .where((eb) => eb.or([eb("event.visibility", "=", "public"), ...(readable.length ? [eb("event.network_id", "in", readable)] : [])]))
      .where((eb) =>
        eb.or([
          eb.exists(eb.selectFrom("registration").select("registration.id").whereRef("registration.event_id", "=", "event.id").where("registration.account_id", "=", accountId).where("registration.status", "in", ["going", "waitlisted"])),
          eb.exists(eb.selectFrom("organisation_follow").select("organisation_follow.organisation_id").whereRef("organisation_follow.organisation_id", "=", "event.organisation_id").where("organisation_follow.account_id", "=", accountId)),
        ]),
      );
  } else {
    // Public feeds: never drafts, never members-only events, whoever asks.
    qb = qb.where("event.visibility", "=", "public");
    if (scope.kind === "network") qb = qb.where("event.network_id", "=", scope.networkId);
    if (scope.kind === "organisation") qb = qb.where("event.organisation_id", "=", scope.organisationId);
    if (scope.kind === "topic") {
      const topic = scope.topic;
      qb = qb.where((eb) => eb.exists(eb.selectFrom("event_topic").select("event_topic.event_id").whereRef("event_topic.event_id", "=", "event.id").where("event_topic.topic", "=", topic)));
    }
  }
  return qb;
}

export function feedTitle(scope: FeedScope): string {
  switch (scope.kind) {
    case "all":
      return "Roundtable events";
    case "network":
      return `${scope.name} events`;
    case "organisation":
      return `Events by ${scope.name}`;
    case "topic":
      return `Roundtable events: ${topicLabel(scope.topic)}`;
    case "personal":
      return "My Roundtable events";
  }
}

export function feedPath(scope: Exclude<FeedScope, { kind: "personal" }>): string {
  switch (scope.kind) {
    case "all":
      return "/events.ics";
    case "network":
      return `/networks/${scope.slug}/events.ics`;
    case "organisation":
      return `/organisations/${scope.slug}/events.ics`;
    case "topic":
      return `/events.ics?topic=${encodeURIComponent(scope.topic)}`;
  }
}

/** The whole feed: each series once with its RRULE, exceptions as EXDATE / RECURRENCE-ID. */
export async function buildFeed(scope: FeedScope, { url, pageUrl, now = new Date() }: { url: string; pageUrl: string; now?: Date }): Promise<string> {
  const appUrl = env().APP_URL;
  const rows = await feedQuery(scope, now)
    .leftJoin("organisation", "organisation.id", "event.organisation_id")
    .selectAll("event")
    .select("organisation.name as organisation_name")
    .orderBy("event.start_utc")
    .orderBy("event.id")
    .limit(FEED_MAX_EVENTS)
    .execute();
  const ids = rows.map((r) => r.id);
  const topics = new Map<number, string[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const t = await getDb().selectFrom("event_topic").select(["event_id", "topic"]).where("event_id", "in", ids.slice(i, i + 500)).orderBy("topic").execute();
    for (const r of t) topics.set(r.event_id, [...(topics.get(r.event_id) ?? []), r.topic]);
  }
  const overrides = await overridesFor(rows.filter((r) => r.recurrence !== null).map((r) => r.id));
  const meta = {
    name: feedTitle(scope),
    description: scope.kind === "personal" ? "Events you registered for and events by organisations you follow, from Roundtable." : "Social prescribing events from Roundtable, in UK time.",
    url,
    appUrl: pageUrl,
    refreshMinutes: 60,
  };
  // The calendar's own lines, then each event's VEVENT block(s), built once per version of the
  // event and reused: from memory, else from the database (feed_event_block: after a restart or
  // in another process), else built and stored. After one event changes, only its block is built.
  const shell = buildCalendarIcs(meta, []);
  const end = shell.lastIndexOf("END:VCALENDAR");
  const keys = rows.map((r) => blockKey(r, topics.get(r.id) ?? [], overrides.get(r.id) ?? [], appUrl));
  const stored = await storedBlocks(rows.filter((r, i) => !veventCache.has(keys[i])).map((r) => r.id));
  const built: Array<{ event_id: number; cache_key: string; block: string }> = [];
  const blocks = rows.map((r, i) => {
    const key = keys[i];
    let block = veventCache.get(key);
    if (block === undefined) {
      const kept = stored.get(r.id);
      if (kept?.cache_key === key) block = kept.block;
      else {
        const ics = buildCalendarIcs(meta, [toCalendarEvent(r, topics.get(r.id) ?? [], overrides.get(r.id) ?? [], appUrl)]);
        block = ics.slice(ics.indexOf("BEGIN:VEVENT\r\n"), ics.lastIndexOf("END:VCALENDAR"));
        built.push({ event_id: r.id, cache_key: key, block });
      }
      if (veventCache.size >= VEVENT_CACHE_MAX) veventCache.delete(veventCache.keys().next().value!);
      veventCache.set(key, block);
    }
    return block;
  });
  await storeBlocks(built);
  if (blocks.length === 0) return shell;
  return `${shell.slice(0, end)}${EUROPE_LONDON_VTIMEZONE}\r\n${blocks.join("")}${shell.slice(end)}`;
}

const VEVENT_CACHE_MAX = 20_000;
const veventCache = new Map<string, string>();
/** Raise when a change to the feed code changes the VEVENT text of an unchanged event: stored blocks are then rebuilt. */
const BLOCK_FORMAT = 1;

/** Everything an event's VEVENT text depends on (the event row's version stands for its columns). */
function blockKey(r: EventRow & { organisation_name: string | null }, topics: readonly string[], overrides: readonly OverrideRow[], appUrl: string): string {
  return createHash("sha256").update(JSON.stringify([BLOCK_FORMAT, r.id, r.uid, r.sequence, r.updated_at, r.organisation_name, topics, overrides, appUrl])).digest("base64url");
}

async function storedBlocks(ids: number[]): Promise<Map<number, { cache_key: string; block: string }>> {
  const out = new Map<number, { cache_key: string; block: string }>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await getDb().selectFrom("feed_event_block").select(["event_id", "cache_key", "block"]).where("event_id", "in", ids.slice(i, i + 500)).execute();
    for (const r of rows) out.set(r.event_id, r);
  }
  return out;
}

/** Keeps freshly built blocks for the next restart and for other processes (the newest build wins). */
async function storeBlocks(blocks: Array<{ event_id: number; cache_key: string; block: string }>): Promise<void> {
  try {
    for (let i = 0; i < blocks.length; i += 200) {
      await getDb()
        .insertInto("feed_event_block")
        .values(blocks.slice(i, i + 200))
        .onConflict((oc) => oc.column("event_id").doUpdateSet((eb) => ({ cache_key: eb.ref("excluded.cache_key"), block: eb.ref("excluded.block") })))
        .execute();
    }
  } catch (error) {
    // Only a saving: the feed is served all the same, and the next build stores them (an event
    // deleted meanwhile, or a busy database, is no reason to fail a calendar client).
    console.error("Could not store feed blocks:", error instanceof Error ? error.message : error);
  }
}

/**
 * At start-up: the blocks of the public feed, read (or built once, on the first start over a
 * database) so the first feed request after a restart does not build thousands of events.
 */
export async function prepareFeedBlocks(): Promise<void> {
  const appUrl = env().APP_URL;
  await buildFeed({ kind: "all" }, { url: `${appUrl}/events.ics`, pageUrl: `${appUrl}/events` });
}

/** A feed response: 304 from the cheap validators, else the built feed. */
export async function feedResponse(request: Request, scope: FeedScope, { path, pagePath, cacheControl }: { path: string; pagePath: string; cacheControl: string }): Promise<Response> {
  const appUrl = env().APP_URL;
  const state = await feedValidators(request.url);
  const headers: Record<string, string> = {
    "Content-Type": "text/calendar; charset=utf-8",
    "Cache-Control": cacheControl,
    ETag: state.etag,
    "Last-Modified": state.lastModified.toUTCString(),
    "Content-Disposition": `inline; filename="${scope.kind === "personal" ? "my-events" : "events"}.ics"`,
    "X-Content-Type-Options": "nosniff",
  };
  if (notModified(request, state.etag, state.lastModified)) return new Response(null, { status: 304, headers });
  const body = await buildFeed(scope, { url: `${appUrl}${path}`, pageUrl: `${appUrl}${pagePath}` });
  return new Response(request.method === "HEAD" ? null : body, { headers });
}

// ---------------------------------------------------------------- personal feed tokens

/** Creates a new personal feed token (revoking any previous one) and returns it, the only time it is seen. */
export async function createFeedToken(user: SessionUser, now = nowIso()): Promise<string> {
  const token = generateToken();
  await writeTransaction(async (trx) => {
    await trx.updateTable("feed_token").set({ revoked_at: now }).where("account_id", "=", user.id).where("revoked_at", "is", null).execute();
    await trx.insertInto("feed_token").values({ account_id: user.id, token_hash: hashToken(token), created_at: now, revoked_at: null, last_used_at: null }).execute();
  });
  return token;
}

export async function revokeFeedTokens(user: SessionUser, now = nowIso()): Promise<void> {
  await getDb().updateTable("feed_token").set({ revoked_at: now }).where("account_id", "=", user.id).where("revoked_at", "is", null).execute();
}

export async function activeFeedToken(user: SessionUser) {
  return getDb().selectFrom("feed_token").select(["id", "created_at", "last_used_at"]).where("account_id", "=", user.id).where("revoked_at", "is", null).executeTakeFirst();
}

/** The personal feed's scope for a raw token, or undefined (unknown or revoked: 404). */
export async function personalScope(rawToken: string): Promise<Extract<FeedScope, { kind: "personal" }> | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(rawToken)) return undefined;
  const db = getDb();
  const row = await db
    .selectFrom("feed_token")
    .innerJoin("account", "account.id", "feed_token.account_id")
    .select(["feed_token.id", "feed_token.account_id", "feed_token.last_used_at"])
    .where("feed_token.token_hash", "=", hashToken(rawToken))
    .where("feed_token.revoked_at", "is", null)
    .executeTakeFirst();
  if (!row) return undefined;
  const now = nowIso();
  // Recorded at most hourly, so a client polling every few minutes does not write each time.
  if (!row.last_used_at || Date.parse(row.last_used_at) < Date.now() - 3_600_000) {
    await db.updateTable("feed_token").set({ last_used_at: now }).where("id", "=", row.id).execute();
  }
  const readable = await readableNetworkIds((await accountActor(row.account_id, db)) ?? null);
  return { kind: "personal", accountId: row.account_id, readable };
}
