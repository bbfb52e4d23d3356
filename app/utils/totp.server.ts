import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

import { decodeBase32IgnorePadding, encodeBase32NoPadding } from "@oslojs/encoding";
import QRCode from "qrcode";

const TOTP_PERIOD_SECONDS = 30;
const TOTP_DIGITS = 6;
const TOTP_SECRET_BYTES = 20;

export const TOTP_ISSUER = "Roundtable";

/** A new shared secret for an authenticator app: 160 random bits, base32 without padding. */
export function generateTotpSecret(): string {
  return encodeBase32NoPadding(randomBytes(TOTP_SECRET_BYTES));
}

export function totpUri({
  secret,
  accountName,
  issuer = TOTP_ISSUER,
}: {
  secret: string;
  accountName: string;
  issuer?: string;
}): string {
  // Key URI format: the label is "issuer:account" and the issuer is repeated as a
  // parameter because some apps read only one of the two.
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`;
  const params = new URLSearchParams({
    secret,
    issuer,
    algorithm: "SHA1",
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD_SECONDS),
  });
  return `otpauth://totp/${label}?${params.toString().replace(/\+/g, "%20")}`;
}

/** RFC 4226 HOTP with HMAC-SHA-1 and dynamic truncation. */
export function hotp(key: Uint8Array, counter: number, digits: number = TOTP_DIGITS): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return binary.toString().padStart(digits, "0");
}

export function totpCounter(now: Date | number = Date.now()): number {
  const ms = typeof now === "number" ? now : now.getTime();
  return Math.floor(ms / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code an authenticator app shows at `now`; for tests and the set-up page's self-check. */
export function totpCode(secret: string, now: Date | number = Date.now()): string {
  return hotp(decodeSecret(secret), totpCounter(now));
}

/**
 * Checks a 6-digit code against the time steps around `now` (±`window`, for clock drift)
 * and returns the matched counter, or null. Callers store the last accepted counter and
 * refuse a code whose counter is not greater, so an observed code cannot be replayed.
 */
export function verifyTotp(
  secret: string,
  code: string,
  { now = Date.now(), window = 1 }: { now?: Date | number; window?: number } = {},
): number | null {
  const normalised = code.replace(/[\s-]/g, "");
  if (!/^\d{6}$/.test(normalised)) return null;
  let key: Uint8Array;
  try {
    key = decodeSecret(secret);
  } catch {
    return null;
  }
  const current = totpCounter(now);
  let matched: number | null = null;
  // Check every step in the window, without stopping early, so timing says nothing about
  // which step matched.
  for (let counter = current - window; counter <= current + window; counter++) {
    if (counter < 0) continue;
    if (constantTimeEqual(hotp(key, counter), normalised) && matched === null) matched = counter;
  }
  return matched;
}

function decodeSecret(secret: string): Uint8Array {
  return decodeBase32IgnorePadding(secret.replace(/\s/g, "").toUpperCase());
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}

// Crockford's base32 alphabet: no i, l, o or u, so codes read aloud or copied from paper
// survive; 32 symbols means every character carries exactly 5 bits, with no modulo bias.
const RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const RECOVERY_GROUP_LENGTH = 5;

/** Ten characters from a 32-symbol alphabet: 50 random bits each, shown as "xxxxx-xxxxx". */
export function generateRecoveryCodes(n: number = 10): string[] {
  return Array.from({ length: n }, generateRecoveryCode);
}

function generateRecoveryCode(): string {
  const bytes = randomBytes(RECOVERY_GROUP_LENGTH * 2);
  const chars = Array.from(bytes, (byte) => RECOVERY_ALPHABET[byte & 31]).join("");
  return `${chars.slice(0, RECOVERY_GROUP_LENGTH)}-${chars.slice(RECOVERY_GROUP_LENGTH)}`;
}

/**
 * Puts what someone typed into the form codes were generated in, so the hash matches:
 * case, spaces and dashes do not matter, and o/i/l are read as 0/1/1 as Crockford intends.
 */
export function normaliseRecoveryCode(input: string): string {
  const chars = input
    .toLowerCase()
    .replace(/[\s-]/g, "")
    .replace(/o/g, "0")
    .replace(/[il]/g, "1");
  if (chars.length !== RECOVERY_GROUP_LENGTH * 2) return chars;
  return `${chars.slice(0, RECOVERY_GROUP_LENGTH)}-${chars.slice(RECOVERY_GROUP_LENGTH)}`;
}

/**
 * SHA-256 is enough (no salt, no slow hash) because every token hashed here is random
 * with at least 50 bits; the database holds only the hash, so a leak reveals no usable token.
 */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** 256 random bits, base64url: session ids and every emailed link token. */
export function generateToken(): string {
  return randomBytes(32).toString("base64url");
}

/** The otpauth URI as an inline SVG QR code with an accessible name. */
export async function qrSvg(
  uri: string,
  title: string = "QR code to scan with your authenticator app",
): Promise<string> {
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  const escapedTitle = escapeXml(title);
  return svg.replace(
    /^<svg\b([^>]*)>/,
    `<svg$1 role="img" aria-label="${escapedTitle}"><title>${escapedTitle}</title>`,
  );
}

function escapeXml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}
