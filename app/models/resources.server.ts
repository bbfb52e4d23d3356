/**
 * The resource repository: contributions (links and uploaded files with
 * versions), moderation, saves, broken-link reports and the lists other pages
 * and the digest use. Every read of member content is scoped by network and
 * visibility. Full-text search lives in resource-search.server.ts and is kept in
 * step here, inside the same transaction as each write.
 */
import { getDb, nowIso, writeTransaction, type DB } from "../../db/index";
import type { ResourceKind, ResourceStatus } from "../../db/types/resources";
import type { SessionUser } from "../utils/auth.server";
import type { SniffedType } from "../utils/file-sniff.server";
import type { ResourceDetails } from "../validation/resources";
import { contributorRights, moderatedNetworkIds, readableNetworkIds, resourceAccess } from "./access.server";

import { KIND_LABEL } from "../validation/resources";

export { KIND_LABEL };

export type StoredFile = { storageId: string; originalFilename: string; type: SniffedType; size: number; sha256: string };

/** Networks the user may contribute to (those they are an approved member of). */
export async function contributableNetworks(user: SessionUser) {
  const ids = await readableNetworkIds(user);
  if (ids.length === 0) return [];
  return getDb().selectFrom("network").select(["id", "name", "short_name"]).where("id", "in", ids).orderBy("name").execute();
}

export async function publisherOptions() {
  return getDb().selectFrom("organisation").select(["id", "name"]).where("status", "=", "approved").orderBy("name").execute();
}

// ---------------------------------------------------------------------------
// Reading

async function loadResource(id: number, db: DB = getDb()) {
  return db
    .selectFrom("resource as r")
    .innerJoin("network as n", "n.id", "r.network_id")
    .leftJoin("organisation as o", "o.id", "r.publisher_organisation_id")
    .leftJoin("account as c", "c.id", "r.contributor_account_id")
    .selectAll("r")
    .select(["n.name as network_name", "n.slug as network_slug", "o.name as org_name", "o.slug as org_slug", "c.name as contributor_name", "c.email as contributor_email"])
    .where("r.id", "=", id)
    .executeTakeFirst();
}

/** The resource as this viewer may see it, or undefined (the route answers 404). */
export async function getResourceForViewer({ id, user }: { id: number; user: SessionUser | null }) {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const r = await loadResource(id);
  if (!r) return undefined;
  const access = await resourceAccess(user, r);
  if (!access.canView) return undefined;
  const db = getDb();
  const [topics, outcomes, files, saved, openReports] = await Promise.all([
    db.selectFrom("resource_topic").select("topic").where("resource_id", "=", id).execute(),
    db.selectFrom("resource_outcome").select("domain").where("resource_id", "=", id).execute(),
    db
      .selectFrom("resource_file")
      .select(["version", "original_filename", "content_type", "size_bytes", "sha256", "uploaded_at"])
      .where("resource_id", "=", id)
      .orderBy("version", "desc")
      .execute(),
    user
      ? db.selectFrom("resource_save").select("resource_id").where("account_id", "=", user.id).where("resource_id", "=", id).executeTakeFirst()
      : Promise.resolve(undefined),
    access.canModerate
      ? db.selectFrom("resource_report").select((eb) => eb.fn.countAll<number>().as("n")).where("resource_id", "=", id).where("resolved_at", "is", null).executeTakeFirst()
      : Promise.resolve(undefined),
  ]);
  return {
    id: r.id,
    title: r.title,
    summary: r.summary,
    kind: r.kind,
    year: r.year,
    url: r.url,
    licence: r.licence,
    visibility: r.visibility,
    status: r.status,
    rejectionReason: r.rejection_reason,
    networkId: r.network_id,
    networkName: r.network_name,
    networkSlug: r.network_slug,
    publisherOrganisationId: r.publisher_organisation_id,
    publisherName: r.publisher_name ?? r.org_name,
    publisherFreeText: r.publisher_name,
    publisherSlug: r.org_slug,
    contributorName: r.contributor_name,
    isContributor: !!user && r.contributor_account_id === user.id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    publishedAt: r.published_at,
    topics: topics.map((t) => t.topic),
    outcomes: outcomes.map((o) => o.domain),
    files,
    saved: !!saved,
    openReports: Number(openReports?.n ?? 0),
    access,
  };
}

