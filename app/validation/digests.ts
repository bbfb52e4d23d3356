import { z } from "zod";
import { TOPIC_VALUES } from "~/utils/vocab";

/** Client-safe schemas for the digest forms. */

// A practical address check: one @, no spaces or control characters (CR/LF would inject headers),
// a dot in the domain, within RFC 5321's length limits.
const EMAIL = /^[^\s@<>()[\],;:"\\\u0000-\u001f\u007f]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export const emailField = z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, "Enter your email address")
      .max(254, "Enter an email address of 254 characters or fewer")
      .refine((s) => !/[\r\n]/.test(s), "Enter an email address on one line, like name@example.org")
      .refine((s) => EMAIL.test(s) && s.split("@")[0].length <= 64, "Enter an email address in the correct format, like name@example.org"),
  );

const topics = z
  .array(z.string())
  .max(TOPIC_VALUES.length, "Choose fewer topics")
  .refine((arr) => arr.every((t) => (TOPIC_VALUES as readonly string[]).includes(t)), "Choose topics from the list");

const networkIds = z
  .array(z.string().regex(/^[1-9][0-9]{0,9}$/, "Choose networks from the list"))
  .max(50, "Choose fewer networks")
  .transform((arr) => [...new Set(arr.map(Number))]);

export const signUpSchema = z.object({
  email: emailField,
  frequency: z.enum(["daily", "weekly"], { error: "Choose how often you want the digest" }),
  networkIds,
  topics,
  consent: z.literal("yes", { error: "Tick the box to agree to receive the digest" }),
});

export const preferencesSchema = z.object({
  frequency: z.enum(["daily", "weekly", "off"], { error: "Choose how often you want the digest" }),
  networkIds,
  topics,
  includeFollows: z.enum(["yes"]).optional(),
});
