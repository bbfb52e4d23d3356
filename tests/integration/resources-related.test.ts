import { describe, expect, it } from "vitest";
import { getDb } from "../../db/index";
import { loader } from "../../app/routes/resources.$id";
import { getRequest } from "../support/fixtures";

describe("a resource page lists related events", () => {
  it("shows upcoming public events sharing a topic, and no members-only ones to a visitor", async () => {
    const db = getDb();
    const shared = await db
      .selectFrom("resource_topic")
      .innerJoin("resource", "resource.id", "resource_topic.resource_id")
      .innerJoin("event_topic", "event_topic.topic", "resource_topic.topic")
      .innerJoin("event", "event.id", "event_topic.event_id")
      .select(["resource.id as resourceId"])
      .where("resource.status", "=", "published")
      .where("resource.visibility", "=", "public")
      .where("event.visibility", "=", "public")
      .where("event.status", "=", "scheduled")
      .executeTakeFirstOrThrow();
    const res = await loader({ request: getRequest(`/resources/${shared.resourceId}`), params: { id: String(shared.resourceId) }, context: {} });
    const data = await res.json();
    expect(data.relatedEvents.length).toBeGreaterThan(0);
    const membersOnly = new Set(
      (await db.selectFrom("event").select("title").where("visibility", "=", "members").execute()).map((e) => e.title),
    );
    for (const e of data.relatedEvents) {
      expect(e.url).toMatch(/^\/events\/\d+/);
      expect(membersOnly.has(e.title)).toBe(false);
    }
  });
});
