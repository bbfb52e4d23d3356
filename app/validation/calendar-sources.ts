/** The "add an imported calendar" form (client-safe). */
import { z } from "zod";
import { cleanSingleLine, isHttpUrl } from "../utils/text";
import { EVENT_KINDS } from "../utils/vocab";

export const CALENDAR_URL_MAX = 2000;
export const KEYWORDS_MAX = 200;
const kindValues = EVENT_KINDS.map((k) => k.value) as [string, ...string[]];

export const calendarSourceFormSchema = z.object({
  url: z
    .string()
    .default("")
    .transform((v) => v.trim().replace(/^webcals?:\/\//i, "https://"))
    .refine((v) => v.length > 0, "Enter the calendar's address")
    .refine((v) => v.length <= CALENDAR_URL_MAX, `The address must be ${CALENDAR_URL_MAX} characters or fewer`)
    .refine((v) => v.length === 0 || v.length > CALENDAR_URL_MAX || isHttpUrl(v), "Enter the calendar's address as a web address starting with https:// (or webcal://)"),
  keywords: z
    .string()
    .default("")
    .transform((v) => cleanSingleLine(v, KEYWORDS_MAX + 1))
    .refine((v) => v.length <= KEYWORDS_MAX, `Keywords must be ${KEYWORDS_MAX} characters or fewer`),
  networkId: z.coerce.number({ message: "Choose the network the events belong to" }).int("Choose the network the events belong to").positive("Choose the network the events belong to"),
  kind: z.enum(kindValues, { message: "Choose the kind of events in this calendar" }),
});

export type CalendarSourceInput = z.infer<typeof calendarSourceFormSchema>;

export const CALENDAR_SOURCE_FIELD_ORDER = ["url", "keywords", "networkId", "kind"];

/** "walk, Art , talk" → ["walk", "art", "talk"]. */
export function splitKeywords(keywords: string): string[] {
  return keywords
    .split(",")
    .map((k) => k.trim().toLowerCase())
    .filter(Boolean);
}
