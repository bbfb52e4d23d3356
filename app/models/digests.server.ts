import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { getDb, nowIso, writeTransaction, type DB } from "../../db/index";
import type { DigestFrequency } from "../../db/types/digests";
import { isNoticeKind, type NoticeKind } from "../../db/types/notifier";
import { renderSimpleEmail } from "../../emails/layout";
import { sendEmail } from "../../emails/send";
import { env } from "../utils/env.server";
import { generateToken, hashToken } from "../utils/totp.server";

/**
 * Digest subscriptions, their tokens and members' notification-email choices.
 *
 * Manage/unsubscribe tokens are not stored: each is an HMAC of the subscription id and a
 * per-subscription salt under a server secret kept in the database. A token therefore names
 * exactly one subscription (changing one character of the id breaks the MAC), needs no lookup
 * table, can be put into every digest without storing anything, and is revoked by changing the salt.
 */

export const CONFIRM_TTL_HOURS = 48;
export const SUSPEND_AFTER_PERMANENT_FAILURES = 3;

/** The exact wording shown beside the sign-up button; stored with each consent. */
export const PUBLIC_CONSENT_TEXT =
  "I agree to Roundtable emailing me a digest of events, resources and discussions at the frequency I chose. I can change or stop it at any time from a link in every email.";
export const ACCOUNT_CONSENT_TEXT =
  "Send me a Roundtable digest of events, resources and discussions at the frequency I chose. I can change or stop it at any time here or from a link in every email.";

// ---------------------------------------------------------------------------
// Secret and tokens

let cachedSecret: { db: DB; secret: Buffer } | undefined;

async function serverSecret(db: DB = getDb()): Promise<Buffer> {
  if (cachedSecret && cachedSecret.db === db) return cachedSecret.secret;
  let row = await db.selectFrom("digest_secret").select("secret").where("id", "=", 1).executeTakeFirst();
  if (!row) {
    await db
      .insertInto("digest_secret")
      .values({ id: 1, secret: randomBytes(32).toString("base64url"), created_at: nowIso() })
      .onConflict((oc) => oc.column("id").doNothing())
      .execute();
    row = await db.selectFrom("digest_secret").select("secret").where("id", "=", 1).executeTakeFirstOrThrow();
  }
  cachedSecret = { db, secret: Buffer.from(row.secret, "base64url") };
  return cachedSecret.secret;
}

function mac(secret: Buffer, message: string): string {
  return createHmac("sha256", secret).update(message, "utf8").digest("base64url").slice(0, 32);
}

function macEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The token in every digest's manage, preview and unsubscribe links. */
export async function manageTokenFor(sub: { id: number; token_salt: string }): Promise<string> {
  return `${sub.id}.${mac(await serverSecret(), `manage:${sub.id}:${sub.token_salt}`)}`;
}

/** The subscription a manage token names, or undefined for anything tampered, malformed or revoked. */
export async function subscriptionFromToken(token: string | null | undefined) {
  const match = /^([1-9][0-9]{0,15})\.([A-Za-z0-9_-]{32})$/.exec(token ?? "");
  if (!match) return undefined;
  const id = Number(match[1]);
  const sub = await getDb().selectFrom("digest_subscription").selectAll().where("id", "=", id).executeTakeFirst();
  if (!sub) return undefined;
  const expected = mac(await serverSecret(), `manage:${sub.id}:${sub.token_salt}`);
  return macEqual(expected, match[2]) ? sub : undefined;
}

/** Token for "stop emails of this kind" links (and List-Unsubscribe) in notice emails: HMAC'd, nothing stored. */
export async function kindTokenFor(accountId: string, kind: NoticeKind): Promise<string> {
  const encoded = Buffer.from(accountId, "utf8").toString("base64url");
  return `${encoded}.${kind}.${mac(await serverSecret(), `kind:${accountId}:${kind}`)}`;
}

