import { env } from "../app/utils/env.server";
import { getTransport, writeToOutbox } from "./transport";

export type OutgoingEmail = {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Extra headers (List-Unsubscribe…). Values are stripped of CR/LF: never a way to add headers. */
  headers?: Record<string, string>;
  /** Stable Message-ID for idempotent sends (digests), without angle brackets. */
  messageId?: string;
  /** An iTIP calendar object (RFC 5546): sent as a text/calendar alternative with METHOD, plus an .ics attachment. */
  calendar?: { method: "REQUEST" | "CANCEL" | "PUBLISH"; content: string; filename?: string };
};

export type SendResult = { accepted: boolean; messageId: string; file?: string };

function clean(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
}

/** Sends one message. Never call this inside a database transaction. */
export async function sendEmail(message: OutgoingEmail): Promise<SendResult> {
  const config = env();
  const transport = getTransport();
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(message.headers ?? {})) headers[clean(k)] = clean(v);
  const mail = {
    from: config.MAIL_FROM,
    to: clean(message.to),
    subject: clean(message.subject),
    html: message.html,
    text: message.text,
    headers,
    messageId: message.messageId ? `<${clean(message.messageId)}>` : undefined,
    icalEvent: message.calendar ? { method: message.calendar.method, content: message.calendar.content, filename: message.calendar.filename ?? "invite.ics" } : undefined,
  };
  const info = await transport.transporter.sendMail(mail);
  if (transport.kind === "outbox") {
    const raw: unknown = info.message;
    const file = writeToOutbox(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
    if (config.NODE_ENV === "development") {
      const links = message.text.match(/https?:\/\/\S+/g) ?? [];
      console.log(`[mail] To ${mail.to}: ${mail.subject}${links.length ? `\n  ${links.join("\n  ")}` : ""}\n  (${file})`);
    }
    return { accepted: true, messageId: info.messageId, file };
  }
  return { accepted: (info.accepted ?? []).length > 0, messageId: info.messageId };
}
