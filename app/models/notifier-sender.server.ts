import { getDb, skipLocked, writeTransaction } from "../../db/index";
import { NOTICE_KIND_INFO } from "../../db/types/notifier";
import { renderNoticeEmail } from "../../emails/notice";
import { sendEmail } from "../../emails/send";
import { env } from "../utils/env.server";
import { retryDelayMs } from "../utils/digest-period";
import { isAddressSuspended, kindTokenFor } from "./digests.server";
import { eligibleRecipients, type NoticePayload } from "./notifier.server";
import { appHost, classifySmtpError, describeSmtpError, mailDomain, newRunId, resumeAbandoned } from "./send-runs.server";

/**
 * Sends the queued notice emails (notice_email rows), with the digest sender's guarantee and the
 * same protocol (send-runs.server.ts): due rows are claimed in a short transaction, each is sent
 * outside any transaction with a Message-ID fixed by its row id, then marked sent; temporary SMTP
 * failures wait with exponential back-off, permanent ones fail; rows a killed run left in
 * 'sending' are taken back when its process is gone (same host) or after NOTIFY_STALE_MINUTES.
 * Right before sending, everything is checked again: a member who was deleted, lost their
 * confirmed address, left the network, switched that kind away from email, or can no longer see
 * the content gets nothing (the row is 'dropped' with the reason).
 */

export type NoticeRunOptions = {
  /** The clock for "due" (tests pass a later time to release held, coalesced emails). */
  now?: Date;
  log?: (line: string) => void;
  staleMinutes?: number;
  maxAttempts?: number;
  retryBaseMs?: number;
  /** Wait within this run for retries that fall due within this many ms. */
  retryWaitMs?: number;
  concurrency?: number;
  batchSize?: number;
};

export type NoticeRunSummary = { runId: string; resumed: number; sent: number; dropped: number; retrying: number; failed: number; ms: number };

export function noticeMessageId(rowId: number): string {
  return `notice.${rowId}@${appHost()}`;
}

/** Adds the recipient as ATTENDEE to each VEVENT: RFC 5546 requires one in REQUEST and CANCEL. */
export function withAttendee(ics: string, email: string): string {
  if (!/^[^\s;:,"<>\\]+@[^\s;:,"<>\\]+$/.test(email)) return ics;
  return ics.replace(/\r\nEND:VEVENT/g, `\r\nATTENDEE;RSVP=FALSE;PARTSTAT=ACCEPTED:mailto:${email}\r\nEND:VEVENT`);
}

function parsePayload(json: string): NoticePayload | undefined {
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === "object" && "subject" in v ? (v as NoticePayload) : undefined;
  } catch {
    return undefined;
  }
}

type Row = Awaited<ReturnType<typeof claimBatch>>[number];

async function claimBatch(runId: string, at: string, batchSize: number) {
  return writeTransaction(async (trx) => {
    const rows = await trx
      .selectFrom("notice_email")
      .select("id")
      .where((w) => w.or([w.and([w("status", "=", "pending"), w("not_before", "<=", at)]), w.and([w("status", "=", "retry"), w("next_attempt_at", "<=", at)])]))
      .orderBy("id")
      .limit(batchSize)
      .$call(skipLocked)
      .execute();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    await trx.updateTable("notice_email").set({ status: "sending", owner_run: runId, claimed_at: new Date().toISOString() }).where("id", "in", ids).where("status", "in", ["pending", "retry"]).execute();
    return trx
      .selectFrom("notice_email as q")
      .innerJoin("notice as n", "n.id", "q.notice_id")
      .innerJoin("account as a", "a.id", "q.account_id")
      .leftJoin("notification_preference as p", (j) => j.onRef("p.account_id", "=", "q.account_id").onRef("p.kind", "=", "q.kind"))
      .select(["q.id", "q.kind", "q.attempts", "q.account_id", "n.payload", "a.email", "a.name", "a.email_verified_at", "a.deleted_at", "p.choice"])
      .where("q.owner_run", "=", runId)
      .where("q.status", "=", "sending")
      .where("q.id", "in", ids)
      .execute();
  }, undefined, { claim: true });
}

