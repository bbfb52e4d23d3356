import type { Generated } from "kysely";

export const RESOURCE_KIND_VALUES = ["directory", "report", "guide", "briefing", "evidence-review", "video", "case-study", "toolkit"] as const;
export type ResourceKind = (typeof RESOURCE_KIND_VALUES)[number];
export type ResourceVisibility = "public" | "members";
export type ResourceStatus = "pending" | "published" | "rejected";

export interface ResourceTable {
  id: Generated<number>;
  network_id: number;
  visibility: ResourceVisibility;
  status: ResourceStatus;
  kind: ResourceKind;
  title: string;
  summary: string;
  publisher_organisation_id: number | null;
  /** Free-text publisher when the organisation is not (yet) on Roundtable. */
  publisher_name: string | null;
  year: number | null;
  /** http(s) link; null when the resource is an uploaded file. */
  url: string | null;
  licence: string;
  contributor_account_id: string | null;
  created_at: string;
  updated_at: string;
  published_at: string | null;
  rejection_reason: string | null;
  moderated_by_account_id: string | null;
  moderated_at: string | null;
}

export interface ResourceTopicTable {
  resource_id: number;
  topic: string;
}

export interface ResourceOutcomeTable {
  resource_id: number;
  domain: string;
}

/** Every uploaded version of a resource's file; the highest version is the current one. */
export interface ResourceFileTable {
  id: Generated<number>;
  resource_id: number;
  version: number;
  /** Random name of the stored bytes under UPLOADS_DIR: never derived from user input. */
  storage_id: string;
  original_filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  uploaded_at: string;
  uploaded_by_account_id: string | null;
}

export interface ResourceSaveTable {
  account_id: string;
  resource_id: number;
  created_at: string;
}

export interface ResourceReportTable {
  id: Generated<number>;
  resource_id: number;
  account_id: string | null;
  note: string;
  created_at: string;
  resolved_at: string | null;
  resolved_by_account_id: string | null;
}

/**
 * Published-resource counts per (network, visibility, facet, value), kept in step by
 * triggers (migration 2026-11-25-0008). facet is 'total', 'kind', 'year', 'topic',
 * 'outcome', 'publisher_org' (value = organisation id) or 'publisher_name'. Read only
 * by app/models/resource-search.server.ts.
 */
export interface ResourceFacetCountTable {
  network_id: number;
  visibility: ResourceVisibility;
  facet: string;
  value: string;
  count: number;
}

export interface ResourceTables {
  resource: ResourceTable;
  resource_topic: ResourceTopicTable;
  resource_outcome: ResourceOutcomeTable;
  resource_file: ResourceFileTable;
  resource_save: ResourceSaveTable;
  resource_report: ResourceReportTable;
  resource_facet_count: ResourceFacetCountTable;
}
