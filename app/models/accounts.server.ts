import { getDb, nowIso } from "../../db/index";
import { hashPassword, needsRehash, verifyPassword, verifyPasswordAgainstDummy } from "../utils/password.server";

export type AuthenticateResult =
  | { ok: true; accountId: string; needsTwoStep: boolean }
  | { ok: false; status: 400 | 429; message: string; retryAfter?: number };

const WRONG = "Enter a correct email address and password";

/**
 * Checks an email and password. An unknown email costs the same time as a
 * wrong password (a dummy hash is verified) and gets the same answer.
 */
export async function authenticate(email: string, password: string, _request: Request): Promise<AuthenticateResult> {
  const account = await getDb()
    .selectFrom("account")
    .select(["id", "password_hash", "totp_secret"])
    .where("email", "=", email.trim())
    .executeTakeFirst();
  if (!account || !account.password_hash) {
    await verifyPasswordAgainstDummy(password);
    return { ok: false, status: 400, message: WRONG };
  }
  if (!(await verifyPassword(account.password_hash, password))) return { ok: false, status: 400, message: WRONG };
  if (needsRehash(account.password_hash)) {
    await getDb()
      .updateTable("account")
      .set({ password_hash: await hashPassword(password), updated_at: nowIso() })
      .where("id", "=", account.id)
      .execute();
  }
  return { ok: true, accountId: account.id, needsTwoStep: account.totp_secret !== null };
}
