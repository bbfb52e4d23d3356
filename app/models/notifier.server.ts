import { sql } from "kysely";
import { getDb, nowIso, type DB } from "../../db/index";
import { NOTICE_KIND_INFO, NOTICE_KINDS, type NoticeChoice, type NoticeKind } from "../../db/types/notifier";
import { cleanSingleLine } from "../utils/text";
import { discussionReadersAmong } from "./access.server";

/**
 * The one notifier: every message to a member about something that happened goes through
 * `notify`. For each recipient it applies their choice for that kind (email now, in the digest,
 * on the site only, off; no choice: the kind's default), records the in-app notification, and
 * queues the email in the database. Nothing is sent here: `runNoticeSend`
 * (notifier-sender.server.ts, `npm run notify:send` and the in-process job) sends each queued
 * email exactly once, so a web request costs a few inserts however many people it tells, and a
 * failing mail server never undoes the action that caused the message.
 *
 * Pass the caller's transaction as `db` so the notice is written if and only if the action is.
 * Account-security mail (verification, reset, two-step, sign-in alerts) is not a notice: it is
 * transactional, always sent, straight through emails/send.ts.
 */

export type NoticeEmail = {
  subject: string;
  heading: string;
  /** Plain-text paragraphs (escaped when rendered). */
  paragraphs: string[];
  /** A button; url is a site path ("/events/12"). */
  action?: { label: string; url: string };
  /** An iTIP calendar object (RFC 5546) sent as text/calendar with the message. */
  calendar?: { method: "REQUEST" | "CANCEL"; ics: string };
};

/**
 * Checked when the notice is written and again when its email is due: a recipient who fails it by
 * then gets nothing (they left the network, lost the role, the post or thread was hidden).
 */
export type NoticeCheck = {
  /** The recipient must be an approved member of this network (platform admins pass). */
  networkId?: number;
  /** …with at least this role there. */
  role?: "moderator" | "admin";
  /** The thread must still be visible (not hidden) and readable by the recipient (its network's and category's rules). */
  threadId?: number;
  /** The post must still be visible (not hidden or deleted). */
  postId?: number;
  /** The event must still exist and not be a draft. */
  eventId?: number;
};

export type NoticePayload = NoticeEmail & { check?: NoticeCheck };

export type NoticeInput = {
  kind: NoticeKind;
  /** The in-app line ("Alex replied to “Funding”"). */
  title: string;
  /** Where the notification leads: a path inside Roundtable. */
  url: string;
  email: NoticeEmail;
  check?: NoticeCheck;
  /** A waiting email with the same key for the same person is replaced by this one (bursts). */
  coalesceKey?: string;
  /** Hold the email this long, so later notices with the same key replace it. */
  holdMs?: number;
};

export type NotifyResult = { recorded: number; queued: number };

const CHUNK = 400;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Only paths inside Roundtable: a notification can never send someone elsewhere. */
export function safePath(url: string): string {
  return url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\") && !/[\r\n]/.test(url) ? url : "/";
}

// ---------------------------------------------------------------------------
// Choices

export async function getNoticeChoices(accountId: string, db: DB = getDb()): Promise<Record<NoticeKind, NoticeChoice>> {
  const rows = await db.selectFrom("notification_preference").select(["kind", "choice"]).where("account_id", "=", accountId).execute();
  const out = Object.fromEntries(NOTICE_KINDS.map((k) => [k, NOTICE_KIND_INFO[k].defaultChoice])) as Record<NoticeKind, NoticeChoice>;
  for (const r of rows) if (r.kind in out) out[r.kind] = r.choice;
  return out;
}

export async function setNoticeChoice(accountId: string, kind: NoticeKind, choice: NoticeChoice, db: DB = getDb()): Promise<void> {
  const now = nowIso();
  await db
    .insertInto("notification_preference")
    .values({ account_id: accountId, kind, choice, updated_at: now })
    .onConflict((oc) => oc.columns(["account_id", "kind"]).doUpdateSet({ choice, updated_at: now }))
    .execute();
}

