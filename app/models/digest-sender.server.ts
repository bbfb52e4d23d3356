import { sql } from "kysely";
import { getDb, skipLocked, writeTransaction } from "../../db/index";
import { renderDigestEmail } from "../../emails/digest";
import { sendEmail } from "../../emails/send";
import { env } from "../utils/env.server";
import { firstDigestSince, periodKey, retryDelayMs } from "../utils/digest-period";
import { gatherDigest, type DigestContent } from "./digest-content.server";
import { manageTokenFor, SUSPEND_AFTER_PERMANENT_FAILURES } from "./digests.server";
import { appHost, classifySmtpError as classify, describeSmtpError as describe, mailDomain, newRunId, resumeAbandoned } from "./send-runs.server";

/**
 * Sending digests, idempotently.
 *
 * 1. Claim (one short transaction): insert a digest_send row for every active subscription and its
 *    current period; UNIQUE(subscription_id, period) makes a second run in the same period a no-op.
 * 2. Take a batch: flip its rows from pending to sending, stamped with this run's id (short transaction).
 * 3. Gather, render and hand each message to SMTP outside any transaction, with a Message-ID made
 *    from (subscription, period), so every attempt at the same digest is the same message.
 * 4. Mark it sent (short transaction) and move the subscriber's "since" forward.
 *
 * What this guarantees: a row is only ever sent by the run that owns it; a sent row is never sent
 * again; a second run in the same period sends nothing; a run killed at any point resumes with the
 * rows it had not finished. Rows a dead run left in 'sending' are taken back when its process is gone
 * (same host) or its claim is older than DIGEST_STALE_MINUTES (other hosts). The one window left is
 * between the SMTP server answering "250 accepted" and step 4 committing (well under a millisecond
 * of local work): a kill exactly there means the digest is sent again on resume — with the same
 * Message-ID, which receiving systems use to drop duplicates. That is at-least-once for that one
 * message and exactly-once for everything the run's own records know about; SMTP offers no way to
 * ask a server whether it accepted a message, so no sender can close that window completely.
 */

export type RunOptions = {
  now?: Date;
  log?: (line: string) => void;
  /** Take back 'sending' rows of other hosts' runs after this many minutes. */
  staleMinutes?: number;
  /** Temporary failures are retried this many times in all. */
  maxAttempts?: number;
  /** First back-off after a temporary failure (doubles each time). */
  retryBaseMs?: number;
  /** Wait within this run for retries that fall due within this many ms (0: leave them to the next run). */
  retryWaitMs?: number;
  /** Messages in flight at once (matches the SMTP pool). */
  concurrency?: number;
  batchSize?: number;
};

export type RunSummary = {
  runId: string;
  claimed: number;
  resumed: number;
  sent: number;
  empty: number;
  retrying: number;
  failed: number;
  suspended: number;
  ms: number;
};

export function digestMessageId(subscriptionId: number, period: string): string {
  return `digest.${subscriptionId}.${period.replace(/[^A-Za-z0-9-]/g, ".")}@${appHost()}`;
}

export function periodLabel(period: string): string {
  const [kind, rest] = period.split(":");
  if (kind === "daily") {
    const d = new Date(`${rest}T12:00:00Z`);
    return d.toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  }
  // "2026-W48" means little to a reader: name the Monday the ISO week begins on.
  const [year, week] = rest.split("-W").map(Number);
  const jan4 = Date.UTC(year, 0, 4);
  const monday = new Date(jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000 + (week - 1) * 7 * 86_400_000);
  return `week beginning ${monday.toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).replace(/^(\w+day),/, "$1")}`;
}

