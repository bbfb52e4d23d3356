/**
 * Housekeeping: removes rows nobody will read again, so the tables that every request
 * touches stay small. Idempotent; run by the server's scheduler and by `npm run housekeeping`.
 */
import { getDb } from "../../db/index";
import { lucia } from "../utils/auth.server";
import { pruneRateLimits } from "../utils/rate-limit.server";

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * Spent and expired email links are kept for a week, so someone who clicks an old link still
 * reads "this link has already been used" or "has expired" rather than "this link is not right".
 */
export const TOKEN_GRACE_DAYS = 7;
/** Unaccepted invitations are kept a while after they expire, so admins see what lapsed. */
export const INVITATION_GRACE_DAYS = 30;

export type HousekeepingResult = { sessions: number; rateLimits: number; emailTokens: number; invitations: number };

export async function runHousekeeping(now: Date = new Date()): Promise<HousekeepingResult> {
  const db = getDb();
  const count = async (table: "session" | "rate_limit" | "email_token" | "invitation") =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

  const sessionsBefore = await count("session");
  // Lucia's adapter knows both expiries: the sliding idle one and our absolute lifetime.
  await lucia.deleteExpiredSessions();
  const rateLimitsBefore = await count("rate_limit");
  await pruneRateLimits(24 * 3600, now);

  const tokenCutoff = new Date(now.getTime() - TOKEN_GRACE_DAYS * DAY_MS).toISOString();
  const tokens = await db
    .deleteFrom("email_token")
    .where((eb) => eb.or([eb("expires_at", "<", tokenCutoff), eb.and([eb("used_at", "is not", null), eb("used_at", "<", tokenCutoff)])]))
    .executeTakeFirst();
  const invitationCutoff = new Date(now.getTime() - INVITATION_GRACE_DAYS * DAY_MS).toISOString();
  // Accepted invitations stay: they record who invited whom.
  const invitations = await db.deleteFrom("invitation").where("used_at", "is", null).where("expires_at", "<", invitationCutoff).executeTakeFirst();

  return {
    sessions: sessionsBefore - (await count("session")),
    rateLimits: rateLimitsBefore - (await count("rate_limit")),
    emailTokens: Number(tokens.numDeletedRows),
    invitations: Number(invitations.numDeletedRows),
  };
}
