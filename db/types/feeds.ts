/** One row (id 1): raised by triggers on every write that can change a feed (migration 0050). */
export interface FeedVersionTable {
  id: number;
  version: number;
  changed_at: string;
}

/** Each event's VEVENT text as the feeds last built it, under a key of everything it depends on (migration 0080). */
export interface FeedEventBlockTable {
  event_id: number;
  cache_key: string;
  block: string;
}

export interface FeedsTables {
  feed_version: FeedVersionTable;
  feed_event_block: FeedEventBlockTable;
}
