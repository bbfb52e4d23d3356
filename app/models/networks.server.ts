import { sql } from "kysely";
import { getDb, nowIso, writeTransaction } from "../../db/index";
import { containsPattern, pageWindow } from "../utils/paging";
import { generateToken, hashToken } from "../utils/totp.server";
import type { NetworkRole } from "../../db/types/foundation";
import type { SessionUser } from "../utils/auth.server";
import { roleAtLeast } from "./access.server";

export async function listNetworks() {
  const db = getDb();
  return db
    .selectFrom("network")
    .leftJoin("organisation as host", "host.id", "network.host_organisation_id")
    .select([
      "network.id",
      "network.slug",
      "network.name",
      "network.short_name",
      "network.region",
      "network.summary",
      "network.contact_email",
      "host.name as host_name",
      "host.slug as host_slug",
      (eb) =>
        eb
          .selectFrom("network_membership")
          .whereRef("network_membership.network_id", "=", "network.id")
          .where("network_membership.status", "=", "approved")
          .select((e) => e.fn.countAll<number>().as("n"))
          .as("member_count"),
    ])
    .orderBy("network.name")
    .execute();
}

/** For the home page's cards: what a card shows, without the member counts. */
export async function listNetworkCards() {
  return getDb().selectFrom("network").select(["id", "slug", "name", "summary"]).orderBy("name").execute();
}

export async function getNetworkBySlug(slug: string) {
  return getDb()
    .selectFrom("network")
    .leftJoin("organisation as host", "host.id", "network.host_organisation_id")
    .selectAll("network")
    .select(["host.name as host_name", "host.slug as host_slug"])
    .where("network.slug", "=", slug)
    .executeTakeFirst();
}

export async function getNetworkById(id: number) {
  return getDb().selectFrom("network").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The account's membership of a network, whatever its status. */
export async function getMembership(accountId: string, networkId: number) {
  return getDb()
    .selectFrom("network_membership")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("network_id", "=", networkId)
    .executeTakeFirst();
}

/** The account's memberships of every network, with its status (account page). */
export async function listMembershipsOf(accountId: string) {
  return getDb()
    .selectFrom("network_membership")
    .innerJoin("network", "network.id", "network_membership.network_id")
    .select(["network.slug", "network.name", "network_membership.role", "network_membership.status"])
    .where("network_membership.account_id", "=", accountId)
    .orderBy("network.name")
    .execute();
}

// ---------------------------------------------------------------- membership and invitations

export const INVITATION_DAYS = 14;

export function parseDomains(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((d): d is string => typeof d === "string") : [];
  } catch {
    return [];
  }
}

function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1).toLowerCase();
}

/** Approved members, and the admins who are publicly listed (profile visible) on the network page. */
export async function networkPeopleSummary(networkId: number) {
  const db = getDb();
  const count = await db
    .selectFrom("network_membership")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("network_id", "=", networkId)
    .where("status", "=", "approved")
    .executeTakeFirst();
  const admins = await db
    .selectFrom("network_membership")
    .innerJoin("account", "account.id", "network_membership.account_id")
    .leftJoin("organisation", "organisation.id", "account.organisation_id")
    .select(["account.name", "account.email", "account.job_title", "organisation.name as organisation_name"])
    .where("network_membership.network_id", "=", networkId)
    .where("network_membership.status", "=", "approved")
    .where("network_membership.role", "=", "admin")
    .where("account.profile_visible", "=", true)
    .where("account.deleted_at", "is", null)
    .orderBy("account.name")
    .execute();
  return { memberCount: Number(count?.n ?? 0), admins };
}

export type JoinResult = "requested" | "approved" | "already-member" | "already-requested" | "unverified";

/**
 * Asks to join. Auto-approved when the verified address's domain is one the network
 * lists; otherwise waits for an admin. A declined member may ask again.
 */
export async function requestToJoin(user: SessionUser, networkId: number, message: string | null): Promise<JoinResult> {
  if (!user.emailVerified) return "unverified";
  return writeTransaction(async (trx) => {
    const network = await trx.selectFrom("network").select("auto_approve_domains").where("id", "=", networkId).executeTakeFirstOrThrow();
    const existing = await trx
      .selectFrom("network_membership")
      .select("status")
      .where("network_id", "=", networkId)
      .where("account_id", "=", user.id)
      .executeTakeFirst();
    if (existing?.status === "approved") return "already-member";
    if (existing?.status === "pending") return "already-requested";
    const auto = parseDomains(network.auto_approve_domains).includes(emailDomain(user.email));
    const now = nowIso();
    const values = {
      role: "member" as const,
      status: auto ? ("approved" as const) : ("pending" as const),
      message,
      created_at: now,
      decided_at: auto ? now : null,
      decided_by_account_id: null,
    };
    await trx
      .insertInto("network_membership")
      .values({ network_id: networkId, account_id: user.id, ...values })
      .onConflict((oc) => oc.columns(["network_id", "account_id"]).doUpdateSet(values))
      .execute();
    return auto ? "approved" : "requested";
  });
}

