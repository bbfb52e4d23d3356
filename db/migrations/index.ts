import type { Migration } from "kysely";
import * as foundation from "./2026-11-25-0001-foundation";
import * as accounts from "./2026-11-25-0002-accounts";
import * as resources from "./2026-11-25-0003-resources";
import * as organisations from "./2026-11-25-0004-organisations";
import * as discussions from "./2026-11-25-0005-discussions";
import * as digests from "./2026-11-25-0006-digests";
import * as events from "./2026-11-25-0007-events";
import * as resourceSearchIndexes from "./2026-11-25-0008-resource-search-indexes";
import * as adminAudit from "./2026-11-25-0009-admin-audit";
import * as calendarImport from "./2026-11-27-0030-calendar-import";
import * as membersOnlyCategories from "./2026-11-27-0010-members-only-categories";
import * as feedVersion from "./2026-11-27-0050-feed-version";
import * as searchIndex from "./2026-11-27-0040-search-index";
import * as searchVersion from "./2026-11-27-0041-search-version";
import * as notifier from "./2026-11-27-0020-notifier";
import * as eventCancelReason from "./2026-11-27-0021-event-cancel-reason";
import * as openEvents from "./2026-11-27-0015-open-events";
import * as eventOccurrence from "./2026-11-27-0051-event-occurrence";
import * as memberDirectory from "./2026-11-28-0085-member-directory";
import * as organisationAreas from "./2026-11-28-0086-organisation-areas";
import * as nearOnlineIndex from "./2026-11-28-0075-near-online-index";
import * as feedEventBlocks from "./2026-11-28-0080-feed-event-blocks";
import * as occurrenceListIndex from "./2026-11-28-0081-occurrence-list-index";
import * as emailNormalized from "./2026-11-28-0060-email-normalized";

/**
 * Every migration, listed explicitly (not read from the folder) so the same
 * list works under tsx, vitest and inside the Remix server bundle.
 * Keys sort in the order they run: add new ones at the end with a later date.
 */
export const migrations: Record<string, Migration> = {
  "2026-11-25-0001-foundation": foundation,
  "2026-11-25-0002-accounts": accounts,
  "2026-11-25-0003-resources": resources,
  "2026-11-25-0004-organisations": organisations,
  "2026-11-25-0005-discussions": discussions,
  "2026-11-25-0006-digests": digests,
  "2026-11-25-0007-events": events,
  "2026-11-25-0008-resource-search-indexes": resourceSearchIndexes,
  "2026-11-25-0009-admin-audit": adminAudit,
  "2026-11-27-0010-members-only-categories": membersOnlyCategories,
  "2026-11-27-0030-calendar-import": calendarImport,
  "2026-11-27-0050-feed-version": feedVersion,
  "2026-11-27-0040-search-index": searchIndex,
  "2026-11-27-0041-search-version": searchVersion,
  "2026-11-27-0020-notifier": notifier,
  "2026-11-27-0021-event-cancel-reason": eventCancelReason,
  "2026-11-27-0051-event-occurrence": eventOccurrence,
  "2026-11-27-0015-open-events": openEvents,
  "2026-11-28-0085-member-directory": memberDirectory,
  "2026-11-28-0086-organisation-areas": organisationAreas,
  "2026-11-28-0075-near-online-index": nearOnlineIndex,
  "2026-11-28-0080-feed-event-blocks": feedEventBlocks,
  "2026-11-28-0081-occurrence-list-index": occurrenceListIndex,
  "2026-11-28-0060-email-normalized": emailNormalized,
};
