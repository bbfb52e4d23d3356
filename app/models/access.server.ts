// Who may see and do what: the one place that decides. Models and routes ask here; no other
// module reads a network role or the platform-admin flag to grant access.
//
// These functions answer "may they?" or "in which networks?". Turning a "no" into a 404 or a
// redirect (a Response) is the job of app/utils/auth.server.ts and the routes.
//
// Network roles are ordered member < organiser < moderator < admin; each includes the rights of
// the ones below. Platform admins act as admin in every network: see platformPowers().

import { getDb, type DB } from "../../db/index";
import type { DiscussionVisibility } from "../../db/types/discussions";
import type { NetworkRole } from "../../db/types/foundation";
import type { ResourceStatus, ResourceVisibility } from "../../db/types/resources";
import type { SessionUser } from "../utils/auth.server";

/** Whoever acts: a signed-in user, or an account a job or a feed acts for. */
export type Actor = Pick<SessionUser, "id" | "isPlatformAdmin" | "hasTotp">;

const ROLE_RANK: Record<NetworkRole, number> = { member: 1, organiser: 2, moderator: 3, admin: 4 };

export function roleAtLeast(role: NetworkRole | null | undefined, minimum: NetworkRole): boolean {
  return role ? ROLE_RANK[role] >= ROLE_RANK[minimum] : false;
}

// ---------------------------------------------------------------- platform admins

/**
 * Platform-admin powers (admin in every network, the /admin tools) are granted here and
 * nowhere else. They need two-step verification: a platform admin's password alone must not
 * open every network's organiser, moderator and admin tools (issue 12, item 11). Until it is
 * on, the account has only the rights of its own memberships; /admin and admin-only pages send
 * it to set two-step up (holdsPlatformAdminRole).
 */
export function platformPowers(actor: Pick<Actor, "isPlatformAdmin" | "hasTotp"> | null | undefined): boolean {
  return actor?.isPlatformAdmin === true && actor.hasTotp === true;
}

/**
 * The account holds the platform-admin role, whether or not its powers are in force: it must use
 * two-step verification, and /admin sends it to set that up rather than answering 404.
 */
export function holdsPlatformAdminRole(actor: Pick<Actor, "isPlatformAdmin"> | null | undefined): boolean {
  return actor?.isPlatformAdmin === true;
}

/** An account as an Actor, for code acting without a session (feeds, digests); undefined when absent. */
export async function accountActor(accountId: string, db: DB = getDb()): Promise<(Actor & { deleted: boolean }) | undefined> {
  const a = await db.selectFrom("account").select(["id", "is_platform_admin", "totp_secret", "deleted_at"]).where("id", "=", accountId).executeTakeFirst();
  return a && { id: a.id, isPlatformAdmin: a.is_platform_admin, hasTotp: a.totp_secret !== null, deleted: a.deleted_at !== null };
}

// ---------------------------------------------------------------- networks

/** The actor's effective role in a network: its approved membership's role, admin for platform powers; null otherwise. */
export async function networkRole(actor: Actor | null, networkId: number): Promise<NetworkRole | null> {
  if (!actor) return null;
  if (platformPowers(actor)) return "admin";
  const m = await getDb()
    .selectFrom("network_membership")
    .select(["role", "status"])
    .where("account_id", "=", actor.id)
    .where("network_id", "=", networkId)
    .executeTakeFirst();
  return m && m.status === "approved" ? m.role : null;
}

/** Ids of the networks where the actor holds at least `minimum` (every network with platform powers). */
async function networkIdsWithRole(actor: Actor | null, minimum: NetworkRole): Promise<number[]> {
  if (!actor) return [];
  const db = getDb();
  if (platformPowers(actor)) return (await db.selectFrom("network").select("id").execute()).map((n) => n.id);
  const rows = await db.selectFrom("network_membership").select(["network_id", "role"]).where("account_id", "=", actor.id).where("status", "=", "approved").execute();
  return rows.filter((r) => roleAtLeast(r.role, minimum)).map((r) => r.network_id);
}

/**
 * Networks whose members-only content the actor may read (approved memberships).
 * Every query for member content filters by this list, never by id alone.
 */
export function readableNetworkIds(actor: Actor | null): Promise<number[]> {
  return networkIdsWithRole(actor, "member");
}

/** Networks where the actor moderates: resources (the queue, reports) and discussions alike. */
export function moderatedNetworkIds(actor: Actor | null): Promise<number[]> {
  return networkIdsWithRole(actor, "moderator");
}

/** Networks the actor administers (organisation approvals, members, settings). */
export function adminNetworkIds(actor: Actor | null): Promise<number[]> {
  return networkIdsWithRole(actor, "admin");
}

