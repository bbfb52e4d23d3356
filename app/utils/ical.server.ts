// iCalendar feeds (RFC 5545, with RFC 7986 calendar properties) and "add to calendar" links.
//
// ical-generator v10 does the serialising; this module decides what goes in and patches
// the places where the library's defaults would produce a wrong or unsafe feed (see the
// comments on ZonedWallTime, calendarText, safeUri and insertTimeZones).

import { createHash } from "node:crypto";
import ical, {
  escape,
  ICalCalendarMethod,
  ICalEventStatus,
  type ICalCalendar,
  type ICalTemporalInstantStub,
  type ICalTemporalPlainDateStub,
  type ICalTemporalPlainDateTimeStub,
  type ICalTemporalZonedDateTimeStub,
} from "ical-generator";
import {
  formatLocal,
  formatLocalDate,
  isOccurrence,
  localToUtc,
  parseLocal,
  toRRule,
  utcToLocal,
  wallTimeAt,
  wallTimeToUtc,
  type Recurrence,
  type WallTime,
} from "~/utils/recurrence";

export type EventStatus = "scheduled" | "postponed" | "cancelled";

export type OccurrenceException = {
  /** Nominal local start of the occurrence being changed: "YYYY-MM-DDTHH:mm" (all-day: "YYYY-MM-DD"). */
  recurrenceIdLocal: string;
  cancelled: boolean;
  startLocal?: string;
  endLocal?: string;
  title?: string;
  sequence: number;
};

export type CalendarEvent = {
  /** Stable and globally unique, e.g. "event-42@roundtable.example"; printable ASCII only. */
  uid: string;
  sequence: number;
  title: string;
  descriptionText: string;
  /** Timed: "YYYY-MM-DDTHH:mm" local. All-day: "YYYY-MM-DD". */
  startLocal: string;
  /** Timed: local end. All-day: the last day of the event, inclusive. */
  endLocal: string;
  allDay: boolean;
  timeZone: string;
  location?: string;
  /** The event's page on Roundtable. */
  url?: string;
  status: EventStatus;
  updatedAt: Date;
  createdAt: Date;
  recurrence?: Recurrence;
  exceptions?: OccurrenceException[];
  organiserName?: string;
  categories?: string[];
};

export type CalendarMeta = {
  name: string;
  description?: string;
  /** The feed's own URL, published as SOURCE so clients know where to refresh from. */
  url: string;
  refreshMinutes?: number;
  /** The calendar's web page, published as the calendar URL (RFC 7986 §5.5). */
  appUrl: string;
};

/**
 * Europe/London since 1996: BST from 01:00 UTC on the last Sunday of March to 01:00 UTC on
 * the last Sunday of October. RFC 5545 §3.6.5 requires a VTIMEZONE for every TZID used;
 * sub-component DTSTARTs are local time in the offset being left (TZOFFSETFROM).
 */
export const EUROPE_LONDON_VTIMEZONE = [
  "BEGIN:VTIMEZONE",
  "TZID:Europe/London",
  "X-LIC-LOCATION:Europe/London",
  "BEGIN:DAYLIGHT",
  "TZOFFSETFROM:+0000",
  "TZOFFSETTO:+0100",
  "TZNAME:BST",
  "DTSTART:19810329T010000",
  "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
  "END:DAYLIGHT",
  "BEGIN:STANDARD",
  "TZOFFSETFROM:+0100",
  "TZOFFSETTO:+0000",
  "TZNAME:GMT",
  "DTSTART:19961027T020000",
  "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
  "END:STANDARD",
  "END:VTIMEZONE",
].join("\r\n");

const VTIMEZONES = new Map([["Europe/London", EUROPE_LONDON_VTIMEZONE]]);

const PRODUCT_ID = { company: "Roundtable", product: "Events", language: "EN" };
const DEFAULT_REFRESH_MINUTES = 60;
// "Add to calendar" links are GET URLs; Google and Outlook refuse very long ones, so the
// details are cut short and point to the event page for the rest.
const LINK_DETAILS_MAX = 1000;

const STATUS: Record<EventStatus, ICalEventStatus> = {
  scheduled: ICalEventStatus.CONFIRMED,
  postponed: ICalEventStatus.TENTATIVE,
  cancelled: ICalEventStatus.CANCELLED,
};

