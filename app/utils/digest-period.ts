/**
 * Digest periods. A period key names one digest: `daily:2026-11-25` or `weekly:2026-W48`.
 * Days and ISO weeks are counted in Europe/London, where the networks are, so a run at
 * 00:30 BST on a Monday already belongs to the new day and week.
 */
export const DIGEST_TIME_ZONE = "Europe/London";

const dateFormat = new Intl.DateTimeFormat("en-GB", { timeZone: DIGEST_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

/** The calendar date in London as {y, m, d}. */
export function londonDate(at: Date): { y: number; m: number; d: number } {
  const parts = Object.fromEntries(dateFormat.formatToParts(at).map((p) => [p.type, p.value]));
  return { y: Number(parts.year), m: Number(parts.month), d: Number(parts.day) };
}

/** ISO-8601 week-numbering year and week of a calendar date. */
export function isoWeek(y: number, m: number, d: number): { year: number; week: number } {
  const date = new Date(Date.UTC(y, m - 1, d));
  const day = date.getUTCDay() || 7; // Monday 1 … Sunday 7
  date.setUTCDate(date.getUTCDate() + 4 - day); // the Thursday of this week decides the year
  const year = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return { year, week };
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

export function periodKey(frequency: "daily" | "weekly", at: Date): string {
  const { y, m, d } = londonDate(at);
  if (frequency === "daily") return `daily:${y}-${pad(m)}-${pad(d)}`;
  const { year, week } = isoWeek(y, m, d);
  return `weekly:${year}-W${pad(week)}`;
}

export function isPeriodKey(value: string): boolean {
  return /^daily:\d{4}-\d{2}-\d{2}$/.test(value) || /^weekly:\d{4}-W\d{2}$/.test(value);
}

/** How far back a first digest looks when there is no previous one. */
export function firstDigestSince(frequency: "daily" | "weekly", at: Date): string {
  return new Date(at.getTime() - (frequency === "daily" ? 1 : 7) * 86_400_000).toISOString();
}

/**
 * Whether a subscription is due a digest now: active, not switched off, and nothing recorded
 * for the current period yet (a new subscriber is due at the very next run).
 */
export function isDue(
  sub: { status: string; frequency: string; last_period: string | null },
  at: Date,
  recordedPeriods: ReadonlySet<string> = new Set(),
): boolean {
  if (sub.status !== "active") return false;
  if (sub.frequency !== "daily" && sub.frequency !== "weekly") return false;
  const key = periodKey(sub.frequency, at);
  return sub.last_period !== key && !recordedPeriods.has(key);
}

/** Exponential back-off for temporary SMTP failures: 5, 10, 20, 40 … minutes, at most 6 hours. */
export function retryDelayMs(attempts: number, baseMs = 5 * 60_000): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 6 * 3600_000);
}
