// Recurring events in the event's own IANA time zone, with no dependency but Intl.
//
// Everything here works on *wall-clock* time ("20:00 in London") because that is what
// organisers mean and what RFC 5545 recurrence rules describe when DTSTART carries a
// TZID: Social Prescribing Hour stays at 20:00 UK time, so it is 20:00Z in winter (GMT)
// and 19:00Z in summer (BST). Instants (Date) only appear at the edges.

export const DEFAULT_TIME_ZONE = "Europe/London";
/** Sanity bounds: a year outside these is a typing slip ("dates centuries away"). */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;
export const MAX_COUNT = 520;
export const MAX_RECURRENCE_YEARS = 5;

export type RecurrenceFrequency = "weekly" | "fortnightly" | "monthly-weekday";

/**
 * How an event repeats. The weekday (and for "monthly-weekday" the week of the month)
 * comes from the first occurrence. COUNT includes the first occurrence (RFC 5545 §3.3.10).
 */
export type Recurrence = {
  freq: RecurrenceFrequency;
  /** Last local date on which an occurrence may fall, inclusive: "YYYY-MM-DD". */
  until?: string;
  count?: number;
};

export type WallTime = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
};

export type Occurrence = {
  /** Actual local start "YYYY-MM-DDTHH:mm" (differs from recurrenceId only in a spring-forward gap). */
  occurrenceStartLocal: string;
  startUtc: Date;
  endUtc: Date;
  /** Nominal local start from the rule, "YYYY-MM-DDTHH:mm": the RECURRENCE-ID of this instance. */
  recurrenceId: string;
};

export type ExpandOptions = {
  /** "YYYY-MM-DDTHH:mm" for timed events, "YYYY-MM-DD" for all-day ones. */
  startLocal: string;
  /** Timed: local end. All-day: the last day of the event, inclusive. */
  endLocal: string;
  timeZone: string;
  recurrence?: Recurrence | null;
  /** Occurrences overlapping [from, to) are returned. */
  from: Date;
  to: Date;
  limit?: number;
};

export type RecurrenceCheck = {
  /** Problems that make the recurrence impossible; show them and refuse to save. */
  errors: string[];
  /** Things the organiser should know, but which do not stop the save. */
  notes: string[];
};

const DEFAULT_LIMIT = 1000;
const DAY_MS = 86_400_000;
// A hard stop for rules with neither COUNT nor UNTIL: a weekly series over the whole
// MIN_YEAR..MAX_YEAR range, so a window far in the future can never loop forever.
const MAX_ITERATIONS = (MAX_YEAR - MIN_YEAR + 1) * 53;

const WEEKDAY_CODES = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"] as const;
const WEEKDAY_NAMES = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
];
const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

const LOCAL_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:mm" or "YYYY-MM-DDTHH:mm:ss"; undefined if not a real date. */
export function parseLocal(localIso: string): WallTime | undefined {
  const m = LOCAL_PATTERN.exec(localIso);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m
    .slice(1)
    .map((part) => Number(part ?? "0"));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return { year, month, day, hour, minute, second };
}

export function isDateOnly(localIso: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(localIso);
}

export function formatLocal(w: WallTime): string {
  return `${formatLocalDate(w)}T${pad(w.hour)}:${pad(w.minute)}`;
}