/** Addresses of the network's admins, for "new request" emails. */
export async function networkAdminEmails(networkId: number): Promise<string[]> {
  const rows = await getDb()
    .selectFrom("network_membership")
    .innerJoin("account", "account.id", "network_membership.account_id")
    .select("account.email")
    .where("network_membership.network_id", "=", networkId)
    .where("network_membership.status", "=", "approved")
    .where("network_membership.role", "=", "admin")
    .where("account.deleted_at", "is", null)
    .execute();
  return rows.map((r) => r.email);
}

export const MEMBERS_PAGE_SIZE = 50;

export type MemberListOptions = { q?: string; page?: number };

/**
 * Members other members may see: approved, with a visible profile; filtered by name
 * (the search is matched literally, `%` and `_` included) and one page at a time.
 */
export async function listVisibleMembers(networkId: number, { q = "", page = 1 }: MemberListOptions = {}) {
  let query = getDb()
    .selectFrom("network_membership")
    .innerJoin("account", "account.id", "network_membership.account_id")
    .where("network_membership.network_id", "=", networkId)
    .where("network_membership.status", "=", "approved")
    .where("account.profile_visible", "=", true)
    .where("account.deleted_at", "is", null);
  if (q) query = query.where(sql<boolean>`lower(account.name) like ${containsPattern(q.toLowerCase())} escape '\\'`);
  const total = Number((await query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst())?.n ?? 0);
  const window = pageWindow(total, page, MEMBERS_PAGE_SIZE);
  const items = await query
    .leftJoin("organisation", "organisation.id", "account.organisation_id")
    .select([
      "account.name",
      "account.job_title",
      "account.bio",
      "network_membership.role",
      "organisation.name as organisation_name",
      "organisation.slug as organisation_slug",
      "organisation.status as organisation_status",
    ])
    .orderBy("account.name")
    .orderBy("account.id")
    .limit(MEMBERS_PAGE_SIZE)
    .offset(window.offset)
    .execute();
  return { items, total, page: window.page, pages: window.pages };
}

/**
 * Memberships of one status for the network's admins (visible profile or not), filtered
 * by name or email and paged: requests oldest first, members by name.
 */
export async function listMembershipsForAdmin(networkId: number, { status, q = "", page = 1 }: MemberListOptions & { status: "pending" | "approved" }) {
  let query = getDb()
    .selectFrom("network_membership")
    .innerJoin("account", "account.id", "network_membership.account_id")
    .where("network_membership.network_id", "=", networkId)
    .where("network_membership.status", "=", status)
    .where("account.deleted_at", "is", null);
  if (q) {
    const pattern = containsPattern(q.toLowerCase());
    query = query.where((eb) => eb.or([sql<boolean>`lower(account.name) like ${pattern} escape '\\'`, sql<boolean>`lower(account.email) like ${pattern} escape '\\'`]));
  }
  const total = Number((await query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst())?.n ?? 0);
  const window = pageWindow(total, page, MEMBERS_PAGE_SIZE);
  let ordered = query.select([
    "account.id as account_id",
    "account.name",
    "account.email",
    "account.email_verified_at",
    "network_membership.role",
    "network_membership.status",
    "network_membership.message",
    "network_membership.created_at",
  ]);
  ordered = status === "pending" ? ordered.orderBy("network_membership.created_at").orderBy("account.id") : ordered.orderBy("account.name").orderBy("account.id");
  const items = await ordered.limit(MEMBERS_PAGE_SIZE).offset(window.offset).execute();
  return { items, total, page: window.page, pages: window.pages };
}

