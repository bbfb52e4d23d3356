export type SearchKind = "resource" | "service" | "organisation" | "event" | "post";

/**
 * One searchable thing, copied from its source by triggers (migration 2026-11-27-0040); never
 * written by the application. Read only by app/models/search/.
 */
export interface SearchDocumentTable {
  /** Kind code × 2^32 + ref_id. */
  id: number;
  kind: SearchKind;
  ref_id: number;
  /** The thread of a post, the organisation of a service. */
  parent_id: number | null;
  organisation_id: number | null;
  network_id: number | null;
  category_id: number | null;
  visibility: "public" | "members";
  title: string;
  body: string;
  keywords: string;
  /** Events: first start (UTC); resources: published; posts: written. */
  starts_at: string | null;
  /** Events: end of the last occurrence (UTC). */
  ends_at: string | null;
  postcode: string | null;
  area: string | null;
  latitude: number | null;
  longitude: number | null;
  online: boolean;
}

/** FTS5 over search_document (SQLite only; on PostgreSQL the index is search_document.fts, a tsvector column). */
export interface SearchFtsTable {
  rowid: number;
  title: string;
  body: string;
  keywords: string;
}

/** Every postcode in use, with its coordinates once looked up (app/models/places.server.ts). */
export interface PostcodeLocationTable {
  postcode: string;
  status: "pending" | "found" | "unknown";
  latitude: number | null;
  longitude: number | null;
  attempts: number;
  checked_at: string | null;
  next_attempt_at: string | null;
}

/** One row: rises with every change to search_document or network names (migration 0041). */
export interface SearchVersionTable {
  id: number;
  version: number;
}

export interface SearchTables {
  search_version: SearchVersionTable;
  search_document: SearchDocumentTable;
  search_fts: SearchFtsTable;
  postcode_location: PostcodeLocationTable;
}
