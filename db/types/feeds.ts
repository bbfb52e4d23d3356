/** One row (id 1): raised by triggers on every write that can change a feed (migration 0050). */
export interface FeedVersionTable {
  id: number;
  version: number;
  changed_at: string;
}

export interface FeedsTables {
  feed_version: FeedVersionTable;
}
