/**
 * Platform admin tools on other people's accounts: find an account, reset its
 * two-step verification (the "lost my phone and my recovery codes" case), and the
 * audit trail of what admins did. Callers check requirePlatformAdmin first.
 */
import { sql } from "kysely";
import { getDb, nowIso, writeTransaction } from "../../db/index";
import { containsPattern, pageWindow } from "../utils/paging";

export const ADMIN_ACCOUNTS_PAGE_SIZE = 25;

/** Accounts (not deleted) whose email or name contains the search, newest first, one page at a time. */
export async function searchAccounts({ q, page }: { q: string; page: number }) {
  const db = getDb();
  let query = db.selectFrom("account").where("account.deleted_at", "is", null);
  if (q) {
    const pattern = containsPattern(q.toLowerCase());
    query = query.where((eb) =>
      eb.or([sql<boolean>`lower(account.email) like ${pattern} escape '\\'`, sql<boolean>`lower(account.name) like ${pattern} escape '\\'`]),
    );
  }
  const total = Number((await query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst())?.n ?? 0);
  const { page: current, pages, offset } = pageWindow(total, page, ADMIN_ACCOUNTS_PAGE_SIZE);
  const items = await query
    .select(["account.id", "account.name", "account.email", "account.email_verified_at", "account.is_platform_admin", "account.totp_secret", "account.created_at"])
    .orderBy("account.created_at", "desc")
    .orderBy("account.id")
    .limit(ADMIN_ACCOUNTS_PAGE_SIZE)
    .offset(offset)
    .execute();
  return {
    total,
    page: current,
    pages,
    items: items.map(({ totp_secret, ...a }) => ({ ...a, hasTotp: totp_secret !== null })),
  };
}

/** One account as the admin page shows it (no secrets): undefined when unknown or deleted. */
export async function getAccountForAdmin(id: string) {
  const row = await getDb()
    .selectFrom("account")
    .select(["id", "name", "email", "email_verified_at", "is_platform_admin", "totp_secret", "created_at"])
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!row) return undefined;
  const { totp_secret, ...rest } = row;
  const sessions = await getDb()
    .selectFrom("session")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("account_id", "=", id)
    .where("expires_at", ">", nowIso())
    .executeTakeFirst();
  return { ...rest, hasTotp: totp_secret !== null, sessionCount: Number(sessions?.n ?? 0) };
}

/** What admins have done to this account, newest first. */
export async function listAdminActions(targetAccountId: string) {
  return getDb()
    .selectFrom("admin_action")
    .leftJoin("account as admin", "admin.id", "admin_action.admin_account_id")
    .select(["admin_action.id", "admin_action.action", "admin_action.note", "admin_action.created_at", "admin.name as admin_name"])
    .where("admin_action.target_account_id", "=", targetAccountId)
    .orderBy("admin_action.created_at", "desc")
    .orderBy("admin_action.id", "desc")
    .limit(50)
    .execute();
}

export type ResetTwoStepResult = { ok: true; email: string; name: string } | { ok: false; problem: "not-found" | "self" | "not-on" };

/**
 * A platform admin turns off another account's two-step verification: the secret and
 * recovery codes go, every session of that account ends, and the action is recorded.
 * One transaction, so a reset is never half done. The caller emails the account afterwards.
 */
export async function resetTwoStepByAdmin(adminId: string, targetId: string, note: string | null): Promise<ResetTwoStepResult> {
  if (adminId === targetId) return { ok: false, problem: "self" };
  return writeTransaction(async (trx) => {
    const target = await trx
      .selectFrom("account")
      .select(["id", "email", "name", "totp_secret"])
      .where("id", "=", targetId)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (!target) return { ok: false, problem: "not-found" } as const;
    if (target.totp_secret === null) return { ok: false, problem: "not-on" } as const;
    const now = nowIso();
    await trx.updateTable("account").set({ totp_secret: null, totp_last_counter: null, updated_at: now }).where("id", "=", targetId).execute();
    await trx.deleteFrom("recovery_code").where("account_id", "=", targetId).execute();
    await trx.deleteFrom("session").where("account_id", "=", targetId).execute();
    await trx.insertInto("admin_action").values({ admin_account_id: adminId, target_account_id: targetId, action: "reset-two-step", note, created_at: now }).execute();
    return { ok: true, email: target.email, name: target.name } as const;
  });
}
