// Partners' calendars an organisation imports: who may add and approve them, their status,
// and hiding single imported events. The fetching and writing of events is the import job's
// (calendar-import.server.ts); this module is what the web pages call.
//
// Moderation: a source added by an organiser of the network it publishes into is approved at
// once; one added by an organisation editor waits for that network's organisers, and until
// then its events are imported as drafts (organisers can look before they approve). A hidden
// event stays a draft whatever the partner does; a source that is removed cancels its events
// so that calendars subscribed to our feeds drop them.

import { getDb, nowIso, writeTransaction } from "../../db/index";
import type { SessionUser } from "../utils/auth.server";
import type { CalendarSourceInput } from "../validation/calendar-sources";
import { setImportedEventStatus } from "./events/writes.server";
import { calendarImportAccess, canModerateImports } from "./access.server";
import { listOrganisationNetworks } from "./organisations.server";

type Org = { id: number; proposed_by_account_id: string | null };

export async function listSources(organisationId: number) {
  const rows = await getDb()
    .selectFrom("calendar_source")
    .innerJoin("network", "network.id", "calendar_source.network_id")
    .leftJoin("account", "account.id", "calendar_source.added_by_account_id")
    .select([
      "calendar_source.id",
      "calendar_source.url",
      "calendar_source.name",
      "calendar_source.keywords",
      "calendar_source.kind",
      "calendar_source.status",
      "calendar_source.network_id",
      "calendar_source.last_fetched_at",
      "calendar_source.last_success_at",
      "calendar_source.last_error",
      "calendar_source.notes",
      "calendar_source.events_imported",
      "calendar_source.created_at",
      "network.name as network_name",
      "account.name as added_by_name",
    ])
    .where("calendar_source.organisation_id", "=", organisationId)
    .orderBy("calendar_source.created_at")
    .execute();
  return rows.map((r) => ({ ...r, notes: parseNotes(r.notes) }));
}

