import type { Generated } from "kysely";

export type CalendarSourceStatus = "pending" | "approved" | "rejected";

export interface CalendarSourceTable {
  id: Generated<number>;
  organisation_id: number;
  network_id: number;
  /** The partner's iCal (.ics) address, http(s). */
  url: string;
  /** From the feed's X-WR-CALNAME, else the address's host: shown as "From <name>". */
  name: string;
  /** Comma-separated; empty imports everything. */
  keywords: string;
  kind: string;
  status: CalendarSourceStatus;
  added_by_account_id: string | null;
  decided_by_account_id: string | null;
  decided_at: string | null;
  etag: string | null;
  last_modified: string | null;
  last_fetched_at: string | null;
  last_success_at: string | null;
  /** The last problem in plain words, or null when the last fetch worked. */
  last_error: string | null;
  /** Things the last import noticed but worked around (JSON list of strings). */
  notes: string | null;
  events_imported: number;
  /** An import run holds the source until then (other runs skip it). */
  claimed_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface ImportedEventTable {
  source_id: number;
  external_key: string;
  event_id: number;
  content_hash: string;
  external_url: string | null;
  upstream_cancelled: boolean;
  hidden: boolean;
  removed_at: string | null;
}

export interface CalendarImportTables {
  calendar_source: CalendarSourceTable;
  imported_event: ImportedEventTable;
}
