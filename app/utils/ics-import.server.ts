// Reads a partner's iCalendar feed (RFC 5545) into the shape of our events, with no database
// and no network: the import job fetches, this maps, the calendar-import model writes.
//
// Everything we store is UK wall-clock time (Europe/London), as every Roundtable event is.
// Source times are turned into instants first, whichever way the feed names its zone:
// an IANA name, a Windows name ("GMT Standard Time", as Outlook writes it), a zone defined
// by the feed's own VTIMEZONE, UTC ("Z"), or floating (X-WR-TIMEZONE if the feed gives one,
// else UK time). A repeat rule maps onto our recurrence model (app/utils/recurrence.ts) when
// it is one we can represent exactly (weekly, fortnightly, monthly on the nth weekday, in UK
// time or all-day); any other rule is expanded into single events, bounded in count, in time
// and in iterations, so a rule that would repeat forever costs no more than a plain one.
// ical.js itself can spin inside one step on a rule no date satisfies, which is why the job
// runs this module in a worker thread with a time limit (ics-import-worker.mjs).

import ICAL from "ical.js";
import { createHash } from "node:crypto";
import { cleanMultiline, cleanSingleLine, isHttpUrl } from "./text";
import { DEFAULT_TIME_ZONE, MAX_COUNT, formatLocal, isOccurrence, isValidTimeZone, localToUtc, monthlyOrdinal, parseLocal, utcToLocal, type Recurrence } from "./recurrence";
import { WINDOWS_ZONES } from "./windows-zones";
import { DESCRIPTION_MAX, TITLE_MAX, VENUE_MAX } from "../validation/events";

/** At most this many events are taken from one feed (soonest first). */
export const MAX_ITEMS = 1000;
/** A rule we cannot map is expanded into at most this many single events… */
export const MAX_EXPANDED = 100;
/** …that start within this many days from now… */
export const EXPAND_DAYS = 366;
/** …after at most this many steps of the rule (a rule that matches rarely or never stops here). */
export const MAX_RULE_STEPS = 5000;
/** Events that ended longer ago than this are not imported. */
export const PAST_DAYS = 30;

const DAY_MS = 86_400_000;
const LONDON_ALIASES = new Set(["Europe/London", "GB", "GB-Eire", "Europe/Belfast"]);

export type ImportedOverride = { recurrenceIdLocal: string; cancelled: boolean; startLocal: string | null; endLocal: string | null };

export type ImportedItem = {
  /** The source's UID, or "UID#<UTC start>" for one date of a series we expanded. */
  key: string;
  title: string;
  /** Plain text, with Markdown characters escaped so it shows as written. */
  description: string;
  /** UK wall-clock time: "YYYY-MM-DDTHH:mm", or "YYYY-MM-DD" with an inclusive end for all-day events. */
  startLocal: string;
  endLocal: string;
  allDay: boolean;
  recurrence: Recurrence | null;
  overrides: ImportedOverride[];
  venue: string | null;
  onlineUrl: string | null;
  url: string | null;
  cancelled: boolean;
  /** Changes whenever anything we store changes: the import writes only when it does. */
  hash: string;
};

export type ParseOptions = { now: Date; keywords?: string[] };

export type ParseResult =
  | { ok: true; calendarName: string | null; items: ImportedItem[]; skipped: number; notes: string[] }
  | { ok: false; error: string };

type Instant = { allDay: true; date: string } | { allDay: false; instant: Date; wall: string; zone: Zone };
/** How a source wall-clock time becomes an instant. */
type Zone = { kind: "iana"; name: string } | { kind: "utc" } | { kind: "vtimezone"; tz: ICAL.Timezone };

type Context = { vtimezones: Map<string, ICAL.Timezone>; floating: string; notes: Set<string> };

