/** The kinds of thing /search groups its results by (client-safe: the page lists them too). */
export const SEARCH_GROUPS = ["service", "organisation", "event", "resource", "discussion"] as const;
export type SearchGroup = (typeof SEARCH_GROUPS)[number];
