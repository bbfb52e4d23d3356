import { getDb } from "../../db/index";
import { createLoginSession } from "../../app/utils/auth.server";
import { generateTotpSecret } from "../../app/utils/totp.server";
import { cookieFrom, getRequest } from "./fixtures";

/** A session cookie for a seeded account, for integration tests that act as that user. */
export async function cookieFor(email: string, { mfaVerified = true }: { mfaVerified?: boolean } = {}): Promise<string> {
  const account = await getDb().selectFrom("account").select("id").where("email", "=", email).executeTakeFirstOrThrow();
  return cookieFrom(await createLoginSession(account.id, getRequest("/"), { mfaVerified }));
}

/**
 * A cookie for an admin account that has passed two-step verification, as admin
 * rights require: gives the account a TOTP secret first if it has none.
 * Defaults to the demo platform admin (admin of north-west and national).
 */
export async function adminCookie(email = "admin@example.org"): Promise<string> {
  const db = getDb();
  const account = await db.selectFrom("account").select(["id", "totp_secret"]).where("email", "=", email).executeTakeFirstOrThrow();
  if (!account.totp_secret) {
    await db.updateTable("account").set({ totp_secret: generateTotpSecret(), totp_last_counter: null }).where("id", "=", account.id).execute();
  }
  return cookieFrom(await createLoginSession(account.id, getRequest("/"), { mfaVerified: true }));
}