// Google Calendar and Outlook subscriptions ignore STATUS (a cancelled event looks like any
// other), so the status is also spelt out in the title, where people actually look.
const SUMMARY_PREFIX: Record<EventStatus, string> = {
  scheduled: "",
  postponed: "Postponed: ",
  cancelled: "Cancelled: ",
};

/** The full text of a subscribable feed (METHOD:PUBLISH) of these events. */
export function buildCalendarIcs(
  meta: CalendarMeta,
  events: readonly CalendarEvent[]
): string {
  const calendar = ical({
    method: ICalCalendarMethod.PUBLISH,
    prodId: PRODUCT_ID,
    name: calendarText(cleanLine(meta.name)),
    description: meta.description
      ? calendarText(cleanText(meta.description))
      : null,
    url: safeUri(meta.appUrl),
    source: safeUri(meta.url),
    // ical-generator's ttl is in seconds; it writes REFRESH-INTERVAL and X-PUBLISHED-TTL.
    ttl: (meta.refreshMinutes ?? DEFAULT_REFRESH_MINUTES) * 60,
  });
  for (const event of events) addEvent(calendar, event);
  return insertTimeZones(calendar.toString(), events);
}

/**
 * One event to download and import. No NAME/X-WR-CALNAME (Outlook would offer to open it as a
 * new calendar instead of adding the event) and no SOURCE/REFRESH-INTERVAL (it is not a feed).
 */
export function buildSingleEventIcs(
  event: CalendarEvent,
  meta: Pick<CalendarMeta, "appUrl">
): string {
  const calendar = ical({
    method: ICalCalendarMethod.PUBLISH,
    prodId: PRODUCT_ID,
    url: safeUri(meta.appUrl),
  });
  addEvent(calendar, event);
  return insertTimeZones(calendar.toString(), [event]);
}

export type ItipOptions = {
  appUrl: string;
  method: "REQUEST" | "CANCEL";
  /** RFC 5546 requires ORGANIZER in REQUEST and CANCEL: our sending address, named for the organiser. */
  organizer: { name: string; email: string };
  /** Only this date of a series (one VEVENT with the series' UID and a RECURRENCE-ID). */
  occurrence?: { recurrenceIdLocal: string; startLocal: string; endLocal: string; sequence: number };
};

/**
 * A scheduling message (RFC 5546) sent with registration, change and cancellation emails, so
 * Outlook, Google and Apple add, update or remove the event. Same UID as the feeds, so the
 * calendar entry a member already has from a feed is the one updated; SEQUENCE is the event's
 * (it rises with every change). CANCEL carries STATUS:CANCELLED. The ATTENDEE line is added
 * per recipient when the email is sent.
 */
export function buildItipIcs(event: CalendarEvent, options: ItipOptions): string {
  const cancelling = options.method === "CANCEL";
  const calendar = ical({
    method: cancelling ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    prodId: PRODUCT_ID,
    url: safeUri(options.appUrl),
  });
  const organizer = { name: cleanLine(options.organizer.name), email: options.organizer.email };
  const shown: CalendarEvent = cancelling ? { ...event, status: "cancelled" } : event;
  const o = options.occurrence;
  if (o && event.recurrence && !event.allDay) {
    const timeZone = checkedTimeZone(event.timeZone);
    calendar.createEvent({
      id: checkedUid(event.uid),
      timezone: timeZone,
      stamp: event.updatedAt,
      created: event.createdAt,
      lastModified: event.updatedAt,
      status: STATUS[shown.status],
      description: descriptionFor(event),
      location: event.location ? cleanLine(event.location) || null : null,
      url: event.url ? safeUri(event.url) : null,
      ...eventTimes(false, o.startLocal, o.endLocal, timeZone),
      sequence: o.sequence,
      summary: summaryFor(event.title, shown.status),
      recurrenceId: zoned(timeZone, o.recurrenceIdLocal),
      organizer,
    });
  } else {
    addEvent(calendar, shown, organizer);
  }
  return insertTimeZones(calendar.toString(), [event]);
}

