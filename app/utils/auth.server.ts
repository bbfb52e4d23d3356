/**
 * Sessions and sign-in state. The only module that imports lucia (v3, deprecated
 * upstream in March 2025): replacing it later touches this file alone.
 *
 * Hardening on top of lucia:
 * - the adapter stores only SHA-256(session id); a leaked database cannot be replayed as cookies;
 * - a sliding idle expiry (lucia's) and an absolute lifetime (ours, checked in the adapter);
 * - a fresh session id on every sign-in (no fixation), the old one deleted.
 */
import { createHash } from "node:crypto";
import { redirect } from "@remix-run/node";
import { Cookie, Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import { getDb, nowIso } from "../../db/index";
import type { NetworkRole } from "../../db/types/foundation";
import { holdsPlatformAdminRole, networkRole, platformPowers, roleAtLeast } from "../models/access.server";
import { getOrganisationForViewer } from "../models/organisations.server";
import { env } from "./env.server";
import { flashCookie, safeRedirect } from "./flash.server";
import { REQUEST_ID_HEADER } from "./http.server";

export const SESSION_IDLE_DAYS = 7;
export const SESSION_ABSOLUTE_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
/** How stale last_seen_at may get before a request refreshes it (limits writes on reads). */
const LAST_SEEN_RESOLUTION_MS = 5 * 60 * 1000;

type SessionAttributes = { user_agent: string | null; ip_address: string | null; mfa_verified: boolean };
type AccountAttributes = {
  email: string;
  name: string;
  email_verified_at: string | null;
  is_platform_admin: boolean;
  totp_secret: string | null;
};

declare module "lucia" {
  interface Register {
    Lucia: typeof lucia;
    DatabaseSessionAttributes: SessionAttributes;
    DatabaseUserAttributes: AccountAttributes;
  }
}

export function hashSessionId(sessionId: string): string {
  return createHash("sha256").update(sessionId).digest("hex");
}

class KyselySessionAdapter implements Adapter {
  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const db = getDb();
    const row = await db
      .selectFrom("session")
      .innerJoin("account", "account.id", "session.account_id")
      .select([
        "session.id as hash",
        "session.account_id",
        "session.expires_at",
        "session.created_at",
        "session.last_seen_at",
        "session.user_agent",
        "session.ip_address",
        "session.mfa_verified",
        "account.email",
        "account.name",
        "account.email_verified_at",
        "account.is_platform_admin",
        "account.totp_secret",
      ])
      .where("session.id", "=", hashSessionId(sessionId))
      .executeTakeFirst();
    if (!row) return [null, null];
    const absoluteEnd = Date.parse(row.created_at) + SESSION_ABSOLUTE_DAYS * DAY_MS;
    if (Date.now() >= absoluteEnd) {
      await db.deleteFrom("session").where("id", "=", row.hash).execute();
      return [null, null];
    }
    if (Date.now() - Date.parse(row.last_seen_at) > LAST_SEEN_RESOLUTION_MS) {
      await db.updateTable("session").set({ last_seen_at: nowIso() }).where("id", "=", row.hash).execute();
    }
    return [
      {
        // lucia hands this id back to deleteSession/updateSessionExpiration, which hash it again.
        id: sessionId,
        userId: row.account_id,
        expiresAt: new Date(Math.min(Date.parse(row.expires_at), absoluteEnd)),
        attributes: { user_agent: row.user_agent, ip_address: row.ip_address, mfa_verified: row.mfa_verified },
      },
      {
        id: row.account_id,
        attributes: {
          email: row.email,
          name: row.name,
          email_verified_at: row.email_verified_at,
          is_platform_admin: row.is_platform_admin,
          totp_secret: row.totp_secret,
        },
      },
    ];
  }

  async getUserSessions(accountId: string): Promise<DatabaseSession[]> {
    const rows = await getDb().selectFrom("session").selectAll().where("account_id", "=", accountId).execute();
    return rows.map((r) => ({
      id: r.id,
      userId: r.account_id,
      expiresAt: new Date(r.expires_at),
      attributes: { user_agent: r.user_agent, ip_address: r.ip_address, mfa_verified: r.mfa_verified },
    }));
  }

  async setSession(session: DatabaseSession): Promise<void> {
    const now = nowIso();
    await getDb()
      .insertInto("session")
      .values({
        id: hashSessionId(session.id),
        account_id: session.userId,
        expires_at: session.expiresAt.toISOString(),
        created_at: now,
        last_seen_at: now,
        user_agent: session.attributes.user_agent,
        ip_address: session.attributes.ip_address,
        mfa_verified: session.attributes.mfa_verified,
      })
      .execute();
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    await getDb()
      .updateTable("session")
      .set({ expires_at: expiresAt.toISOString() })
      .where("id", "=", hashSessionId(sessionId))
      .execute();
  }

  async deleteSession(sessionId: string): Promise<void> {
    await getDb().deleteFrom("session").where("id", "=", hashSessionId(sessionId)).execute();
  }

  async deleteUserSessions(accountId: string): Promise<void> {
    await getDb().deleteFrom("session").where("account_id", "=", accountId).execute();
  }

  async deleteExpiredSessions(): Promise<void> {
    const now = nowIso();
    const absoluteCutoff = new Date(Date.now() - SESSION_ABSOLUTE_DAYS * DAY_MS).toISOString();
    await getDb()
      .deleteFrom("session")
      .where((eb) => eb.or([eb("expires_at", "<=", now), eb("created_at", "<=", absoluteCutoff)]))
      .execute();
  }
}

