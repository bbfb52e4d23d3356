/**
 * Accounts: sign-up, sign-in checks with rate limits, emailed single-use tokens,
 * passwords, two-step verification, profiles, and the user's own data (UK GDPR).
 * Email is sent by the routes after these functions return, never inside a transaction.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "kysely";
import { getDb, nowIso, writeTransaction, type DB } from "../../db/index";
import { ACCOUNT_REFERENCES, EMAIL_KEYED_TABLES } from "../../db/types/account-references";
import type { EmailTokenPurpose } from "../../db/types/accounts";
import type { Sector } from "../../db/types/foundation";
import { hashPassword, needsRehash, verifyPassword, verifyPasswordAgainstDummy } from "../utils/password.server";
import { consume, isLimited, resetLimit } from "../utils/rate-limit.server";
import { generateRecoveryCodes, generateToken, hashToken, normaliseRecoveryCode, verifyTotp } from "../utils/totp.server";
import { slugify } from "../utils/text";
import { clientIp } from "../utils/auth.server";

export type AuthenticateResult =
  | { ok: true; accountId: string; needsTwoStep: boolean }
  | { ok: false; status: 400 | 429; message: string; retryAfter?: number };

const WRONG = "Enter a correct email address and password";

/** At most 10 failed sign-ins per account (by address, known or not) per 5 minutes. */
export const SIGNIN_ACCOUNT_LIMIT = { limit: 10, windowSeconds: 5 * 60 };
/** A generous per-address-of-origin limit: an office behind one IP must still get in. */
export const SIGNIN_IP_LIMIT = { limit: 100, windowSeconds: 15 * 60 };
export const TWO_STEP_LIMIT = { limit: 10, windowSeconds: 5 * 60 };
// Generous enough for a room of people signing up together at a network event behind one address.
export const SIGNUP_IP_LIMIT = { limit: 30, windowSeconds: 60 * 60 };
export const EMAIL_ADDRESS_LIMIT = { limit: 3, windowSeconds: 60 * 60 };
export const RESET_IP_LIMIT = { limit: 10, windowSeconds: 60 * 60 };

export const VERIFY_EMAIL_HOURS = 48;
export const RESET_PASSWORD_HOURS = 1;

const HOUR_MS = 3600_000;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function tooManyMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return `Too many attempts. Please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`;
}

/**
 * Checks an email and password. An unknown email costs the same time as a
 * wrong password (a dummy hash is verified) and gets the same answer; the
 * per-account limit is keyed by the address typed, so it behaves the same for both.
 * A locked account answers 429 even to the right password: the lock must not leak it.
 */
export async function authenticate(email: string, password: string, request: Request): Promise<AuthenticateResult> {
  const ip = clientIp(request);
  const address = normaliseEmail(email);
  const accountKey = `signin:account:${address}`;
  const ipKey = `signin:ip:${ip ?? "unknown"}`;
  for (const [key, rule] of [
    [accountKey, SIGNIN_ACCOUNT_LIMIT],
    [ipKey, SIGNIN_IP_LIMIT],
  ] as const) {
    const limited = await isLimited(key, rule.limit, rule.windowSeconds);
    if (!limited.allowed) return { ok: false, status: 429, message: tooManyMessage(limited.retryAfterSeconds), retryAfter: limited.retryAfterSeconds };
  }
  const account = await getDb()
    .selectFrom("account")
    .select(["id", "password_hash", "totp_secret"])
    .where("email_normalized", "=", address)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  const valid = account?.password_hash ? await verifyPassword(account.password_hash, password) : await verifyPasswordAgainstDummy(password);
  if (!account || !account.password_hash || !valid) {
    await consume(accountKey, SIGNIN_ACCOUNT_LIMIT.limit, SIGNIN_ACCOUNT_LIMIT.windowSeconds);
    await consume(ipKey, SIGNIN_IP_LIMIT.limit, SIGNIN_IP_LIMIT.windowSeconds);
    return { ok: false, status: 400, message: WRONG };
  }
  await resetLimit(accountKey);
  if (needsRehash(account.password_hash)) {
    await getDb()
      .updateTable("account")
      .set({ password_hash: await hashPassword(password), updated_at: nowIso() })
      .where("id", "=", account.id)
      .execute();
  }
  return { ok: true, accountId: account.id, needsTwoStep: account.totp_secret !== null };
}

