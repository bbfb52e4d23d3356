/** Field rules shared by the accounts forms (client-safe: no server imports). */
import { z } from "zod";

// C0/C1 controls, DEL and Unicode line separators: never part of a name or an address,
// and in an email header a CR/LF could add recipients.
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;

export const NAME_MAX = 100;
export const EMAIL_MAX = 254;
export const JOB_TITLE_MAX = 120;
export const BIO_MAX = 1000;
export const ORGANISATION_NAME_MAX = 150;

export const nameField = z
  .string()
  .refine((v) => !CONTROL.test(v), "Your name must not contain line breaks or control characters")
  .trim()
  .min(1, "Enter your name")
  .max(NAME_MAX, `Your name must be ${NAME_MAX} characters or fewer`);

export const emailField = z
  .string()
  .refine((v) => !CONTROL.test(v), "Enter an email address without line breaks or control characters")
  .trim()
  .min(1, "Enter your email address")
  .max(EMAIL_MAX, `Your email address must be ${EMAIL_MAX} characters or fewer`)
  .regex(/^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\.]+$/, "Enter an email address in the correct format, like name@example.org")
  .transform((v) => v.toLowerCase());

/** Single-line optional text: control characters refused with a message, not silently dropped. */
export function optionalLine(label: string, max: number) {
  return z
    .string()
    .refine((v) => !CONTROL.test(v), `${label} must not contain line breaks or control characters`)
    .trim()
    .max(max, `${label} must be ${max} characters or fewer`)
    .transform((v) => (v === "" ? null : v));
}

/** Multi-line optional text: newlines and tabs allowed, other controls refused. */
export function optionalText(label: string, max: number) {
  return z
    .string()
    .refine((v) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/.test(v), `${label} must not contain control characters`)
    .transform((v) => v.replace(/\r\n?/g, "\n").trim())
    .refine((v) => v.length <= max, `${label} must be ${max} characters or fewer`)
    .transform((v) => (v === "" ? null : v));
}

/** Presence only: the strength rules live on the server (checkPasswordPolicy). */
export const passwordField = z.string().min(1, "Enter a password").max(1024, "Your password must be 128 characters or fewer");
