import { getDb } from "../../db/index";
import { markdownToPlainText } from "../utils/markdown.server";
import { accountActor, readableNetworkIds } from "./access.server";
import { listForDigest as discussionsForDigest } from "./discussions.server";
import { listForDigest as eventsForDigest } from "./events/queries.server";
import { parseIds, parseStrings } from "./digests.server";
import { getFollowedOrganisationIds, listForDigest as organisationsForDigest } from "./organisations.server";
import { listForDigest as resourcesForDigest } from "./resources.server";
import { digestNotifications } from "./notifier.server";

/**
 * Gathers one subscriber's digest from the other domains through their `listForDigest`
 * functions. Members-only content is included only for networks where the subscriber's
 * account is an approved member (or a platform admin); anyone else gets public content.
 */

export type DigestItem = {
  id: string | number;
  title: string;
  /** Site path ("/events/12") or absolute URL. */
  url: string;
  summary: string;
  meta?: string;
  /** When an event happens, already formatted for reading. */
  when?: string;
  /** Add-to-calendar (.ics) link, site path or absolute. */
  icsUrl?: string;
};

export type DigestSectionKey = "notifications" | "events" | "resources" | "discussions" | "organisations";
export type DigestSection = { key: DigestSectionKey; heading: string; items: DigestItem[] };
export type DigestContent = { sections: DigestSection[]; total: number };

export type DigestSubscriber = {
  account_id: string | null;
  network_ids: string;
  topics: string;
  include_follows: boolean;
};

type Query = { since: string; networkIds: number[]; includeMembersOnly: boolean; topics: string[]; limit: number };
type Source = (q: Query) => Promise<DigestItem[]>;

const londonParts = (withYear: boolean, withTime: boolean) =>
  new Intl.DateTimeFormat("en-GB", {
    timeZone: withTime ? "Europe/London" : "UTC",
    weekday: "long",
    day: "numeric",
    month: "long",
    ...(withYear ? { year: "numeric" } : {}),
    ...(withTime ? { hour: "numeric", minute: "2-digit", hourCycle: "h12" } : {}),
  });

/**
 * When an event happens, in words: "Saturday 13 December, 2pm" (London time). An all-day event
 * gives a date alone ("2026-12-13") and gets no time ("0am" was shown); a date in another year
 * than now says the year.
 */
export function readableWhen(when: string | undefined, now: Date = new Date()): string | undefined {
  if (!when) return when;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(when);
  if (!dateOnly && !/^\d{4}-\d{2}-\d{2}T/.test(when)) return when;
  const at = new Date(dateOnly ? `${when}T12:00:00Z` : when);
  if (Number.isNaN(at.getTime())) return when;
  const yearOf = (d: Date) => new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", year: "numeric" }).format(d);
  const withYear = yearOf(at) !== yearOf(now);
  // en-GB puts a comma after the weekday when the year is shown: "Wednesday, 13 January 2027".
  const text = londonParts(withYear, !dateOnly).format(at).replace(/^(\w+day),/, "$1");
  if (dateOnly) return text;
  return text.replace(" at ", ", ").replace(/:00(?=\s?[ap]m)/, "").replace(/\s?(am|pm)$/, "$1");
}

const eventsSource: Source = async (q) => (await eventsForDigest(q)).map((e) => ({ ...e, when: readableWhen(e.when) }));

/** Public and members-only network ids for this subscriber (empty choice: every network). */
async function networkScopes(sub: DigestSubscriber): Promise<{ members: number[]; open: number[] }> {
  const db = getDb();
  const chosen = parseIds(sub.network_ids);
  const all = (await db.selectFrom("network").select("id").orderBy("id").execute()).map((n) => n.id);
  const wanted = chosen.length ? all.filter((id) => chosen.includes(id)) : all;
  let readable: number[] = [];
  if (sub.account_id) {
    const account = await accountActor(sub.account_id, db);
    if (account && !account.deleted) readable = await readableNetworkIds(account);
  }
  return { members: wanted.filter((id) => readable.includes(id)), open: wanted.filter((id) => !readable.includes(id)) };
}

async function fromBoth(source: Source, scopes: { members: number[]; open: number[] }, q: Omit<Query, "networkIds" | "includeMembersOnly">) {
  const [a, b] = await Promise.all([
    scopes.members.length ? source({ ...q, networkIds: scopes.members, includeMembersOnly: true }) : Promise.resolve([]),
    scopes.open.length ? source({ ...q, networkIds: scopes.open, includeMembersOnly: false }) : Promise.resolve([]),
  ]);
  return dedupe([...a, ...b]).slice(0, q.limit);
}

function dedupe(items: DigestItem[]): DigestItem[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const key = `${i.url}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function gatherDigest(sub: DigestSubscriber, { since, limit = 8 }: { since: string; limit?: number }): Promise<DigestContent> {
  const scopes = await networkScopes(sub);
  const topics = parseStrings(sub.topics);
  const q = { since, topics, limit };
  const followsOn = Boolean(sub.account_id && sub.include_follows);

  const events = await fromBoth(eventsSource, scopes, q);
  const resources = await fromBoth((x) => resourcesForDigest(x), scopes, q);

  // Active discussions in the chosen networks, plus any the member follows (members' networks only).
  let discussions = await fromBoth((x) => discussionsForDigest(x), scopes, q);
  if (followsOn && sub.account_id && scopes.members.length) {
    const followed = (
      await getDb().selectFrom("discussion_thread_follow").select("thread_id").where("account_id", "=", sub.account_id).execute()
    ).map((r) => r.thread_id);
    if (followed.length) {
      const extra = await discussionsForDigest({ since, networkIds: scopes.members, includeMembersOnly: true, threadIds: followed, limit });
      discussions = dedupe([...extra, ...discussions]).slice(0, limit);
    }
  }

  let organisations: DigestItem[] = [];
  if (followsOn && sub.account_id) {
    const orgIds = await getFollowedOrganisationIds(sub.account_id);
    organisations = await organisationsForDigest({ since, organisationIds: orgIds, limit });
  }

  // Notices the member chose to get "in my digest" (replies, new events from organisations they follow…).
  const notices = sub.account_id ? await digestNotifications(sub.account_id, since) : [];
  const forYou: DigestItem[] = notices.map((n) => ({ id: `n${n.id}`, title: n.title, url: n.url, summary: "" }));

  const sections: DigestSection[] = [
    { key: "notifications" as const, heading: "For you", items: forYou },
    { key: "events" as const, heading: "Upcoming events", items: events },
    { key: "resources" as const, heading: "New resources", items: resources },
    { key: "discussions" as const, heading: "Active discussions", items: discussions },
    { key: "organisations" as const, heading: "News from organisations you follow", items: organisations },
  ]
    .filter((s) => s.items.length > 0)
    // Summaries are written in Markdown on the site; a digest reader gets plain words ("**" showed).
    .map((s) => ({ ...s, items: s.items.map((i) => ({ ...i, summary: markdownToPlainText(i.summary, 200) })) }));
  return { sections, total: sections.reduce((n, s) => n + s.items.length, 0) };
}
