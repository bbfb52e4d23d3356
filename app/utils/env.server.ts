import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const booleanish = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off", "auto", ""])
  .transform((v) => (v === "" || v === "auto" ? "auto" : ["true", "1", "yes", "on"].includes(v) ? "on" : "off"));

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  APP_URL: z
    .string()
    .optional()
    .refine((v) => !v || /^https?:\/\/[^\s/]+(\/.*)?$/.test(v), "must be an absolute http(s) URL such as https://roundtable.example.org")
    .refine((v) => {
      if (!v) return true;
      try {
        new URL(v);
        return true;
      } catch {
        return false;
      }
    }, "must be an absolute http(s) URL"),
  DATABASE_PATH: z.string().min(1).default("./data/roundtable.db"),
  /** postgres://user:pass@host:5432/db selects PostgreSQL (pooled) instead of the SQLite file. */
  DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => {
      if (!v) return true;
      try {
        return ["postgres:", "postgresql:"].includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, "must look like postgres://user:password@host:5432/roundtable"),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  /**
   * How many page requests the app works on at once, the rest waiting their turn in order
   * (app/utils/page-queue.server.ts). Default: 2 on SQLite, whose queries never wait (one more
   * keeps the processor busy while a page is written out); the pool size on PostgreSQL. 0 turns
   * the queue off.
   */
  PAGE_CONCURRENCY: z.coerce.number().int().min(0).max(1000).optional(),
  SMTP_URL: z
    .string()
    .optional()
    .refine((v) => {
      if (!v) return true;
      try {
        return ["smtp:", "smtps:"].includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, "must look like smtp://user:pass@host:587 or smtps://host:465"),
  MAIL_FROM: z
    .string()
    .default("Roundtable <no-reply@roundtable.localhost>")
    .refine((v) => !/[\r\n]/.test(v) && /^[^<>]*<?[^\s@<>]+@[^\s@<>]+>?$/.test(v), "must be an address such as Roundtable <no-reply@example.org>"),
  /** The platform team's address: problems with the website, accessibility reports (/contact, /accessibility). */
  SUPPORT_EMAIL: z
    .string()
    .default("support@roundtable.localhost")
    .refine((v) => /^[^\s@<>"?&]+@[^\s@<>"?&]+$/.test(v), "must be an email address"),
  OUTBOX_DIR: z.string().min(1).default("./data/outbox"),
  UPLOADS_DIR: z.string().min(1).default("./data/uploads"),
  DEMO_PASSWORD: z.string().optional(),
  SEED_DEMO: booleanish.default("auto"),
  TRUST_PROXY: booleanish.default("off"),
  /** Background jobs on timers inside the server process (off: run them from cron instead). */
  JOBS: booleanish.default("on"),
  /** Lets the calendar import fetch from loopback and private addresses: for tests only (SSRF guard off). */
  ICS_IMPORT_ALLOW_PRIVATE: z.enum(["on", "off"]).default("off"),
  /** How often the server's job sends queued notice emails. */
  NOTIFY_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** How long an event-change email waits for further changes, so a burst of edits is one email. */
  NOTIFY_COALESCE_MINUTES: z.coerce.number().min(0).max(1440).default(10),
  /** Base URL of the postcode service (postcodes.io or anything answering in its format). */
  POSTCODES_API_URL: z
    .string()
    .default("https://api.postcodes.io")
    .refine((v) => {
      try {
        const u = new URL(v);
        return (u.protocol === "https:" || u.protocol === "http:") && !u.username && !u.password && !u.search;
      } catch {
        return false;
      }
    }),
  /** Lets postcode lookups reach a private or loopback address: only for the local stand-in in tests. */
  POSTCODES_ALLOW_PRIVATE: z.enum(["on", "off"]).default("off"),
  /** Map tiles ({z}/{x}/{y}, optionally {s} subdomains) for the "Show on a map" view; "off": no map. */
  MAP_TILE_URL: z
    .string()
    .default("https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    .refine((v) => v === "off" || tileOrigin(v) !== null),
});

/**
 * The origin map tiles come from, for the Content-Security-Policy's img-src ("https://*.tile.example.org"
 * when the URL has {s} subdomains); null when the template is not an http(s) URL with {z}, {x} and {y}.
 */
export function tileOrigin(template: string): string | null {
  if (!["{z}", "{x}", "{y}"].every((p) => template.includes(p))) return null;
  try {
    const u = new URL(template.replace("{s}", "subdomain"));
    if ((u.protocol !== "https:" && u.protocol !== "http:") || u.username || u.password || !/^[a-z0-9.:[\]-]+$/i.test(u.host)) return null;
    return `${u.protocol}//${template.includes("{s}") ? u.host.replace(/^subdomain\./, "*.") : u.host}`;
  } catch {
    return null;
  }
}

export type Env = z.infer<typeof schema> & { APP_URL: string; appOrigin: string; secureCookies: boolean };

export class ConfigError extends Error {}

/** What each variable must look like, in the words the start-up error uses. */
const EXPECTED: Record<string, string> = {
  NODE_ENV: "must be development, production or test",
  HOST: "must be an address to listen on, such as 127.0.0.1 or 0.0.0.0",
  PORT: "must be a port number from 0 to 65535",
  APP_URL: "must be an absolute http(s) URL such as https://roundtable.example.org",
  PAGE_CONCURRENCY: "must be a whole number from 0 (no queue) to 1000",
  SMTP_URL: "must look like smtp://user:pass@host:587 or smtps://host:465",
  MAIL_FROM: "must be an address such as Roundtable <no-reply@example.org>",
  SUPPORT_EMAIL: "must be an email address such as roundtable-support@example.org",
  SEED_DEMO: "must be auto, on or off",
  TRUST_PROXY: "must be on or off",
  JOBS: "must be on or off",
  ICS_IMPORT_ALLOW_PRIVATE: "must be on or off (on only in tests: it lets calendar imports reach private addresses)",
  NOTIFY_INTERVAL_SECONDS: "must be a whole number of seconds from 1 to 3600",
  NOTIFY_COALESCE_MINUTES: "must be a number of minutes from 0 to 1440",
  POSTCODES_API_URL: "must be an http(s) base URL without a query, such as https://api.postcodes.io",
  POSTCODES_ALLOW_PRIVATE: "must be on or off (on only in tests: it lets postcode lookups reach the local stand-in)",
  MAP_TILE_URL: "must be off or an http(s) tile URL with {z}, {x} and {y}, such as https://tile.openstreetmap.org/{z}/{x}/{y}.png",
};

function emptyToUndefined(source: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = source[key];
    out[key] = value === undefined || (value === "" && key !== "SEED_DEMO") ? undefined : value;
  }
  return out;
}

/** Parses configuration; throws ConfigError with one plain line naming the variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = schema.safeParse(emptyToUndefined(source));
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue.path[0] ?? "configuration");
    throw new ConfigError(`Configuration error: ${name} ${EXPECTED[name] ?? issue.message}`);
  }
  const data = result.data;
  const appUrl = (data.APP_URL ?? `http://localhost:${data.PORT}`).replace(/\/+$/, "");
  const origin = new URL(appUrl).origin;
  return { ...data, APP_URL: appUrl, appOrigin: origin, secureCookies: origin.startsWith("https:") };
}

/** Start-up checks that need the file system: fail early with one line, not a stack trace. */
export function checkWritable(env: Env): void {
  const places: Array<[string, string]> = [
    ["DATABASE_PATH", path.dirname(path.resolve(env.DATABASE_PATH))],
    ["OUTBOX_DIR", path.resolve(env.OUTBOX_DIR)],
    ["UPLOADS_DIR", path.resolve(env.UPLOADS_DIR)],
  ];
  for (const [name, dir] of places) {
    if (name === "OUTBOX_DIR" && env.SMTP_URL) continue;
    if (name === "DATABASE_PATH" && env.DATABASE_URL) continue;
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.accessSync(dir, fs.constants.W_OK);
    } catch {
      throw new ConfigError(`Configuration error: ${name} points at ${dir}, which cannot be created or written to`);
    }
  }
}

let cached: Env | undefined;
/** The validated configuration of this process (parsed once). */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

/** The map tile URL template pages hand to the map view, or null when maps are off. */
export function mapTileUrl(): string | null {
  const url = env().MAP_TILE_URL;
  return url === "off" ? null : url;
}