/** A stored file this viewer may download: the latest version unless one is named. */
export async function getDownloadableFile({ id, version, user }: { id: number; version?: number; user: SessionUser | null }) {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const r = await getDb().selectFrom("resource").select(["network_id", "visibility", "status", "contributor_account_id"]).where("id", "=", id).executeTakeFirst();
  if (!r || !(await resourceAccess(user, r)).canView) return undefined;
  let qb = getDb()
    .selectFrom("resource_file")
    .select(["storage_id", "original_filename", "content_type", "size_bytes", "sha256", "uploaded_at", "version"])
    .where("resource_id", "=", id);
  qb = version ? qb.where("version", "=", version) : qb.orderBy("version", "desc").limit(1);
  const file = await qb.executeTakeFirst();
  return file ? { ...file, visibility: r.visibility } : undefined;
}

// ---------------------------------------------------------------------------
// Writing

async function writeTags(trx: DB, id: number, topics: string[], outcomes: string[]) {
  await trx.deleteFrom("resource_topic").where("resource_id", "=", id).execute();
  await trx.deleteFrom("resource_outcome").where("resource_id", "=", id).execute();
  const uniqueTopics = [...new Set(topics)];
  const uniqueOutcomes = [...new Set(outcomes)];
  if (uniqueTopics.length) await trx.insertInto("resource_topic").values(uniqueTopics.map((topic) => ({ resource_id: id, topic }))).execute();
  if (uniqueOutcomes.length) await trx.insertInto("resource_outcome").values(uniqueOutcomes.map((domain) => ({ resource_id: id, domain }))).execute();
}

async function validPublisher(trx: DB, organisationId: number | null): Promise<number | null> {
  if (organisationId === null) return null;
  const org = await trx.selectFrom("organisation").select("id").where("id", "=", organisationId).where("status", "=", "approved").executeTakeFirst();
  return org ? org.id : null;
}

export type CreateResult = { ok: true; id: number; status: ResourceStatus } | { ok: false; errors: Record<string, string> };

/**
 * Adds a resource. Members' contributions wait for a moderator; organisers and
 * above publish directly. The network must be one the user belongs to.
 */
