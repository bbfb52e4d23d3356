/** Kysely's view of the SQLite connection keeps compiled statements by their SQL text (db/index.ts). */
import SQLite from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { withStatementCache } from "../../db/index";

describe("the statement cache", () => {
  it("hands back the compiled statement for the same text, a fresh one while it is being iterated, and forgets the least recently used", () => {
    const sqlite = new SQLite(":memory:");
    sqlite.exec("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3);");
    const db = withStatementCache(sqlite, 2);
    const a = db.prepare("SELECT n FROM t ORDER BY n");
    expect(db.prepare("SELECT n FROM t ORDER BY n")).toBe(a);
    const b = db.prepare("SELECT n FROM t WHERE n > ?");
    expect(b).not.toBe(a);

    // One query still reading its rows while the same query runs again: both see every row.
    const reading = a.iterate() as IterableIterator<{ n: number }>;
    expect(reading.next().value).toEqual({ n: 1 });
    const again = db.prepare("SELECT n FROM t ORDER BY n");
    expect(again).not.toBe(a);
    expect(again.all()).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect([...reading]).toEqual([{ n: 2 }, { n: 3 }]);

    // Two kept: using a third text forgets the least recently used one.
    db.prepare("SELECT n FROM t ORDER BY n");
    db.prepare("SELECT count(*) FROM t");
    expect(db.prepare("SELECT n FROM t ORDER BY n")).toBe(a);
    expect(db.prepare("SELECT n FROM t WHERE n > ?")).not.toBe(b);
    db.close();
    expect(sqlite.open).toBe(false);
  });
});
