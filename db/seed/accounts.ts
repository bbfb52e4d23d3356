import { randomBytes } from "node:crypto";
import type { DB } from "../index";
import { nowIso } from "../index";
import type { NetworkRole } from "../types/foundation";
import { hashPassword } from "../../app/utils/password.server";

export const DEMO_ACCOUNTS: Array<{
  email: string;
  name: string;
  job_title: string;
  organisation: string;
  platformAdmin: boolean;
  memberships: Array<{ network: string; role: NetworkRole }>;
}> = [
  {
    email: "admin@example.org",
    name: "Alex Admin",
    job_title: "Network coordinator",
    organisation: "voluntary-sector-north-west",
    platformAdmin: true,
    memberships: [
      { network: "north-west", role: "admin" },
      { network: "national", role: "admin" },
    ],
  },
  {
    email: "organiser@example.org",
    name: "Olivia Organiser",
    job_title: "Events lead",
    organisation: "voluntary-sector-north-west",
    platformAdmin: false,
    memberships: [{ network: "north-west", role: "organiser" }],
  },
  {
    email: "moderator@example.org",
    name: "Mo Moderator",
    job_title: "Community manager",
    organisation: "voluntary-sector-north-west",
    platformAdmin: false,
    memberships: [{ network: "north-west", role: "moderator" }],
  },
  {
    email: "member@example.org",
    name: "Sam Member",
    job_title: "Link worker",
    organisation: "dancing-recall",
    platformAdmin: false,
    memberships: [{ network: "north-west", role: "member" }],
  },
  {
    email: "national@example.org",
    name: "Nadia National",
    job_title: "Researcher",
    organisation: "university-of-westminster",
    platformAdmin: false,
    memberships: [{ network: "national", role: "member" }],
  },
];

/**
 * Creates the demo accounts that are missing. Returns the password used when it
 * was generated here (so the caller can print it once), else undefined.
 */
export async function seedDemoAccounts(db: DB, demoPassword: string | undefined): Promise<string | undefined> {
  const existing = new Set((await db.selectFrom("account").select("email").execute()).map((a) => a.email.toLowerCase()));
  const missing = DEMO_ACCOUNTS.filter((a) => !existing.has(a.email));
  if (missing.length === 0) return undefined;
  const generated = demoPassword ? undefined : randomBytes(12).toString("base64url");
  const password = demoPassword ?? generated!;
  const passwordHash = await hashPassword(password);
  const now = nowIso();
  const orgIds = new Map((await db.selectFrom("organisation").select(["id", "slug"]).execute()).map((o) => [o.slug, o.id]));
  const networkIds = new Map((await db.selectFrom("network").select(["id", "slug"]).execute()).map((n) => [n.slug, n.id]));
  for (const account of missing) {
    const id = randomBytes(10).toString("hex");
    await db
      .insertInto("account")
      .values({
        id,
        email: account.email,
        email_verified_at: now,
        name: account.name,
        password_hash: passwordHash,
        job_title: account.job_title,
        bio: null,
        organisation_id: orgIds.get(account.organisation) ?? null,
        profile_visible: true,
        is_platform_admin: account.platformAdmin,
        totp_secret: null,
        totp_last_counter: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    for (const m of account.memberships) {
      await db
        .insertInto("network_membership")
        .values({
          network_id: networkIds.get(m.network)!,
          account_id: id,
          role: m.role,
          status: "approved",
          message: null,
          created_at: now,
          decided_at: now,
          decided_by_account_id: null,
        })
        .execute();
    }
  }
  return generated;
}