export async function runNoticeSend(options: NoticeRunOptions = {}): Promise<NoticeRunSummary> {
  const started = Date.now();
  const db = getDb();
  const runId = newRunId();
  const staleMinutes = options.staleMinutes ?? Number(process.env.NOTIFY_STALE_MINUTES ?? 15);
  const maxAttempts = options.maxAttempts ?? 6;
  const retryBaseMs = options.retryBaseMs ?? Number(process.env.NOTIFY_RETRY_BASE_MS ?? 60_000);
  const retryWaitMs = options.retryWaitMs ?? 0;
  const concurrency = options.concurrency ?? 3;
  const batchSize = options.batchSize ?? 100;
  const summary: NoticeRunSummary = { runId, resumed: 0, sent: 0, dropped: 0, retrying: 0, failed: 0, ms: 0 };
  const base = env().APP_URL;
  const clock = () => (options.now ? new Date(options.now.getTime() + (Date.now() - started)) : new Date());

  // Take back rows a dead run left half-done.
  summary.resumed = await resumeAbandoned("notice_email", new Date(clock().getTime() - staleMinutes * 60_000).toISOString());

  const mark = (id: number, values: { status: "sent" | "dropped" | "failed" | "retry"; attempts?: number; error?: string | null; next_attempt_at?: string | null; sent_at?: string }) =>
    db
      .updateTable("notice_email")
      .set({ ...values, owner_run: null, updated_at: new Date().toISOString() })
      .where("id", "=", id)
      .where("owner_run", "=", runId)
      .execute();

  async function processOne(row: Row) {
    const info = NOTICE_KIND_INFO[row.kind];
    const payload = parsePayload(row.payload);
    const drop = async (reason: string) => {
      await mark(row.id, { status: "dropped", error: reason });
      summary.dropped++;
    };
    if (!payload) return drop("unreadable payload");
    if (row.deleted_at) return drop("account deleted");
    if (!row.email_verified_at) return drop("address not confirmed");
    const choice = row.choice ?? info.defaultChoice;
    if (choice !== "email") return drop(`member chose ${choice}`);
    if (!(await eligibleRecipients([row.account_id], payload.check)).has(row.account_id)) return drop("recipient can no longer see this");
    if (await isAddressSuspended(row.email)) return drop("address suspended after repeated refusals");

    const token = await kindTokenFor(row.account_id, row.kind);
    const stopUrl = `${base}/digest/notifications?token=${encodeURIComponent(token)}`;
    const mailto = `mailto:unsubscribe@${mailDomain()}?subject=notice-${encodeURIComponent(token)}`;
    const email = renderNoticeEmail({
      subject: payload.subject,
      heading: payload.heading,
      paragraphs: payload.paragraphs,
      action: payload.action ? { label: payload.action.label, url: `${base}${payload.action.url}` } : undefined,
      kindLabel: info.label,
      name: row.name,
      changeUrl: `${base}/account/digest#emails`,
      stopUrl,
    });
    try {
      await sendEmail({
        to: row.email,
        subject: email.subject,
        html: email.html,
        text: email.text,
        messageId: noticeMessageId(row.id),
        headers: {
          "List-Unsubscribe": `<${stopUrl}>, <${mailto}>`,
          "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
          "List-Id": `Roundtable ${row.kind} notices <${row.kind}.notices.${appHost()}>`,
        },
        calendar: payload.calendar ? { method: payload.calendar.method, content: withAttendee(payload.calendar.ics, row.email), filename: "event.ics" } : undefined,
      });
    } catch (error) {
      const attempts = row.attempts + 1;
      if (classifySmtpError(error) === "permanent" || attempts >= maxAttempts) {
        await mark(row.id, { status: "failed", attempts, error: describeSmtpError(error) });
        summary.failed++;
      } else {
        await mark(row.id, { status: "retry", attempts, error: describeSmtpError(error), next_attempt_at: new Date(clock().getTime() + retryDelayMs(attempts, retryBaseMs)).toISOString() });
      }
      return;
    }
    await mark(row.id, { status: "sent", attempts: row.attempts + 1, sent_at: new Date().toISOString(), error: null });
    summary.sent++;
  }

  const deadline = Date.now() + retryWaitMs;
  for (;;) {
    const batch = await claimBatch(runId, clock().toISOString(), batchSize);
    if (batch.length === 0) {
      const waiting = await db.selectFrom("notice_email").select((eb) => eb.fn.min("next_attempt_at").as("next")).where("status", "=", "retry").executeTakeFirst();
      const next = waiting?.next ? Date.parse(waiting.next) - (clock().getTime() - Date.now()) : NaN;
      if (Number.isFinite(next) && next <= deadline) {
        await new Promise((r) => setTimeout(r, Math.max(10, next - Date.now())));
        continue;
      }
      break;
    }
    let cursor = 0;
    const worker = async () => {
      while (cursor < batch.length) await processOne(batch[cursor++]);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, worker));
  }

  const still = await db.selectFrom("notice_email").select((eb) => eb.fn.countAll<number>().as("n")).where("status", "=", "retry").executeTakeFirst();
  summary.retrying = Number(still?.n ?? 0);
  summary.ms = Date.now() - started;
  options.log?.(`notify:send resumed=${summary.resumed} sent=${summary.sent} dropped=${summary.dropped} retrying=${summary.retrying} failed=${summary.failed} in ${summary.ms} ms`);
  return summary;
}
