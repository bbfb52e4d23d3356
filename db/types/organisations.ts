import type { Generated } from "kysely";

export const SERVICE_STATUSES = ["active", "inactive", "defunct", "temporarily closed"] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];
export type OrganisationMemberRole = "member" | "admin";
export type AffiliationStatus = "pending" | "approved" | "declined";

export interface ServiceTable {
  id: Generated<number>;
  /** Open Referral UK identifies services by UUID. */
  uuid: string;
  organisation_id: number;
  name: string;
  description: string;
  /** Who it is for. */
  eligibility: string;
  how_to_refer: string;
  /** When it runs, in words ("Wednesdays 10am to noon, term time"). */
  schedule_text: string;
  location_name: string | null;
  address: string | null;
  city: string | null;
  postcode: string | null;
  online: boolean;
  cost: string;
  is_free: boolean;
  url: string | null;
  email: string | null;
  phone: string | null;
  status: ServiceStatus;
  created_by_account_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface ServiceTopicTable {
  service_id: number;
  topic: string;
}

export interface CaseStudyTable {
  id: Generated<number>;
  organisation_id: number;
  title: string;
  summary: string;
  /** The headline outcome in words ("£3.50 social return for every £1 invested"). */
  figure_text: string;
  value: number | null;
  unit: string | null;
  period: string | null;
  participants: number | null;
  partners: string | null;
  source_title: string | null;
  source_url: string | null;
  created_by_account_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface CaseStudyDomainTable {
  case_study_id: number;
  domain: "person" | "system" | "community";
}

export interface OrganisationMemberTable {
  organisation_id: number;
  account_id: string;
  role: OrganisationMemberRole;
  status: AffiliationStatus;
  message: string | null;
  created_at: string;
  decided_at: string | null;
  decided_by_account_id: string | null;
}

export interface OrganisationLogoTable {
  organisation_id: number;
  content_type: "image/png" | "image/jpeg" | "image/webp";
  data: Buffer;
  size: number;
  updated_at: string;
}

export interface OrganisationsTables {
  service: ServiceTable;
  service_topic: ServiceTopicTable;
  case_study: CaseStudyTable;
  case_study_domain: CaseStudyDomainTable;
  organisation_member: OrganisationMemberTable;
  organisation_logo: OrganisationLogoTable;
}
