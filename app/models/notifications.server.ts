import { getDb, nowIso, type DB } from "../../db/index";
import type { NotificationKind } from "../../db/types/discussions";
import { cleanSingleLine } from "../utils/text";

/**
 * In-app notifications (the "Notifications" page and the unread count in the header).
 * Every domain calls `notify`; the digest turns unread ones into email.
 */

export const NOTIFICATION_PAGE_SIZE = 30;

/** Only paths inside Roundtable: a notification can never send someone elsewhere. */
function safePath(url: string): string {
  return url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\") && !/[\r\n]/.test(url) ? url : "/";
}

export type NotifyInput = { accountId: string; kind: NotificationKind; title: string; url: string };

/**
 * Adds one notification. `url` must be a path ("/discussions/3/posts/9"); anything else
 * becomes "/". Pass `db` to write inside the caller's transaction.
 */
export async function notify({ accountId, kind, title, url }: NotifyInput, db: DB = getDb()): Promise<void> {
  await db
    .insertInto("notification")
    .values({
      account_id: accountId,
      kind: cleanSingleLine(kind, 40) || "other",
      title: cleanSingleLine(title, 300) || "Something new on Roundtable",
      url: safePath(url),
      created_at: nowIso(),
      read_at: null,
    })
    .execute();
}

/** The same notification for several people (each once; the actor is left out by the caller). */
export async function notifyMany(accountIds: Iterable<string>, input: Omit<NotifyInput, "accountId">, db: DB = getDb()): Promise<void> {
  for (const accountId of new Set(accountIds)) await notify({ ...input, accountId }, db);
}

export async function listNotifications({
  accountId,
  page = 1,
  unreadOnly = false,
  since,
}: {
  accountId: string;
  page?: number;
  unreadOnly?: boolean;
  since?: string;
}) {
  let q = getDb()
    .selectFrom("notification")
    .select(["id", "kind", "title", "url", "created_at", "read_at"])
    .where("account_id", "=", accountId);
  if (unreadOnly) q = q.where("read_at", "is", null);
  if (since) q = q.where("created_at", ">", since);
  const safePage = Number.isInteger(page) && page > 0 && page < 10_000 ? page : 1;
  const rows = await q
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(NOTIFICATION_PAGE_SIZE + 1)
    .offset((safePage - 1) * NOTIFICATION_PAGE_SIZE)
    .execute();
  return { items: rows.slice(0, NOTIFICATION_PAGE_SIZE), hasMore: rows.length > NOTIFICATION_PAGE_SIZE, page: safePage };
}

export async function unreadNotificationCount(accountId: string): Promise<number> {
  const row = await getDb()
    .selectFrom("notification")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("account_id", "=", accountId)
    .where("read_at", "is", null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Marks the given notifications (only the account's own) or, without ids, all of them as read. */
export async function markRead({ accountId, ids }: { accountId: string; ids?: number[] }): Promise<void> {
  let q = getDb().updateTable("notification").set({ read_at: nowIso() }).where("account_id", "=", accountId).where("read_at", "is", null);
  if (ids) {
    if (ids.length === 0) return;
    q = q.where("id", "in", ids);
  }
  await q.execute();
}

/** Marks read every notification of the account that points at one of these paths (e.g. on opening a thread). */
export async function markReadByUrlPrefix({ accountId, prefix }: { accountId: string; prefix: string }): Promise<void> {
  await getDb()
    .updateTable("notification")
    .set({ read_at: nowIso() })
    .where("account_id", "=", accountId)
    .where("read_at", "is", null)
    .where((eb) => eb.or([eb("url", "=", prefix), eb("url", "like", `${prefix.replace(/[%_\\]/g, "")}/%`), eb("url", "like", `${prefix.replace(/[%_\\]/g, "")}?%`), eb("url", "like", `${prefix.replace(/[%_\\]/g, "")}#%`)]))
    .execute();
}