/** Looks like a calendar and parses, or says in plain words why not. */
export function parseCalendar(text: string, options: ParseOptions): ParseResult {
  const head = text.replace(/^\uFEFF/, "").trimStart().slice(0, 200);
  if (/^<(?:!doctype|html|\?xml|head|body)/i.test(head)) {
    return { ok: false, error: "The address returned a web page, not a calendar. Check that you copied the calendar's iCal (.ics) link rather than the page that shows it." };
  }
  if (!/^BEGIN:VCALENDAR/i.test(head)) {
    return { ok: false, error: "The address did not return a calendar (an iCal file starts with BEGIN:VCALENDAR)." };
  }
  let root: ICAL.Component;
  try {
    const jcal: unknown = ICAL.parse(text);
    // Several calendars concatenated come back as a list of them: take the first.
    const first = Array.isArray(jcal) && Array.isArray(jcal[0]) ? jcal[0] : jcal;
    root = new ICAL.Component(first as unknown[]);
  } catch (error) {
    return { ok: false, error: `The calendar could not be read: ${error instanceof Error ? error.message.split("\n")[0].slice(0, 200) : "it is not valid iCalendar"}.` };
  }
  if (root.name !== "vcalendar") return { ok: false, error: "The address did not return a calendar (no VCALENDAR)." };

  const notes = new Set<string>();
  const vtimezones = new Map<string, ICAL.Timezone>();
  for (const vtz of root.getAllSubcomponents("vtimezone")) {
    const tzid = String(vtz.getFirstPropertyValue("tzid") ?? "");
    if (!tzid) continue;
    try {
      vtimezones.set(tzid, new ICAL.Timezone({ component: vtz, tzid }));
    } catch {
      notes.add(`The time zone "${tzid.slice(0, 60)}" defined in the calendar could not be read.`);
    }
  }
  const wr = stringProp(root, "x-wr-timezone");
  const floating = wr && ianaZone(wr) ? ianaZone(wr)! : DEFAULT_TIME_ZONE;
  const ctx: Context = { vtimezones, floating, notes };

  // Group VEVENTs by UID: the master (with RRULE) and its RECURRENCE-ID exceptions.
  const groups = new Map<string, { master?: ICAL.Component; exceptions: ICAL.Component[] }>();
  let skipped = 0;
  for (const ve of root.getAllSubcomponents("vevent")) {
    const uid = cleanSingleLine(stringProp(ve, "uid") ?? "", 500);
    if (!uid) {
      skipped++;
      notes.add("Some events had no UID, so they could not be kept up to date and were skipped.");
      continue;
    }
    const group = groups.get(uid) ?? { exceptions: [] };
    if (ve.getFirstProperty("recurrence-id")) group.exceptions.push(ve);
    else group.master = ve;
    groups.set(uid, group);
  }

  const keywords = (options.keywords ?? []).map((k) => k.toLowerCase()).filter(Boolean);
  const pastLimit = options.now.getTime() - PAST_DAYS * DAY_MS;
  const items: Array<ImportedItem & { sortKey: string }> = [];
  for (const [uid, group] of groups) {
    let mapped: Array<ImportedItem & { sortKey: string; lastEnd: number }>;
    try {
      mapped = mapGroup(uid, group, ctx, options.now);
    } catch (error) {
      skipped++;
      notes.add(`Some events could not be read and were skipped (${error instanceof Error ? error.message.slice(0, 120) : "unreadable"}).`);
      continue;
    }
    for (const item of mapped) {
      if (item.lastEnd < pastLimit) continue;
      if (keywords.length && !keywords.some((k) => `${item.title}\n${item.description}\n${item.venue ?? ""}`.toLowerCase().includes(k))) continue;
      const { lastEnd: _lastEnd, ...rest } = item;
      items.push(rest);
    }
  }
  items.sort((a, b) => a.sortKey.localeCompare(b.sortKey));
  if (items.length > MAX_ITEMS) {
    notes.add(`The calendar has ${items.length} events; only the first ${MAX_ITEMS} are imported.`);
    items.length = MAX_ITEMS;
  }
  const calendarName = stringProp(root, "x-wr-calname");
  return {
    ok: true,
    calendarName: calendarName ? cleanSingleLine(calendarName, 100) || null : null,
    items: items.map(({ sortKey: _sortKey, ...item }) => item),
    skipped,
    notes: [...notes],
  };
}

// ---------------------------------------------------------------- time zones

/** The IANA zone for a TZID an exporter wrote: IANA itself, a Windows name, or a prefixed IANA name. */
export function ianaZone(tzid: string): string | undefined {
  const name = tzid.trim().replace(/^"|"$/g, "");
  if (!name) return undefined;
  const windows = WINDOWS_ZONES[name] ?? Object.entries(WINDOWS_ZONES).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  if (windows) return windows;
  if ((name.includes("/") || name === "UTC" || name === "GMT") && !name.startsWith("/") && isValidTimeZone(name)) return name;
  // "/mozilla.org/20070129_1/Europe/London", "/citadel.org/20190914_1/Europe/London": the tail is IANA.
  const parts = name.split("/").filter(Boolean);
  for (let i = Math.max(0, parts.length - 3); i < parts.length - 1; i++) {
    const candidate = parts.slice(i).join("/");
    if (/^[A-Z][A-Za-z_+-]+\/[A-Za-z_+-]/.test(candidate) && isValidTimeZone(candidate)) return candidate;
  }
  return undefined;
}

