// The validators of every iCal feed, from one number kept in the database (feed_version,
// raised by triggers on every write that can change a feed: migration 0050). A conditional
// request is answered from this one primary-key read, before any session, feed query or React
// work; the built feed may be cached in memory under the same ETag, because every process
// reads the same number and so can never serve a feed another process has changed.

import { getDb } from "../../../db/index";
import { env } from "../../utils/env.server";
import { feedEtag } from "../../utils/ical.server";

export type FeedValidators = { etag: string; lastModified: Date };

/** The number itself: raised by every write to events, their topics, changed dates and the rest (migration 0050). */
export async function feedVersion(): Promise<number> {
  return (await getDb().selectFrom("feed_version").select("version").where("id", "=", 1).executeTakeFirstOrThrow()).version;
}

/**
 * The ETag and Last-Modified of the feed at `url` (its path and query name the feed). The UTC
 * day is part of it because a feed's window moves with time (events older than 90 days leave it).
 */
export async function feedValidators(url: string | URL, now = new Date()): Promise<FeedValidators> {
  const { pathname, search } = typeof url === "string" ? new URL(url, "http://x") : url;
  const row = await getDb().selectFrom("feed_version").select(["version", "changed_at"]).where("id", "=", 1).executeTakeFirstOrThrow();
  const day = now.toISOString().slice(0, 10);
  const dayStart = Date.parse(`${day}T00:00:00.000Z`);
  return {
    etag: feedEtag(["feed", row.version, day, env().APP_URL, `${pathname}${search}`]),
    lastModified: new Date(Math.max(Date.parse(row.changed_at), dayStart)),
  };
}