async function approvedAdminCount(trx: ReturnType<typeof getDb>, networkId: number): Promise<number> {
  const row = await trx
    .selectFrom("network_membership")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("network_id", "=", networkId)
    .where("status", "=", "approved")
    .where("role", "=", "admin")
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export type MembershipChange =
  | { kind: "approve" | "decline" | "remove"; accountId: string }
  | { kind: "role"; accountId: string; role: NetworkRole };

/**
 * An admin's change to one membership of this network (scoped by network: an id from
 * another network changes nothing). The last admin cannot be removed or demoted.
 */
export async function changeMembership(adminId: string, networkId: number, change: MembershipChange): Promise<{ ok: true; email: string } | { ok: false; message: string }> {
  return writeTransaction(async (trx) => {
    const m = await trx
      .selectFrom("network_membership")
      .innerJoin("account", "account.id", "network_membership.account_id")
      .select(["network_membership.status", "network_membership.role", "account.email"])
      .where("network_membership.network_id", "=", networkId)
      .where("network_membership.account_id", "=", change.accountId)
      .executeTakeFirst();
    if (!m) return { ok: false, message: "That person is not in this network" };
    const now = nowIso();
    const scope = trx
      .updateTable("network_membership")
      .where("network_id", "=", networkId)
      .where("account_id", "=", change.accountId);
    const losesAdmin = m.status === "approved" && m.role === "admin" && (change.kind === "remove" || (change.kind === "role" && change.role !== "admin"));
    if (losesAdmin && (await approvedAdminCount(trx, networkId)) <= 1) {
      return { ok: false, message: "A network needs at least one admin. Make someone else an admin first" };
    }
    switch (change.kind) {
      case "approve":
      case "decline":
        if (m.status !== "pending") return { ok: false, message: "That request has already been answered" };
        await scope.set({ status: change.kind === "approve" ? "approved" : "declined", decided_at: now, decided_by_account_id: adminId }).execute();
        break;
      case "role":
        if (m.status !== "approved") return { ok: false, message: "Approve the request before choosing a role" };
        await scope.set({ role: change.role }).execute();
        break;
      case "remove":
        await trx.deleteFrom("network_membership").where("network_id", "=", networkId).where("account_id", "=", change.accountId).execute();
        break;
    }
    return { ok: true, email: m.email };
  });
}

export async function setAutoApproveDomains(networkId: number, domains: string[]): Promise<void> {
  await getDb()
    .updateTable("network")
    .set({ auto_approve_domains: JSON.stringify([...new Set(domains)]), updated_at: nowIso() })
    .where("id", "=", networkId)
    .execute();
}

/** A single-use invitation bound to one address; returns the token for the email (stored hashed). */
export async function createInvitation({ networkId, email, role, invitedBy }: { networkId: number; email: string; role: NetworkRole; invitedBy: string }): Promise<string> {
  const token = generateToken();
  const now = new Date();
  await getDb()
    .insertInto("invitation")
    .values({
      token_hash: hashToken(token),
      network_id: networkId,
      email: email.toLowerCase(),
      role,
      invited_by_account_id: invitedBy,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + INVITATION_DAYS * 24 * 3600_000).toISOString(),
      used_at: null,
      accepted_by_account_id: null,
    })
    .execute();
  return token;
}

export async function listOpenInvitations(networkId: number) {
  return getDb()
    .selectFrom("invitation")
    .select(["id", "email", "role", "expires_at", "created_at"])
    .where("network_id", "=", networkId)
    .where("used_at", "is", null)
    .where("expires_at", ">", nowIso())
    .orderBy("created_at", "desc")
    .execute();
}

/** Withdraws an open invitation of this network (scoped: another network's id does nothing). */
export async function withdrawInvitation(networkId: number, invitationId: number): Promise<void> {
  await getDb()
    .updateTable("invitation")
    .set({ used_at: nowIso() })
    .where("network_id", "=", networkId)
    .where("id", "=", invitationId)
    .where("used_at", "is", null)
    .execute();
}

export async function getInvitation(token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  return getDb()
    .selectFrom("invitation")
    .innerJoin("network", "network.id", "invitation.network_id")
    .select(["invitation.id", "invitation.email", "invitation.role", "invitation.expires_at", "invitation.used_at", "invitation.network_id", "network.name as network_name", "network.slug as network_slug"])
    .where("invitation.token_hash", "=", hashToken(token))
    .executeTakeFirst();
}

export type AcceptResult = { ok: true; networkSlug: string; networkName: string } | { ok: false; problem: "invalid" | "expired" | "used" | "wrong-email" };

/**
 * Accepts an invitation for the signed-in user, whose address must be the invited one.
 * The link reached that inbox, so the address counts as confirmed.
 */
export async function acceptInvitation(user: SessionUser, token: string): Promise<AcceptResult> {
  const invitation = await getInvitation(token);
  if (!invitation) return { ok: false, problem: "invalid" };
  if (invitation.used_at) return { ok: false, problem: "used" };
  if (invitation.expires_at <= nowIso()) return { ok: false, problem: "expired" };
  if (invitation.email.toLowerCase() !== user.email.toLowerCase()) return { ok: false, problem: "wrong-email" };
  return writeTransaction(async (trx) => {
    const now = nowIso();
    const used = await trx
      .updateTable("invitation")
      .set({ used_at: now, accepted_by_account_id: user.id })
      .where("id", "=", invitation.id)
      .where("used_at", "is", null)
      .where("expires_at", ">", now)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) return { ok: false, problem: "used" } as const;
    const existing = await trx
      .selectFrom("network_membership")
      .select(["status", "role"])
      .where("network_id", "=", invitation.network_id)
      .where("account_id", "=", user.id)
      .executeTakeFirst();
    // An invitation never lowers a role someone already holds.
    const role = existing?.status === "approved" && roleAtLeast(existing.role, invitation.role) ? existing.role : invitation.role;
    const values = { role, status: "approved" as const, decided_at: now, decided_by_account_id: null };
    await trx
      .insertInto("network_membership")
      .values({ network_id: invitation.network_id, account_id: user.id, message: null, created_at: now, ...values })
      .onConflict((oc) => oc.columns(["network_id", "account_id"]).doUpdateSet(values))
      .execute();
    await trx.updateTable("account").set({ email_verified_at: now }).where("id", "=", user.id).where("email_verified_at", "is", null).execute();
    return { ok: true, networkSlug: invitation.network_slug, networkName: invitation.network_name } as const;
  });
}