export async function parseKindToken(token: string | null | undefined): Promise<{ accountId: string; kind: NoticeKind } | undefined> {
  const match = /^([A-Za-z0-9_-]{1,200})\.([a-z-]{1,20})\.([A-Za-z0-9_-]{32})$/.exec(token ?? "");
  if (!match) return undefined;
  const kind = match[2];
  if (!isNoticeKind(kind)) return undefined;
  const accountId = Buffer.from(match[1], "base64url").toString("utf8");
  const expected = mac(await serverSecret(), `kind:${accountId}:${kind}`);
  return macEqual(expected, match[3]) ? { accountId, kind } : undefined;
}

// ---------------------------------------------------------------------------
// Subscriptions

export type SubscriptionRow = Awaited<ReturnType<typeof getSubscription>> & {};

export async function getSubscription(id: number) {
  return getDb().selectFrom("digest_subscription").selectAll().where("id", "=", id).executeTakeFirst();
}

export function parseIds(json: string): number[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((n): n is number => Number.isInteger(n) && n > 0) : [];
  } catch {
    return [];
  }
}

export function parseStrings(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];
  } catch {
    return [];
  }
}

/** Keeps only ids of networks that exist (ids arrive from forms). */
export async function existingNetworkIds(ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await getDb().selectFrom("network").select("id").where("id", "in", ids).orderBy("id").execute();
  return rows.map((r) => r.id);
}

export type SubscribeInput = { email: string; frequency: Exclude<DigestFrequency, "off">; networkIds: number[]; topics: string[] };

/**
 * Public sign-up (double opt-in). Returns the raw confirmation token to email, or undefined when
 * nothing may be sent (the address is already active or suspended). The page shows the same answer
 * either way, so the form never reveals who is subscribed.
 */