export function formatLocalDate(
  w: Pick<WallTime, "year" | "month" | "day">
): string {
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant at which a local wall-clock time happens in `timeZone`.
 * Both edge cases follow RFC 5545 §3.3.5, so we agree with calendar clients reading our feeds:
 * - Ambiguous times (the repeated hour when clocks go back) mean the first occurrence:
 *   01:30 on the last Sunday of October is 01:30 BST (00:30Z).
 * - Non-existent times (the skipped hour when clocks go forward) are read with the offset
 *   in force before the gap, which shifts them forward:
 *   01:30 on the last Sunday of March becomes 02:30 BST (01:30Z).
 */
export function localToUtc(localIso: string, timeZone: string): Date {
  const wall = parseLocal(localIso);
  if (!wall)
    throw new RangeError(`"${localIso}" is not a valid local date and time.`);
  return wallTimeToUtc(wall, timeZone);
}

/** Local wall-clock time "YYYY-MM-DDTHH:mm" of an instant in `timeZone`. */
export function utcToLocal(date: Date, timeZone: string): string {
  return formatLocal(wallTimeAt(date.getTime(), timeZone));
}

export function wallTimeToUtc(wall: WallTime, timeZone: string): Date {
  const asIfUtc = civilToMs(wall);
  // Offsets a day either side bracket any transition (they happen at most once a day).
  const before = offsetMs(asIfUtc - DAY_MS, timeZone);
  const after = offsetMs(asIfUtc + DAY_MS, timeZone);
  const matches = [...new Set([before, after])]
    .map((offset) => asIfUtc - offset)
    .filter((t) => sameWallTime(wallTimeAt(t, timeZone), wall))
    .sort((a, b) => a - b);
  return new Date(matches.length > 0 ? matches[0] : asIfUtc - before);
}

/** The RFC 5545 RRULE value (without the "RRULE:" name) for a recurrence starting at dtstartLocal. */
export function toRRule(
  rec: Recurrence,
  dtstartLocal: string,
  timeZone: string = DEFAULT_TIME_ZONE
): string {
  const start = parseLocal(dtstartLocal);
  if (!start)
    throw new RangeError(
      `"${dtstartLocal}" is not a valid local date and time.`
    );
  const weekday = WEEKDAY_CODES[dayOfWeek(start)];
  const parts: string[] = [];
  if (rec.freq === "weekly") parts.push("FREQ=WEEKLY", `BYDAY=${weekday}`);
  if (rec.freq === "fortnightly")
    parts.push("FREQ=WEEKLY", "INTERVAL=2", `BYDAY=${weekday}`);
  if (rec.freq === "monthly-weekday")
    parts.push("FREQ=MONTHLY", `BYDAY=${monthlyOrdinal(start)}${weekday}`);
  if (rec.count !== undefined) parts.push(`COUNT=${rec.count}`);
  if (rec.until !== undefined)
    parts.push(`UNTIL=${formatUntil(rec.until, dtstartLocal, timeZone)}`);
  return parts.join(";");
}

/**
 * The week of the month used by "monthly-weekday": 1..4, or -1 ("last") for a fifth
 * weekday, because most months have no fifth Wednesday and the series would skip them.
 */
export function monthlyOrdinal(start: Pick<WallTime, "day">): number {
  const ordinal = Math.ceil(start.day / 7);
  return ordinal === 5 ? -1 : ordinal;
}

/**
 * Occurrences overlapping [from, to), in order, keeping the local start time constant
 * across clock changes. Timed events keep the exact duration of the first occurrence
 * (RFC 5545 §3.8.5.3, as calendar clients do); all-day events keep their number of days.
 */
export function expandOccurrences(options: ExpandOptions): Occurrence[] {
  const { startLocal, endLocal, timeZone, recurrence, from, to } = options;
  const limit = options.limit ?? DEFAULT_LIMIT;
  const start = parseLocal(startLocal);
  const end = parseLocal(endLocal);
  if (!start || !end)
    throw new RangeError("The event needs a valid start and end.");
  const allDay = isDateOnly(startLocal);
  const spanDays = allDay ? daysBetween(start, end) + 1 : 0;
  const durationMs = allDay
    ? 0
    : wallTimeToUtc(end, timeZone).getTime() -
      wallTimeToUtc(start, timeZone).getTime();
  if (spanDays < 0 || durationMs < 0)
    throw new RangeError("The event ends before it starts.");

  // Skip straight to the occurrences near `from`: a weekly series that began years ago would
  // otherwise convert every past occurrence to UTC just to discard it (list pages and feeds
  // expand hundreds of series per request). Two days of slack cover any UTC offset.
  const earliestCivil =
    civilToMs(wallTimeAt(from.getTime(), "UTC")) -
    durationMs -
    spanDays * DAY_MS -
    2 * DAY_MS;
  const found: Occurrence[] = [];
  for (const nominal of nominalStarts(
    start,
    recurrence ?? null,
    firstIndexNear(start, recurrence ?? null, earliestCivil)
  )) {
    if (found.length >= limit) break;
    const startUtc = wallTimeToUtc(nominal, timeZone);
    if (startUtc.getTime() >= to.getTime()) break;
    const endUtc = allDay
      ? wallTimeToUtc(addDays(nominal, spanDays), timeZone)
      : new Date(startUtc.getTime() + durationMs);
    const overlaps =
      endUtc.getTime() > from.getTime() || startUtc.getTime() >= from.getTime();
    if (!overlaps) continue;
    found.push({
      occurrenceStartLocal: utcToLocal(startUtc, timeZone),
      startUtc,
      endUtc,
      recurrenceId: formatLocal(nominal),
    });
  }
  return found;
}

/**
 * Whether `recurrenceIdLocal` is an occurrence the rule generates. A stored exception can go
 * stale when an organiser moves the series to another weekday; publishing it would make some
 * clients show a phantom extra event, so callers drop exceptions that fail this test.
 */
export function isOccurrence(options: {
  startLocal: string;
  recurrence?: Recurrence | null;
  recurrenceIdLocal: string;
}): boolean {
  const start = parseLocal(options.startLocal);
  const target = parseLocal(options.recurrenceIdLocal);
  if (!start || !target) return false;
  const wanted = civilToMs(target);
  for (const nominal of nominalStarts(start, options.recurrence ?? null)) {
    const at = civilToMs(nominal);
    if (at === wanted) return true;
    if (at > wanted) return false;
  }
  return false;
}

/** Plain-English problems with a recurrence, for the event form. */
export function validateRecurrence(options: {
  startLocal: string;
  timeZone?: string;
  recurrence?: Recurrence | null;
}): RecurrenceCheck {
  const errors: string[] = [];
  const notes: string[] = [];
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  if (!isValidTimeZone(timeZone))
    errors.push(`"${timeZone}" is not a time zone we recognise.`);

  const start = parseLocal(options.startLocal);
  if (!start) {
    errors.push(
      "Enter the start as a real date and time, for example 2026-01-07T20:00."
    );
    return { errors, notes };
  }
  if (!yearInRange(start.year))
    errors.push(centuriesAwayMessage("start date", start.year));

  const rec = options.recurrence;
  if (!rec) return { errors, notes };

  if (!["weekly", "fortnightly", "monthly-weekday"].includes(rec.freq)) {
    errors.push(
      "Choose how often the event repeats: weekly, fortnightly or monthly."
    );
  }
  // RFC 5545 §3.3.10: COUNT and UNTIL MUST NOT occur in the same rule.
  if (rec.count !== undefined && rec.until !== undefined) {
    errors.push(
      "Choose either how many times the event repeats or the date it stops, not both."
    );
  }
  if (
    rec.count !== undefined &&
    (!Number.isInteger(rec.count) || rec.count < 1 || rec.count > MAX_COUNT)
  ) {
    errors.push(
      `The number of times the event happens must be a whole number from 1 to ${MAX_COUNT}.`
    );
  }
  if (rec.until !== undefined) errors.push(...untilErrors(rec.until, start));

  if (rec.freq === "monthly-weekday" && Math.ceil(start.day / 7) === 5) {
    const weekday = WEEKDAY_NAMES[dayOfWeek(start)];
    notes.push(
      `${describeDate(start)} is the fifth ${weekday} of ${
        MONTH_NAMES[start.month - 1]
      }. ` +
        `Most months have only four, so the event will repeat on the last ${weekday} of each month.`
    );
  }
  return { errors, notes };
}

function untilErrors(until: string, start: WallTime): string[] {
  const untilDate = isDateOnly(until) ? parseLocal(until) : undefined;
  if (!untilDate)
    return [
      "Enter the date repeats stop as a real date, for example 2026-12-16.",
    ];
  if (!yearInRange(untilDate.year))
    return [centuriesAwayMessage("date repeats stop", untilDate.year)];
  const errors: string[] = [];
  if (formatLocalDate(untilDate) < formatLocalDate(start)) {
    errors.push(
      `The date repeats stop (${describeDate(
        untilDate
      )}) is before the first event (${describeDate(start)}).`
    );
  }
  const latest = addYears(start, MAX_RECURRENCE_YEARS);
  if (formatLocalDate(untilDate) > formatLocalDate(latest)) {
    errors.push(
      `Events can repeat for up to ${MAX_RECURRENCE_YEARS} years. Choose a stop date on or before ${describeDate(
        latest
      )}.`
    );
  }
  return errors;
}

/** Nominal local starts of the series, lazily, honouring COUNT and UNTIL. */
function* nominalStarts(
  start: WallTime,
  rec: Recurrence | null,
  firstIndex = 0
): Generator<WallTime> {
  if (!rec) {
    yield start;
    return;
  }
  const untilDate = rec.until ? parseLocal(rec.until) : undefined;
  const until = untilDate ? formatLocalDate(untilDate) : undefined;
  const max = Math.min(rec.count ?? MAX_ITERATIONS, MAX_ITERATIONS);
  const ordinal = monthlyOrdinal(start);
  const weekday = dayOfWeek(start);
  for (let i = firstIndex; i < max; i++) {
    const next =
      rec.freq === "monthly-weekday"
        ? {
            ...nthWeekdayOfMonth(start.year, start.month + i, weekday, ordinal),
            hour: start.hour,
            minute: start.minute,
            second: start.second,
          }
        : addDays(start, i * (rec.freq === "fortnightly" ? 14 : 7));
    if (until !== undefined && formatLocalDate(next) > until) return;
    yield next;
  }
}

/** An index of the series at or before the first occurrence starting at or after `civilMs`. */
function firstIndexNear(
  start: WallTime,
  rec: Recurrence | null,
  civilMs: number
): number {
  if (!rec) return 0;
  const startMs = civilToMs(start);
  if (civilMs <= startMs) return 0;
  if (rec.freq === "monthly-weekday") {
    const d = new Date(civilMs);
    const months =
      (d.getUTCFullYear() - start.year) * 12 +
      (d.getUTCMonth() + 1 - start.month);
    return Math.max(0, months - 1);
  }
  const stepMs = (rec.freq === "fortnightly" ? 14 : 7) * DAY_MS;
  return Math.max(0, Math.floor((civilMs - startMs) / stepMs) - 1);
}

function nthWeekdayOfMonth(
  year: number,
  monthUnbounded: number,
  weekday: number,
  ordinal: number
) {
  const first = new Date(Date.UTC(year, monthUnbounded - 1, 1));
  const y = first.getUTCFullYear();
  const month = first.getUTCMonth() + 1;
  if (ordinal > 0) {
    const firstMatch = 1 + ((weekday - first.getUTCDay() + 7) % 7);
    return { year: y, month, day: firstMatch + 7 * (ordinal - 1) };
  }
  const last = daysInMonth(y, month);
  const lastDow = new Date(Date.UTC(y, month - 1, last)).getUTCDay();
  return { year: y, month, day: last - ((lastDow - weekday + 7) % 7) };
}

// UNTIL must be UTC when DTSTART has a TZID, and a DATE when DTSTART is a DATE
// (RFC 5545 §3.3.10). We stop at the end of the local day so the whole day counts.
function formatUntil(
  until: string,
  dtstartLocal: string,
  timeZone: string
): string {
  const date = parseLocal(until);
  if (!date) throw new RangeError(`"${until}" is not a valid date.`);
  if (isDateOnly(dtstartLocal))
    return formatLocalDate(date).replaceAll("-", "");
  const instant = wallTimeToUtc(
    { ...date, hour: 23, minute: 59, second: 59 },
    timeZone
  );
  return instant
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function wallTimeAt(epochMs: number, timeZone: string): WallTime {
  const fields = new Map(
    formatterFor(timeZone)
      .formatToParts(new Date(epochMs))
      .map((p) => [p.type, Number(p.value)])
  );
  const field = (name: Intl.DateTimeFormatPartTypes) => fields.get(name) ?? 0;
  return {
    year: field("year"),
    month: field("month"),
    day: field("day"),
    hour: field("hour"),
    minute: field("minute"),
    second: field("second"),
  };
}

function offsetMs(epochMs: number, timeZone: string): number {
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  return civilToMs(wallTimeAt(wholeSecond, timeZone)) - wholeSecond;
}

function civilToMs(w: WallTime): number {
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0..99 to 1900..1999.
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, 0);
  return d.getTime();
}

function sameWallTime(a: WallTime, b: WallTime): boolean {
  return civilToMs(a) === civilToMs(b);
}

function addDays(w: WallTime, days: number): WallTime {
  const d = new Date(civilToMs(w) + days * DAY_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: w.hour,
    minute: w.minute,
    second: w.second,
  };
}

function addYears(w: WallTime, years: number): WallTime {
  const year = w.year + years;
  return { ...w, year, day: Math.min(w.day, daysInMonth(year, w.month)) };
}

function daysBetween(a: WallTime, b: WallTime): number {
  const dateOnly = (w: WallTime) =>
    civilToMs({ ...w, hour: 0, minute: 0, second: 0 });
  return Math.round((dateOnly(b) - dateOnly(a)) / DAY_MS);
}

function dayOfWeek(w: Pick<WallTime, "year" | "month" | "day">): number {
  return new Date(
    civilToMs({ ...w, hour: 0, minute: 0, second: 0 })
  ).getUTCDay();
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function yearInRange(year: number): boolean {
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

function centuriesAwayMessage(what: string, year: number): string {
  return `The ${what} is in ${year}. Dates centuries away are usually a typing slip: use a year from ${MIN_YEAR} to ${MAX_YEAR}.`;
}

/** "Wednesday 7 January 2026", built by hand so it does not depend on the ICU version. */
export function describeDate(
  w: Pick<WallTime, "year" | "month" | "day">
): string {
  return `${WEEKDAY_NAMES[dayOfWeek(w)]} ${w.day} ${MONTH_NAMES[w.month - 1]} ${
    w.year
  }`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}
