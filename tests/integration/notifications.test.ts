import { describe, expect, it } from "vitest";
import { getDb } from "../../db/index";
import { listNotifications, markRead, unreadNotificationCount } from "../../app/models/notifications.server";
import { notify as notifier } from "../../app/models/notifier.server";
import type { NoticeKind } from "../../db/types/notifier";

/** One in-app notification through the notifier (the only writer). */
async function notify({ accountId, kind, title, url }: { accountId: string; kind: NoticeKind; title: string; url: string }) {
  await notifier([accountId], { kind, title, url, email: { subject: title, heading: title, paragraphs: [] } });
}

async function accountId(email: string) {
  return (await getDb().selectFrom("account").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
}

describe("notifications", () => {
  it("adds, lists newest first, counts unread and marks read (own only)", async () => {
    const member = await accountId("member@example.org");
    const other = await accountId("organiser@example.org");
    await notify({ accountId: member, kind: "reply", title: "First", url: "/discussions/1" });
    await notify({ accountId: member, kind: "mention", title: "Second\r\nBcc: x", url: "/discussions/2" });
    await notify({ accountId: other, kind: "reply", title: "Not yours", url: "/discussions/3" });
    expect(await unreadNotificationCount(member)).toBe(2);
    const { items } = await listNotifications({ accountId: member });
    expect(items.map((n) => n.title)).toEqual(["Second Bcc: x", "First"]);
    const otherItem = (await listNotifications({ accountId: other })).items[0];
    await markRead({ accountId: member, ids: [items[1].id, otherItem.id] });
    expect(await unreadNotificationCount(member)).toBe(1);
    expect(await unreadNotificationCount(other)).toBe(1);
    await markRead({ accountId: member });
    expect(await unreadNotificationCount(member)).toBe(0);
  });

  it("never stores a link that leaves Roundtable", async () => {
    const member = await accountId("member@example.org");
    for (const url of ["https://evil.example", "//evil.example", "javascript:alert(1)", "/\\evil.example"]) {
      await notify({ accountId: member, kind: "reply", title: "x", url });
    }
    const { items } = await listNotifications({ accountId: member, unreadOnly: true });
    expect(items.map((n) => n.url)).toEqual(["/", "/", "/", "/"]);
  });
});