function zoneFor(tzid: string | undefined, ctx: Context, isUtc: boolean): Zone {
  if (isUtc) return { kind: "utc" };
  if (!tzid) return { kind: "iana", name: ctx.floating };
  const iana = ianaZone(tzid);
  if (iana) return { kind: "iana", name: iana };
  const defined = ctx.vtimezones.get(tzid);
  if (defined) return { kind: "vtimezone", tz: defined };
  ctx.notes.add(`The time zone "${cleanSingleLine(tzid, 60)}" is not one we know; those times were read as UK time.`);
  return { kind: "iana", name: DEFAULT_TIME_ZONE };
}

function wallToInstant(wall: string, zone: Zone): Date {
  if (zone.kind === "utc") return new Date(`${wall}Z`);
  if (zone.kind === "iana") return localToUtc(wall.slice(0, 16), zone.name);
  const w = parseLocal(wall)!;
  const t = ICAL.Time.fromData({ year: w.year, month: w.month, day: w.day, hour: w.hour, minute: w.minute, second: w.second, isDate: false }, zone.tz);
  return new Date(t.toUnixTime() * 1000);
}

/** jCal values: "2026-12-02", "2026-12-02T20:00:00", "2026-12-02T20:00:00Z". */
function readTime(value: string, tzid: string | undefined, ctx: Context): Instant {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}:\d{2})(Z)?)?$/.exec(value);
  if (!m || !parseLocal(m[1])) throw new Error(`"${value.slice(0, 40)}" is not a date`);
  if (!m[2]) return { allDay: true, date: m[1] };
  const wall = `${m[1]}T${m[2]}`;
  if (!parseLocal(wall)) throw new Error(`"${value.slice(0, 40)}" is not a time`);
  const zone = zoneFor(tzid, ctx, Boolean(m[3]));
  return { allDay: false, instant: wallToInstant(wall, zone), wall, zone };
}

function propTime(prop: ICAL.Property | null, ctx: Context): Instant | undefined {
  if (!prop) return undefined;
  const value = prop.toJSON()[3];
  if (typeof value !== "string") return undefined;
  const tzid = prop.getParameter("tzid");
  return readTime(value, typeof tzid === "string" ? tzid : undefined, ctx);
}

function propTimes(props: ICAL.Property[], ctx: Context): Instant[] {
  const out: Instant[] = [];
  for (const prop of props) {
    const tzid = prop.getParameter("tzid");
    for (const value of prop.toJSON().slice(3)) {
      if (typeof value === "string") out.push(readTime(value, typeof tzid === "string" ? tzid : undefined, ctx));
    }
  }
  return out;
}

const london = (d: Date) => utcToLocal(d, DEFAULT_TIME_ZONE);
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

// ---------------------------------------------------------------- events

type Times = { allDay: boolean; startLocal: string; endLocal: string; startUtc: Date; endUtc: Date };

/** Start and end of one VEVENT in UK time; DTEND, else DURATION, else RFC 5545's defaults. */
function eventTimes(ve: ICAL.Component, ctx: Context): { start: Instant; times: Times } {
  const start = propTime(ve.getFirstProperty("dtstart"), ctx);
  if (!start) throw new Error("an event has no start");
  const end = propTime(ve.getFirstProperty("dtend"), ctx);
  const durationValue = ve.getFirstPropertyValue("duration");
  const durationSeconds = durationValue instanceof ICAL.Duration ? durationValue.toSeconds() : undefined;
  if (start.allDay) {
    const endExclusive = end?.allDay ? end.date : durationSeconds !== undefined ? addDays(start.date, Math.max(1, Math.round(durationSeconds / 86400))) : addDays(start.date, 1);
    const lastDay = endExclusive > start.date ? addDays(endExclusive, -1) : start.date;
    return { start, times: { allDay: true, startLocal: start.date, endLocal: lastDay, startUtc: localToUtc(start.date, DEFAULT_TIME_ZONE), endUtc: localToUtc(addDays(lastDay, 1), DEFAULT_TIME_ZONE) } };
  }
  let endUtc = end && !end.allDay ? end.instant : new Date(start.instant.getTime() + (durationSeconds ?? 0) * 1000);
  if (endUtc.getTime() < start.instant.getTime()) endUtc = start.instant;
  return { start, times: { allDay: false, startLocal: london(start.instant), endLocal: london(endUtc), startUtc: start.instant, endUtc } };
}

