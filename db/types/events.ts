import type { Generated } from "kysely";

export const EVENT_KIND_VALUES = ["round-table", "conference", "panel", "workshop", "online-chat", "training"] as const;
export type EventKind = (typeof EVENT_KIND_VALUES)[number];
export type EventVisibility = "public" | "members";
export type EventRecordStatus = "draft" | "scheduled" | "postponed" | "cancelled";
export type RegistrationStatus = "going" | "waitlisted" | "not-going";

export interface EventTable {
  id: Generated<number>;
  /** Stable iCalendar UID ("<uuid>@roundtable"): never changes, so clients update rather than duplicate. */
  uid: string;
  /** RFC 5545 SEQUENCE: raised on every change a subscriber should see. */
  sequence: number;
  network_id: number;
  organisation_id: number | null;
  organiser_account_id: string | null;
  kind: EventKind;
  title: string;
  /** Markdown, rendered with renderMarkdown (raw HTML dropped). */
  description: string;
  /** Wall-clock time in time_zone: "YYYY-MM-DDTHH:mm", or "YYYY-MM-DD" for all-day events (end inclusive). */
  start_local: string;
  end_local: string;
  time_zone: string;
  /** Instants of the first occurrence, for range queries. */
  start_utc: string;
  end_utc: string;
  /** End of the last occurrence ("9999-12-31T00:00:00.000Z" for open-ended series): prefilters recurring events by range. */
  series_end_utc: string;
  all_day: boolean;
  /** JSON of Recurrence (app/utils/recurrence.ts) or null for a one-off event. */
  recurrence: string | null;
  /** The RRULE value in local time, kept for readers of the database. */
  rrule: string | null;
  venue: string | null;
  address: string | null;
  postcode: string | null;
  online_url: string | null;
  online_url_registrants_only: boolean;
  capacity: number | null;
  /** 0: an open event, anyone joins without registering (no register box, no places, the online link for all). */
  registration_required: Generated<boolean>;
  access_bsl: boolean;
  access_captions: boolean;
  access_step_free: boolean;
  accessibility_notes: string | null;
  visibility: EventVisibility;
  status: EventRecordStatus;
  cancelled_at: string | null;
  /** The organiser's reason for cancelling (shown to registrants). */
  cancel_reason?: string | null;
  created_at: string;
  updated_at: string;
}

export interface EventTopicTable {
  event_id: number;
  topic: string;
}

/** One occurrence of a recurring event cancelled or moved, without touching the rest. */
export interface EventOccurrenceOverrideTable {
  event_id: number;
  /** Nominal local start from the rule ("YYYY-MM-DDTHH:mm"): the RECURRENCE-ID. */
  recurrence_id_local: string;
  cancelled: boolean;
  start_local: string | null;
  end_local: string | null;
  note: string | null;
  sequence: number;
  created_at: string;
  updated_at: string;
}

export interface RegistrationTable {
  id: Generated<number>;
  event_id: number;
  /** The occurrence's recurrence id for a recurring event; "" for a one-off event. */
  occurrence: string;
  account_id: string;
  status: RegistrationStatus;
  /** Order on the waiting list (and of registration). */
  position: number;
  created_at: string;
  updated_at: string;
}

export interface EventReminderTable {
  registration_id: number;
  /** The occurrence start the reminder was for: a moved event gets a new reminder. */
  start_utc: string;
  sent_at: string;
}

export interface FeedTokenTable {
  id: Generated<number>;
  account_id: string;
  /** SHA-256 (hex) of the token; the token itself is shown once and lives only in the URL. */
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** Every date of an event up to the horizon, written with the event (migration 0051). */
export interface EventOccurrenceTable {
  event_id: number;
  /** "" for a one-off event, else the normalised RECURRENCE-ID ("YYYY-MM-DDTHH:mm"). */
  occurrence: string;
  start_utc: string;
  end_utc: string;
  /** Wall-clock times in the event's zone ("YYYY-MM-DD" for all-day events, end inclusive). */
  start_local: string;
  end_local: string;
  cancelled: boolean;
  moved: boolean;
  note: string | null;
}

/** One row (id 1): series are expanded up to this instant; the occurrences job moves it on. */
export interface EventOccurrenceHorizonTable {
  id: number;
  until_utc: string;
}

export interface EventsTables {
  event: EventTable;
  event_topic: EventTopicTable;
  event_occurrence_override: EventOccurrenceOverrideTable;
  event_occurrence: EventOccurrenceTable;
  event_occurrence_horizon: EventOccurrenceHorizonTable;
  registration: RegistrationTable;
  event_reminder: EventReminderTable;
  feed_token: FeedTokenTable;
}