export async function requestSubscription(input: SubscribeInput): Promise<{ token: string; subscriptionId: number } | undefined> {
  const email = input.email.toLowerCase();
  const token = generateToken();
  const now = new Date();
  const nowText = now.toISOString();
  const expires = new Date(now.getTime() + CONFIRM_TTL_HOURS * 3600_000).toISOString();
  const networkIds = await existingNetworkIds(input.networkIds);
  return writeTransaction(async (trx) => {
    const existing = await trx.selectFrom("digest_subscription").select(["id", "status"]).where("email", "=", email).executeTakeFirst();
    if (existing && (existing.status === "active" || existing.status === "suspended")) return undefined;
    if (existing) {
      // Pending or unsubscribed: a fresh link; the choices take effect only when it is used.
      await trx
        .updateTable("digest_subscription")
        .set({
          frequency: input.frequency,
          network_ids: JSON.stringify(networkIds),
          topics: JSON.stringify(input.topics),
          confirm_token_hash: hashToken(token),
          confirm_expires_at: expires,
          confirm_used_at: null,
          updated_at: nowText,
        })
        .where("id", "=", existing.id)
        .execute();
      return { token, subscriptionId: existing.id };
    }
    const row = await trx
      .insertInto("digest_subscription")
      .values({
        email,
        account_id: null,
        frequency: input.frequency,
        network_ids: JSON.stringify(networkIds),
        topics: JSON.stringify(input.topics),
        include_follows: false,
        status: "pending",
        consent_at: null,
        consent_method: null,
        consent_text: null,
        confirm_token_hash: hashToken(token),
        confirm_expires_at: expires,
        confirm_used_at: null,
        token_salt: randomBytes(12).toString("base64url"),
        last_sent_at: null,
        last_period: null,
        failure_count: 0,
        last_failure: null,
        suspended_at: null,
        unsubscribed_at: null,
        created_at: nowText,
        updated_at: nowText,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { token, subscriptionId: row.id };
  });
}

/** The double opt-in email: the only thing sent before the link is used. Never throws (logged). */
export async function sendConfirmationEmail({ to, token, frequency }: { to: string; token: string; frequency: string }): Promise<boolean> {
  const url = `${env().APP_URL}/digest/confirm?token=${encodeURIComponent(token)}`;
  const message = renderSimpleEmail({
    subject: "Confirm your Roundtable digest",
    heading: "Confirm your digest",
    paragraphs: [
      `Someone, probably you, asked for a ${frequency === "daily" ? "daily" : "weekly"} Roundtable digest at this address.`,
      "Nothing will be sent until you confirm. If it was not you, ignore this email and nothing more will happen.",
    ],
    action: { label: "Confirm my digest", url },
    after: [`This link works once and expires in ${CONFIRM_TTL_HOURS} hours.`],
  });
  try {
    await sendEmail({ to, ...message });
    return true;
  } catch (error) {
    console.error("[digest] confirmation email failed:", error instanceof Error ? error.message : error);
    return false;
  }
}

export type ConfirmState = "valid" | "invalid" | "expired" | "used";

/** What a confirmation link is, without changing anything (the GET page). */
export async function checkConfirmToken(token: string | null | undefined): Promise<ConfirmState> {
  if (!token || token.length > 200) return "invalid";
  const sub = await getDb()
    .selectFrom("digest_subscription")
    .select(["confirm_expires_at", "confirm_used_at"])
    .where("confirm_token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!sub) return "invalid";
  if (sub.confirm_used_at) return "used";
  if (!sub.confirm_expires_at || sub.confirm_expires_at <= nowIso()) return "expired";
  return "valid";
}

/** Uses a confirmation link: single-use, expires, records the consent. */
export async function confirmSubscription(token: string | null | undefined): Promise<{ state: ConfirmState; subscriptionId?: number }> {
  if (!token || token.length > 200) return { state: "invalid" };
  const hash = hashToken(token);
  return writeTransaction(async (trx) => {
    const sub = await trx
      .selectFrom("digest_subscription")
      .select(["id", "confirm_expires_at", "confirm_used_at"])
      .where("confirm_token_hash", "=", hash)
      .executeTakeFirst();
    if (!sub) return { state: "invalid" as const };
    if (sub.confirm_used_at) return { state: "used" as const };
    const now = nowIso();
    if (!sub.confirm_expires_at || sub.confirm_expires_at <= now) return { state: "expired" as const };
    await trx
      .updateTable("digest_subscription")
      .set({
        status: "active",
        confirm_used_at: now,
        consent_at: now,
        consent_method: "public sign-up form, confirmed by email link (double opt-in)",
        consent_text: PUBLIC_CONSENT_TEXT,
        unsubscribed_at: null,
        failure_count: 0,
        updated_at: now,
      })
      .where("id", "=", sub.id)
      .execute();
    return { state: "valid" as const, subscriptionId: sub.id };
  });
}

export type PreferencesInput = { frequency: DigestFrequency; networkIds: number[]; topics: string[]; includeFollows?: boolean };

export async function updatePreferences(subscriptionId: number, input: PreferencesInput): Promise<void> {
  const networkIds = await existingNetworkIds(input.networkIds);
  await getDb()
    .updateTable("digest_subscription")
    .set({
      frequency: input.frequency,
      network_ids: JSON.stringify(networkIds),
      topics: JSON.stringify(input.topics),
      ...(input.includeFollows === undefined ? {} : { include_follows: input.includeFollows }),
      updated_at: nowIso(),
    })
    .where("id", "=", subscriptionId)
    .execute();
}

/** Idempotent: an unsubscribed subscription stays unsubscribed (and keeps its first date). */
export async function unsubscribe(subscriptionId: number): Promise<void> {
  const now = nowIso();
  await getDb()
    .updateTable("digest_subscription")
    .set({ status: "unsubscribed", unsubscribed_at: now, updated_at: now })
    .where("id", "=", subscriptionId)
    .where("status", "!=", "unsubscribed")
    .execute();
}

/** Resubscribes from the manage page (the address was confirmed before). */
export async function resubscribe(subscriptionId: number): Promise<void> {
  const now = nowIso();
  await getDb()
    .updateTable("digest_subscription")
    .set({ status: "active", unsubscribed_at: null, updated_at: now })
    .where("id", "=", subscriptionId)
    .where("status", "=", "unsubscribed")
    .where("consent_at", "is not", null)
    .execute();
}

// ---------------------------------------------------------------------------
// Members' own digest (account page)

/** The member's subscription: linked by account, or a confirmed public one for the same verified address. */
export async function getAccountSubscription(account: { id: string; email: string }) {
  const db = getDb();
  const linked = await db.selectFrom("digest_subscription").selectAll().where("account_id", "=", account.id).executeTakeFirst();
  if (linked) return linked;
  return db
    .selectFrom("digest_subscription")
    .selectAll()
    .where("email", "=", account.email.toLowerCase())
    .where("account_id", "is", null)
    .executeTakeFirst();
}

/**
 * Saves a member's digest choices. Their address is verified and they are signed in, so this is
 * the opt-in itself; the consent wording is recorded like a public sign-up's.
 */
export async function saveAccountDigest(account: { id: string; email: string }, input: PreferencesInput): Promise<number> {
  const networkIds = await existingNetworkIds(input.networkIds);
  const email = account.email.toLowerCase();
  const now = nowIso();
  const status = input.frequency === "off" ? "unsubscribed" : "active";
  return writeTransaction(async (trx) => {
    const existing =
      (await trx.selectFrom("digest_subscription").select(["id", "status", "consent_at"]).where("account_id", "=", account.id).executeTakeFirst()) ??
      (await trx.selectFrom("digest_subscription").select(["id", "status", "consent_at"]).where("email", "=", email).where("account_id", "is", null).executeTakeFirst());
    const values = {
      account_id: account.id,
      email,
      frequency: input.frequency,
      network_ids: JSON.stringify(networkIds),
      topics: JSON.stringify(input.topics),
      include_follows: input.includeFollows !== false,
      updated_at: now,
    };
    const consent =
      status === "active"
        ? { consent_at: now, consent_method: "account digest settings (signed in, verified address)", consent_text: ACCOUNT_CONSENT_TEXT, unsubscribed_at: null }
        : { unsubscribed_at: now };
    if (existing) {
      // A suspended address stays suspended until an admin reinstates it.
      const nextStatus = existing.status === "suspended" ? "suspended" : status;
      const keepConsent = status === "active" && existing.status === "active" && existing.consent_at;
      await trx
        .updateTable("digest_subscription")
        .set({ ...values, status: nextStatus, ...(keepConsent || existing.status === "suspended" ? {} : consent) })
        .where("id", "=", existing.id)
        .execute();
      return existing.id;
    }
    const row = await trx
      .insertInto("digest_subscription")
      .values({
        ...values,
        status,
        consent_at: null,
        consent_method: null,
        consent_text: null,
        ...consent,
        confirm_token_hash: null,
        confirm_expires_at: null,
        confirm_used_at: null,
        token_salt: randomBytes(12).toString("base64url"),
        last_sent_at: null,
        last_period: null,
        failure_count: 0,
        last_failure: null,
        suspended_at: null,
        created_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

// ---------------------------------------------------------------------------
// Admin: suspended addresses

export async function listSuspended() {
  return getDb()
    .selectFrom("digest_subscription")
    .select(["id", "email", "failure_count", "last_failure", "suspended_at", "account_id"])
    .where("status", "=", "suspended")
    .orderBy("suspended_at", "desc")
    .execute();
}

export async function isAddressSuspended(email: string): Promise<boolean> {
  const row = await getDb().selectFrom("digest_subscription").select("id").where("email", "=", email.toLowerCase()).where("status", "=", "suspended").executeTakeFirst();
  return Boolean(row);
}

/** An admin reinstates an address (e.g. after the mailbox was fixed). */
export async function reinstate(subscriptionId: number): Promise<boolean> {
  const res = await getDb()
    .updateTable("digest_subscription")
    .set({ status: "active", failure_count: 0, suspended_at: null, last_failure: null, updated_at: nowIso() })
    .where("id", "=", subscriptionId)
    .where("status", "=", "suspended")
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Counts for the admin page: subscriptions by status, and the latest periods' sends by status. */
export async function digestStats() {
  const db = getDb();
  const counts = await db
    .selectFrom("digest_subscription")
    .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("status")
    .execute();
  const recent = await db
    .selectFrom("digest_send")
    .select(["period", "status", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy(["period", "status"])
    .orderBy("period", "desc")
    .limit(20)
    .execute();
  return { counts, recent };
}