function cookieName(): string {
  // __Host- binds the cookie to this exact origin (Secure, Path=/, no Domain) where https allows it.
  return env().secureCookies ? "__Host-rt_session" : "rt_session";
}

export const lucia = new Lucia(new KyselySessionAdapter(), {
  sessionExpiresIn: new TimeSpan(SESSION_IDLE_DAYS, "d"),
  sessionCookie: { name: "rt_session", expires: true, attributes: { sameSite: "lax", path: "/" } },
  getSessionAttributes: (a) => ({ mfaVerified: a.mfa_verified }),
  getUserAttributes: (a) => ({
    email: a.email,
    name: a.name,
    emailVerified: a.email_verified_at !== null,
    isPlatformAdmin: a.is_platform_admin,
    hasTotp: a.totp_secret !== null,
  }),
});

export type SessionUser = {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  isPlatformAdmin: boolean;
  hasTotp: boolean;
};
export type AuthState = { user: SessionUser; sessionHash: string; mfaVerified: boolean };

function readCookie(request: Request): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === cookieName()) {
      const value = part.slice(eq + 1).trim();
      return /^[a-z0-9]{20,80}$/.test(value) ? value : null;
    }
  }
  return null;
}

const cache = new WeakMap<Request, Promise<AuthState | null>>();

async function validate(request: Request): Promise<AuthState | null> {
  const sessionId = readCookie(request);
  if (!sessionId) return null;
  const { session, user } = await lucia.validateSession(sessionId);
  if (!session || !user) return null;
  return {
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      emailVerified: user.emailVerified,
      isPlatformAdmin: user.isPlatformAdmin,
      hasTotp: user.hasTotp,
    },
    sessionHash: hashSessionId(session.id),
    mfaVerified: session.mfaVerified,
  };
}

/**
 * Remix hands every loader its own copy of the request, so the server (app/server.ts) gives the
 * copies of one request one random id (REQUEST_ID_HEADER) (any the client sent is dropped). A page's
 * loaders then share one session read; only for GET and HEAD, where no action can change the
 * session between them. Entries are keyed by id and cookie and only the last few are kept.
 */
const byRequestId = new Map<string, Promise<AuthState | null>>();
const REQUEST_ID_KEPT = 256;

/** The signed-in state of a request, validated once per request. */
export function getAuth(request: Request): Promise<AuthState | null> {
  let pending = cache.get(request);
  if (pending) return pending;
  const id = request.method === "GET" || request.method === "HEAD" ? request.headers.get(REQUEST_ID_HEADER) : null;
  const key = id ? `${id} ${request.headers.get("Cookie") ?? ""}` : null;
  pending = key ? byRequestId.get(key) : undefined;
  if (!pending) {
    pending = validate(request);
    if (key) {
      byRequestId.set(key, pending);
      if (byRequestId.size > REQUEST_ID_KEPT) byRequestId.delete(byRequestId.keys().next().value!);
    }
  }
  cache.set(request, pending);
  return pending;
}

/** The fully signed-in user (second step passed where it is on), or null. */
export async function getOptionalUser(request: Request): Promise<SessionUser | null> {
  const auth = await getAuth(request);
  if (!auth) return null;
  if (auth.user.hasTotp && !auth.mfaVerified) return null;
  return auth.user;
}

function safeRedirectTarget(request: Request): string {
  const url = new URL(request.url);
  return `${url.pathname}${url.search}`;
}

/** A signed-in user, or a redirect to the sign-in page that comes back here afterwards. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const auth = await getAuth(request);
  if (auth && auth.user.hasTotp && !auth.mfaVerified) {
    throw redirect(`/sign-in/two-step?redirectTo=${encodeURIComponent(safeRedirectTarget(request))}`);
  }
  if (!auth) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(safeRedirectTarget(request))}`);
  return auth.user;
}

export const TWO_STEP_SETUP_PATH = "/account/two-step";

/**
 * The redirect that sends an admin without two-step verification to set it up first
 * (Cyber Essentials expects MFA wherever it is available; admins can change other people's access).
 */
export function twoStepSetupRedirect(returnTo?: string): Response {
  const target = returnTo ? `?redirectTo=${encodeURIComponent(safeRedirect(returnTo, "/account"))}` : "";
  return redirect(`${TWO_STEP_SETUP_PATH}${target}`, {
    headers: { "Set-Cookie": flashCookie("Admins must turn on two-step verification before they can manage networks.", "info") },
  });
}

// The require* functions turn the access module's answers into responses: 404 (not 403: do not
// confirm what exists) or the two-step set-up redirect for admins.

