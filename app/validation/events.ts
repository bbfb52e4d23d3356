/** Field rules shared by the event forms (client-safe: no server imports). */
import { z } from "zod";
import { normalisePostcode } from "./postcode";
import { cleanMultiline, cleanSingleLine, isHttpUrl } from "../utils/text";
import { EVENT_KINDS, TOPICS } from "../utils/vocab";
import { MAX_YEAR, MIN_YEAR, localToUtc, parseLocal, validateRecurrence, type Recurrence } from "../utils/recurrence";

export const TITLE_MAX = 150;
export const DESCRIPTION_MAX = 20_000;
export const VENUE_MAX = 150;
export const ADDRESS_MAX = 300;
export const POSTCODE_MAX = 10;
export const URL_MAX = 2000;
export const NOTES_MAX = 1000;
export const CAPACITY_MAX = 100_000;

export const ACCESS_FEATURES = [
  { value: "bsl", label: "British Sign Language (BSL) interpreter" },
  { value: "captions", label: "Live captions" },
  { value: "step-free", label: "Step-free access" },
] as const;

export const REPEAT_OPTIONS = [
  { value: "none", label: "Does not repeat" },
  { value: "weekly", label: "Every week" },
  { value: "fortnightly", label: "Every 2 weeks" },
  { value: "monthly-weekday", label: "Every month on the same weekday (for example the 2nd Tuesday)" },
] as const;

export const EVENT_ARRAY_FIELDS = ["topics", "access"] as const;

export const FIELD_ORDER = [
  "networkId",
  "organisationId",
  "kind",
  "title",
  "description",
  "startDate",
  "startTime",
  "endDate",
  "endTime",
  "repeat",
  "until",
  "count",
  "venue",
  "address",
  "postcode",
  "onlineUrl",
  "capacity",
  "access",
  "accessibilityNotes",
  "topics",
  "visibility",
  "publish",
];

const kindValues = EVENT_KINDS.map((k) => k.value) as [string, ...string[]];
const topicValues = TOPICS.map((t) => t.value) as [string, ...string[]];

// Titles and places are single lines: a CR, LF or other control character can only come from
// a hostile client (it is how iCalendar injection starts), so it is refused, not tidied away.
const NO_CONTROL = /^[^\u0000-\u001F\u007F-\u009F\u2028\u2029]*$/;

/** A whole number as people write it: decimal digits only (no "0x10", "1e3", "+5" or "12.0"). */
const WHOLE_NUMBER = /^[0-9]{1,9}$/;

const line = (label: string, max: number, required = false) =>
  z
    .string()
    .default("")
    .refine((v) => NO_CONTROL.test(v), `${label} must be on one line, without control characters`)
    .transform((v) => cleanSingleLine(v, max + 1))
    .refine((v) => v.length <= max, `${label} must be ${max} characters or fewer`)
    .refine((v) => !required || v.length > 0, `Enter ${label.toLowerCase().replace(/^the /, "the ")}`);

const optionalId = (message: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? Number(v) : null))
    .refine((v) => v === null || (Number.isInteger(v) && v > 0), message);

