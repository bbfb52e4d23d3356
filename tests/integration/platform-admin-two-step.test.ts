import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/index";
import { loader as moderationLoader } from "../../app/routes/discussions.moderation";
import { loader as membersLoader } from "../../app/routes/networks.$slug_.members";
import { moderatedNetworkIds, networkRole, organiserNetworks, readableNetworkIds } from "../../app/models/access.server";
import { getAuth } from "../../app/utils/auth.server";
import { generateTotpSecret } from "../../app/utils/totp.server";
import { cookieFor } from "../support/auth";
import { getRequest } from "../support/fixtures";

// Issue 12, item 11: a platform admin who has not set up two-step verification must not use
// organiser, moderator or admin powers in networks they do not belong to.
const ctx = { context: {} };

async function status(p: Promise<unknown>): Promise<{ status: number; location: string | null }> {
  try {
    const res = await p;
    return res instanceof Response ? { status: res.status, location: res.headers.get("Location") } : { status: 200, location: null };
  } catch (e) {
    if (e instanceof Response) return { status: e.status, location: e.headers.get("Location") };
    throw e;
  }
}

describe("platform admins without two-step verification", () => {
  it("have no platform powers until two-step is on, and are sent to set it up", async () => {
    const db = getDb();
    const now = new Date().toISOString();
    const id = randomUUID();
    await db
      .insertInto("account")
      .values({ id, email: "pa-no-2fa@example.org", name: "Pat Admin", password_hash: "x", email_verified_at: now, is_platform_admin: true, profile_visible: false, totp_secret: null, created_at: now, updated_at: now })
      .execute();
    const cookie = await cookieFor("pa-no-2fa@example.org");
    const user = (await getAuth(getRequest("/", { cookie })))!.user;
    const nw = await db.selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirstOrThrow();

    expect(await networkRole(user, nw.id)).toBeNull();
    expect(await moderatedNetworkIds(user)).toEqual([]);
    expect(await readableNetworkIds(user)).toEqual([]);
    expect(await organiserNetworks(user)).toEqual([]);
    expect((await status(moderationLoader({ request: getRequest("/discussions/moderation", { cookie }), params: {}, ...ctx }))).status).toBe(404);
    const members = await status(membersLoader({ request: getRequest("/networks/north-west/members", { cookie }), params: { slug: "north-west" }, ...ctx }));
    expect(members.status).toBe(302);
    expect(members.location).toMatch(/^\/account\/two-step/);

    // With two-step on, the platform powers apply in every network.
    await db.updateTable("account").set({ totp_secret: generateTotpSecret() }).where("id", "=", id).execute();
    const withTwoStep = (await getAuth(getRequest("/", { cookie: await cookieFor("pa-no-2fa@example.org") })))!.user;
    expect(await networkRole(withTwoStep, nw.id)).toBe("admin");
    expect(await moderatedNetworkIds(withTwoStep)).toContain(nw.id);
  });
});
