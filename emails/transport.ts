import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "../app/utils/env.server";

/**
 * SMTP through nodemailer when SMTP_URL is set (pooled connections);
 * otherwise each message is written as an .eml file to OUTBOX_DIR, so
 * development and tests need no mail server.
 */
export type MailTransport = { kind: "smtp" | "outbox"; transporter: Transporter; close(): void };

let cached: MailTransport | undefined;

export function getTransport(): MailTransport {
  if (cached) return cached;
  const config = env();
  if (config.SMTP_URL) {
    const url = new URL(config.SMTP_URL);
    const transporter = nodemailer.createTransport({
      pool: true,
      maxConnections: 3,
      host: url.hostname,
      port: Number(url.port) || (url.protocol === "smtps:" ? 465 : 587),
      secure: url.protocol === "smtps:",
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      // Local test servers use self-signed certificates; ?tls=insecure allows them explicitly.
      tls: url.searchParams.get("tls") === "insecure" ? { rejectUnauthorized: false } : undefined,
      ignoreTLS: url.searchParams.get("tls") === "off",
    });
    cached = { kind: "smtp", transporter, close: () => transporter.close() };
  } else {
    const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
    cached = { kind: "outbox", transporter, close: () => transporter.close() };
  }
  return cached;
}

/** For tests and scripts that change SMTP_URL/OUTBOX_DIR between runs. */
export function resetTransport(): void {
  cached?.close();
  cached = undefined;
}

export function writeToOutbox(raw: Buffer, outboxDir = env().OUTBOX_DIR): string {
  fs.mkdirSync(outboxDir, { recursive: true });
  const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}.eml`;
  const file = path.join(outboxDir, name);
  // Write then rename so a reader never sees half a message.
  fs.writeFileSync(`${file}.tmp`, raw);
  fs.renameSync(`${file}.tmp`, file);
  return file;
}