/** The kinds a member is offered: moderator and admin kinds only to people who hold that role somewhere. */
export async function offeredKinds(accountId: string, db: DB = getDb()): Promise<NoticeKind[]> {
  const account = await db.selectFrom("account").select("is_platform_admin").where("id", "=", accountId).executeTakeFirst();
  const roles = await db
    .selectFrom("network_membership")
    .select("role")
    .where("account_id", "=", accountId)
    .where("status", "=", "approved")
    .where("role", "in", ["moderator", "admin"])
    .execute();
  const admin = account?.is_platform_admin || roles.some((r) => r.role === "admin");
  const moderator = admin || roles.length > 0;
  return NOTICE_KINDS.filter((k) => {
    const audience = NOTICE_KIND_INFO[k].audience;
    return audience === "member" || (audience === "moderator" && moderator) || (audience === "admin" && admin);
  });
}

/** The people who moderate (moderators and admins) or run (admins) a network: recipients of its alerts. */
export async function networkStaff(networkId: number, role: "moderator" | "admin", db: DB = getDb()): Promise<string[]> {
  const rows = await db
    .selectFrom("network_membership")
    .select("account_id")
    .where("network_id", "=", networkId)
    .where("status", "=", "approved")
    .where("role", "in", role === "admin" ? ["admin"] : ["moderator", "admin"])
    .execute();
  return rows.map((r) => r.account_id);
}

// ---------------------------------------------------------------------------
// Who may still receive a notice

const MODERATOR_ROLES = ["moderator", "admin"] as const;

/**
 * The accounts among `accountIds` that may receive a notice under `check` right now: not
 * deleted, and (when asked) members of the network with the role, and the content still visible.
 */
export async function eligibleRecipients(accountIds: string[], check: NoticeCheck | undefined, db: DB = getDb()): Promise<Set<string>> {
  const out = new Set<string>();
  if (accountIds.length === 0) return out;
  if (!(await contentVisible(check, db))) return out;
  const thread = check?.threadId !== undefined ? await db.selectFrom("discussion_thread").select(["network_id", "category_id"]).where("id", "=", check.threadId).executeTakeFirst() : undefined;
  for (const part of chunks(accountIds)) {
    const ids = thread ? await discussionReadersAmong(db, thread.network_id, thread.category_id, part) : part;
    if (ids.length === 0) continue;
    let q = db.selectFrom("account as a").select(["a.id", "a.is_platform_admin"]).where("a.id", "in", ids).where("a.deleted_at", "is", null);
    if (check?.networkId !== undefined) {
      const networkId = check.networkId;
      const roles = check.role === "admin" ? (["admin"] as const) : check.role === "moderator" ? MODERATOR_ROLES : (["member", "organiser", "moderator", "admin"] as const);
      q = q.where((eb) =>
        eb.or([
          // Platform admins act in every network; they pass membership checks but not role checks for alerts.
          ...(check.role ? [] : [eb("a.is_platform_admin", "=", true)]),
          eb.exists(
            eb
              .selectFrom("network_membership as m")
              .select("m.account_id")
              .whereRef("m.account_id", "=", "a.id")
              .where("m.network_id", "=", networkId)
              .where("m.status", "=", "approved")
              .where("m.role", "in", [...roles]),
          ),
        ]),
      );
    }
    for (const r of await q.execute()) out.add(r.id);
  }
  return out;
}

