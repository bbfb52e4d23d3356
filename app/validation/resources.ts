/** Field rules shared by the resource forms (client-safe: no server imports). */
import { z } from "zod";
import { cleanMultiline, cleanSingleLine, isHttpUrl } from "../utils/text";
import { OUTCOME_DOMAINS, RESOURCE_KINDS, TOPICS } from "../utils/vocab";

export const TITLE_MAX = 200;
export const SUMMARY_MAX = 4000;
export const PUBLISHER_MAX = 150;
export const LICENCE_MAX = 200;
export const URL_MAX = 2000;

export const LICENCES = [
  { value: "", label: "Not stated" },
  { value: "Open Government Licence v3.0", label: "Open Government Licence v3.0" },
  { value: "CC BY 4.0", label: "Creative Commons Attribution (CC BY 4.0)" },
  { value: "CC BY-NC 4.0", label: "Creative Commons Attribution-NonCommercial (CC BY-NC 4.0)" },
  { value: "CC BY-NC-ND 4.0", label: "Creative Commons Attribution-NonCommercial-NoDerivatives (CC BY-NC-ND 4.0)" },
  { value: "All rights reserved", label: "All rights reserved (shared with permission)" },
] as const;

const kindValues = RESOURCE_KINDS.map((k) => k.value) as [string, ...string[]];
const topicValues = TOPICS.map((t) => t.value) as [string, ...string[]];
const outcomeValues = OUTCOME_DOMAINS.map((d) => d.value) as [string, ...string[]];

const line = (label: string, max: number) =>
  z
    .string()
    .transform((v) => cleanSingleLine(v, max + 1))
    .refine((v) => v.length <= max, `${label} must be ${max} characters or fewer`);

/** The details of a resource (everything but the link or file). */
export const resourceDetailsSchema = z
  .object({
    networkId: z.coerce.number({ message: "Choose a network" }).int().positive("Choose a network"),
    visibility: z.enum(["public", "members"], { message: "Choose who can see it" }),
    kind: z.enum(kindValues, { message: "Choose what kind of resource it is" }),
    title: line("The title", TITLE_MAX).refine((v) => v.length > 0, "Enter a title"),
    summary: z
      .string()
      .transform(cleanMultiline)
      .refine((v) => v.length > 0, "Enter a short summary")
      .refine((v) => v.length <= SUMMARY_MAX, `The summary must be ${SUMMARY_MAX} characters or fewer`),
    publisherOrganisationId: z
      .string()
      .optional()
      .transform((v) => (v ? Number(v) : null))
      .refine((v) => v === null || (Number.isInteger(v) && v > 0), "Choose a publisher from the list"),
    publisherName: line("The publisher's name", PUBLISHER_MAX).transform((v) => v || null),
    year: z
      .string()
      .optional()
      .refine((v) => !v?.trim() || /^[0-9]{4}$/.test(v.trim()), "Enter a year like 2017")
      .transform((v) => (v?.trim() ? Number(v.trim()) : null))
      .refine((v) => v === null || (Number.isInteger(v) && v >= 1900 && v <= new Date().getUTCFullYear() + 1), "Enter a year like 2017"),
    licence: line("The licence", LICENCE_MAX),
    topics: z.array(z.enum(topicValues, { message: "Choose topics from the list" })).max(TOPICS.length),
    outcomes: z.array(z.enum(outcomeValues, { message: "Choose outcome domains from the list" })).max(OUTCOME_DOMAINS.length),
  })
  .refine((v) => v.publisherOrganisationId !== null || v.publisherName !== null, {
    message: "Choose the publisher or type its name",
    path: ["publisherOrganisationId"],
  });

export type ResourceDetails = z.output<typeof resourceDetailsSchema>;

export const urlField = z
  .string()
  .transform((v) => v.trim())
  .refine((v) => v.length > 0, "Enter the link, starting with https://")
  .refine((v) => v.length <= URL_MAX, `The link must be ${URL_MAX} characters or fewer`)
  .refine((v) => isHttpUrl(v), "Enter a link that starts with http:// or https://");

export const RESOURCE_ARRAY_FIELDS = ["topics", "outcomes"] as const;

export const FIELD_ORDER = ["networkId", "visibility", "kind", "title", "summary", "publisherOrganisationId", "publisherName", "year", "topics", "outcomes", "licence", "source", "url", "file"];

export const KIND_LABEL: Record<string, string> = Object.fromEntries(RESOURCE_KINDS.map((k) => [k.value, k.label]));

/** The search page's facets, in the order they are shown. */
export const FACETS = ["kind", "topic", "publisher", "year", "outcome", "network"] as const;
export type FacetName = (typeof FACETS)[number];