/** Google Calendar's "create event" template link. */
export function googleCalendarUrl(event: CalendarEvent): string {
  const dates = event.allDay
    ? `${icsDate(allDayStart(event))}/${icsDate(allDayEndExclusive(event))}`
    : `${icsLocal(requireWallTime(event.startLocal))}/${icsLocal(
        requireWallTime(event.endLocal)
      )}`;
  const params: Array<[string, string]> = [
    ["action", "TEMPLATE"],
    ["text", summaryFor(event.title, event.status)],
    ["dates", dates],
    // With ctz, Google reads the dates as wall-clock time in that zone, like DTSTART;TZID.
    ["ctz", event.timeZone],
    ["details", linkDetails(event)],
  ];
  if (event.location) params.push(["location", cleanLine(event.location)]);
  if (event.recurrence)
    params.push([
      "recur",
      `RRULE:${toRRule(
        event.recurrence,
        eventStartLocal(event),
        event.timeZone
      )}`,
    ]);
  return `https://calendar.google.com/calendar/render?${queryString(params)}`;
}

/**
 * Outlook on the web. Its compose link has no recurrence parameter (a series would become one
 * date, its first, often past), so a recurring event is added by subscribing to its own .ics
 * (`icsUrl`, which carries the RRULE and its exceptions, and keeps them up to date).
 */
export function outlookCalendarUrl(event: CalendarEvent, { icsUrl }: { icsUrl?: string } = {}): string {
  if (event.recurrence && icsUrl) {
    return `https://outlook.office.com/calendar/0/addfromweb?${queryString([
      ["url", icsUrl],
      ["name", summaryFor(event.title, event.status)],
    ])}`;
  }
  const params: Array<[string, string]> = [
    ["subject", summaryFor(event.title, event.status)],
  ];
  if (event.allDay) {
    params.push(
      ["startdt", formatLocalDate(allDayStart(event))],
      ["enddt", formatLocalDate(allDayEndExclusive(event))],
      ["allday", "true"]
    );
  } else {
    // Outlook has no time-zone parameter, so send unambiguous UTC instants.
    params.push(
      ["startdt", utcSeconds(localToUtc(event.startLocal, event.timeZone))],
      ["enddt", utcSeconds(localToUtc(event.endLocal, event.timeZone))]
    );
  }
  params.push(["body", linkDetails(event)]);
  if (event.location) params.push(["location", cleanLine(event.location)]);
  params.push(["path", "/calendar/action/compose"], ["rru", "addevent"]);
  const query = queryString(params);
  return `https://outlook.office.com/calendar/0/deeplink/compose?${query}`;
}

/** A strong ETag for a feed built from these inputs: sha256, base64url, quoted (RFC 9110 §8.8.3). */
export function feedEtag(parts: ReadonlyArray<string | number>): string {
  // JSON keeps ["1", "23"] and ["12", "3"] (and 1 and "1") apart, unlike a plain join.
  return `"${createHash("sha256")
    .update(JSON.stringify(parts))
    .digest("base64url")}"`;
}

/**
 * Text that is safe to put in an iCalendar TEXT value: newlines normalised to \n, tabs to
 * spaces, every other control character removed. Escaping (RFC 5545 §3.3.11) then turns \n
 * into the two characters "\n", so no input can end a line and start a property or component.
 */
export function cleanText(s: string): string {
  return s
    .normalize("NFC")
    .replace(/\r\n?|[\u0085\u2028\u2029]/g, "\n")
    .replace(/\t/g, " ")
    .replace(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g, "");
}

/** Single-line text (titles, places): line breaks become spaces, since clients show one line. */
export function cleanLine(s: string): string {
  return cleanText(s).replace(/\s+/g, " ").trim();
}

