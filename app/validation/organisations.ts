/** Field rules shared by the organisation, service and case-study forms (client-safe). */
import { z } from "zod";
import { optionalPostcode } from "./postcode";
import { SECTORS } from "../../db/types/foundation";
import { SERVICE_STATUSES } from "../../db/types/organisations";
import { cleanMultiline, cleanSingleLine, isHttpUrl } from "../utils/text";
import { OUTCOME_DOMAINS, TOPICS } from "../utils/vocab";

export const NAME_MAX = 150;
export const SUMMARY_MAX = 300;
export const TEXT_MAX = 5000;
export const LINE_MAX = 200;
export const URL_MAX = 500;

const topicValues = TOPICS.map((t) => t.value) as [string, ...string[]];
const outcomeValues = OUTCOME_DOMAINS.map((d) => d.value) as [string, ...string[]];

/** A single line; too long is an error (never silently cut), CR/LF and control characters become spaces. */
const line = (label: string, max: number) =>
  z
    .string({ message: `${label} must be text` })
    .default("")
    .refine((v) => v.length <= max * 2, `${label} must be ${max} characters or fewer`)
    .transform((v) => cleanSingleLine(v, max + 1))
    .refine((v) => v.length <= max, `${label} must be ${max} characters or fewer`);

const requiredLine = (label: string, max: number, missing: string) => line(label, max).refine((v) => v.length > 0, missing);
const optionalLine = (label: string, max: number) => line(label, max).transform((v) => v || null);

const text = (label: string, max: number) =>
  z
    .string({ message: `${label} must be text` })
    .default("")
    .refine((v) => v.length <= max * 2, `${label} must be ${max} characters or fewer`)
    .transform(cleanMultiline)
    .refine((v) => v.length <= max, `${label} must be ${max} characters or fewer`);

const optionalUrl = (label: string) =>
  z
    .string()
    .default("")
    .transform((v) => v.trim())
    .refine((v) => v.length <= URL_MAX, `${label} must be ${URL_MAX} characters or fewer`)
    .refine((v) => v === "" || isHttpUrl(v), `${label} must start with http:// or https://`)
    .transform((v) => v || null);

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
const optionalEmail = z
  .string()
  .default("")
  .transform((v) => v.trim())
  .refine((v) => v === "" || (v.length <= 254 && EMAIL.test(v)), "Enter an email address like name@example.org")
  .transform((v) => v || null);

const optionalPhone = z
  .string()
  .default("")
  .transform((v) => v.trim())
  .refine((v) => v === "" || /^[0-9 +()-]{6,30}$/.test(v), "Enter a phone number using digits, spaces and + ( ) - only")
  .transform((v) => v || null);


const optionalRegistry = z
  .string()
  .default("")
  .transform((v) => v.trim().toUpperCase())
  .refine((v) => v === "" || /^[A-Z0-9][A-Z0-9 -]{1,19}$/.test(v), "Enter a charity number, company number or ODS code (letters, digits and spaces, up to 20)")
  .transform((v) => v || null);

const idList = (message: string) =>
  z
    .array(z.string())
    .default([])
    .refine((v) => v.length <= 20 && v.every((x) => /^[1-9][0-9]{0,9}$/.test(x)), message)
    .transform((v) => [...new Set(v.map(Number))]);

export const organisationSchema = z.object({
  name: requiredLine("The name", NAME_MAX, "Enter the organisation's name"),
  sector: z.enum(SECTORS, { message: "Choose the organisation's sector" }),
  summary: requiredLine("The summary", SUMMARY_MAX, "Enter a one-sentence summary"),
  description: text("The description", TEXT_MAX),
  area_served: requiredLine("The area served", LINE_MAX, "Enter the area it serves, like Greater Manchester"),
  address: optionalLine("The address", LINE_MAX),
  postcode: optionalPostcode(),
  website: optionalUrl("The website"),
  email: optionalEmail,
  phone: optionalPhone,
  registry_number: optionalRegistry,
  networks: idList("Choose networks from the list").refine((v) => v.length > 0, "Choose at least one network"),
});
export type OrganisationInput = z.output<typeof organisationSchema>;
/** Editing keeps the networks as they are (they are chosen when proposing). */
export const organisationEditSchema = organisationSchema.omit({ networks: true });
export const ORGANISATION_ARRAY_FIELDS = ["networks"] as const;
export const ORGANISATION_FIELD_ORDER = ["name", "sector", "summary", "description", "area_served", "address", "postcode", "website", "email", "phone", "registry_number", "networks", "logo"];

