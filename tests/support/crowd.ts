/**
 * A crowd for the concurrency proofs: an event with a number of places and many people (accounts
 * with verified email, optionally each with a signed-in session), written straight into a database.
 */
import { randomBytes } from "node:crypto";
import type { DB } from "../../db/index";
import { timeColumns } from "../../app/models/events/occurrences.server";
import { hashSessionId } from "../../app/utils/auth.server";

/** A public, one-off workshop in north-west a month from now with `capacity` places. */
export async function createPopularEvent(db: DB, capacity: number): Promise<number> {
  const now = new Date().toISOString();
  const network = await db.selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirstOrThrow();
  const start = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const event = await db
    .insertInto("event")
    .values({
      uid: `concurrency-${Date.now()}-${randomBytes(4).toString("hex")}@roundtable`,
      sequence: 0,
      network_id: network.id,
      organisation_id: null,
      organiser_account_id: null,
      kind: "workshop",
      title: "A popular workshop",
      description: "",
      venue: null,
      address: null,
      postcode: null,
      online_url: "https://example.org/join",
      online_url_registrants_only: false,
      capacity,
      access_bsl: false,
      access_captions: false,
      access_step_free: false,
      accessibility_notes: null,
      visibility: "public",
      status: "scheduled",
      cancelled_at: null,
      created_at: now,
      updated_at: now,
      ...timeColumns({ startLocal: `${start}T10:00`, endLocal: `${start}T12:00`, allDay: false, recurrence: null }),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return event.id;
}

/** Accounts `<id>@example.org` for these ids. */
export async function createPeople(db: DB, ids: string[]): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto("account")
    .values(ids.map((id) => ({ id, email: `${id}@example.org`, name: `Person ${id}`, email_verified_at: now, profile_visible: false, is_platform_admin: false, created_at: now, updated_at: now })))
    .execute();
}

/** A signed-in session for each account: its `Cookie` header value (`rt_session=…`, plain http). */
export async function signInAll(db: DB, ids: string[]): Promise<Map<string, string>> {
  const now = new Date().toISOString();
  const expires = new Date(Date.now() + 86_400_000).toISOString();
  const cookies = new Map(ids.map((id) => [id, randomBytes(20).toString("hex")]));
  await db
    .insertInto("session")
    .values(ids.map((id) => ({ id: hashSessionId(cookies.get(id)!), account_id: id, expires_at: expires, created_at: now, last_seen_at: now, user_agent: null, ip_address: null, mfa_verified: false })))
    .execute();
  return new Map([...cookies].map(([id, value]) => [id, `rt_session=${value}`]));
}
