import type { Generated } from "kysely";

/**
 * The kinds of notice a member can choose about (client-safe: the account page lists them).
 * Each has a default a busy link worker would want; moderator kinds are offered only to people
 * who moderate or run a network.
 */
export const NOTICE_KINDS = [
  "registration",
  "waitlist",
  "event-change",
  "event-cancelled",
  "reminder",
  "mention",
  "reply",
  "new-event",
  "moderation",
  "mod-resource",
  "mod-report",
  "mod-organisation",
  "mod-join",
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const NOTICE_CHOICES = ["email", "digest", "site", "off"] as const;
export type NoticeChoice = (typeof NOTICE_CHOICES)[number];
export type NotificationDelivery = Exclude<NoticeChoice, "off">;

export const NOTICE_CHOICE_LABELS: Record<NoticeChoice, string> = {
  email: "Email me straight away",
  digest: "Put it in my digest",
  site: "Only show it on the site",
  off: "Off",
};

export type NoticeKindInfo = { label: string; defaultChoice: NoticeChoice; audience: "member" | "moderator" | "admin" };

export const NOTICE_KIND_INFO: Record<NoticeKind, NoticeKindInfo> = {
  registration: { label: "Your place at an event is confirmed, or you are on its waiting list", defaultChoice: "email", audience: "member" },
  waitlist: { label: "A place comes up for you from a waiting list", defaultChoice: "email", audience: "member" },
  "event-change": { label: "An event you registered for changes time, place or joining link, or is postponed", defaultChoice: "email", audience: "member" },
  "event-cancelled": { label: "An event you registered for is cancelled", defaultChoice: "email", audience: "member" },
  reminder: { label: "A reminder the day before an event you registered for", defaultChoice: "email", audience: "member" },
  mention: { label: "Someone mentions you in a discussion", defaultChoice: "email", audience: "member" },
  reply: { label: "Replies in discussions you started or follow", defaultChoice: "digest", audience: "member" },
  "new-event": { label: "New events from organisations you follow", defaultChoice: "digest", audience: "member" },
  moderation: { label: "Decisions about things you posted, proposed or reported", defaultChoice: "email", audience: "member" },
  "mod-resource": { label: "A resource is waiting for moderation", defaultChoice: "email", audience: "moderator" },
  "mod-report": { label: "A post is reported", defaultChoice: "email", audience: "moderator" },
  "mod-organisation": { label: "An organisation is proposed", defaultChoice: "email", audience: "admin" },
  "mod-join": { label: "Someone asks to join your network", defaultChoice: "email", audience: "admin" },
};

export function isNoticeKind(value: string): value is NoticeKind {
  return (NOTICE_KINDS as readonly string[]).includes(value);
}

export interface NotificationPreferenceTable {
  account_id: string;
  kind: NoticeKind;
  choice: NoticeChoice;
  updated_at: string;
}

export interface NoticeTable {
  id: Generated<number>;
  kind: NoticeKind;
  /** JSON of NoticePayload (app/models/notifier.server.ts). */
  payload: string;
  created_at: string;
}

/**
 * pending: waiting for not_before; sending: a run holds it (owner_run); sent; retry: temporary SMTP
 * failure, tried again from next_attempt_at; failed: given up; dropped: not sent because, by the time
 * it was due, the recipient could no longer receive it (deleted, unconfirmed, left the network, chose
 * otherwise, content hidden) or a newer notice replaced it.
 */
export type NoticeEmailStatus = "pending" | "sending" | "sent" | "failed" | "retry" | "dropped";

export interface NoticeEmailTable {
  id: Generated<number>;
  notice_id: number;
  account_id: string;
  kind: NoticeKind;
  coalesce_key: string | null;
  status: NoticeEmailStatus;
  not_before: string;
  attempts: number;
  next_attempt_at: string | null;
  owner_run: string | null;
  claimed_at: string | null;
  sent_at: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface NotifierTables {
  notification_preference: NotificationPreferenceTable;
  notice: NoticeTable;
  notice_email: NoticeEmailTable;
}