function addEvent(calendar: ICalCalendar, event: CalendarEvent, organizer?: { name: string; email: string }): void {
  const uid = checkedUid(event.uid);
  const timeZone = checkedTimeZone(event.timeZone);
  const startLocal = eventStartLocal(event);
  const exceptions = event.recurrence
    ? relevantExceptions(event, startLocal)
    : [];
  const moved = exceptions.filter((x) => !x.cancelled);
  // All-day series would need DATE-valued RECURRENCE-IDs, which ical-generator cannot write,
  // so a moved all-day occurrence is dropped from the series and published on its own.
  const exdates = exceptions
    .filter((x) => x.cancelled || event.allDay)
    .map((x) => x.recurrenceIdLocal);

  const common = {
    id: uid,
    timezone: timeZone,
    stamp: event.updatedAt,
    created: event.createdAt,
    lastModified: event.updatedAt,
    status: STATUS[event.status],
    description: descriptionFor(event),
    location: event.location ? cleanLine(event.location) || null : null,
    url: event.url ? safeUri(event.url) : null,
    categories: (event.categories ?? [])
      .map(categoryName)
      .filter(Boolean)
      .map((name) => ({ name })),
    ...(organizer ? { organizer } : {}),
  };

  calendar.createEvent({
    ...common,
    ...eventTimes(event.allDay, startLocal, eventEndLocal(event), timeZone),
    sequence: event.sequence,
    summary: summaryFor(event.title, event.status),
    repeating: event.recurrence
      ? repeatingLines(event, startLocal, exdates)
      : null,
  });

  for (const exception of moved) {
    const { start, end } = movedTimes(event, exception);
    calendar.createEvent({
      ...common,
      ...eventTimes(event.allDay, start, end, timeZone),
      id: event.allDay
        ? checkedUid(`${exception.recurrenceIdLocal}-${uid}`)
        : uid,
      sequence: exception.sequence,
      summary: summaryFor(exception.title ?? event.title, event.status),
      recurrenceId: event.allDay
        ? null
        : zoned(timeZone, exception.recurrenceIdLocal),
    });
  }
}

function eventTimes(
  allDay: boolean,
  startLocal: string,
  endLocal: string,
  timeZone: string
) {
  return {
    allDay,
    start: zoned(timeZone, startLocal),
    end: zoned(timeZone, endLocal),
  };
}

// RRULE and EXDATE lines as one string: ical-generator passes multi-line strings through as
// they are (its own EXDATE writer needs its structured rule form, which cannot say BYDAY=2WE).
function repeatingLines(
  event: CalendarEvent,
  startLocal: string,
  exdates: string[]
): string {
  const recurrence = event.recurrence;
  if (!recurrence) return "";
  const lines = [`RRULE:${toRRule(recurrence, startLocal, event.timeZone)}`];
  if (exdates.length > 0) {
    const values = exdates.map((id) =>
      event.allDay
        ? icsDate(requireWallTime(id))
        : icsLocal(requireWallTime(id))
    );
    lines.push(
      event.allDay
        ? `EXDATE;VALUE=DATE:${values.join(",")}`
        : `EXDATE;TZID=${event.timeZone}:${values.join(",")}`
    );
  }
  return lines.join("\n");
}

/** Exceptions that still match an occurrence of the series, one per occurrence (last wins). */
function relevantExceptions(
  event: CalendarEvent,
  startLocal: string
): OccurrenceException[] {
  const byId = new Map<string, OccurrenceException>();
  for (const exception of event.exceptions ?? []) {
    const wall = parseLocal(exception.recurrenceIdLocal);
    if (!wall) continue;
    const recurrenceIdLocal = event.allDay
      ? formatLocalDate(wall)
      : formatLocal(wall);
    if (
      !isOccurrence({
        startLocal,
        recurrence: event.recurrence,
        recurrenceIdLocal,
      })
    )
      continue;
    byId.set(recurrenceIdLocal, { ...exception, recurrenceIdLocal });
  }
  return [...byId.values()];
}

function movedTimes(
  event: CalendarEvent,
  exception: OccurrenceException
): { start: string; end: string } {
  if (event.allDay) {
    const start = formatLocalDate(
      requireWallTime(exception.startLocal ?? exception.recurrenceIdLocal)
    );
    const days = daysBetween(
      allDayStart(event),
      requireWallTime(eventEndLocal(event))
    );
    const end = exception.endLocal
      ? formatLocalDate(requireWallTime(exception.endLocal))
      : addDaysLocal(start, days);
    return { start, end };
  }
  const start = exception.startLocal ?? exception.recurrenceIdLocal;
  if (exception.endLocal) return { start, end: exception.endLocal };
  const durationMs =
    localToUtc(event.endLocal, event.timeZone).getTime() -
    localToUtc(event.startLocal, event.timeZone).getTime();
  return {
    start,
    end: utcToLocal(
      new Date(localToUtc(start, event.timeZone).getTime() + durationMs),
      event.timeZone
    ),
  };
}

// CATEGORIES is a comma-separated list; "\," is the RFC 5545 way to keep a comma in a name,
// but node-ical (and other naive readers) split on it anyway, so names lose "," and ";".
function categoryName(name: string): string {
  return cleanLine(name.replace(/[,;]/g, " "));
}