export const eventFormSchema = z.object({
  networkId: z.coerce.number({ message: "Choose a network" }).int("Choose a network").positive("Choose a network"),
  organisationId: optionalId("Choose the organising organisation from the list"),
  kind: z.enum(kindValues, { message: "Choose what kind of event it is" }),
  title: z
    .string()
    .default("")
    .refine((v) => NO_CONTROL.test(v), "The title must be on one line, without control characters")
    .transform((v) => cleanSingleLine(v, TITLE_MAX + 1))
    .refine((v) => v.length > 0, "Enter a title")
    .refine((v) => v.length <= TITLE_MAX, `The title must be ${TITLE_MAX} characters or fewer`),
  description: z
    .string()
    .default("")
    .refine((v) => v.length <= DESCRIPTION_MAX * 2, `The description must be ${DESCRIPTION_MAX} characters or fewer`)
    .transform(cleanMultiline)
    .refine((v) => v.length <= DESCRIPTION_MAX, `The description must be ${DESCRIPTION_MAX} characters or fewer`),
  allDay: z.string().optional().transform((v) => v === "yes"),
  startDate: z.string().default(""),
  startTime: z.string().default(""),
  endDate: z.string().default(""),
  endTime: z.string().default(""),
  repeat: z.enum(["none", "weekly", "fortnightly", "monthly-weekday"], { message: "Choose how often the event repeats" }).default("none"),
  repeatEnd: z.enum(["never", "until", "count"], { message: "Choose when the repeats stop" }).default("never"),
  until: z.string().default(""),
  count: z.string().default(""),
  venue: line("The venue", VENUE_MAX),
  address: z
    .string()
    .default("")
    .refine((v) => v.length <= ADDRESS_MAX * 2, `The address must be ${ADDRESS_MAX} characters or fewer`)
    .transform((v) => cleanMultiline(v).split("\n").map((l) => cleanSingleLine(l, ADDRESS_MAX)).filter(Boolean).join("\n"))
    .refine((v) => v.length <= ADDRESS_MAX, `The address must be ${ADDRESS_MAX} characters or fewer`),
  postcode: line("The postcode", POSTCODE_MAX)
    .transform((v) => v.toUpperCase())
    .refine((v) => v === "" || normalisePostcode(v) !== null, "Enter a real postcode, like M15 6ER")
    .transform((v) => (v ? (normalisePostcode(v) ?? v) : v)),
  onlineUrl: z
    .string()
    .default("")
    .transform((v) => v.trim())
    .refine((v) => v.length <= URL_MAX, `The link must be ${URL_MAX} characters or fewer`)
    .refine((v) => v === "" || isHttpUrl(v), "Enter a link that starts with https:// (or http://)"),
  onlineRegistrantsOnly: z.string().optional().transform((v) => v === "yes"),
  openEvent: z.string().optional().transform((v) => v === "yes"),
  capacity: z
    .string()
    .default("")
    .transform((v) => v.trim())
    // Digits only: Number() would also read "0x10" as 16 and "1e3" as 1000.
    .refine((v) => v === "" || (WHOLE_NUMBER.test(v) && Number(v) >= 1 && Number(v) <= CAPACITY_MAX), `Enter the number of places as a whole number from 1 to ${CAPACITY_MAX}, or leave it empty for no limit`)
    .transform((v) => (v ? Number(v) : null)),
  access: z.array(z.enum(["bsl", "captions", "step-free"], { message: "Choose access features from the list" })).max(3).default([]),
  accessibilityNotes: z
    .string()
    .default("")
    .transform(cleanMultiline)
    .refine((v) => v.length <= NOTES_MAX, `The accessibility notes must be ${NOTES_MAX} characters or fewer`),
  topics: z.array(z.enum(topicValues, { message: "Choose topics from the list" })).max(TOPICS.length).default([]),
  visibility: z.enum(["public", "members"], { message: "Choose who can see the event" }).default("public"),
  publish: z.enum(["scheduled", "draft"], { message: "Choose whether to publish now or save a draft" }).default("scheduled"),
});

export type EventForm = z.output<typeof eventFormSchema>;

/** What the model stores: times as local wall-clock text plus the recurrence. */
export type EventInput = Omit<EventForm, "startDate" | "startTime" | "endDate" | "endTime" | "repeat" | "repeatEnd" | "until" | "count"> & {
  startLocal: string;
  endLocal: string;
  recurrence: Recurrence | null;
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}$/;