export async function createResource({
  user,
  details,
  url,
  file,
}: {
  user: SessionUser;
  details: ResourceDetails;
  url: string | null;
  file: StoredFile | null;
}): Promise<CreateResult> {
  const rights = await contributorRights(user, details.networkId);
  if (!rights.canContribute) return { ok: false, errors: { networkId: "Choose a network you are a member of" } };
  if (!url && !file) return { ok: false, errors: { source: "Add a link or choose a file" } };
  const publishes = rights.publishesDirectly;
  const now = nowIso();
  const id = await writeTransaction(async (trx) => {
    const publisherId = await validPublisher(trx, details.publisherOrganisationId);
    const row = await trx
      .insertInto("resource")
      .values({
        network_id: details.networkId,
        visibility: details.visibility,
        status: publishes ? "published" : "pending",
        kind: details.kind as ResourceKind,
        title: details.title,
        summary: details.summary,
        publisher_organisation_id: publisherId,
        publisher_name: publisherId ? null : details.publisherName,
        year: details.year,
        url: file ? null : url,
        licence: details.licence,
        contributor_account_id: user.id,
        created_at: now,
        updated_at: now,
        published_at: publishes ? now : null,
        rejection_reason: null,
        moderated_by_account_id: null,
        moderated_at: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeTags(trx, row.id, details.topics, details.outcomes);
    if (file) await insertFileVersion(trx, row.id, file, user.id, now);
    return row.id;
  });
  return { ok: true, id, status: publishes ? "published" : "pending" };
}

async function insertFileVersion(trx: DB, resourceId: number, file: StoredFile, accountId: string, now: string) {
  const last = await trx.selectFrom("resource_file").select((eb) => eb.fn.max("version").as("v")).where("resource_id", "=", resourceId).executeTakeFirst();
  await trx
    .insertInto("resource_file")
    .values({
      resource_id: resourceId,
      version: Number(last?.v ?? 0) + 1,
      storage_id: file.storageId,
      original_filename: file.originalFilename,
      content_type: file.type.contentType,
      size_bytes: file.size,
      sha256: file.sha256,
      uploaded_at: now,
      uploaded_by_account_id: accountId,
    })
    .execute();
}

/**
 * Changes a resource's details (and its link, for link resources). A member's
 * change to a published resource goes back to the moderation queue, so nothing
 * reaches readers unchecked; a rejected one is resubmitted.
 */
export async function updateResource({
  user,
  id,
  details,
  url,
}: {
  user: SessionUser;
  id: number;
  details: ResourceDetails;
  url: string | null;
}): Promise<{ ok: true; status: ResourceStatus } | { ok: false; notFound?: true; errors: Record<string, string> }> {
  const current = await getDb().selectFrom("resource").selectAll().where("id", "=", id).executeTakeFirst();
  if (!current) return { ok: false, notFound: true, errors: {} };
  const access = await resourceAccess(user, current);
  if (!access.canEdit) return { ok: false, notFound: true, errors: {} };
  // Moving to another network needs membership there too (and the same rights).
  if (details.networkId !== current.network_id) {
    const there = await contributorRights(user, details.networkId);
    if (!there.canContribute || (access.publishesDirectly && !there.publishesDirectly))
      return { ok: false, errors: { networkId: "Choose a network you are a member of" } };
  }
  const hasFile = !!(await getDb().selectFrom("resource_file").select("id").where("resource_id", "=", id).executeTakeFirst());
  if (!hasFile && !url) return { ok: false, errors: { url: "Enter the link, starting with https://" } };
  const status: ResourceStatus = access.publishesDirectly ? (current.status === "rejected" ? "rejected" : current.status) : "pending";
  const now = nowIso();
  await writeTransaction(async (trx) => {
    const publisherId = await validPublisher(trx, details.publisherOrganisationId);
    await trx
      .updateTable("resource")
      .set({
        network_id: details.networkId,
        visibility: details.visibility,
        kind: details.kind as ResourceKind,
        title: details.title,
        summary: details.summary,
        publisher_organisation_id: publisherId,
        publisher_name: publisherId ? null : details.publisherName,
        year: details.year,
        url: hasFile ? null : url,
        licence: details.licence,
        status,
        updated_at: now,
        ...(status === "pending" ? { rejection_reason: null } : {}),
      })
      .where("id", "=", id)
      .execute();
    await writeTags(trx, id, details.topics, details.outcomes);
  });
  return { ok: true, status };
}

/** Uploads a new version of a file resource; earlier versions are kept. */
export async function addFileVersion({ user, id, file }: { user: SessionUser; id: number; file: StoredFile }): Promise<{ ok: true; status: ResourceStatus } | { ok: false }> {
  const current = await getDb().selectFrom("resource").selectAll().where("id", "=", id).executeTakeFirst();
  if (!current) return { ok: false };
  const access = await resourceAccess(user, current);
  if (!access.canEdit || current.url) return { ok: false };
  const status: ResourceStatus = access.publishesDirectly ? current.status : "pending";
  const now = nowIso();
  await writeTransaction(async (trx) => {
    await insertFileVersion(trx, id, file, user.id, now);
    await trx.updateTable("resource").set({ updated_at: now, status }).where("id", "=", id).execute();
  });
  return { ok: true, status };
}

/** Deletes a resource (moderators, or its contributor while it is not published). Returns the storage ids to remove. */
export async function deleteResource({ user, id }: { user: SessionUser; id: number }): Promise<{ ok: true; storageIds: string[] } | { ok: false }> {
  const current = await getDb().selectFrom("resource").selectAll().where("id", "=", id).executeTakeFirst();
  if (!current) return { ok: false };
  const access = await resourceAccess(user, current);
  const mayDelete = access.canModerate || (current.contributor_account_id === user.id && current.status !== "published" && access.canView);
  if (!mayDelete) return { ok: false };
  const storageIds = await writeTransaction(async (trx) => {
    const files = await trx.selectFrom("resource_file").select("storage_id").where("resource_id", "=", id).execute();
    await trx.deleteFrom("resource").where("id", "=", id).execute();
    return files.map((f) => f.storage_id);
  });
  return { ok: true, storageIds };
}

// ---------------------------------------------------------------------------
// Moderation

/** Pending contributions in the networks where the user is a moderator (or admin). */
export async function listModerationQueue(user: SessionUser) {
  const networkIds = await moderatedNetworkIds(user);
  if (networkIds.length === 0) return { networkIds, pending: [], reports: [] };
  const db = getDb();
  const pending = await db
    .selectFrom("resource as r")
    .innerJoin("network as n", "n.id", "r.network_id")
    .leftJoin("organisation as o", "o.id", "r.publisher_organisation_id")
    .leftJoin("account as c", "c.id", "r.contributor_account_id")
    .select([
      "r.id",
      "r.title",
      "r.summary",
      "r.kind",
      "r.year",
      "r.url",
      "r.visibility",
      "r.created_at",
      "r.updated_at",
      "n.short_name as network_name",
      "c.name as contributor_name",
      (eb) => eb.fn.coalesce("r.publisher_name", "o.name").as("publisher"),
      (eb) => eb.selectFrom("resource_file as f").whereRef("f.resource_id", "=", "r.id").select((e) => e.fn.countAll<number>().as("n")).as("file_count"),
    ])
    .where("r.status", "=", "pending")
    .where("r.network_id", "in", networkIds)
    .orderBy("r.updated_at")
    .execute();
  const reports = await db
    .selectFrom("resource_report as p")
    .innerJoin("resource as r", "r.id", "p.resource_id")
    .leftJoin("account as a", "a.id", "p.account_id")
    .select(["p.id", "p.note", "p.created_at", "r.id as resource_id", "r.title", "r.url", "a.name as reporter_name"])
    .where("p.resolved_at", "is", null)
    .where("r.network_id", "in", networkIds)
    .orderBy("p.created_at")
    .execute();
  return { networkIds, pending, reports };
}

export type ModerationOutcome =
  | { ok: true; title: string; decision: "approve" | "reject"; contributorAccountId: string | null; contributorName: string | null; reason: string | null; resourceId: number }
  | { ok: false; notFound?: true; error?: string };

/** Approves or rejects a pending contribution. Only moderators of its network. The caller emails the contributor. */
export async function moderateResource({
  user,
  id,
  decision,
  reason,
}: {
  user: SessionUser;
  id: number;
  decision: "approve" | "reject";
  reason: string | null;
}): Promise<ModerationOutcome> {
  const current = await loadResource(id);
  if (!current) return { ok: false, notFound: true };
  const access = await resourceAccess(user, current);
  if (!access.canModerate) return { ok: false, notFound: true };
  if (current.status !== "pending") return { ok: false, error: "This resource has already been moderated." };
  if (decision === "reject" && !reason) return { ok: false, error: "Give a reason so the contributor knows what to change" };
  const now = nowIso();
  const changed = await writeTransaction(async (trx) => {
    const res = await trx
      .updateTable("resource")
      .set(
        decision === "approve"
          ? { status: "published", published_at: current.published_at ?? now, rejection_reason: null, moderated_at: now, moderated_by_account_id: user.id, updated_at: now }
          : { status: "rejected", rejection_reason: reason, moderated_at: now, moderated_by_account_id: user.id, updated_at: now },
      )
      .where("id", "=", id)
      .where("status", "=", "pending")
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  });
  if (!changed) return { ok: false, error: "This resource has already been moderated." };
  return { ok: true, title: current.title, decision, contributorAccountId: current.contributor_account_id, contributorName: current.contributor_name, reason, resourceId: id };
}

// ---------------------------------------------------------------------------
// Saves and reports

export async function setSaved({ user, id, saved }: { user: SessionUser; id: number; saved: boolean }): Promise<boolean> {
  const r = await getResourceForViewer({ id, user });
  if (!r) return false;
  const db = getDb();
  if (saved) {
    await db.insertInto("resource_save").values({ account_id: user.id, resource_id: id, created_at: nowIso() }).onConflict((oc) => oc.doNothing()).execute();
  } else {
    await db.deleteFrom("resource_save").where("account_id", "=", user.id).where("resource_id", "=", id).execute();
  }
  return true;
}

/** The user's saved resources that they may still see, newest save first. */
export async function listSavedResources(user: SessionUser) {
  const readable = await readableNetworkIds(user);
  let qb = getDb()
    .selectFrom("resource_save as s")
    .innerJoin("resource as r", "r.id", "s.resource_id")
    .innerJoin("network as n", "n.id", "r.network_id")
    .leftJoin("organisation as o", "o.id", "r.publisher_organisation_id")
    .select(["r.id", "r.title", "r.summary", "r.kind", "r.year", "r.url", "r.visibility", "s.created_at as saved_at", "n.short_name as network_name", (eb) => eb.fn.coalesce("r.publisher_name", "o.name").as("publisher")])
    .where("s.account_id", "=", user.id)
    .where("r.status", "=", "published");
  qb = readable.length ? qb.where((eb) => eb.or([eb("r.visibility", "=", "public"), eb("r.network_id", "in", readable)])) : qb.where("r.visibility", "=", "public");
  return qb.orderBy("s.created_at", "desc").limit(500).execute();
}

export async function reportBrokenLink({ user, id, note }: { user: SessionUser; id: number; note: string }): Promise<boolean> {
  const r = await getResourceForViewer({ id, user });
  if (!r || r.status !== "published") return false;
  const db = getDb();
  const existing = await db
    .selectFrom("resource_report")
    .select("id")
    .where("resource_id", "=", id)
    .where("account_id", "=", user.id)
    .where("resolved_at", "is", null)
    .executeTakeFirst();
  if (existing) {
    await db.updateTable("resource_report").set({ note, created_at: nowIso() }).where("id", "=", existing.id).execute();
  } else {
    await db.insertInto("resource_report").values({ resource_id: id, account_id: user.id, note, created_at: nowIso(), resolved_at: null, resolved_by_account_id: null }).execute();
  }
  return true;
}

export async function resolveReport({ user, reportId }: { user: SessionUser; reportId: number }): Promise<boolean> {
  const report = await getDb()
    .selectFrom("resource_report as p")
    .innerJoin("resource as r", "r.id", "p.resource_id")
    .select(["p.id", "r.network_id", "r.visibility", "r.status", "r.contributor_account_id"])
    .where("p.id", "=", reportId)
    .executeTakeFirst();
  if (!report || !(await resourceAccess(user, report)).canModerate) return false;
  await getDb().updateTable("resource_report").set({ resolved_at: nowIso(), resolved_by_account_id: user.id }).where("id", "=", reportId).execute();
  return true;
}

// ---------------------------------------------------------------------------
// Lists for other pages, feeds and the digest

function meta(r: { publisher: string | null; year: number | null; kind: string }): string {
  return [r.publisher, r.year ? String(r.year) : null, KIND_LABEL[r.kind] ?? r.kind].filter(Boolean).join(" · ");
}

/** The newest published public resources (home page, Atom feed). */
export async function listNewestPublicResources({ limit = 5 }: { limit?: number } = {}) {
  const rows = await getDb()
    .selectFrom("resource as r")
    .leftJoin("organisation as o", "o.id", "r.publisher_organisation_id")
    .innerJoin("network as n", "n.id", "r.network_id")
    .select([
      "r.id",
      "r.title",
      "r.summary",
      "r.kind",
      "r.year",
      "r.url",
      "r.published_at",
      "r.updated_at",
      "n.name as network_name",
      (eb) => eb.fn.coalesce("r.publisher_name", "o.name").as("publisher"),
    ])
    .where("r.status", "=", "published")
    .where("r.visibility", "=", "public")
    .orderBy("r.published_at", "desc")
    .orderBy("r.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, meta: meta(r) }));
}

/**
 * For the email digest: resources published after `since` in these networks
 * (public ones only unless includeMembersOnly), optionally limited to topics,
 * newest first.
 */
export async function listForDigest({
  since,
  networkIds,
  includeMembersOnly = false,
  topics = [],
  limit = 20,
}: {
  since: string;
  networkIds: number[];
  includeMembersOnly?: boolean;
  topics?: string[];
  limit?: number;
}): Promise<Array<{ id: number; title: string; url: string; summary: string; meta: string }>> {
  if (networkIds.length === 0) return [];
  let qb = getDb()
    .selectFrom("resource as r")
    .leftJoin("organisation as o", "o.id", "r.publisher_organisation_id")
    .select(["r.id", "r.title", "r.summary", "r.kind", "r.year", (eb) => eb.fn.coalesce("r.publisher_name", "o.name").as("publisher")])
    .where("r.status", "=", "published")
    .where("r.published_at", ">", since)
    .where("r.network_id", "in", networkIds);
  if (!includeMembersOnly) qb = qb.where("r.visibility", "=", "public");
  if (topics.length) qb = qb.where("r.id", "in", (eb) => eb.selectFrom("resource_topic").select("resource_id").where("topic", "in", topics));
  const rows = await qb.orderBy("r.published_at", "desc").orderBy("r.id", "desc").limit(limit).execute();
  return rows.map((r) => ({ id: r.id, title: r.title, url: `/resources/${r.id}`, summary: r.summary, meta: meta(r) }));
}

/** Published public resources by an organisation, for its profile page. */
export async function listResourcesFor({ organisationId, limit = 50 }: { organisationId: number; limit?: number }) {
  const rows = await getDb()
    .selectFrom("resource as r")
    .innerJoin("organisation as o", "o.id", "r.publisher_organisation_id")
    .select(["r.id", "r.title", "r.summary", "r.kind", "r.year", "r.url", "r.published_at", (eb) => eb.fn.coalesce("r.publisher_name", "o.name").as("publisher")])
    .where("r.publisher_organisation_id", "=", organisationId)
    .where("r.status", "=", "published")
    .where("r.visibility", "=", "public")
    .orderBy("r.year", "desc")
    .orderBy("r.published_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, summary: r.summary, kind: r.kind, year: r.year, url: `/resources/${r.id}`, meta: meta(r) }));
}
