import { getDb } from "../../db/index";
import type { NetworkRole } from "../../db/types/foundation";
import { twoStepSetupRedirect, type SessionUser } from "../utils/auth.server";

const ROLE_RANK: Record<NetworkRole, number> = { member: 1, organiser: 2, moderator: 3, admin: 4 };

/** Roles are ordered: each includes the rights of the ones below it. */
export function roleAtLeast(role: NetworkRole | null | undefined, minimum: NetworkRole): boolean {
  return role ? ROLE_RANK[role] >= ROLE_RANK[minimum] : false;
}

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

/**
 * The account's effective role in a network: its approved membership's role,
 * or admin everywhere for a platform admin; null when not a member.
 */
export async function networkRole(user: SessionUser | null, networkId: number): Promise<NetworkRole | null> {
  if (!user) return null;
  if (user.isPlatformAdmin) return "admin";
  const m = await getMembership(user.id, networkId);
  return m && m.status === "approved" ? m.role : null;
}

/**
 * Ids of the networks whose members-only content this user may read.
 * Every query for member content filters by this list, never by id alone.
 */
export async function readableNetworkIds(user: SessionUser | null): Promise<number[]> {
  if (!user) return [];
  const db = getDb();
  if (user.isPlatformAdmin) return (await db.selectFrom("network").select("id").execute()).map((n) => n.id);
  const rows = await db
    .selectFrom("network_membership")
    .select("network_id")
    .where("account_id", "=", user.id)
    .where("status", "=", "approved")
    .execute();
  return rows.map((r) => r.network_id);
}

/** Networks where the user holds at least the given role (for "publish to" pickers). */
export async function networksWithRole(user: SessionUser, minimum: NetworkRole) {
  const db = getDb();
  if (user.isPlatformAdmin) return db.selectFrom("network").select(["id", "slug", "name", "short_name"]).orderBy("name").execute();
  const rows = await db
    .selectFrom("network_membership")
    .innerJoin("network", "network.id", "network_membership.network_id")
    .select(["network.id", "network.slug", "network.name", "network.short_name", "network_membership.role"])
    .where("network_membership.account_id", "=", user.id)
    .where("network_membership.status", "=", "approved")
    .orderBy("network.name")
    .execute();
  return rows.filter((r) => roleAtLeast(r.role, minimum)).map(({ role: _role, ...n }) => n);
}

/**
 * Throws a 404 (not 403: do not confirm what exists) unless the user holds at
 * least `minimum` in the network. Callers pass a signed-in user.
 */
export async function requireNetworkRole(
  user: SessionUser,
  networkId: number,
  minimum: NetworkRole,
  { returnTo }: { returnTo?: string } = {},
): Promise<NetworkRole> {
  const role = await networkRole(user, networkId);
  if (!roleAtLeast(role, minimum)) throw new Response("Not found", { status: 404 });
  // Admin rights need two-step verification; lesser roles are not forced to turn it on.
  if (minimum === "admin" && !user.hasTotp) throw twoStepSetupRedirect(returnTo);
  return role!;
}

/** True when the user administers any network or the platform (these must use two-step verification). */
export async function holdsAdminRole(user: SessionUser): Promise<boolean> {
  if (user.isPlatformAdmin) return true;
  const row = await getDb()
    .selectFrom("network_membership")
    .select("network_id")
    .where("account_id", "=", user.id)
    .where("status", "=", "approved")
    .where("role", "=", "admin")
    .executeTakeFirst();
  return row !== undefined;
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