function summaryFor(title: string, status: EventStatus): string {
  return SUMMARY_PREFIX[status] + cleanLine(title);
}

// Google and Outlook do not show the URL property, and ORGANIZER needs an email address we
// do not publish, so the organiser and the event page go in the description as well.
function descriptionFor(event: CalendarEvent): string {
  const parts = [cleanText(event.descriptionText).trim()];
  if (event.organiserName)
    parts.push(`Organised by ${cleanLine(event.organiserName)}`);
  if (event.url) parts.push(`More information: ${safeUri(event.url)}`);
  return parts.filter(Boolean).join("\n\n");
}

function linkDetails(event: CalendarEvent): string {
  const text = cleanText(event.descriptionText).trim();
  const short =
    [...text].length > LINK_DETAILS_MAX
      ? `${[...text].slice(0, LINK_DETAILS_MAX).join("").trimEnd()}…`
      : text;
  const parts = [short];
  if (event.url) parts.push(`More information: ${safeUri(event.url)}`);
  return parts.filter(Boolean).join("\n\n");
}

/**
 * ical-generator writes NAME, X-WR-CALNAME and X-WR-CALDESC without escaping (unlike
 * SUMMARY and DESCRIPTION), so a calendar name with a comma, or worse a line break, would
 * corrupt the feed. We escape those ourselves with the library's own TEXT escaper.
 */
function calendarText(s: string): string {
  return escape(s, false);
}

/**
 * Only absolute http(s) URLs: a javascript: or data: URL in a calendar is a link someone may
 * click. The WHATWG parser drops tabs and line breaks; "," and ";" are percent-encoded
 * because ical-generator escapes URL values as TEXT, and "\," is not valid in a URI.
 */
function safeUri(value: string): string {
  const url = new URL(value);
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new RangeError(
      `Only http and https links can go in a calendar, not "${url.protocol}".`
    );
  }
  return url.href.replaceAll(",", "%2C").replaceAll(";", "%3B");
}

// UID is written verbatim by ical-generator, so anything that could break the line or need
// TEXT escaping is refused rather than silently changed (a changed UID is a different event).
function checkedUid(uid: string): string {
  if (!/^[\x21-\x7E]+$/.test(uid) || /[\\;,]/.test(uid)) {
    throw new RangeError(
      `An event UID must be printable ASCII without "\\", ";" or ",": ${JSON.stringify(
        uid
      )}`
    );
  }
  return uid;
}

function checkedTimeZone(timeZone: string): string {
  if (!VTIMEZONES.has(timeZone)) {
    throw new RangeError(
      `No VTIMEZONE is defined for "${timeZone}"; only Europe/London is supported.`
    );
  }
  return timeZone;
}

/**
 * Puts a VTIMEZONE for each zone in use before the first VEVENT. ical-generator's own
 * timezone generator hook writes it *before* REFRESH-INTERVAL and X-PUBLISHED-TTL, which puts
 * calendar properties after a component, against the RFC 5545 §3.6 grammar. A component
 * line is "\r\nBEGIN:VEVENT\r\n" with no leading space, which folded text can never produce.
 */
function insertTimeZones(
  ics: string,
  events: readonly CalendarEvent[]
): string {
  const zones = [...new Set(events.map((e) => e.timeZone))]
    .map((zone) => VTIMEZONES.get(zone))
    .filter((z) => z !== undefined);
  if (zones.length === 0) return ics;
  const block = zones.map((z) => `${z}\r\n`).join("");
  const firstEvent = ics.indexOf("\r\nBEGIN:VEVENT\r\n");
  const at =
    firstEvent >= 0 ? firstEvent + 2 : ics.lastIndexOf("END:VCALENDAR");
  return ics.slice(0, at) + block + ics.slice(at);
}

function eventStartLocal(event: CalendarEvent): string {
  return event.allDay
    ? formatLocalDate(allDayStart(event))
    : formatLocal(requireWallTime(event.startLocal));
}

function eventEndLocal(event: CalendarEvent): string {
  return event.allDay
    ? formatLocalDate(allDayEndExclusive(event))
    : formatLocal(requireWallTime(event.endLocal));
}