/** Counts one use of a rate-limited action (sign-up, emails); returns the seconds to wait when over. */
export async function limitExceeded(key: string, rule: { limit: number; windowSeconds: number }): Promise<number | null> {
  const result = await consume(key, rule.limit, rule.windowSeconds);
  return result.allowed ? null : result.retryAfterSeconds;
}

export async function getAccount(id: string) {
  return getDb()
    .selectFrom("account")
    .leftJoin("organisation", "organisation.id", "account.organisation_id")
    .select([
      "account.id",
      "account.email",
      "account.email_verified_at",
      "account.name",
      "account.job_title",
      "account.bio",
      "account.organisation_id",
      "account.profile_visible",
      "account.is_platform_admin",
      "account.totp_secret",
      "account.created_at",
      "organisation.name as organisation_name",
      "organisation.slug as organisation_slug",
      "organisation.status as organisation_status",
    ])
    .where("account.id", "=", id)
    .where("account.deleted_at", "is", null)
    .executeTakeFirst();
}

export async function getAccountByEmail(email: string) {
  return getDb()
    .selectFrom("account")
    .select(["id", "email", "name", "email_verified_at"])
    .where("email_normalized", "=", normaliseEmail(email))
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export type SignUpResult = { created: true; accountId: string } | { created: false; existingAccountId: string };

/**
 * Creates an unverified account, or reports that the address is taken (the route
 * answers both the same way, so sign-up never reveals who has an account).
 */
export async function createAccount({ name, email, password }: { name: string; email: string; password: string }): Promise<SignUpResult> {
  const address = normaliseEmail(email);
  // Hash first (slow) so both outcomes cost the same time and the transaction stays short.
  const passwordHash = await hashPassword(password);
  return writeTransaction(async (trx) => {
    const existing = await trx.selectFrom("account").select("id").where("email_normalized", "=", address).executeTakeFirst();
    if (existing) return { created: false, existingAccountId: existing.id };
    const id = randomBytes(10).toString("hex");
    const now = nowIso();
    await trx
      .insertInto("account")
      .values({
        id,
        email: address,
        email_verified_at: null,
        name,
        password_hash: passwordHash,
        job_title: null,
        bio: null,
        organisation_id: null,
        profile_visible: true,
        is_platform_admin: false,
        totp_secret: null,
        totp_last_counter: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return { created: true, accountId: id };
  });
}

/** A new emailed link token (returned once, stored only hashed); earlier unused ones of the same purpose stop working. */
export async function createEmailToken(accountId: string, email: string, purpose: EmailTokenPurpose): Promise<string> {
  const token = generateToken();
  const hours = purpose === "verify-email" ? VERIFY_EMAIL_HOURS : RESET_PASSWORD_HOURS;
  const now = new Date();
  await writeTransaction(async (trx) => {
    await trx
      .updateTable("email_token")
      .set({ used_at: now.toISOString() })
      .where("account_id", "=", accountId)
      .where("purpose", "=", purpose)
      .where("used_at", "is", null)
      .execute();
    await trx
      .insertInto("email_token")
      .values({
        token_hash: hashToken(token),
        purpose,
        account_id: accountId,
        email: normaliseEmail(email),
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + hours * HOUR_MS).toISOString(),
        used_at: null,
      })
      .execute();
  });
  return token;
}

export type TokenProblem = "invalid" | "expired" | "used";

/** Looks a token up without using it (the GET that shows the confirm button). */
export async function checkEmailToken(token: string, purpose: EmailTokenPurpose): Promise<{ ok: true; accountId: string; email: string } | { ok: false; problem: TokenProblem }> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, problem: "invalid" };
  const row = await getDb()
    .selectFrom("email_token")
    .innerJoin("account", "account.id", "email_token.account_id")
    .select(["email_token.account_id", "email_token.email", "email_token.expires_at", "email_token.used_at", "account.email as current_email"])
    .where("email_token.token_hash", "=", hashToken(token))
    .where("email_token.purpose", "=", purpose)
    .where("account.deleted_at", "is", null)
    .executeTakeFirst();
  if (!row || normaliseEmail(row.current_email) !== row.email) return { ok: false, problem: "invalid" };
  if (row.used_at) return { ok: false, problem: "used" };
  if (row.expires_at <= nowIso()) return { ok: false, problem: "expired" };
  return { ok: true, accountId: row.account_id, email: row.email };
}