function stringProp(comp: ICAL.Component, name: string): string | undefined {
  const v = comp.getFirstPropertyValue(name);
  return typeof v === "string" ? v : v === null || v === undefined ? undefined : String(v);
}

/** Plain text for a Markdown field: HTML some exporters put in DESCRIPTION becomes text, and Markdown's characters are escaped. */
export function plainDescription(raw: string): string {
  let text = raw;
  if (/<\/?(?:p|br|div|b|i|a|ul|li|span|strong|em)\b/i.test(text)) {
    text = text
      .replace(/<(?:br|\/p|\/div|\/li)\b[^>]*>/gi, "\n")
      .replace(/<li\b[^>]*>/gi, "• ")
      .replace(/<[^>]*>/g, "")
      .replace(/&nbsp;/g, " ")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#39;|&apos;/g, "'")
      .replace(/&amp;/g, "&");
  }
  text = cleanMultiline(text).replace(/\n{3,}/g, "\n\n");
  return text.replace(/([\\`*_[\]<>#|~])/g, "\\$1").slice(0, DESCRIPTION_MAX);
}

function details(ve: ICAL.Component) {
  const title = cleanSingleLine(stringProp(ve, "summary") ?? "", TITLE_MAX) || "Untitled event";
  const description = plainDescription(stringProp(ve, "description") ?? "");
  const location = cleanSingleLine(stringProp(ve, "location") ?? "", 2000);
  const rawUrl = (stringProp(ve, "url") ?? "").trim();
  const url = rawUrl && isHttpUrl(rawUrl) && rawUrl.length <= 2000 ? rawUrl : null;
  const locationIsUrl = location !== "" && isHttpUrl(location);
  return {
    title,
    description,
    venue: location && !locationIsUrl ? cleanSingleLine(location, VENUE_MAX) : null,
    onlineUrl: locationIsUrl ? location : null,
    url,
    cancelled: (stringProp(ve, "status") ?? "").toUpperCase() === "CANCELLED",
  };
}

function hashOf(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 32);
}

function finish(key: string, body: Omit<ImportedItem, "key" | "hash">, lastEnd: number): ImportedItem & { sortKey: string; lastEnd: number } {
  return { key, ...body, hash: hashOf(body), sortKey: `${body.startLocal}\u0000${key}`, lastEnd };
}

function mapGroup(uid: string, group: { master?: ICAL.Component; exceptions: ICAL.Component[] }, ctx: Context, now: Date) {
  const out: Array<ImportedItem & { sortKey: string; lastEnd: number }> = [];
  if (!group.master) {
    // Exceptions whose series is not in the feed: each is a single event of its own.
    for (const ex of group.exceptions) out.push(single(`${uid}#${ridKey(ex, ctx)}`, ex, ctx));
    return out;
  }
  const master = group.master;
  const rruleValue = master.getFirstPropertyValue("rrule");
  if (!(rruleValue instanceof ICAL.Recur)) {
    out.push(single(uid, master, ctx));
    return out;
  }
  const { start, times } = eventTimes(master, ctx);
  const exdates = propTimes(master.getAllProperties("exdate"), ctx);
  const mapped = mapRule(rruleValue, start, times);
  if (mapped) {
    const overrides: ImportedOverride[] = [];
    const ridOf = (i: Instant) => (i.allDay ? `${i.date}T00:00` : london(i.instant));
    for (const ex of exdates) overrides.push({ recurrenceIdLocal: ridOf(ex), cancelled: true, startLocal: null, endLocal: null });
    for (const ex of group.exceptions) {
      const rid = propTime(ex.getFirstProperty("recurrence-id"), ctx);
      if (!rid) continue;
      const recurrenceIdLocal = ridOf(rid);
      if (!isOccurrence({ startLocal: times.startLocal, recurrence: mapped.recurrence, recurrenceIdLocal: times.allDay ? recurrenceIdLocal.slice(0, 10) : recurrenceIdLocal })) {
        out.push(single(`${uid}#${recurrenceIdLocal}`, ex, ctx));
        continue;
      }
      const d = details(ex);
      if (d.cancelled) {
        overrides.push({ recurrenceIdLocal, cancelled: true, startLocal: null, endLocal: null });
        continue;
      }
      const t = eventTimes(ex, ctx).times;
      overrides.push({ recurrenceIdLocal, cancelled: false, startLocal: t.startLocal, endLocal: t.endLocal });
    }
    const unique = new Map(overrides.map((o) => [o.recurrenceIdLocal, o]));
    const body = { ...details(master), ...times, recurrence: mapped.recurrence, overrides: [...unique.values()].sort((a, b) => a.recurrenceIdLocal.localeCompare(b.recurrenceIdLocal)) };
    delete (body as Partial<Times>).startUtc;
    delete (body as Partial<Times>).endUtc;
    const item = finish(uid, pick(body), mapped.lastEnd);
    out.push(item);
    return out;
  }
  // A rule our model cannot hold: single events for the dates in the next year, bounded.
  const skip = new Set(exdates.map((e) => (e.allDay ? e.date : e.instant.toISOString())));
  const moved = new Map<string, ICAL.Component>();
  for (const ex of group.exceptions) {
    const rid = propTime(ex.getFirstProperty("recurrence-id"), ctx);
    if (rid) moved.set(rid.allDay ? rid.date : rid.instant.toISOString(), ex);
  }
  const d = details(master);
  for (const occ of expandRule(rruleValue, start, times, now, ctx)) {
    const id = occ.allDay ? occ.startLocal : occ.startUtc.toISOString();
    if (skip.has(id)) continue;
    const key = `${uid}#${id}`;
    const ex = moved.get(id);
    if (ex) {
      out.push(single(key, ex, ctx));
      continue;
    }
    out.push(finish(key, pick({ ...d, ...occ, recurrence: null, overrides: [] }), occ.endUtc.getTime()));
  }
  return out;
}

function pick(b: Omit<ImportedItem, "key" | "hash"> & Partial<Times>): Omit<ImportedItem, "key" | "hash"> {
  return {
    title: b.title,
    description: b.description,
    startLocal: b.startLocal,
    endLocal: b.endLocal,
    allDay: b.allDay,
    recurrence: b.recurrence,
    overrides: b.overrides,
    venue: b.venue,
    onlineUrl: b.onlineUrl,
    url: b.url,
    cancelled: b.cancelled,
  };
}

function ridKey(ve: ICAL.Component, ctx: Context): string {
  const rid = propTime(ve.getFirstProperty("recurrence-id"), ctx);
  if (!rid) return "";
  return rid.allDay ? rid.date : rid.instant.toISOString();
}

function single(key: string, ve: ICAL.Component, ctx: Context) {
  const { times } = eventTimes(ve, ctx);
  return finish(key, pick({ ...details(ve), ...times, recurrence: null, overrides: [] }), times.endUtc.getTime());
}

// ---------------------------------------------------------------- repeat rules

const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

/** Our Recurrence for a rule it can hold exactly, with the end of the series; undefined otherwise. */
function mapRule(rule: ICAL.Recur, start: Instant, times: Times): { recurrence: Recurrence; lastEnd: number } | undefined {
  // Wall-clock rules repeat in the source's zone; ours repeat in UK time, so only UK (or all-day) series map.
  if (!start.allDay && !(start.zone.kind === "iana" && LONDON_ALIASES.has(start.zone.name))) return undefined;
  const startWall = parseLocal(times.startLocal)!;
  const weekday = WEEKDAYS[new Date(Date.UTC(startWall.year, startWall.month - 1, startWall.day)).getUTCDay()];
  const parts = rule.parts ?? {};
  const otherParts = Object.entries(parts).filter(([k, v]) => !["BYDAY", "BYSETPOS"].includes(k) && Array.isArray(v) && v.length > 0);
  if (otherParts.length) return undefined;
  const byday: string[] = (parts.BYDAY ?? []).map(String);
  const bysetpos: number[] = (parts.BYSETPOS ?? []).map(Number);
  const interval = rule.interval || 1;
  let freq: Recurrence["freq"] | undefined;
  if (rule.freq === "WEEKLY" && (interval === 1 || interval === 2) && !bysetpos.length && (byday.length === 0 || (byday.length === 1 && byday[0] === weekday))) {
    freq = interval === 1 ? "weekly" : "fortnightly";
  } else if (rule.freq === "MONTHLY" && interval === 1) {
    const ordinal = monthlyOrdinal(startWall);
    const matches =
      (byday.length === 1 && !bysetpos.length && byday[0] === `${ordinal}${weekday}`) ||
      (byday.length === 1 && bysetpos.length === 1 && byday[0] === weekday && bysetpos[0] === ordinal);
    if (matches) freq = "monthly-weekday";
  }
  if (!freq) return undefined;
  const recurrence: Recurrence = { freq };
  if (rule.count) {
    if (rule.count > MAX_COUNT) return undefined;
    recurrence.count = rule.count;
  }
  if (rule.until) {
    const u = rule.until.toString();
    recurrence.until = /Z$/.test(u) ? london(new Date(u)).slice(0, 10) : u.slice(0, 10);
    if (!parseLocal(recurrence.until)) return undefined;
  }
  const lastEnd = recurrence.count || recurrence.until ? lastEndOf(times, recurrence) : Number.POSITIVE_INFINITY;
  return { recurrence, lastEnd };
}

/** Conservative end of a bounded series (for the "ended long ago" check): the last possible date. */
function lastEndOf(times: Times, rec: Recurrence): number {
  const step = rec.freq === "fortnightly" ? 14 : rec.freq === "weekly" ? 7 : 35;
  const byCount = rec.count ? times.endUtc.getTime() + rec.count * step * DAY_MS : Number.POSITIVE_INFINITY;
  const byUntil = rec.until ? Date.parse(`${rec.until}T23:59:59Z`) + 2 * DAY_MS + (times.endUtc.getTime() - times.startUtc.getTime()) : Number.POSITIVE_INFINITY;
  return Math.min(byCount, byUntil);
}

type ExpandedTimes = Times;

/** Dates of a rule we cannot hold, from PAST_DAYS ago to EXPAND_DAYS ahead, bounded three ways. */
function expandRule(rule: ICAL.Recur, start: Instant, times: Times, now: Date, ctx: Context): ExpandedTimes[] {
  if (["SECONDLY", "MINUTELY", "HOURLY"].includes(rule.freq)) {
    ctx.notes.add("Some events repeat more often than daily; only their first date was imported.");
    return [times];
  }
  const from = now.getTime() - PAST_DAYS * DAY_MS;
  const to = now.getTime() + EXPAND_DAYS * DAY_MS;
  const w = parseLocal(start.allDay ? start.date : start.wall)!;
  const dtstart = ICAL.Time.fromData({ year: w.year, month: w.month, day: w.day, hour: w.hour, minute: w.minute, second: w.second, isDate: start.allDay });
  const spanDays = start.allDay ? Math.round((Date.parse(times.endLocal) - Date.parse(times.startLocal)) / DAY_MS) : 0;
  const durationMs = times.endUtc.getTime() - times.startUtc.getTime();
  const out: ExpandedTimes[] = [];
  const iterator = rule.iterator(dtstart);
  for (let steps = 0; steps < MAX_RULE_STEPS && out.length < MAX_EXPANDED; steps++) {
    const next = iterator.next();
    if (!next) break;
    if (start.allDay) {
      const date = next.toString().slice(0, 10);
      const startUtc = localToUtc(date, DEFAULT_TIME_ZONE);
      if (startUtc.getTime() > to) break;
      const last = addDays(date, spanDays);
      const endUtc = localToUtc(addDays(last, 1), DEFAULT_TIME_ZONE);
      if (endUtc.getTime() < from) continue;
      out.push({ allDay: true, startLocal: date, endLocal: last, startUtc, endUtc });
      continue;
    }
    const wall = formatLocal({ year: next.year, month: next.month, day: next.day, hour: next.hour, minute: next.minute, second: 0 });
    const startUtc = wallToInstant(`${wall}:${String(next.second).padStart(2, "0")}`, start.zone);
    if (startUtc.getTime() > to) break;
    const endUtc = new Date(startUtc.getTime() + durationMs);
    if (endUtc.getTime() < from) continue;
    out.push({ allDay: false, startLocal: london(startUtc), endLocal: london(endUtc), startUtc, endUtc });
  }
  if (out.length >= MAX_EXPANDED) ctx.notes.add(`A repeating event has more dates than we import; the first ${MAX_EXPANDED} from now were imported.`);
  return out;
}
