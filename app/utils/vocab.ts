import type { Sector } from "../../db/types/foundation";

/**
 * Shared vocabularies (client-safe): topics, outcome domains and kinds, used by
 * events, resources, organisations, discussions and digests alike.
 */
export const TOPICS = [
  { value: "arts-and-health", label: "Arts and health" },
  { value: "heritage-and-museums", label: "Heritage and museums" },
  { value: "dance-and-movement", label: "Dance and movement" },
  { value: "dementia", label: "Dementia" },
  { value: "mental-health", label: "Mental health" },
  { value: "loneliness-and-isolation", label: "Loneliness and isolation" },
  { value: "nature-and-green", label: "Nature and green social prescribing" },
  { value: "volunteering", label: "Volunteering" },
  { value: "money-work-housing", label: "Money, work and housing" },
  { value: "children-and-families", label: "Children, young people and families" },
  { value: "link-workers", label: "Link workers" },
  { value: "evaluation-and-outcomes", label: "Evaluation and outcomes" },
  { value: "commissioning-and-funding", label: "Commissioning and funding" },
  { value: "health-inequalities", label: "Health inequalities" },
] as const;
export type Topic = (typeof TOPICS)[number]["value"];
export const TOPIC_VALUES = TOPICS.map((t) => t.value);
export function topicLabel(value: string): string {
  return TOPICS.find((t) => t.value === value)?.label ?? value;
}

/** Organisation sectors (values are stored; labels are shown). */
export const SECTOR_LABELS: Record<Sector, string> = {
  "local-authority": "Local authority",
  vcse: "Voluntary, community and social enterprise (VCSE)",
  icb: "Integrated care board (CCG/ICB)",
  "nhs-trust": "NHS trust",
  "primary-care": "Primary care (GP practice or PCN)",
  university: "University or research",
  "arts-culture-heritage": "Arts, culture and heritage",
  "national-body": "National body",
  "connector-scheme": "Connector scheme",
};

/** The Common Outcomes Framework's three domains. */
export const OUTCOME_DOMAINS = [
  { value: "person", label: "Impact on the person, their carers and families" },
  { value: "system", label: "Impact on the health and care system" },
  { value: "community", label: "Impact on community groups" },
] as const;
export type OutcomeDomain = (typeof OUTCOME_DOMAINS)[number]["value"];
export function outcomeLabel(value: string): string {
  return OUTCOME_DOMAINS.find((d) => d.value === value)?.label ?? value;
}

export const EVENT_KINDS = [
  { value: "round-table", label: "Round table" },
  { value: "conference", label: "Conference" },
  { value: "panel", label: "Panel" },
  { value: "workshop", label: "Workshop" },
  { value: "online-chat", label: "Online chat" },
  { value: "training", label: "Training" },
] as const;

export const RESOURCE_KINDS = [
  { value: "directory", label: "Directory" },
  { value: "report", label: "Report" },
  { value: "guide", label: "Guide" },
  { value: "briefing", label: "Briefing" },
  { value: "evidence-review", label: "Evidence review" },
  { value: "video", label: "Video" },
  { value: "case-study", label: "Case study" },
  { value: "toolkit", label: "Toolkit" },
] as const;
