import { type Kysely, sql } from "kysely";

// Frozen: written against Kysely<any> so later schema changes never alter it.
export async function up(db: Kysely<any>): Promise<void> {
  // In-app notifications: written by every domain through app/models/notifications.server.ts.
  await sql`
    CREATE TABLE notification (
      id INTEGER PRIMARY KEY,
      account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      kind TEXT NOT NULL,
      title TEXT NOT NULL,
      url TEXT NOT NULL,
      created_at TEXT NOT NULL,
      read_at TEXT
    ) STRICT`.execute(db);
  await sql`CREATE INDEX notification_account_idx ON notification (account_id, created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX notification_unread_idx ON notification (account_id, read_at)`.execute(db);

  // Each network chooses whether its discussions are public or for members only (no row: members only).
  await sql`
    CREATE TABLE discussion_setting (
      network_id INTEGER PRIMARY KEY REFERENCES network(id) ON DELETE CASCADE,
      visibility TEXT NOT NULL DEFAULT 'members' CHECK (visibility IN ('public','members')),
      updated_at TEXT NOT NULL,
      updated_by_account_id TEXT REFERENCES account(id) ON DELETE SET NULL
    ) STRICT`.execute(db);

  await sql`
    CREATE TABLE discussion_category (
      id INTEGER PRIMARY KEY,
      network_id INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
      slug TEXT NOT NULL,
      name TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      position INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      UNIQUE (network_id, slug)
    ) STRICT`.execute(db);

  await sql`
    CREATE TABLE discussion_thread (
      id INTEGER PRIMARY KEY,
      network_id INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
      category_id INTEGER NOT NULL REFERENCES discussion_category(id),
      title TEXT NOT NULL,
      author_account_id TEXT REFERENCES account(id) ON DELETE SET NULL,
      subject_type TEXT CHECK (subject_type IS NULL OR subject_type IN ('event','resource','organisation')),
      subject_id INTEGER,
      pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0,1)),
      locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0,1)),
      hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0,1)),
      created_at TEXT NOT NULL,
      last_post_at TEXT NOT NULL,
      reply_count INTEGER NOT NULL DEFAULT 0,
      last_seq INTEGER NOT NULL DEFAULT 0,
      CHECK ((subject_type IS NULL) = (subject_id IS NULL))
    ) STRICT`.execute(db);
  // Category pages: pinned first, then most recently active; covers the paging scan.
  await sql`CREATE INDEX discussion_thread_category_idx ON discussion_thread (category_id, hidden, pinned DESC, last_post_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX discussion_thread_recent_idx ON discussion_thread (network_id, hidden, last_post_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX discussion_thread_subject_idx ON discussion_thread (subject_type, subject_id)`.execute(db);
  await sql`CREATE INDEX discussion_thread_author_idx ON discussion_thread (author_account_id)`.execute(db);

  // seq numbers a thread's posts 1, 2, 3… (1 is the opening post) and never changes, so
  // page n holds seq (n-1)*size+1 … n*size: any page and any post's page is an index range.
  await sql`
    CREATE TABLE discussion_post (
      id INTEGER PRIMARY KEY,
      thread_id INTEGER NOT NULL REFERENCES discussion_thread(id) ON DELETE CASCADE,
      seq INTEGER NOT NULL,
      author_account_id TEXT REFERENCES account(id) ON DELETE SET NULL,
      body TEXT NOT NULL,
      created_at TEXT NOT NULL,
      edited_at TEXT,
      hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0,1)),
      deleted_at TEXT,
      UNIQUE (thread_id, seq)
    ) STRICT`.execute(db);
  await sql`CREATE INDEX discussion_post_author_idx ON discussion_post (author_account_id, created_at)`.execute(db);

  await sql`
    CREATE TABLE discussion_thread_follow (
      account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      thread_id INTEGER NOT NULL REFERENCES discussion_thread(id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      PRIMARY KEY (account_id, thread_id)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX discussion_thread_follow_thread_idx ON discussion_thread_follow (thread_id)`.execute(db);

  await sql`
    CREATE TABLE discussion_category_follow (
      account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      category_id INTEGER NOT NULL REFERENCES discussion_category(id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      PRIMARY KEY (account_id, category_id)
    ) STRICT, WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX discussion_category_follow_category_idx ON discussion_category_follow (category_id)`.execute(db);

  // The last post (by seq) each account has seen in each thread: unread markers.
  await sql`
    CREATE TABLE discussion_thread_read (
      account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
      thread_id INTEGER NOT NULL REFERENCES discussion_thread(id) ON DELETE CASCADE,
      last_read_seq INTEGER NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (account_id, thread_id)
    ) STRICT, WITHOUT ROWID`.execute(db);

  await sql`
    CREATE TABLE discussion_post_report (
      id INTEGER PRIMARY KEY,
      post_id INTEGER NOT NULL REFERENCES discussion_post(id) ON DELETE CASCADE,
      reporter_account_id TEXT REFERENCES account(id) ON DELETE SET NULL,
      reason TEXT NOT NULL,
      created_at TEXT NOT NULL,
      resolved_at TEXT,
      resolved_by_account_id TEXT REFERENCES account(id) ON DELETE SET NULL,
      resolution TEXT
    ) STRICT`.execute(db);
  await sql`CREATE INDEX discussion_post_report_open_idx ON discussion_post_report (resolved_at, post_id)`.execute(db);
  await sql`CREATE INDEX discussion_post_report_post_idx ON discussion_post_report (post_id)`.execute(db);

  // Mention handles (@jo-bloggs): unique, made from the name the first time they are needed.
  await sql`
    CREATE TABLE discussion_handle (
      account_id TEXT PRIMARY KEY REFERENCES account(id) ON DELETE CASCADE,
      handle TEXT NOT NULL UNIQUE
    ) STRICT`.execute(db);

  // Full-text index (SQLite only; see app/models/discussion-search.server.ts). rowid = discussion_post.id.
  await sql`
    CREATE VIRTUAL TABLE discussion_fts USING fts5(
      title, body,
      tokenize = 'porter unicode61 remove_diacritics 2'
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS discussion_fts`.execute(db);
  for (const table of [
    "discussion_handle",
    "discussion_post_report",
    "discussion_thread_read",
    "discussion_category_follow",
    "discussion_thread_follow",
    "discussion_post",
    "discussion_thread",
    "discussion_category",
    "discussion_setting",
    "notification",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
