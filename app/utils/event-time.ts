// Client-safe wording for event dates and times in UK time. Built by hand (not Intl date
// formatting) so server and browser render the same text and hydration never disagrees.
import { describeDate, localToUtc, parseLocal, utcToLocal, wallTimeAt } from "./recurrence";

const SHORT_DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "8pm", "8:30pm", "12 noon", "12 midnight". */
export function clockTime(localIso: string): string {
  const w = parseLocal(localIso);
  if (!w) return "";
  if (w.hour === 12 && w.minute === 0) return "12 noon";
  if (w.hour === 0 && w.minute === 0) return "12 midnight";
  const h = w.hour % 12 === 0 ? 12 : w.hour % 12;
  const m = w.minute ? `:${String(w.minute).padStart(2, "0")}` : "";
  return `${h}${m}${w.hour < 12 ? "am" : "pm"}`;
}

/** "GMT" or "BST" for a UK local time (Europe/London only: other zones get their offset). */
export function zoneAbbreviation(localIso: string, timeZone = "Europe/London"): string {
  const utc = localToUtc(localIso, timeZone);
  const wall = wallTimeAt(utc.getTime(), timeZone);
  const offsetMin = Math.round((Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute) - utc.getTime()) / 60000);
  if (timeZone === "Europe/London") return offsetMin === 60 ? "BST" : "GMT";
  const sign = offsetMin < 0 ? "-" : "+";
  const abs = Math.abs(offsetMin);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** "Wednesday 3 December 2025" from "2025-12-03…". */
export function longDate(localIso: string): string {
  const w = parseLocal(localIso.slice(0, 10));
  return w ? describeDate(w) : localIso;
}

/** "Wed 3 Dec" from "2025-12-03…". */
export function shortDate(localIso: string): string {
  const w = parseLocal(localIso.slice(0, 10));
  if (!w) return localIso;
  const dow = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
  return `${SHORT_DAYS[dow]} ${w.day} ${SHORT_MONTHS[w.month - 1]}`;
}

/** "GMT"/"BST" from a local time and its known UTC instant (no time-zone search: lists word many dates). */
function zoneFromInstant(localIso: string, utcIso: string, timeZone: string): string {
  const offsetMin = Math.round((Date.parse(`${localIso.slice(0, 16)}:00Z`) - Date.parse(utcIso)) / 60000);
  if (timeZone !== "Europe/London" || !Number.isFinite(offsetMin)) return zoneAbbreviation(localIso, timeZone);
  return offsetMin === 60 ? "BST" : "GMT";
}

/**
 * The full "when" line of an event, in UK time with the clock named:
 * "Wednesday 3 December 2025, 8pm to 9pm (GMT)", "Friday 13 December 2026 (all day)".
 */
export function describeWhen(
  startLocal: string,
  endLocal: string,
  allDay: boolean,
  timeZone = "Europe/London",
  /** The UTC instants when known (stored occurrences): the zone is then read off, not searched for. */
  instants?: { startUtc: string; endUtc: string },
): string {
  if (allDay) {
    const first = startLocal.slice(0, 10);
    const last = endLocal.slice(0, 10);
    return first === last ? `${longDate(first)} (all day)` : `${longDate(first)} to ${longDate(last)} (all day)`;
  }
  const sameDay = startLocal.slice(0, 10) === endLocal.slice(0, 10);
  const startZone = instants ? zoneFromInstant(startLocal, instants.startUtc, timeZone) : zoneAbbreviation(startLocal, timeZone);
  const endZone = instants ? zoneFromInstant(endLocal, instants.endUtc, timeZone) : zoneAbbreviation(endLocal, timeZone);
  if (sameDay) {
    const zone = startZone === endZone ? startZone : `${startZone}/${endZone}`;
    return `${longDate(startLocal)}, ${clockTime(startLocal)} to ${clockTime(endLocal)} (UK time, ${zone})`;
  }
  return `${longDate(startLocal)}, ${clockTime(startLocal)} (${startZone}) to ${longDate(endLocal)}, ${clockTime(endLocal)} (UK time, ${endZone})`;
}

/** Compact form for lists and digests: "Wed 3 Dec, 8pm–9pm". */
export function shortWhen(startLocal: string, endLocal: string, allDay: boolean): string {
  if (allDay) {
    const first = startLocal.slice(0, 10);
    const last = endLocal.slice(0, 10);
    return first === last ? `${shortDate(first)}, all day` : `${shortDate(first)} to ${shortDate(last)}`;
  }
  if (startLocal.slice(0, 10) === endLocal.slice(0, 10)) return `${shortDate(startLocal)}, ${clockTime(startLocal)}–${clockTime(endLocal)}`;
  return `${shortDate(startLocal)}, ${clockTime(startLocal)} to ${shortDate(endLocal)}, ${clockTime(endLocal)}`;
}

/** Local "YYYY-MM-DDTHH:mm" of an ISO instant in the zone (for occurrences computed in UTC). */
export function localOf(isoUtc: string, timeZone = "Europe/London"): string {
  return utcToLocal(new Date(isoUtc), timeZone);
}

/** ISO 8601 with the UK offset in force ("2026-07-01T20:00:00+01:00"), for schema.org; dates stay dates. */
export function isoWithOffset(local: string, timeZone = "Europe/London"): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(local)) return local;
  const utc = localToUtc(local, timeZone);
  const wall = wallTimeAt(utc.getTime(), timeZone);
  const offsetMin = Math.round((Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute) - utc.getTime()) / 60000);
  const sign = offsetMin < 0 ? "-" : "+";
  const abs = Math.abs(offsetMin);
  return `${local.slice(0, 16)}:00${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const ORDINALS = ["", "first", "second", "third", "fourth"];

/**
 * A series' pattern in words, from its first date: "Every Wednesday, 8pm to 9pm",
 * "Every other Tuesday, 10am to 11:30am", "The second Tuesday of every month, all day".
 */
export function describePattern(freq: "weekly" | "fortnightly" | "monthly-weekday", startLocal: string, endLocal: string, allDay: boolean): string {
  const w = parseLocal(startLocal.slice(0, 10));
  if (!w) return "Repeats";
  const weekday = WEEKDAYS[new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay()];
  const nth = Math.ceil(w.day / 7);
  const days =
    freq === "weekly" ? `Every ${weekday}` : freq === "fortnightly" ? `Every other ${weekday}` : `The ${nth === 5 ? "last" : ORDINALS[nth]} ${weekday} of every month`;
  if (allDay) return `${days}, all day`;
  return `${days}, ${clockTime(startLocal)} to ${clockTime(endLocal)}`;
}

/** "2 December", with the year when it is not `currentYear`'s: "next 2 December". */
export function dayAndMonth(localIso: string, currentYear: number): string {
  const w = parseLocal(localIso.slice(0, 10));
  if (!w) return localIso;
  return `${w.day} ${MONTHS[w.month - 1]}${w.year === currentYear ? "" : ` ${w.year}`}`;
}