function parseNotes(json: string | null): string[] {
  if (!json) return [];
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export type AddSourceResult = { ok: true; id: number; status: "approved" | "pending" } | { ok: false; errors: Record<string, string> };

export async function addSource({ user, org, input, now = nowIso() }: { user: SessionUser; org: Org; input: CalendarSourceInput; now?: string }): Promise<AddSourceResult> {
  const access = await calendarImportAccess(user, org);
  if (!access.canManage) return { ok: false, errors: { form: "You cannot add calendars to this organisation" } };
  const orgNetworkIds = (await listOrganisationNetworks(org.id)).map((n) => n.id);
  if (!orgNetworkIds.includes(input.networkId)) return { ok: false, errors: { networkId: "Choose one of the organisation's networks" } };
  const db = getDb();
  const duplicate = await db
    .selectFrom("calendar_source")
    .select("id")
    .where("organisation_id", "=", org.id)
    .where("network_id", "=", input.networkId)
    .where("url", "=", input.url)
    .executeTakeFirst();
  if (duplicate) return { ok: false, errors: { url: "This calendar is already imported into that network" } };
  const status = access.organiserNetworkIds.includes(input.networkId) ? "approved" : "pending";
  const row = await db
    .insertInto("calendar_source")
    .values({
      organisation_id: org.id,
      network_id: input.networkId,
      url: input.url,
      name: new URL(input.url).hostname,
      keywords: input.keywords,
      kind: input.kind,
      status,
      added_by_account_id: user.id,
      decided_by_account_id: status === "approved" ? user.id : null,
      decided_at: status === "approved" ? now : null,
      events_imported: 0,
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { ok: true, id: row.id, status };
}

async function sourceFor(organisationId: number, sourceId: number) {
  return getDb().selectFrom("calendar_source").selectAll().where("id", "=", sourceId).where("organisation_id", "=", organisationId).executeTakeFirst();
}

async function importedEventIds(sourceId: number, where: { hidden?: boolean; upstreamCancelled?: boolean; removed?: boolean } = {}) {
  let q = getDb().selectFrom("imported_event").select("event_id").where("source_id", "=", sourceId);
  if (where.hidden !== undefined) q = q.where("hidden", "=", where.hidden);
  if (where.upstreamCancelled !== undefined) q = q.where("upstream_cancelled", "=", where.upstreamCancelled);
  if (where.removed !== undefined) q = q.where("removed_at", where.removed ? "is not" : "is", null);
  return (await q.execute()).map((r) => r.event_id);
}

/** A network organiser approves (events go live) or rejects (its draft events are deleted) a pending source. */
export async function decideSource({ user, organisationId, sourceId, approve, now = nowIso() }: { user: SessionUser; organisationId: number; sourceId: number; approve: boolean; now?: string }): Promise<boolean> {
  const source = await sourceFor(organisationId, sourceId);
  if (!source || !(await canModerateImports(user, source.network_id))) return false;
  const live = approve ? await importedEventIds(sourceId, { hidden: false, upstreamCancelled: false, removed: false }) : [];
  const all = approve ? [] : await importedEventIds(sourceId);
  await writeTransaction(async (trx) => {
    await trx
      .updateTable("calendar_source")
      .set({ status: approve ? "approved" : "rejected", decided_by_account_id: user.id, decided_at: now, updated_at: now })
      .where("id", "=", sourceId)
      .execute();
    if (approve) await setImportedEventStatus(trx, { ids: live, status: "scheduled", now });
    // Never published, so nobody has them in a calendar: delete rather than cancel.
    else for (let i = 0; i < all.length; i += 500) await trx.deleteFrom("event").where("id", "in", all.slice(i, i + 500)).where("status", "=", "draft").execute();
  });
  return true;
}

/** Stops importing: the source goes, its events are cancelled (feeds tell subscribers) and unlinked. */
export async function removeSource({ user, org, sourceId, now = nowIso() }: { user: SessionUser; org: Org; sourceId: number; now?: string }): Promise<boolean> {
  const source = await sourceFor(org.id, sourceId);
  if (!source || !(await calendarImportAccess(user, org)).canManage) return false;
  const ids = await importedEventIds(sourceId);
  await writeTransaction(async (trx) => {
    await setImportedEventStatus(trx, { ids, status: "cancelled", now });
    await trx.deleteFrom("calendar_source").where("id", "=", sourceId).execute();
  });
  return true;
}

/** Asks the next import run to fetch this source now rather than at its hourly turn. */
export async function requestRefresh({ user, org, sourceId }: { user: SessionUser; org: Org; sourceId: number }): Promise<boolean> {
  const source = await sourceFor(org.id, sourceId);
  if (!source || !(await calendarImportAccess(user, org)).canManage) return false;
  await getDb().updateTable("calendar_source").set({ last_fetched_at: null, etag: null, last_modified: null }).where("id", "=", sourceId).execute();
  return true;
}

/** Calendars waiting for a decision in one network, for its organisers (empty for anyone else). */
export async function listPendingSources({ user, networkId }: { user: SessionUser | null; networkId: number }) {
  if (!(await canModerateImports(user, networkId))) return [];
  return getDb()
    .selectFrom("calendar_source")
    .innerJoin("organisation", "organisation.id", "calendar_source.organisation_id")
    .select(["calendar_source.id", "calendar_source.name", "calendar_source.events_imported", "organisation.slug", "organisation.name as organisation_name"])
    .where("calendar_source.status", "=", "pending")
    .where("calendar_source.network_id", "=", networkId)
    .orderBy("calendar_source.created_at")
    .execute();
}

/** Where an event came from, for its page ("From <source>"), or undefined for our own events. */
export async function importedFrom(eventId: number) {
  return getDb()
    .selectFrom("imported_event")
    .innerJoin("calendar_source", "calendar_source.id", "imported_event.source_id")
    .innerJoin("organisation", "organisation.id", "calendar_source.organisation_id")
    .select([
      "imported_event.source_id",
      "imported_event.hidden",
      "imported_event.external_url",
      "calendar_source.name as source_name",
      "calendar_source.status as source_status",
      "organisation.id as organisation_id",
      "organisation.slug as organisation_slug",
      "organisation.name as organisation_name",
      "organisation.proposed_by_account_id",
    ])
    .where("imported_event.event_id", "=", eventId)
    .executeTakeFirst();
}

/** Hides (a draft whatever the partner does) or shows again one imported event. */
export async function setImportedEventHidden({ user, eventId, hidden, now = nowIso() }: { user: SessionUser; eventId: number; hidden: boolean; now?: string }): Promise<boolean> {
  const from = await importedFrom(eventId);
  if (!from) return false;
  const event = await getDb().selectFrom("event").select("network_id").where("id", "=", eventId).executeTakeFirst();
  if (!event) return false;
  const mayModerate =
    (await canModerateImports(user, event.network_id)) ||
    (await calendarImportAccess(user, { id: from.organisation_id, proposed_by_account_id: from.proposed_by_account_id })).canManage;
  if (!mayModerate) return false;
  const link = await getDb().selectFrom("imported_event").select(["upstream_cancelled", "removed_at"]).where("event_id", "=", eventId).executeTakeFirstOrThrow();
  const status = hidden ? "draft" : link.upstream_cancelled || link.removed_at ? "cancelled" : from.source_status === "approved" ? "scheduled" : "draft";
  await writeTransaction(async (trx) => {
    await trx.updateTable("imported_event").set({ hidden: hidden }).where("event_id", "=", eventId).execute();
    await setImportedEventStatus(trx, { ids: [eventId], status, now });
  });
  return true;
}