/** Marks the token used if it is still valid: one atomic update, so two clicks cannot both succeed. */
async function useEmailToken(trx: ReturnType<typeof getDb>, token: string, purpose: EmailTokenPurpose) {
  const now = nowIso();
  return trx
    .updateTable("email_token")
    .set({ used_at: now })
    .where("token_hash", "=", hashToken(token))
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returning(["account_id", "email"])
    .executeTakeFirst();
}

export async function verifyEmail(token: string): Promise<{ ok: true; accountId: string } | { ok: false; problem: TokenProblem }> {
  const check = await checkEmailToken(token, "verify-email");
  if (!check.ok) return check;
  return writeTransaction(async (trx) => {
    const used = await useEmailToken(trx, token, "verify-email");
    if (!used) return { ok: false, problem: "used" };
    const now = nowIso();
    await trx
      .updateTable("account")
      .set({ email_verified_at: now, updated_at: now })
      .where("id", "=", used.account_id)
      .where("email_normalized", "=", normaliseEmail(used.email))
      .where("email_verified_at", "is", null)
      .execute();
    return { ok: true, accountId: used.account_id };
  });
}

/** Sets a new password from a reset link; the link proves the address, so it also counts as verified. */
export async function resetPassword(token: string, password: string): Promise<{ ok: true; accountId: string } | { ok: false; problem: TokenProblem }> {
  const check = await checkEmailToken(token, "reset-password");
  if (!check.ok) return check;
  const passwordHash = await hashPassword(password);
  return writeTransaction(async (trx) => {
    const used = await useEmailToken(trx, token, "reset-password");
    if (!used) return { ok: false, problem: "used" };
    const now = nowIso();
    await trx.updateTable("account").set({ password_hash: passwordHash, updated_at: now }).where("id", "=", used.account_id).execute();
    await trx
      .updateTable("account")
      .set({ email_verified_at: now })
      .where("id", "=", used.account_id)
      .where("email_verified_at", "is", null)
      .execute();
    // Every signed-in device goes: whoever knew the old password is out.
    await trx.deleteFrom("session").where("account_id", "=", used.account_id).execute();
    return { ok: true, accountId: used.account_id };
  });
}

export async function checkCurrentPassword(accountId: string, password: string): Promise<boolean> {
  const row = await getDb().selectFrom("account").select("password_hash").where("id", "=", accountId).executeTakeFirst();
  if (!row?.password_hash) return verifyPasswordAgainstDummy(password);
  return verifyPassword(row.password_hash, password);
}

export async function setPassword(accountId: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await getDb().updateTable("account").set({ password_hash: passwordHash, updated_at: nowIso() }).where("id", "=", accountId).execute();
}

// ---------------------------------------------------------------- two-step verification

/**
 * Turns on TOTP after the user proved their app shows the right code; returns the
 * recovery codes to show once (only their hashes are stored).
 */
