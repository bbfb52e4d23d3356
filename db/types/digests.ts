import type { Generated } from "kysely";

export const DIGEST_FREQUENCIES = ["daily", "weekly", "off"] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];
export type DigestSubscriptionStatus = "pending" | "active" | "unsubscribed" | "suspended";
/**
 * pending: claimed for this period, not yet handed to SMTP; sending: handed to SMTP by a run
 * (owner_run says which); sent; empty: nothing new, recorded so the period is not reconsidered;
 * failed: given up (permanent failure or too many temporary ones); retry: temporary failure,
 * tried again from next_attempt_at.
 */
export type DigestSendStatus = "pending" | "sending" | "sent" | "empty" | "failed" | "retry";

/** The old per-kind email switches (migration 0006); migration 0020 copied them into notification_preference. */
export const EMAIL_KINDS = ["registration", "waitlist", "reminder", "mention", "reply", "moderation"] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

export interface DigestSubscriptionTable {
  id: Generated<number>;
  /** Lower-cased address; one subscription per address. */
  email: string;
  account_id: string | null;
  frequency: DigestFrequency;
  /** JSON array of network ids. */
  network_ids: string;
  /** JSON array of topic values (empty: every topic). */
  topics: string;
  /** 1: also include organisations and threads the account follows. */
  include_follows: boolean;
  status: DigestSubscriptionStatus;
  consent_at: string | null;
  consent_method: string | null;
  /** The exact wording the subscriber agreed to. */
  consent_text: string | null;
  confirm_token_hash: string | null;
  confirm_expires_at: string | null;
  confirm_used_at: string | null;
  /** Random per subscription, mixed into the HMAC of its manage/unsubscribe token; changing it revokes old links. */
  token_salt: string;
  last_sent_at: string | null;
  last_period: string | null;
  /** Consecutive permanent failures; reset by a successful send. */
  failure_count: number;
  last_failure: string | null;
  suspended_at: string | null;
  unsubscribed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface DigestSendTable {
  id: Generated<number>;
  subscription_id: number;
  /** e.g. weekly:2026-W48 or daily:2026-11-25 */
  period: string;
  status: DigestSendStatus;
  attempts: number;
  next_attempt_at: string | null;
  /** Deterministic Message-ID (without angle brackets). */
  message_id: string;
  /** "<host>:<pid>:<random>" of the run holding the row while sending. */
  owner_run: string | null;
  claimed_at: string | null;
  sent_at: string | null;
  item_count: number;
  error: string | null;
  created_at: string;
}

export interface DigestSecretTable {
  id: number;
  secret: string;
  created_at: string;
}

export interface EmailPreferenceTable {
  account_id: string;
  kind: EmailKind;
  /** 0 = the member switched this kind off; no row = on. */
  enabled: boolean;
  updated_at: string;
}

export interface DigestsTables {
  digest_subscription: DigestSubscriptionTable;
  digest_send: DigestSendTable;
  digest_secret: DigestSecretTable;
  email_preference: EmailPreferenceTable;
}
