import type { AccountsTables } from "./types/accounts";
import type { CalendarImportTables } from "./types/calendar-import";
import type { DigestsTables } from "./types/digests";
import type { DiscussionsTables } from "./types/discussions";
import type { EventsTables } from "./types/events";
import type { FeedsTables } from "./types/feeds";
import type { FoundationTables } from "./types/foundation";
import type { NotifierTables } from "./types/notifier";
import type { OrganisationsTables } from "./types/organisations";
import type { ResourceTables } from "./types/resources";
import type { SearchTables } from "./types/search";

/**
 * The one Database interface: each domain declares its tables in db/types/
 * and is joined in here.
 */
export interface Database extends FoundationTables,
    AccountsTables,
    ResourceTables,
    OrganisationsTables,
    DiscussionsTables,
    DigestsTables,
    EventsTables,
    FeedsTables,
    SearchTables,
    CalendarImportTables,
    NotifierTables {}