export async function enableTwoStep(accountId: string, secret: string, code: string): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false }> {
  const counter = verifyTotp(secret, code);
  if (counter === null) return { ok: false };
  const codes = generateRecoveryCodes(10);
  const now = nowIso();
  const done = await writeTransaction(async (trx) => {
    const result = await trx
      .updateTable("account")
      .set({ totp_secret: secret, totp_last_counter: counter, updated_at: now })
      .where("id", "=", accountId)
      .where("totp_secret", "is", null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await trx.deleteFrom("recovery_code").where("account_id", "=", accountId).execute();
    await trx
      .insertInto("recovery_code")
      .values(codes.map((c) => ({ account_id: accountId, code_hash: hashToken(c), created_at: now, used_at: null })))
      .execute();
    return true;
  });
  return done ? { ok: true, recoveryCodes: codes } : { ok: false };
}

export async function disableTwoStep(accountId: string): Promise<void> {
  await writeTransaction(async (trx) => {
    await trx.updateTable("account").set({ totp_secret: null, totp_last_counter: null, updated_at: nowIso() }).where("id", "=", accountId).execute();
    await trx.deleteFrom("recovery_code").where("account_id", "=", accountId).execute();
  });
}

export async function regenerateRecoveryCodes(accountId: string): Promise<string[]> {
  const codes = generateRecoveryCodes(10);
  const now = nowIso();
  await writeTransaction(async (trx) => {
    await trx.deleteFrom("recovery_code").where("account_id", "=", accountId).execute();
    await trx
      .insertInto("recovery_code")
      .values(codes.map((c) => ({ account_id: accountId, code_hash: hashToken(c), created_at: now, used_at: null })))
      .execute();
  });
  return codes;
}

export async function unusedRecoveryCodeCount(accountId: string): Promise<number> {
  const row = await getDb()
    .selectFrom("recovery_code")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("account_id", "=", accountId)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * The second step of sign-in: a TOTP code whose time step is later than the last one
 * accepted (no replay of an observed code), or an unused recovery code (used up here).
 */
export async function checkSecondStep(accountId: string, input: string): Promise<{ ok: true; usedRecoveryCode: boolean } | { ok: false; status: 400 | 429; message: string; retryAfter?: number }> {
  const key = `twostep:account:${accountId}`;
  const limited = await isLimited(key, TWO_STEP_LIMIT.limit, TWO_STEP_LIMIT.windowSeconds);
  if (!limited.allowed) return { ok: false, status: 429, message: tooManyMessage(limited.retryAfterSeconds), retryAfter: limited.retryAfterSeconds };
  const account = await getDb().selectFrom("account").select(["totp_secret", "totp_last_counter"]).where("id", "=", accountId).executeTakeFirst();
  if (account?.totp_secret) {
    const counter = verifyTotp(account.totp_secret, input);
    if (counter !== null) {
      const result = await getDb()
        .updateTable("account")
        .set({ totp_last_counter: counter })
        .where("id", "=", accountId)
        .where((eb) => eb.or([eb("totp_last_counter", "is", null), eb("totp_last_counter", "<", counter)]))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) {
        await resetLimit(key);
        return { ok: true, usedRecoveryCode: false };
      }
    } else if (!/^\s*\d{6}\s*$/.test(input)) {
      const result = await getDb()
        .updateTable("recovery_code")
        .set({ used_at: nowIso() })
        .where("account_id", "=", accountId)
        .where("code_hash", "=", hashToken(normaliseRecoveryCode(input)))
        .where("used_at", "is", null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) {
        await resetLimit(key);
        return { ok: true, usedRecoveryCode: true };
      }
    }
  }
  await consume(key, TWO_STEP_LIMIT.limit, TWO_STEP_LIMIT.windowSeconds);
  return { ok: false, status: 400, message: "Enter the 6-digit code your authenticator app shows now, or one of your recovery codes" };
}

// ---------------------------------------------------------------- profile

export async function listOrganisationChoices() {
  return getDb().selectFrom("organisation").select(["id", "name"]).where("status", "=", "approved").orderBy("name").execute();
}

export type ProfileInput = {
  name: string;
  jobTitle: string | null;
  bio: string | null;
  profileVisible: boolean;
  /** A proposal is listed in the proposer's networks, so their admins see it in the queue. */
  organisation: { kind: "none" } | { kind: "existing"; id: number } | { kind: "propose"; name: string; sector: Sector; networkIds: number[] };
};

/**
 * Saves the profile. A proposed organisation becomes a 'pending' organisation row,
 * which the organisations domain reviews; the member is linked to it meanwhile.
 */
export async function updateProfile(accountId: string, input: ProfileInput): Promise<{ ok: true } | { ok: false; field: string; message: string }> {
  return writeTransaction(async (trx) => {
    const now = nowIso();
    let organisationId: number | null = null;
    if (input.organisation.kind === "existing") {
      const org = await trx
        .selectFrom("organisation")
        .select("id")
        .where("id", "=", input.organisation.id)
        .where((eb) => eb.or([eb("status", "=", "approved"), eb("proposed_by_account_id", "=", accountId)]))
        .executeTakeFirst();
      if (!org) return { ok: false, field: "organisationId", message: "Choose an organisation from the list" };
      organisationId = org.id;
    } else if (input.organisation.kind === "propose") {
      const name = input.organisation.name;
      const same = await trx
        .selectFrom("organisation")
        .select(["id", "status", "proposed_by_account_id"])
        .where(sql<string>`lower(name)`, "=", name.toLowerCase())
        .executeTakeFirst();
      if (same && (same.status === "approved" || same.proposed_by_account_id === accountId)) {
        organisationId = same.id;
      } else {
        const base = slugify(name) || "organisation";
        let slug = base;
        for (let i = 2; await trx.selectFrom("organisation").select("id").where("slug", "=", slug).executeTakeFirst(); i++) slug = `${base}-${i}`;
        const inserted = await trx
          .insertInto("organisation")
          .values({
            uuid: randomUUID(),
            slug,
            name,
            sector: input.organisation.sector,
            summary: "",
            description: "",
            area_served: "",
            address: null,
            postcode: null,
            website: null,
            email: null,
            phone: null,
            registry_number: null,
            status: "pending",
            proposed_by_account_id: accountId,
            created_at: now,
            updated_at: now,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        for (const networkId of input.organisation.networkIds) {
          await trx.insertInto("organisation_network").values({ organisation_id: inserted.id, network_id: networkId }).execute();
        }
        organisationId = inserted.id;
      }
    }
    await trx
      .updateTable("account")
      .set({
        name: input.name,
        job_title: input.jobTitle,
        bio: input.bio,
        profile_visible: input.profileVisible,
        organisation_id: organisationId,
        updated_at: now,
      })
      .where("id", "=", accountId)
      .execute();
    return { ok: true };
  });
}

// ---------------------------------------------------------------- the user's data (UK GDPR)

const SECRET_COLUMN = /(hash|secret|token)/i;

/** Tables with a foreign key to account(id), and the columns holding it (db/types/account-references.ts). */
function accountReferences(): Array<{ table: string; columns: string[]; cascadeColumns: string[] }> {
  const byTable = new Map<string, { table: string; columns: string[]; cascadeColumns: string[] }>();
  for (const fk of ACCOUNT_REFERENCES) {
    const entry = byTable.get(fk.table) ?? { table: fk.table, columns: [], cascadeColumns: [] };
    if (!entry.columns.includes(fk.column)) entry.columns.push(fk.column);
    if (fk.onDelete === "CASCADE" && !entry.cascadeColumns.includes(fk.column)) entry.cascadeColumns.push(fk.column);
    byTable.set(fk.table, entry);
  }
  return [...byTable.values()].sort((x, y) => x.table.localeCompare(y.table));
}

function redact(row: Record<string, unknown>, table = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    // A session's id column holds the hash of the cookie: nothing the person needs, so left out.
    if (table === "session" && k === "id") continue;
    out[k] = SECRET_COLUMN.test(k) && v !== null ? "(stored hashed or secret; not included)" : v;
  }
  return out;
}

/**
 * Everything stored about the account: its own row (secrets left out) and every row in any
 * table that refers to it (db/types/account-references.ts, kept complete by a test), so other
 * domains' tables (RSVPs, posts, subscriptions) are included without this module knowing them.
 */
export async function exportAccountData(accountId: string): Promise<Record<string, unknown>> {
  const db = getDb();
  const { rows: accounts } = await sql<Record<string, unknown>>`select * from account where id = ${accountId}`.execute(db);
  const account = accounts[0];
  if (!account) throw new Response("Not found", { status: 404 });
  const related: Record<string, unknown[]> = {};
  for (const { table, columns } of accountReferences()) {
    const where = sql.join(columns.map((c) => sql`${sql.ref(c)} = ${accountId}`), sql` or `);
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where ${where}`.execute(db);
    if (rows.length) related[table] = rows.map((r) => redact(r, table));
  }
  // Rows keyed by address rather than account (e.g. digest subscriptions made before signing up).
  const email = String(account.email);
  for (const table of EMAIL_KEYED_TABLES) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where lower(email) = ${email.toLowerCase()}`.execute(db);
    if (rows.length) related[`${table} (by email address)`] = rows.map((r) => redact(r, table));
  }
  return {
    exportedAt: nowIso(),
    about: "Everything Roundtable stores about you. Passwords, two-step secrets and link tokens are stored only in a form nobody can read back, so they are not included.",
    account: redact({ ...account, password_hash: account.password_hash ? "set" : null }),
    related,
  };
}

/**
 * Personal links to a person that go when they leave: rows whose foreign key to the account
 * is ON DELETE CASCADE (each domain declares so for rows that belong to the person: RSVPs,
 * follows, saves, notifications, feed tokens), plus these names. Content (posts, events,
 * resources: ON DELETE SET NULL) stays, shown as "Former member".
 */
const PERSONAL_TABLE = /(session|token|recovery_code|membership|follow|subscri|rsvp|registration|notification|bookmark|read_state|preference)/i;

export const FORMER_MEMBER = "Former member";

/**
 * Deletes the account as UK GDPR erasure expects while keeping other domains' foreign
 * keys valid: personal rows go, the account row is anonymised in place.
 */
export async function deleteAccount(accountId: string): Promise<void> {
  // Only the columns that say whose row it is: a membership's decided_by_account_id (SET NULL)
  // must not take other people's memberships with it.
  const db = getDb();
  const references = accountReferences()
    .map((r) => ({ table: r.table, columns: r.cascadeColumns.length ? r.cascadeColumns : PERSONAL_TABLE.test(r.table) ? r.columns : [] }))
    .filter((r) => r.columns.length > 0);
  const row = await db.selectFrom("account").select("email").where("id", "=", accountId).executeTakeFirst();
  if (!row) return;
  const email = row.email.toLowerCase();
  await writeTransaction(async (trx) => {
    for (const { table, columns } of references) {
      for (const c of columns) await sql`delete from ${sql.table(table)} where ${sql.ref(c)} = ${accountId}`.execute(trx);
    }
    for (const table of EMAIL_KEYED_TABLES) await sql`delete from ${sql.table(table)} where lower(email) = ${email}`.execute(trx);
    const now = nowIso();
    await trx
      .updateTable("account")
      .set({
        name: FORMER_MEMBER,
        // Unique and unusable: .invalid never resolves (RFC 2606), and nobody can sign in as it.
        email: `deleted-${accountId}@deleted.invalid`,
        email_verified_at: null,
        password_hash: null,
        job_title: null,
        bio: null,
        organisation_id: null,
        profile_visible: false,
        is_platform_admin: false,
        totp_secret: null,
        totp_last_counter: null,
        updated_at: now,
        deleted_at: now,
      })
      .where("id", "=", accountId)
      .execute();
  });
}
