import { getDb } from "../../db/index";
import { createLoginSession } from "../../app/utils/auth.server";
import { cookieFrom, getRequest } from "./fixtures";

/** A session cookie for a seeded account, for integration tests that act as that user. */
export async function cookieFor(email: string, { mfaVerified = true }: { mfaVerified?: boolean } = {}): Promise<string> {
  const account = await getDb().selectFrom("account").select("id").where("email", "=", email).executeTakeFirstOrThrow();
  return cookieFrom(await createLoginSession(account.id, getRequest("/"), { mfaVerified }));
}