async function contentVisible(check: NoticeCheck | undefined, db: DB): Promise<boolean> {
  if (check?.threadId !== undefined) {
    const t = await db.selectFrom("discussion_thread").select("hidden").where("id", "=", check.threadId).executeTakeFirst();
    if (!t || t.hidden) return false;
  }
  if (check?.postId !== undefined) {
    const p = await db.selectFrom("discussion_post").select(["hidden", "deleted_at"]).where("id", "=", check.postId).executeTakeFirst();
    if (!p || p.hidden || p.deleted_at) return false;
  }
  if (check?.eventId !== undefined) {
    const e = await db.selectFrom("event").select("status").where("id", "=", check.eventId).executeTakeFirst();
    if (!e || e.status === "draft") return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Notify

/**
 * Tells these people about one thing. Each recipient is told once (duplicates ignored); deleted
 * accounts and those failing `check` get nothing; "off" records nothing at all; "site" and "digest"
 * record the in-app notification (the digest lists 'digest' ones); "email" also queues the email
 * (only for confirmed addresses). Cheap for thousands: a few multi-row inserts.
 */
export async function notify(accountIds: Iterable<string>, input: NoticeInput, db: DB = getDb()): Promise<NotifyResult> {
  const ids = [...new Set(accountIds)];
  const eligible = await eligibleRecipients(ids, input.check, db);
  if (eligible.size === 0) return { recorded: 0, queued: 0 };
  const list = [...eligible];
  const now = nowIso();
  const title = cleanSingleLine(input.title, 300) || "Something new on Roundtable";
  const url = safePath(input.url);
  const fallback = NOTICE_KIND_INFO[input.kind].defaultChoice;

  const choices = new Map<string, NoticeChoice>();
  const verified = new Set<string>();
  for (const part of chunks(list)) {
    const rows = await db
      .selectFrom("account as a")
      .leftJoin("notification_preference as p", (j) => j.onRef("p.account_id", "=", "a.id").on("p.kind", "=", input.kind))
      .select(["a.id", "a.email_verified_at", "p.choice"])
      .where("a.id", "in", part)
      .execute();
    for (const r of rows) {
      choices.set(r.id, r.choice ?? fallback);
      if (r.email_verified_at) verified.add(r.id);
    }
  }

  const recorded = list.filter((id) => (choices.get(id) ?? fallback) !== "off");
  for (const part of chunks(recorded)) {
    await db
      .insertInto("notification")
      .values(
        part.map((accountId) => {
          const choice = choices.get(accountId) ?? fallback;
          return { account_id: accountId, kind: input.kind, title, url, created_at: now, read_at: null, delivery: choice === "off" ? null : choice };
        }),
      )
      .execute();
  }

  const emailed = recorded.filter((id) => choices.get(id) === "email" && verified.has(id));
  if (emailed.length > 0) {
    const payload: NoticePayload = { ...input.email, action: input.email.action ? { ...input.email.action, url: safePath(input.email.action.url) } : undefined, check: input.check };
    const notice = await db.insertInto("notice").values({ kind: input.kind, payload: JSON.stringify(payload), created_at: now }).returning("id").executeTakeFirstOrThrow();
    const notBefore = new Date(Date.now() + (input.holdMs ?? 0)).toISOString();
    for (const part of chunks(emailed)) {
      await db
        .insertInto("notice_email")
        .values(
          part.map((accountId) => ({
            notice_id: notice.id,
            account_id: accountId,
            kind: input.kind,
            coalesce_key: input.coalesceKey ?? null,
            status: "pending" as const,
            not_before: notBefore,
            attempts: 0,
            created_at: now,
            updated_at: now,
          })),
        )
        // The waiting email keeps its place in time (not_before) and takes the newer content.
        .onConflict((oc) =>
          oc
            .columns(["account_id", "coalesce_key"])
            // A literal, not a parameter: SQLite must see that this matches the partial index's WHERE.
            .where(sql<boolean>`status = 'pending'`)
            .doUpdateSet((eb) => ({ notice_id: eb.ref("excluded.notice_id"), kind: eb.ref("excluded.kind"), updated_at: eb.ref("excluded.updated_at") })),
        )
        .execute();
    }
  }
  return { recorded: recorded.length, queued: emailed.length };
}

/**
 * Drops emails still waiting under keys that start with `prefix` (e.g. pending change emails of an
 * event that has just been cancelled: the cancellation says all there is to say).
 */
export async function dropWaitingNotices(prefix: string, db: DB = getDb(), accountId?: string): Promise<number> {
  let q = db
    .updateTable("notice_email")
    .set({ status: "dropped", error: "replaced by a later notice", updated_at: nowIso() })
    .where("status", "=", "pending")
    .where("coalesce_key", ">=", prefix)
    .where("coalesce_key", "<", `${prefix}\uffff`);
  if (accountId) q = q.where("account_id", "=", accountId);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows ?? 0);
}

/** The member's notifications waiting for their next digest (newest first). */
export async function digestNotifications(accountId: string, since: string, limit = 30, db: DB = getDb()) {
  return db
    .selectFrom("notification")
    .select(["id", "kind", "title", "url", "created_at"])
    .where("account_id", "=", accountId)
    .where("delivery", "=", "digest")
    .where("created_at", ">", since)
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
}
