import { describe, expect, it } from "vitest";
import { getDb } from "../../db/index";
import { gatherDigest } from "../../app/models/digest-content.server";

// Issue 12, item 16: raw Markdown showed in the digest's summaries.
describe("digest summaries", () => {
  it("are plain words, without Markdown syntax", async () => {
    const db = getDb();
    const r = await db.selectFrom("resource").select("id").where("status", "=", "published").where("visibility", "=", "public").orderBy("id").executeTakeFirstOrThrow();
    await db
      .updateTable("resource")
      .set({ summary: "**Bold claims** and a [link to the report](https://example.org/report), with `code`.", published_at: new Date().toISOString() })
      .where("id", "=", r.id)
      .execute();
    const content = await gatherDigest({ account_id: null, network_ids: "[]", topics: "[]", include_follows: false }, { since: "2000-01-01T00:00:00.000Z", limit: 50 });
    const item = content.sections.flatMap((s) => s.items).find((i) => i.url === `/resources/${r.id}`);
    expect(item?.summary).toContain("Bold claims and a link to the report");
    for (const s of content.sections) for (const i of s.items) expect(i.summary, i.title).not.toMatch(/\*\*|\]\(|`/);
  });
});