/** Networks where the user holds at least the given role, for "publish to" pickers. */
export async function networksWithRole(user: Actor, minimum: NetworkRole) {
  const db = getDb();
  if (platformPowers(user)) return db.selectFrom("network").select(["id", "slug", "name", "short_name"]).orderBy("name").execute();
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

/** True when the user holds an admin role (any network, or the platform): such accounts must use two-step verification. */
export async function holdsAdminRole(user: Actor): Promise<boolean> {
  if (holdsPlatformAdminRole(user)) return true;
  const row = await getDb()
    .selectFrom("network_membership")
    .select("network_id")
    .where("account_id", "=", user.id)
    .where("status", "=", "approved")
    .where("role", "=", "admin")
    .executeTakeFirst();
  return row !== undefined;
}

// ---------------------------------------------------------------- events

/** Networks whose members-only events the user may see, and those where they organise (and so see drafts). */
export async function eventScope(user: Actor | null): Promise<{ readable: number[]; organising: number[] }> {
  const [readable, organising] = await Promise.all([readableNetworkIds(user), networkIdsWithRole(user, "organiser")]);
  return { readable, organising };
}

/** Networks in which the user may publish and manage events (organiser or above). */
export async function organiserNetworks(user: Actor | null) {
  if (!user) return [];
  return networksWithRole(user, "organiser");
}

/** Publish, change, cancel and see the attendees of events in this network. */
export async function canManageEvent(user: Actor | null, event: { network_id: number }): Promise<boolean> {
  if (!user) return false;
  return roleAtLeast(await networkRole(user, event.network_id), "organiser");
}

// ---------------------------------------------------------------- resources

export type ResourceAccess = {
  role: NetworkRole | null;
  canView: boolean;
  /** Change the details or upload a new version. */
  canEdit: boolean;
  /** Approve, reject, delete, resolve reports. */
  canModerate: boolean;
  /** Changes publish at once (organiser or above); a member's go to the queue. */
  publishesDirectly: boolean;
};

type ResourceAccessRow = { network_id: number; visibility: ResourceVisibility; status: ResourceStatus; contributor_account_id: string | null };

export async function resourceAccess(user: Actor | null, r: ResourceAccessRow): Promise<ResourceAccess> {
  const role = await networkRole(user, r.network_id);
  const isContributor = !!user && r.contributor_account_id === user.id;
  const canModerate = roleAtLeast(role, "moderator");
  const publishesDirectly = roleAtLeast(role, "organiser");
  const canSeePublished = r.visibility === "public" || role !== null;
  const canView = r.status === "published" ? canSeePublished : canModerate || isContributor;
  return { role, canView, canEdit: canView && (publishesDirectly || (isContributor && role !== null)), canModerate, publishesDirectly };
}

/** Contributing to a network's repository: members may (to the queue), organisers and above publish directly. */
export async function contributorRights(user: Actor, networkId: number): Promise<{ canContribute: boolean; publishesDirectly: boolean }> {
  const role = await networkRole(user, networkId);
  return { canContribute: role !== null, publishesDirectly: roleAtLeast(role, "organiser") };
}

// ---------------------------------------------------------------- discussions

/** Each network's choice; no row means members only (the cautious default). */
export async function discussionVisibility(networkId: number, db: DB = getDb()): Promise<DiscussionVisibility> {
  const row = await db.selectFrom("discussion_setting").select("visibility").where("network_id", "=", networkId).executeTakeFirst();
  return row?.visibility ?? "members";
}

/**
 * The categories whose discussions this person may read: every category of the networks they
 * belong to, and the open (not members-only) categories of networks whose discussions are public.
 * Every list, search and count of threads filters by this list, so a members-only category never
 * reaches a public page, feed, search or digest.
 */
export async function discussionReadableCategoryIds(user: Actor | null): Promise<number[]> {
  const db = getDb();
  const member = await readableNetworkIds(user);
  const open = (await db.selectFrom("discussion_setting").select("network_id").where("visibility", "=", "public").execute()).map((r) => r.network_id);
  if (member.length === 0 && open.length === 0) return [];
  const rows = await db
    .selectFrom("discussion_category")
    .select("id")
    .where((eb) =>
      eb.or([
        eb("network_id", "in", member.length ? member : [-1]),
        eb.and([eb("network_id", "in", open.length ? open : [-1]), eb("members_only", "=", false)]),
      ]),
    )
    .execute();
  return rows.map((r) => r.id);
}

/** Whether people outside the network could read a category: a public network and a category not kept for members. */
export function categoryIsPublic(visibility: DiscussionVisibility, membersOnly: number | boolean): boolean {
  return visibility === "public" && !membersOnly;
}

/** isPublic: anyone, signed in or not, can read what is posted here (authors are told so). */
export type DiscussionAccess = { canRead: boolean; canPost: boolean; canModerate: boolean; isPublic: boolean; role: NetworkRole | null };

/** What this person may do in one category of a network (members-only categories are read by members alone). */
export async function discussionAccess(
  user: (Actor & Pick<SessionUser, "emailVerified">) | null,
  networkId: number,
  { membersOnly }: { membersOnly: number | boolean },
): Promise<DiscussionAccess> {
  const role = await networkRole(user, networkId);
  const isMember = role !== null;
  const visibility = await discussionVisibility(networkId);
  return {
    role,
    canRead: isMember || categoryIsPublic(visibility, membersOnly),
    isPublic: categoryIsPublic(visibility, membersOnly),
    canPost: isMember && Boolean(user?.emailVerified ?? false),
    canModerate: roleAtLeast(role, "moderator"),
  };
}

/** Those of the accounts who may read the category's discussions (for notifications: only they are told). */
export async function discussionReadersAmong(db: DB, networkId: number, categoryId: number, accountIds: string[]): Promise<string[]> {
  if (accountIds.length === 0) return [];
  const category = await db.selectFrom("discussion_category").select("members_only").where("id", "=", categoryId).executeTakeFirst();
  if (categoryIsPublic(await discussionVisibility(networkId, db), category?.members_only ?? 1)) return accountIds;
  const rows = await db
    .selectFrom("account as a")
    .leftJoin("network_membership as m", (j) => j.onRef("m.account_id", "=", "a.id").on("m.network_id", "=", networkId).on("m.status", "=", "approved"))
    .select(["a.id", "a.is_platform_admin", "a.totp_secret", "m.role"])
    .where("a.id", "in", accountIds)
    .execute();
  return rows.filter((r) => r.role != null || platformPowers({ isPlatformAdmin: r.is_platform_admin, hasTotp: r.totp_secret !== null })).map((r) => r.id);
}

// ---------------------------------------------------------------- organisations

export type OrganisationAccess = {
  signedIn: boolean;
  /** Approved organisation admin. */
  isOrgAdmin: boolean;
  affiliation: { role: "member" | "admin"; status: "pending" | "approved" | "declined" } | null;
  /** Admin of one of the organisation's networks, or a platform admin. */
  isNetworkAdmin: boolean;
  canEdit: boolean;
  /** A network admin who must turn on two-step verification before using admin rights. */
  needsTwoStep: boolean;
  isProposer: boolean;
};

export async function organisationAccess(user: Actor | null, org: { id: number; proposed_by_account_id: string | null }): Promise<OrganisationAccess> {
  if (!user) return { signedIn: false, isOrgAdmin: false, affiliation: null, isNetworkAdmin: false, canEdit: false, needsTwoStep: false, isProposer: false };
  const db = getDb();
  const affiliation = await db
    .selectFrom("organisation_member")
    .select(["role", "status"])
    .where("organisation_id", "=", org.id)
    .where("account_id", "=", user.id)
    .executeTakeFirst();
  const isOrgAdmin = affiliation?.status === "approved" && affiliation.role === "admin";
  let isNetworkAdmin = platformPowers(user);
  if (!isNetworkAdmin) {
    const adminOf = await adminNetworkIds(user);
    if (adminOf.length) {
      const row = await db.selectFrom("organisation_network").select("network_id").where("organisation_id", "=", org.id).where("network_id", "in", adminOf).executeTakeFirst();
      isNetworkAdmin = row !== undefined;
    }
  }
  const canEdit = isOrgAdmin || (isNetworkAdmin && user.hasTotp);
  return {
    signedIn: true,
    isOrgAdmin,
    affiliation: affiliation ?? null,
    isNetworkAdmin,
    canEdit,
    needsTwoStep: !canEdit && isNetworkAdmin && !user.hasTotp,
    isProposer: org.proposed_by_account_id === user.id,
  };
}

// ---------------------------------------------------------------- imported calendars

export type CalendarImportAccess = {
  /** May see the organisation's imported calendars and add one (its editors, organisers of its networks). */
  canManage: boolean;
  /** The organisation's networks where the user is an organiser: calendars into them publish directly. */
  organiserNetworkIds: number[];
};

export async function calendarImportAccess(user: Actor | null, org: { id: number; proposed_by_account_id: string | null }): Promise<CalendarImportAccess> {
  if (!user) return { canManage: false, organiserNetworkIds: [] };
  const orgNetworkIds = (await getDb().selectFrom("organisation_network").select("network_id").where("organisation_id", "=", org.id).execute()).map((r) => r.network_id);
  const organising = new Set((await organiserNetworks(user)).map((n) => n.id));
  const organiserNetworkIds = orgNetworkIds.filter((id) => organising.has(id));
  const { canEdit } = await organisationAccess(user, org);
  return { canManage: canEdit || organiserNetworkIds.length > 0, organiserNetworkIds };
}

/** Approving a calendar an organisation editor added, and hiding imported events: the network's organisers. */
export async function canModerateImports(user: Actor | null, networkId: number): Promise<boolean> {
  return roleAtLeast(await networkRole(user, networkId), "organiser");
}

/**
 * What the portal-wide search may show this person: resources and events of the networks they
 * belong to (besides public ones), and the discussion categories they may read. Services and
 * organisations are public once approved; members are searched through the member directory.
 */
export async function searchScope(actor: Actor | null): Promise<{ readableNetworkIds: number[]; readableCategoryIds: number[] }> {
  const [readable, categories] = await Promise.all([readableNetworkIds(actor), discussionReadableCategoryIds(actor)]);
  return { readableNetworkIds: readable, readableCategoryIds: categories };
}
