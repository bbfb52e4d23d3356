/**
 * Where the schema refers to a person, for the UK GDPR export and erasure
 * (app/models/accounts.server.ts): a portable list rather than a read of either database's
 * catalogue. tests/integration/account-references.test.ts fails when a migration adds a
 * reference to account(id) that is not listed here, on SQLite and on PostgreSQL.
 */

/** Every column holding an account id (a foreign key to account(id)), and what deleting the account row would do to it. */
export const ACCOUNT_REFERENCES: ReadonlyArray<{ table: string; column: string; onDelete: "CASCADE" | "SET NULL" }> = [
  { table: "admin_action", column: "admin_account_id", onDelete: "SET NULL" },
  { table: "admin_action", column: "target_account_id", onDelete: "SET NULL" },
  { table: "calendar_source", column: "added_by_account_id", onDelete: "SET NULL" },
  { table: "calendar_source", column: "decided_by_account_id", onDelete: "SET NULL" },
  { table: "case_study", column: "created_by_account_id", onDelete: "SET NULL" },
  { table: "digest_subscription", column: "account_id", onDelete: "CASCADE" },
  { table: "discussion_category_follow", column: "account_id", onDelete: "CASCADE" },
  { table: "discussion_handle", column: "account_id", onDelete: "CASCADE" },
  { table: "discussion_post", column: "author_account_id", onDelete: "SET NULL" },
  { table: "discussion_post_report", column: "reporter_account_id", onDelete: "SET NULL" },
  { table: "discussion_post_report", column: "resolved_by_account_id", onDelete: "SET NULL" },
  { table: "discussion_setting", column: "updated_by_account_id", onDelete: "SET NULL" },
  { table: "discussion_thread", column: "author_account_id", onDelete: "SET NULL" },
  { table: "discussion_thread_follow", column: "account_id", onDelete: "CASCADE" },
  { table: "discussion_thread_read", column: "account_id", onDelete: "CASCADE" },
  { table: "email_preference", column: "account_id", onDelete: "CASCADE" },
  { table: "email_token", column: "account_id", onDelete: "CASCADE" },
  { table: "event", column: "organiser_account_id", onDelete: "SET NULL" },
  { table: "feed_token", column: "account_id", onDelete: "CASCADE" },
  { table: "invitation", column: "accepted_by_account_id", onDelete: "SET NULL" },
  { table: "invitation", column: "invited_by_account_id", onDelete: "SET NULL" },
  { table: "network_membership", column: "account_id", onDelete: "CASCADE" },
  { table: "network_membership", column: "decided_by_account_id", onDelete: "SET NULL" },
  { table: "notice_email", column: "account_id", onDelete: "CASCADE" },
  { table: "notification", column: "account_id", onDelete: "CASCADE" },
  { table: "notification_preference", column: "account_id", onDelete: "CASCADE" },
  { table: "organisation_follow", column: "account_id", onDelete: "CASCADE" },
  { table: "organisation_member", column: "account_id", onDelete: "CASCADE" },
  { table: "organisation_member", column: "decided_by_account_id", onDelete: "SET NULL" },
  { table: "recovery_code", column: "account_id", onDelete: "CASCADE" },
  { table: "registration", column: "account_id", onDelete: "CASCADE" },
  { table: "resource", column: "contributor_account_id", onDelete: "SET NULL" },
  { table: "resource", column: "moderated_by_account_id", onDelete: "SET NULL" },
  { table: "resource_file", column: "uploaded_by_account_id", onDelete: "SET NULL" },
  { table: "resource_report", column: "account_id", onDelete: "SET NULL" },
  { table: "resource_report", column: "resolved_by_account_id", onDelete: "SET NULL" },
  { table: "resource_save", column: "account_id", onDelete: "CASCADE" },
  { table: "service", column: "created_by_account_id", onDelete: "SET NULL" },
  { table: "session", column: "account_id", onDelete: "CASCADE" },
];

/** Tables holding subscriptions or consents by email address (made before signing up, or without an account). */
export const EMAIL_KEYED_TABLES: readonly string[] = ["digest_subscription"];