function allDayStart(event: CalendarEvent): WallTime {
  return requireWallTime(event.startLocal.slice(0, 10));
}

// DTEND;VALUE=DATE is exclusive (RFC 5545 §3.6.1), our endLocal is the last day.
function allDayEndExclusive(event: CalendarEvent): WallTime {
  return requireWallTime(addDaysLocal(event.endLocal.slice(0, 10), 1));
}

function addDaysLocal(date: string, days: number): string {
  const wall = requireWallTime(date);
  return formatLocalDate(
    wallTimeAt(Date.UTC(wall.year, wall.month - 1, wall.day + days), "UTC")
  );
}

function daysBetween(a: WallTime, b: WallTime): number {
  return Math.round(
    (Date.UTC(b.year, b.month - 1, b.day) -
      Date.UTC(a.year, a.month - 1, a.day)) /
      86_400_000
  );
}

function requireWallTime(localIso: string): WallTime {
  const wall = parseLocal(localIso);
  if (!wall)
    throw new RangeError(`"${localIso}" is not a valid local date and time.`);
  return wall;
}

function icsDate(w: WallTime): string {
  return formatLocalDate(w).replaceAll("-", "");
}

function icsLocal(w: WallTime): string {
  return `${icsDate(w)}T${String(w.hour).padStart(2, "0")}${String(
    w.minute
  ).padStart(2, "0")}${String(w.second).padStart(2, "0")}`;
}

function utcSeconds(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function queryString(params: Array<[string, string]>): string {
  // encodeURIComponent rather than URLSearchParams: Outlook shows a "+" for a space literally.
  return params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
}

function zoned(timeZone: string, localIso: string): ZonedWallTime {
  return new ZonedWallTime(timeZone, requireWallTime(localIso));
}

/**
 * A local wall time in a zone, shaped like Temporal.ZonedDateTime for ical-generator.
 * Why not a Date: with a TZID set, ical-generator formats a Date with the *server process's*
 * local time getters (getHours()), so the feed would be right only on a machine that runs in
 * Europe/London. A Temporal-shaped value is written as its own wall-clock fields.
 */
class ZonedWallTime implements ICalTemporalZonedDateTimeStub {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;

  constructor(readonly timeZoneId: string, private readonly wall: WallTime) {
    ({
      year: this.year,
      month: this.month,
      day: this.day,
      hour: this.hour,
      minute: this.minute,
      second: this.second,
    } = wall);
  }

  toPlainDateTime(): PlainWallTime {
    return new PlainWallTime(this.wall);
  }

  toInstant(): ICalTemporalInstantStub {
    return new Instant(wallTimeToUtc(this.wall, this.timeZoneId).getTime());
  }

  withTimeZone(timeZone: string): ZonedWallTime {
    if (timeZone === this.timeZoneId) return this;
    return new ZonedWallTime(
      timeZone,
      wallTimeAt(this.toInstant().epochMilliseconds, timeZone)
    );
  }

  toJSON(): string {
    return this.toString();
  }

  toString(): string {
    return `${formatLocal(this.wall)}[${this.timeZoneId}]`;
  }
}

class PlainWallTime implements ICalTemporalPlainDateTimeStub {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;

  constructor(private readonly wall: WallTime) {
    ({
      year: this.year,
      month: this.month,
      day: this.day,
      hour: this.hour,
      minute: this.minute,
      second: this.second,
    } = wall);
  }

  toPlainDate(): ICalTemporalPlainDateStub {
    const date = formatLocalDate(this.wall);
    return {
      year: this.year,
      month: this.month,
      day: this.day,
      toJSON: () => date,
      toString: () => date,
    };
  }

  toZonedDateTime(timeZone: string): ZonedWallTime {
    return new ZonedWallTime(timeZone, this.wall);
  }

  toJSON(): string {
    return this.toString();
  }

  toString(): string {
    return formatLocal(this.wall);
  }
}

class Instant implements ICalTemporalInstantStub {
  constructor(readonly epochMilliseconds: number) {}

  toZonedDateTimeISO(timeZone: string): ZonedWallTime {
    return new ZonedWallTime(
      timeZone,
      wallTimeAt(this.epochMilliseconds, timeZone)
    );
  }

  toJSON(): string {
    return this.toString();
  }

  toString(): string {
    return new Date(this.epochMilliseconds).toISOString();
  }
}
