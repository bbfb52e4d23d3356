import type { Generated } from "kysely";
import type { NotificationDelivery } from "./notifier";

export const SUBJECT_TYPES = ["event", "resource", "organisation"] as const;
export type DiscussionSubjectType = (typeof SUBJECT_TYPES)[number];
export type DiscussionVisibility = "public" | "members";

/** What a notification is about; other domains add their own kinds (e.g. "resource"). */
export type NotificationKind = "reply" | "mention" | "moderation" | "follow" | (string & {});

export interface NotificationTable {
  id: Generated<number>;
  account_id: string;
  kind: NotificationKind;
  title: string;
  /** A path inside Roundtable (starts with "/"). */
  url: string;
  created_at: string;
  read_at: string | null;
  /** 'email', 'digest' or 'site': how the member chose to hear about it (null: before the notifier). */
  delivery?: NotificationDelivery | null;
}

export interface DiscussionSettingTable {
  network_id: number;
  visibility: DiscussionVisibility;
  updated_at: string;
  updated_by_account_id: string | null;
}

export interface DiscussionCategoryTable {
  id: Generated<number>;
  network_id: number;
  slug: string;
  name: string;
  description: string;
  position: number;
  created_at: string;
  /** 1: only the network's members may read it, even when the network's discussions are public. */
  members_only: Generated<boolean>;
}

export interface DiscussionThreadTable {
  id: Generated<number>;
  network_id: number;
  category_id: number;
  title: string;
  author_account_id: string | null;
  subject_type: DiscussionSubjectType | null;
  subject_id: number | null;
  pinned: boolean;
  locked: boolean;
  hidden: boolean;
  created_at: string;
  last_post_at: string;
  /** Visible replies (not the opening post, not hidden or deleted ones). */
  reply_count: number;
  /** The highest post seq given out in this thread. */
  last_seq: number;
}

export interface DiscussionPostTable {
  id: Generated<number>;
  thread_id: number;
  /** 1 for the opening post, then 2, 3…; never reused, so pages are seq ranges. */
  seq: number;
  author_account_id: string | null;
  /** Markdown as written; rendered safely on display. */
  body: string;
  created_at: string;
  edited_at: string | null;
  hidden: boolean;
  deleted_at: string | null;
}

export interface DiscussionThreadFollowTable {
  account_id: string;
  thread_id: number;
  created_at: string;
}

export interface DiscussionCategoryFollowTable {
  account_id: string;
  category_id: number;
  created_at: string;
}

export interface DiscussionThreadReadTable {
  account_id: string;
  thread_id: number;
  last_read_seq: number;
  updated_at: string;
}

export interface DiscussionPostReportTable {
  id: Generated<number>;
  post_id: number;
  reporter_account_id: string | null;
  reason: string;
  created_at: string;
  resolved_at: string | null;
  resolved_by_account_id: string | null;
  resolution: string | null;
}

export interface DiscussionHandleTable {
  account_id: string;
  handle: string;
}

export interface DiscussionsTables {
  notification: NotificationTable;
  discussion_setting: DiscussionSettingTable;
  discussion_category: DiscussionCategoryTable;
  discussion_thread: DiscussionThreadTable;
  discussion_post: DiscussionPostTable;
  discussion_thread_follow: DiscussionThreadFollowTable;
  discussion_category_follow: DiscussionCategoryFollowTable;
  discussion_thread_read: DiscussionThreadReadTable;
  discussion_post_report: DiscussionPostReportTable;
  discussion_handle: DiscussionHandleTable;
}
