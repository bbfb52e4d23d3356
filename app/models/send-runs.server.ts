import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { getDb } from "../../db/index";
import { env } from "../utils/env.server";

/**
 * What the two email queues (digests: digest-sender.server.ts; notices: notifier-sender.server.ts)
 * share: who owns a claimed row, when a dead run's rows are taken back, how SMTP errors are judged.
 * Both follow the same protocol: claim rows in a short transaction (status 'sending', owner_run),
 * send outside any transaction with a Message-ID fixed per row, mark sent; temporary failures go to
 * 'retry' with exponential back-off, permanent ones to 'failed'.
 */

export function newRunId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A 'sending' row left by a run that is gone: its process no longer exists (same host), or its
 * claim is older than the stale limit (a run on another host cannot be asked).
 */
export function isAbandoned(row: { owner_run: string | null; claimed_at: string | null }, staleBefore: string): boolean {
  const [ownerHost, ownerPid] = (row.owner_run ?? "").split(":");
  if (ownerHost === hostname() && Number(ownerPid) !== process.pid && !processAlive(Number(ownerPid))) return true;
  return !row.claimed_at || row.claimed_at < staleBefore;
}

/**
 * The dead runs that left these rows: a row is taken back only while one of them still owns it
 * (`where owner_run in …`), so a row another run has resumed and claimed meanwhile stays with it.
 */
export function abandonedRuns(rows: Array<{ owner_run: string | null }>): string[] {
  return [...new Set(rows.map((r) => r.owner_run ?? ""))];
}

/**
 * Takes back the rows that dead runs left 'sending' in one of the two queues, so they are sent
 * again (their Message-ID stays the same). Returns how many were taken back.
 */
export async function resumeAbandoned(table: "digest_send" | "notice_email", staleBefore: string): Promise<number> {
  const db = getDb();
  const sending = await db.selectFrom(table).select(["id", "owner_run", "claimed_at"]).where("status", "=", "sending").execute();
  const abandoned = sending.filter((r) => isAbandoned(r, staleBefore));
  if (!abandoned.length) return 0;
  const taken = await db
    .updateTable(table)
    .set({ status: "pending", owner_run: null, error: "resumed after an interrupted run" })
    .where("id", "in", abandoned.map((r) => r.id))
    .where("status", "=", "sending")
    .where("owner_run", "in", abandonedRuns(abandoned))
    .executeTakeFirst();
  return Number(taken.numUpdatedRows);
}

type SmtpError = Error & { responseCode?: number; code?: string };

export function classifySmtpError(error: unknown): "permanent" | "temporary" {
  const code = (error as SmtpError).responseCode;
  return typeof code === "number" && code >= 500 && code < 600 ? "permanent" : "temporary";
}

export function describeSmtpError(error: unknown): string {
  const e = error as SmtpError;
  return `${e.responseCode ? `${e.responseCode} ` : ""}${e.message ?? String(error)}`.replace(/\s+/g, " ").slice(0, 300);
}

export function appHost(): string {
  return new URL(env().APP_URL).hostname || "roundtable.localhost";
}

export function mailDomain(): string {
  const m = /@([^\s>]+)>?\s*$/.exec(env().MAIL_FROM);
  return m ? m[1] : appHost();
}