/** The links and headers every digest carries (also used by the preview). */
export async function digestLinks(sub: { id: number; token_salt: string }) {
  const token = await manageTokenFor(sub);
  const base = env().APP_URL;
  const unsubscribeUrl = `${base}/digest/unsubscribe?token=${encodeURIComponent(token)}`;
  const manageUrl = `${base}/digest/manage?token=${encodeURIComponent(token)}`;
  const previewUrl = `${base}/digest/preview?token=${encodeURIComponent(token)}`;
  const mailto = `mailto:unsubscribe@${mailDomain()}?subject=unsubscribe-${encodeURIComponent(token)}`;
  return {
    token,
    unsubscribeUrl,
    manageUrl,
    previewUrl,
    headers: {
      "List-Unsubscribe": `<${unsubscribeUrl}>, <${mailto}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "List-Id": `Roundtable digest <digest.${appHost()}>`,
    },
  };
}

type SubRow = {
  id: number;
  email: string;
  account_id: string | null;
  frequency: "daily" | "weekly" | "off";
  network_ids: string;
  topics: string;
  include_follows: boolean;
  token_salt: string;
  last_sent_at: string | null;
  status: string;
};

/** What the subscriber's next digest would hold right now (for sending and for the preview). */
export async function buildDigest(sub: SubRow, at: Date): Promise<{ since: string; content: DigestContent }> {
  const frequency = sub.frequency === "daily" ? "daily" : "weekly";
  const since = sub.last_sent_at ?? firstDigestSince(frequency, at);
  return { since, content: await gatherDigest(sub, { since }) };
}

export async function renderDigestFor(sub: SubRow, content: DigestContent, period: string) {
  const links = await digestLinks(sub);
  const frequency = sub.frequency === "daily" ? "daily" : "weekly";
  const email = renderDigestEmail({
    content,
    frequency,
    appUrl: env().APP_URL,
    manageUrl: links.manageUrl,
    unsubscribeUrl: links.unsubscribeUrl,
    periodLabel: periodLabel(period),
  });
  return { email, links };
}

export async function runDigestSend(options: RunOptions = {}): Promise<RunSummary> {
  const started = Date.now();
  const db = getDb();
  const now = options.now ?? new Date();
  const nowText = now.toISOString();
  const runId = newRunId();
  const staleMinutes = options.staleMinutes ?? Number(process.env.DIGEST_STALE_MINUTES ?? 15);
  const maxAttempts = options.maxAttempts ?? 5;
  const retryBaseMs = options.retryBaseMs ?? Number(process.env.DIGEST_RETRY_BASE_MS ?? 5 * 60_000);
  const retryWaitMs = options.retryWaitMs ?? 0;
  const concurrency = options.concurrency ?? 3;
  const batchSize = options.batchSize ?? 50;
  const daily = periodKey("daily", now);
  const weekly = periodKey("weekly", now);
  const current = [daily, weekly];
  const summary: RunSummary = { runId, claimed: 0, resumed: 0, sent: 0, empty: 0, retrying: 0, failed: 0, suspended: 0, ms: 0 };

  // Subscribers without an account see only public content, so everyone with the same choices and
  // the same "since" gets the same digest: gather it once per run (10,000 subscribers share a few dozen).
  const shared = new Map<string, Promise<DigestContent>>();
  function gatherCached(row: SubRow): Promise<DigestContent> {
    const frequency = row.frequency === "daily" ? "daily" : "weekly";
    const since = row.last_sent_at ?? firstDigestSince(frequency, now);
    if (row.account_id) return gatherDigest(row, { since });
    const key = `${row.network_ids}|${row.topics}|${since}`;
    let hit = shared.get(key);
    if (!hit) {
      if (shared.size > 1000) shared.clear();
      hit = gatherDigest(row, { since });
      hit.catch(() => shared.delete(key));
      shared.set(key, hit);
    }
    return hit;
  }

  // Take back rows a dead run left half-done.
  summary.resumed = await resumeAbandoned("digest_send", new Date(now.getTime() - staleMinutes * 60_000).toISOString());

  // Claim this period's digests for every active subscriber (a no-op the second time).
  summary.claimed = await writeTransaction(async (trx) => {
    // Rows of past periods that never went out are dropped: the next digest covers their content.
    await trx
      .updateTable("digest_send")
      .set({ status: "failed", error: "a newer period began before it could be sent" })
      .where("status", "in", ["pending", "retry"])
      .where("period", "not in", current)
      .execute();
    let claimed = 0;
    for (const [frequency, period] of [["daily", daily], ["weekly", weekly]] as const) {
      const res = await trx
        .insertInto("digest_send")
        .columns(["subscription_id", "period", "status", "attempts", "message_id", "item_count", "created_at"])
        .expression((eb) =>
          eb
            .selectFrom("digest_subscription as s")
            .leftJoin("account as a", "a.id", "s.account_id")
            .select([
              "s.id",
              sql.lit(period).as("period"),
              sql.lit("pending").as("status"),
              sql.lit(0).as("attempts"),
              sql<string>`${sql.lit("digest.")} || s.id || ${sql.lit(`.${period.replace(/[^A-Za-z0-9-]/g, ".")}@${appHost()}`)}`.as("message_id"),
              sql.lit(0).as("item_count"),
              sql.lit(nowText).as("created_at"),
            ])
            .where("s.status", "=", "active")
            .where("s.frequency", "=", frequency)
            .where((w) => w.or([w("s.account_id", "is", null), w("a.deleted_at", "is", null)])),
        )
        .onConflict((oc) => oc.columns(["subscription_id", "period"]).doNothing())
        .executeTakeFirst();
      claimed += Number(res.numInsertedOrUpdatedRows ?? 0);
    }
    return claimed;
  });

  const deadline = Date.now() + retryWaitMs;
  for (;;) {
    const at = new Date().toISOString();
    const batch = await writeTransaction(async (trx) => {
      const rows = await trx
        .selectFrom("digest_send")
        .select("id")
        .where("period", "in", current)
        .where((w) => w.or([w("status", "=", "pending"), w.and([w("status", "=", "retry"), w("next_attempt_at", "<=", at)])]))
        .orderBy("id")
        .limit(batchSize)
        .$call(skipLocked)
        .execute();
      if (rows.length === 0) return [];
      await trx
        .updateTable("digest_send")
        .set({ status: "sending", owner_run: runId, claimed_at: at })
        .where("id", "in", rows.map((r) => r.id))
        .where("status", "in", ["pending", "retry"])
        .execute();
      return trx
        .selectFrom("digest_send as d")
        .innerJoin("digest_subscription as s", "s.id", "d.subscription_id")
        .select([
          "d.id as send_id",
          "d.period",
          "d.attempts",
          "d.message_id",
          "s.id",
          "s.email",
          "s.account_id",
          "s.frequency",
          "s.network_ids",
          "s.topics",
          "s.include_follows",
          "s.token_salt",
          "s.last_sent_at",
          "s.status",
          "s.failure_count",
        ])
        .where("d.owner_run", "=", runId)
        .where("d.status", "=", "sending")
        .where("d.id", "in", rows.map((r) => r.id))
        .execute();
    }, undefined, { claim: true });
    if (batch.length === 0) {
      const waiting = await db
        .selectFrom("digest_send")
        .select((eb) => eb.fn.min("next_attempt_at").as("next"))
        .where("status", "=", "retry")
        .where("period", "in", current)
        .executeTakeFirst();
      const next = waiting?.next ? Date.parse(waiting.next) : NaN;
      if (Number.isFinite(next) && next <= deadline) {
        await new Promise((r) => setTimeout(r, Math.max(10, next - Date.now())));
        continue;
      }
      break;
    }
    let cursor = 0;
    const worker = async () => {
      while (cursor < batch.length) {
        const row = batch[cursor++];
        await processOne(row);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, worker));
  }

  async function processOne(row: SubRow & { send_id: number; period: string; attempts: number; message_id: string; failure_count: number }) {
    if (row.status !== "active") {
      await db.updateTable("digest_send").set({ status: "failed", owner_run: null, error: `subscription is ${row.status}` }).where("id", "=", row.send_id).execute();
      summary.failed++;
      return;
    }
    const gatheredAt = new Date();
    let content: DigestContent;
    try {
      content = await gatherCached(row);
    } catch (error) {
      await db.updateTable("digest_send").set({ status: "retry", owner_run: null, attempts: row.attempts + 1, next_attempt_at: new Date(Date.now() + retryDelayMs(row.attempts + 1, retryBaseMs)).toISOString(), error: `gathering failed: ${describe(error)}` }).where("id", "=", row.send_id).execute();
      summary.retrying++;
      return;
    }
    if (content.total === 0) {
      // Nothing new: nothing is sent, but the period is recorded so it is not reconsidered.
      await writeTransaction(async (trx) => {
        await trx.updateTable("digest_send").set({ status: "empty", owner_run: null, item_count: 0 }).where("id", "=", row.send_id).execute();
        await trx.updateTable("digest_subscription").set({ last_period: row.period }).where("id", "=", row.id).execute();
      });
      summary.empty++;
      return;
    }
    const { email, links } = await renderDigestFor(row, content, row.period);
    try {
      await sendEmail({ to: row.email, subject: email.subject, html: email.html, text: email.text, headers: links.headers, messageId: row.message_id });
    } catch (error) {
      const attempts = row.attempts + 1;
      if (classify(error) === "permanent" || attempts >= maxAttempts) {
        const permanent = classify(error) === "permanent";
        const failures = row.failure_count + (permanent ? 1 : 0);
        const suspend = permanent && failures >= SUSPEND_AFTER_PERMANENT_FAILURES;
        await writeTransaction(async (trx) => {
          await trx.updateTable("digest_send").set({ status: "failed", owner_run: null, attempts, error: describe(error) }).where("id", "=", row.send_id).execute();
          await trx
            .updateTable("digest_subscription")
            .set({
              failure_count: failures,
              last_failure: `${new Date().toISOString()} ${describe(error)}`,
              ...(suspend ? { status: "suspended" as const, suspended_at: new Date().toISOString() } : {}),
            })
            .where("id", "=", row.id)
            .execute();
        });
        summary.failed++;
        if (suspend) summary.suspended++;
      } else {
        await db
          .updateTable("digest_send")
          .set({ status: "retry", owner_run: null, attempts, next_attempt_at: new Date(Date.now() + retryDelayMs(attempts, retryBaseMs)).toISOString(), error: describe(error) })
          .where("id", "=", row.send_id)
          .execute();
        summary.retrying++;
      }
      return;
    }
    const sentAt = new Date().toISOString();
    await writeTransaction(async (trx) => {
      await trx
        .updateTable("digest_send")
        .set({ status: "sent", owner_run: null, attempts: row.attempts + 1, sent_at: sentAt, item_count: content.total, error: null })
        .where("id", "=", row.send_id)
        .execute();
      await trx
        .updateTable("digest_subscription")
        .set({ last_sent_at: gatheredAt.toISOString(), last_period: row.period, failure_count: 0 })
        .where("id", "=", row.id)
        .execute();
    });
    summary.sent++;
  }

  // Retries counted above may have succeeded later in this run: report what is still waiting.
  const still = await db.selectFrom("digest_send").select((eb) => eb.fn.countAll<number>().as("n")).where("status", "=", "retry").where("period", "in", current).executeTakeFirst();
  summary.retrying = Number(still?.n ?? 0);
  summary.ms = Date.now() - started;
  options.log?.(
    `digest:send ${nowText} claimed=${summary.claimed} resumed=${summary.resumed} sent=${summary.sent} empty=${summary.empty} retrying=${summary.retrying} failed=${summary.failed} suspended=${summary.suspended} in ${summary.ms} ms`,
  );
  return summary;
}
