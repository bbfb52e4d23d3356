import type { Generated } from "kysely";

export const SECTORS = [
  "local-authority",
  "vcse",
  "icb",
  "nhs-trust",
  "primary-care",
  "university",
  "arts-culture-heritage",
  "national-body",
  "connector-scheme",
] as const;
export type Sector = (typeof SECTORS)[number];

export const NETWORK_ROLES = ["member", "organiser", "moderator", "admin"] as const;
export type NetworkRole = (typeof NETWORK_ROLES)[number];

export type MembershipStatus = "pending" | "approved" | "declined";
export type OrganisationStatus = "pending" | "approved" | "rejected";

export interface NetworkTable {
  id: Generated<number>;
  slug: string;
  name: string;
  short_name: string;
  region: string;
  summary: string;
  about: string;
  purpose: string;
  host_organisation_id: number | null;
  contact_email: string | null;
  /** JSON array of email domains whose verified members join without approval. */
  auto_approve_domains: string;
  created_at: string;
  updated_at: string;
}

export interface OrganisationTable {
  id: Generated<number>;
  /** Open Referral UK identifies organisations by UUID. */
  uuid: string;
  slug: string;
  name: string;
  sector: Sector;
  summary: string;
  description: string;
  area_served: string;
  address: string | null;
  postcode: string | null;
  website: string | null;
  email: string | null;
  phone: string | null;
  registry_number: string | null;
  status: OrganisationStatus;
  proposed_by_account_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface OrganisationNetworkTable {
  organisation_id: number;
  network_id: number;
}

export interface AccountTable {
  id: string;
  email: string;
  /** The address trimmed and lower-cased, kept by triggers (migration 0060): what lookups by address compare with. */
  email_normalized: Generated<string>;
  email_verified_at: string | null;
  name: string;
  password_hash: string | null;
  job_title: string | null;
  bio: string | null;
  organisation_id: number | null;
  profile_visible: boolean;
  is_platform_admin: boolean;
  totp_secret: string | null;
  totp_last_counter: number | null;
  created_at: string;
  updated_at: string;
  /** Set when the account was deleted (anonymised in place; added by the accounts migration). */
  deleted_at?: string | null;
}

export interface SessionTable {
  /** SHA-256 (hex) of the session id: the id itself is only ever in the user's cookie. */
  id: string;
  account_id: string;
  expires_at: string;
  created_at: string;
  last_seen_at: string;
  user_agent: string | null;
  ip_address: string | null;
  /** 1 once the second step (TOTP or recovery code) has been passed for this session. */
  mfa_verified: boolean;
}

export interface NetworkMembershipTable {
  network_id: number;
  account_id: string;
  role: NetworkRole;
  status: MembershipStatus;
  message: string | null;
  created_at: string;
  decided_at: string | null;
  decided_by_account_id: string | null;
}

export interface OrganisationFollowTable {
  account_id: string;
  organisation_id: number;
  created_at: string;
}

export interface RateLimitTable {
  key: string;
  /** Unix seconds at which the current window began. */
  window_start: number;
  count: number;
}

export interface FoundationTables {
  network: NetworkTable;
  organisation: OrganisationTable;
  organisation_network: OrganisationNetworkTable;
  account: AccountTable;
  session: SessionTable;
  network_membership: NetworkMembershipTable;
  organisation_follow: OrganisationFollowTable;
  rate_limit: RateLimitTable;
}