function yearOk(local: string): boolean {
  const year = Number(local.slice(0, 4));
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

/**
 * Dates, times and recurrence, checked together (end before start, impossible repeats,
 * dates centuries away). Returns the stored form, or field errors in plain words.
 */
export function toEventInput(form: EventForm, timeZone = "Europe/London"): { ok: true; input: EventInput; notes: string[] } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const { startDate, startTime, endDate: rawEndDate, endTime, repeat, repeatEnd, until, count, ...rest } = form;
  const endDate = rawEndDate || startDate;
  if (!DATE.test(startDate) || !parseLocal(startDate)) errors.startDate = "Enter the date the event starts, for example 2026-12-13";
  else if (!yearOk(startDate)) errors.startDate = `The start date is in ${startDate.slice(0, 4)}. Use a year from ${MIN_YEAR} to ${MAX_YEAR}`;
  if (!DATE.test(endDate) || !parseLocal(endDate)) errors.endDate = "Enter the date the event ends, for example 2026-12-13";
  else if (!yearOk(endDate)) errors.endDate = `The end date is in ${endDate.slice(0, 4)}. Use a year from ${MIN_YEAR} to ${MAX_YEAR}`;
  if (!form.allDay) {
    if (!TIME.test(startTime) || !parseLocal(`2000-01-01T${startTime}`)) errors.startTime = "Enter the start time, for example 20:00";
    if (!TIME.test(endTime) || !parseLocal(`2000-01-01T${endTime}`)) errors.endTime = "Enter the end time, for example 21:00";
  }
  // The place is checked even when the dates are wrong: every problem is reported at once.
  if (!rest.venue && !rest.onlineUrl) errors.venue = "Enter the venue, or an online link for an online event";
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const startLocal = form.allDay ? startDate : `${startDate}T${startTime}`;
  const endLocal = form.allDay ? endDate : `${endDate}T${endTime}`;
  if (form.allDay) {
    if (endLocal < startLocal) errors.endDate = "The end date must be the same as or after the start date";
  } else if (localToUtc(endLocal, timeZone).getTime() <= localToUtc(startLocal, timeZone).getTime()) {
    if (endDate < startDate) errors.endDate = "The event must end after it starts";
    else errors.endTime = "The event must end after it starts";
  }
  const spanDays = (Date.parse(endLocal.slice(0, 10)) - Date.parse(startLocal.slice(0, 10))) / 86_400_000;
  if (spanDays > 31) errors.endDate = "An event can last up to 31 days. For a longer programme, add its sessions as separate events";

  let recurrence: Recurrence | null = null;
  const notes: string[] = [];
  if (repeat !== "none") {
    recurrence = { freq: repeat };
    if (repeatEnd === "until") {
      if (!DATE.test(until)) errors.until = "Enter the date the repeats stop, for example 2027-06-30";
      else recurrence.until = until;
    } else if (repeatEnd === "count") {
      const n = Number(count.trim());
      if (!WHOLE_NUMBER.test(count.trim())) errors.count = "Enter how many times the event happens, as a whole number";
      else recurrence.count = n;
    }
    if (recurrence.freq !== "monthly-weekday" && spanDays >= (recurrence.freq === "weekly" ? 7 : 14)) {
      errors.repeat = "A repeating event must end before the next one starts";
    }
    if (!errors.until && !errors.count) {
      const check = validateRecurrence({ startLocal, timeZone, recurrence });
      for (const e of check.errors) {
        const key = /stop/.test(e) ? "until" : /number of times|how many/.test(e) ? "count" : "repeat";
        errors[key] ??= e.replace(/\.$/, "");
      }
      notes.push(...check.notes);
    }
  }
  if (!rest.venue && !rest.onlineUrl) errors.venue = "Enter the venue, or an online link for an online event";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: { ...rest, startLocal, endLocal, recurrence }, notes };
}

/** The organiser's reason for cancelling: registrants see it in the email and on the event page. */
export const cancelEventSchema = z.object({
  reason: z
    .string({ message: "Say why the event is cancelled" })
    .transform(cleanMultiline)
    .pipe(z.string().min(1, "Say why the event is cancelled: everyone registered will see it").max(1000, "Keep the reason to 1,000 characters or fewer")),
});

const text = (v: unknown): string => (typeof v === "string" ? v : "");

/**
 * The whole event form checked in one pass, as the NHS.UK pattern asks: the fields, then the
 * dates, repeats and place together, so a person sees every problem at once rather than one
 * round at a time. When some fields are invalid the date and place checks still run, on what
 * was typed.
 */
export function validateEventForm(values: Record<string, unknown>, timeZone = "Europe/London"): ReturnType<typeof toEventInput> {
  const parsed = eventFormSchema.safeParse(values);
  if (parsed.success) return toEventInput(parsed.data, timeZone);
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) fieldErrors[issue.path.length ? String(issue.path[0]) : "form"] ??= issue.message;
  const repeat = REPEAT_OPTIONS.some((o) => o.value === values.repeat) ? text(values.repeat) : "none";
  const repeatEnd = ["never", "until", "count"].includes(text(values.repeatEnd)) ? text(values.repeatEnd) : "never";
  const lenient = eventFormSchema.shape;
  // Only the date, repeat and place fields are read when the answer is a list of errors.
  const when = toEventInput(
    {
      ...({} as EventForm),
      allDay: values.allDay === "yes",
      startDate: text(values.startDate).trim(),
      startTime: text(values.startTime).trim(),
      endDate: text(values.endDate).trim(),
      endTime: text(values.endTime).trim(),
      repeat: lenient.repeat.parse(repeat),
      repeatEnd: lenient.repeatEnd.parse(repeatEnd),
      until: text(values.until).trim(),
      count: text(values.count),
      venue: text(values.venue).trim(),
      onlineUrl: text(values.onlineUrl).trim(),
    },
    timeZone,
  );
  return { ok: false, errors: { ...(when.ok ? {} : when.errors), ...fieldErrors } };
}
