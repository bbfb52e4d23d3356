import { getDb } from "../db/index";
import type { EmailKind } from "../db/types/digests";
import { EMAIL_KIND_LABELS, emailKindEnabled, isAddressSuspended, kindTokenFor } from "../app/models/digests.server";
import { env } from "../app/utils/env.server";
import { renderSimpleEmail } from "./layout";
import { sendEmail } from "./send";

export type NotificationEmail = {
  accountId: string;
  kind: EmailKind;
  subject: string;
  heading: string;
  /** Plain text paragraphs (escaped when rendered). */
  paragraphs: string[];
  /** A button; url may be a site path ("/events/12") or absolute. */
  action?: { label: string; url: string };
};

export type NotificationResult = { sent: true } | { sent: false; reason: "no-account" | "switched-off" | "suspended" | "error" };

/**
 * Emails one member about something that happened (registration, waiting-list place, reminder,
 * mention, reply, moderation decision) unless they switched that kind off. Every message carries a
 * link (and List-Unsubscribe headers) that switches off just this kind, without signing in.
 * Never call inside a database transaction. Never throws: a mail failure must not undo the action
 * that caused it, so it is logged and reported in the result.
 */
export async function sendNotificationEmail(input: NotificationEmail): Promise<NotificationResult> {
  try {
    const account = await getDb().selectFrom("account").selectAll().where("id", "=", input.accountId).executeTakeFirst();
    if (!account || account.deleted_at) return { sent: false, reason: "no-account" };
    if (!(await emailKindEnabled(account.id, input.kind))) return { sent: false, reason: "switched-off" };
    if (await isAddressSuspended(account.email)) return { sent: false, reason: "suspended" };
    const base = env().APP_URL;
    const stopUrl = `${base}/digest/notifications?token=${encodeURIComponent(await kindTokenFor(account.id, input.kind))}`;
    const action = input.action ? { label: input.action.label, url: input.action.url.startsWith("/") ? `${base}${input.action.url}` : input.action.url } : undefined;
    const email = renderSimpleEmail({
      subject: input.subject,
      heading: input.heading,
      paragraphs: input.paragraphs,
      action,
      footer: `You get this email because "${EMAIL_KIND_LABELS[input.kind]}" is switched on for your Roundtable account. Stop these emails: ${stopUrl} — or choose what you get at ${base}/account/digest`,
    });
    await sendEmail({
      to: account.email,
      subject: email.subject,
      html: email.html,
      text: email.text,
      headers: { "List-Unsubscribe": `<${stopUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    });
    return { sent: true };
  } catch (error) {
    console.error(`[notify] could not email ${input.kind} to account ${input.accountId}:`, error instanceof Error ? error.message : error);
    return { sent: false, reason: "error" };
  }
}
