import { getDb, writeTransaction } from "../../db/index";

export type RateLimitResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts one attempt against `key` in a fixed window; refuses past `limit`.
 * Keys name what is limited, e.g. `signin:account:<id>` or `signup:ip:<ip>`.
 */
export async function consume(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
  const now = Math.floor(Date.now() / 1000);
  return writeTransaction(async (trx) => {
    const row = await trx.selectFrom("rate_limit").selectAll().where("key", "=", key).executeTakeFirst();
    if (!row || now - row.window_start >= windowSeconds) {
      await trx
        .insertInto("rate_limit")
        .values({ key, window_start: now, count: 1 })
        .onConflict((oc) => oc.column("key").doUpdateSet({ window_start: now, count: 1 }))
        .execute();
      return { allowed: true };
    }
    if (row.count >= limit) return { allowed: false, retryAfterSeconds: Math.max(1, row.window_start + windowSeconds - now) };
    await trx.updateTable("rate_limit").set({ count: row.count + 1 }).where("key", "=", key).execute();
    return { allowed: true };
  });
}

/** Whether `key` is already at its limit, without counting an attempt. */
export async function isLimited(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
  const now = Math.floor(Date.now() / 1000);
  const row = await getDb().selectFrom("rate_limit").selectAll().where("key", "=", key).executeTakeFirst();
  if (!row || now - row.window_start >= windowSeconds || row.count < limit) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, row.window_start + windowSeconds - now) };
}

export async function resetLimit(key: string): Promise<void> {
  await getDb().deleteFrom("rate_limit").where("key", "=", key).execute();
}

/** Removes expired windows (called from housekeeping; keeps the table small). */
export async function pruneRateLimits(olderThanSeconds = 24 * 3600, now: Date = new Date()): Promise<void> {
  const cutoff = Math.floor(now.getTime() / 1000) - olderThanSeconds;
  await getDb().deleteFrom("rate_limit").where("window_start", "<", cutoff).execute();
}

/** A 429 response with Retry-After and a plain message (for resource routes). */
export function tooManyRequests(retryAfterSeconds: number, what = "attempts"): Response {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return new Response(`Too many ${what}. Please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`, {
    status: 429,
    headers: { "Retry-After": String(retryAfterSeconds), "Content-Type": "text/plain; charset=utf-8" },
  });
}