export const serviceSchema = z
  .object({
    name: requiredLine("The name", NAME_MAX, "Enter the service's name"),
    description: text("The description", TEXT_MAX).refine((v) => v.length > 0, "Describe what the service offers"),
    eligibility: text("Who it is for", 2000),
    how_to_refer: text("How to refer", 2000),
    schedule_text: optionalLine("When it runs", LINE_MAX).transform((v) => v ?? ""),
    location_name: optionalLine("The place", LINE_MAX),
    address: optionalLine("The address", LINE_MAX),
    city: optionalLine("The town or city", 100),
    postcode: optionalPostcode(),
    online: z.enum(["yes", "no"]).default("no").transform((v) => v === "yes"),
    cost: optionalLine("The cost", LINE_MAX).transform((v) => v ?? ""),
    is_free: z.enum(["yes", "no"]).default("no").transform((v) => v === "yes"),
    url: optionalUrl("The web page"),
    email: optionalEmail,
    phone: optionalPhone,
    topics: z.array(z.enum(topicValues, { message: "Choose topics from the list" })).default([]).transform((v) => [...new Set(v)]),
    status: z.enum(SERVICE_STATUSES, { message: "Choose whether the service is running" }).default("active"),
  })
  .refine((v) => v.city === null || v.address !== null, { message: "Enter the street address as well as the town", path: ["address"] });
export type ServiceInput = z.output<typeof serviceSchema>;
export const SERVICE_ARRAY_FIELDS = ["topics"] as const;
export const SERVICE_FIELD_ORDER = ["name", "description", "eligibility", "how_to_refer", "schedule_text", "location_name", "address", "city", "postcode", "online", "cost", "is_free", "url", "email", "phone", "topics", "status"];

const optionalNumber = (label: string, { integer = false, min = 0, max = 1e12 } = {}) =>
  z
    .string()
    .default("")
    .transform((v) => v.trim().replace(/,/g, ""))
    .refine((v) => v === "" || (/^-?[0-9]+(\.[0-9]+)?$/.test(v) && v.length <= 20), `${label} must be a number`)
    .transform((v) => (v === "" ? null : Number(v)))
    .refine((v) => v === null || ((!integer || Number.isInteger(v)) && v >= min && v <= max), `${label} must be a ${integer ? "whole " : ""}number between ${min} and ${max}`);

export const caseStudySchema = z.object({
  title: requiredLine("The title", NAME_MAX, "Enter a title"),
  summary: text("The summary", TEXT_MAX).refine((v) => v.length > 0, "Tell the story in a few sentences"),
  figure_text: requiredLine("The outcome", LINE_MAX, "Enter the headline outcome, like 28% fewer GP consultations"),
  value: optionalNumber("The figure", { min: -1e9, max: 1e9 }),
  unit: optionalLine("The unit", 40),
  period: optionalLine("The period", 60),
  participants: optionalNumber("The number of participants", { integer: true, min: 0, max: 10_000_000 }),
  partners: optionalLine("The partners", LINE_MAX),
  source_title: optionalLine("The source", LINE_MAX),
  source_url: optionalUrl("The source link"),
  domains: z
    .array(z.enum(outcomeValues, { message: "Choose outcome domains from the list" }))
    .default([])
    .transform((v) => [...new Set(v)])
    .refine((v) => v.length > 0, "Choose at least one outcome domain"),
});
export type CaseStudyInput = z.output<typeof caseStudySchema>;
export const CASE_STUDY_ARRAY_FIELDS = ["domains"] as const;
export const CASE_STUDY_FIELD_ORDER = ["title", "summary", "figure_text", "value", "unit", "period", "participants", "partners", "source_title", "source_url", "domains"];
