import { getDb, nowIso } from "../../db/index";

/**
 * Reading in-app notifications (the "Notifications" page and the unread count in the header).
 * They are written only by the notifier (notifier.server.ts), which every domain calls.
 */

export const NOTIFICATION_PAGE_SIZE = 30;

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