export async function requirePlatformAdmin(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!holdsPlatformAdminRole(user)) throw new Response("Not found", { status: 404 });
  if (!user.hasTotp) throw twoStepSetupRedirect(safeRedirectTarget(request));
  if (!platformPowers(user)) throw new Response("Not found", { status: 404 });
  return user;
}

/** The user's role in the network, when it is at least `minimum`; else a 404. Admin rights need two-step verification. */
export async function requireNetworkRole(
  user: SessionUser,
  networkId: number,
  minimum: NetworkRole,
  { returnTo }: { returnTo?: string } = {},
): Promise<NetworkRole> {
  const role = await networkRole(user, networkId);
  // A platform admin without two-step verification has no platform powers yet: show them how to get them.
  if (!roleAtLeast(role, minimum) && holdsPlatformAdminRole(user) && !user.hasTotp) throw twoStepSetupRedirect(returnTo);
  if (!roleAtLeast(role, minimum)) throw new Response("Not found", { status: 404 });
  // Admin rights need two-step verification; lesser roles are not forced to turn it on.
  if (minimum === "admin" && !user.hasTotp) throw twoStepSetupRedirect(returnTo);
  return role!;
}

/**
 * The signed-in user and the organisation, when they may edit it (its admins; admins of
 * its networks once two-step verification is on). Anyone else gets a 404.
 */
export async function requireOrganisationEditor(request: Request, slug: string) {
  const user = await requireUser(request);
  const found = await getOrganisationForViewer(slug, user);
  if (!found) throw new Response("Not found", { status: 404 });
  if (found.access.canEdit) return { user, org: found.org, access: found.access };
  if (found.access.needsTwoStep) throw twoStepSetupRedirect(new URL(request.url).pathname);
  throw new Response("Not found", { status: 404 });
}

function sessionCookie(value: string, maxAgeSeconds: number): string {
  const secure = env().secureCookies;
  return new Cookie(cookieName(), value, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure,
    maxAge: maxAgeSeconds,
  }).serialize();
}

/**
 * Starts a new session for the account and returns its Set-Cookie header.
 * The session the request came with (if any) is deleted: no fixation.
 * The cookie lives as long as the absolute lifetime; the server enforces the idle expiry.
 */
export async function createLoginSession(
  accountId: string,
  request: Request,
  { mfaVerified }: { mfaVerified: boolean },
): Promise<string> {
  const previous = readCookie(request);
  if (previous) await lucia.invalidateSession(previous);
  const session = await lucia.createSession(accountId, {
    user_agent: request.headers.get("User-Agent")?.slice(0, 300) ?? null,
    ip_address: clientIp(request),
    mfa_verified: mfaVerified,
  });
  cache.delete(request);
  return sessionCookie(session.id, SESSION_ABSOLUTE_DAYS * 24 * 60 * 60);
}

/** Records that this request's session has passed the second step. */
export async function markSessionMfaVerified(request: Request): Promise<void> {
  const sessionId = readCookie(request);
  if (!sessionId) return;
  await getDb().updateTable("session").set({ mfa_verified: true }).where("id", "=", hashSessionId(sessionId)).execute();
  cache.delete(request);
}

/** Ends this request's session; returns the Set-Cookie header that clears the cookie. */
export async function logout(request: Request): Promise<string> {
  const sessionId = readCookie(request);
  if (sessionId) await lucia.invalidateSession(sessionId);
  cache.delete(request);
  return sessionCookie("", 0);
}

/** Ends every session of the account except the one this request carries. */
export async function endOtherSessions(accountId: string, request: Request): Promise<void> {
  const current = readCookie(request);
  let query = getDb().deleteFrom("session").where("account_id", "=", accountId);
  if (current) query = query.where("id", "!=", hashSessionId(current));
  await query.execute();
}

export async function endAllSessions(accountId: string): Promise<void> {
  await lucia.invalidateUserSessions(accountId);
}

export async function listSessions(accountId: string) {
  return getDb()
    .selectFrom("session")
    .select(["id", "created_at", "last_seen_at", "expires_at", "user_agent", "ip_address"])
    .where("account_id", "=", accountId)
    .where("expires_at", ">", nowIso())
    .orderBy("last_seen_at", "desc")
    .execute();
}

/** Ends one session of the account, by its stored hash (as listed on the account page). */
export async function endSessionByHash(accountId: string, hash: string): Promise<void> {
  await getDb().deleteFrom("session").where("account_id", "=", accountId).where("id", "=", hash).execute();
}

/**
 * The client's address. X-Forwarded-For is trusted only when TRUST_PROXY is on;
 * otherwise the server passes the socket address in X-Roundtable-Client-Ip
 * (set by app/server.ts, which strips any value a client sent).
 */
export function clientIp(request: Request): string | null {
  if (env().TRUST_PROXY === "on") {
    const forwarded = request.headers.get("X-Forwarded-For");
    if (forwarded) return forwarded.split(",")[0].trim().slice(0, 64);
  }
  return request.headers.get("X-Roundtable-Client-Ip")?.slice(0, 64) ?? null;
}
