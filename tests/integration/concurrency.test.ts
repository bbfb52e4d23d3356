/**
 * What SQLite's single writer guaranteed, checked under concurrency through the model code, on
 * both dialects: many requests at once in one process (on PostgreSQL: the pool's connections in
 * parallel; npm run test:pg). Event capacity and waiting-list positions, the last-admin rule, and
 * jobs that claim queued rows (notice emails, postcode lookups) each doing a piece of work once.
 * tests/integration/registration-concurrency.test.ts and digests-concurrent.test.ts do the same
 * with two processes.
 */
import { afterAll, describe, expect, it } from "vitest";
import { startSmtp } from "../support/smtp";
import { startPostcodes } from "../support/postcodes";
import { createPeople, createPopularEvent } from "../support/crowd";

const smtp = await startSmtp();
process.env.SMTP_URL = smtp.url;
const postcodes = await startPostcodes();
process.env.POSTCODES_API_URL = postcodes.url;

const { getDb, nowIso } = await import("../../db/index");
const { setRegistration } = await import("../../app/models/events/registrations.server");
const { changeMembership } = await import("../../app/models/networks.server");
const { changeAffiliation, leaveOrganisation } = await import("../../app/models/organisations.server");
const { notify } = await import("../../app/models/notifier.server");
const { runNoticeSend } = await import("../../app/models/notifier-sender.server");
const { lookUpPending } = await import("../../app/models/places.server");
const { resetTransport } = await import("../../emails/transport");

afterAll(async () => {
  resetTransport();
  await smtp.close();
  await postcodes.close();
});

const user = (id: string) => ({ id, email: `${id}@example.org`, name: id, emailVerified: true, isPlatformAdmin: false, hasTotp: false });

async function northWest() {
  return getDb().selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirstOrThrow();
}

async function people(prefix: string, n: number) {
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  await createPeople(getDb(), ids);
  return ids;
}

const workshop = (capacity: number) => createPopularEvent(getDb(), capacity);

async function registrations(eventId: number) {
  return getDb().selectFrom("registration").select(["account_id", "status", "position"]).where("event_id", "=", eventId).orderBy("position").execute();
}

describe("event places", () => {
  it("60 people registering at once for 20 places: exactly 20 going, 40 waiting, each position once", async () => {
    const eventId = await workshop(20);
    const ids = await people("crowd", 60);
    const results = await Promise.all(ids.map((id) => setRegistration({ user: user(id), eventId, occurrence: "", going: true })));
    expect(results.every((r) => r.ok)).toBe(true);
    const rows = await registrations(eventId);
    expect(rows.filter((r) => r.status === "going")).toHaveLength(20);
    expect(rows.filter((r) => r.status === "waitlisted")).toHaveLength(40);
    expect(new Set(rows.map((r) => r.position)).size).toBe(60);
    // Everyone going asked before everyone waiting, and each was told what they got.
    expect(rows.slice(0, 20).every((r) => r.status === "going")).toBe(true);
    for (const [i, r] of results.entries()) expect(r.ok && r.status).toBe(rows.find((x) => x.account_id === ids[i])!.status);
  });

  it("withdrawals and registrations at once keep the event exactly full, promoting from the front of the queue", async () => {
    const eventId = await workshop(10);
    const ids = await people("churn", 30);
    for (const id of ids.slice(0, 20)) await setRegistration({ user: user(id), eventId, occurrence: "", going: true });
    const waitingBefore = (await registrations(eventId)).filter((r) => r.status === "waitlisted").map((r) => r.account_id);
    // Five of the ten going withdraw while ten more people register.
    await Promise.all([
      ...ids.slice(0, 5).map((id) => setRegistration({ user: user(id), eventId, occurrence: "", going: false })),
      ...ids.slice(20).map((id) => setRegistration({ user: user(id), eventId, occurrence: "", going: true })),
    ]);
    const rows = await registrations(eventId);
    const going = rows.filter((r) => r.status === "going").map((r) => r.account_id);
    expect(going).toHaveLength(10);
    // The five freed places went to the first five who were already waiting.
    expect(going).toEqual(expect.arrayContaining(waitingBefore.slice(0, 5)));
    expect(rows.filter((r) => r.status === "waitlisted")).toHaveLength(15);
    const positions = rows.filter((r) => r.status !== "not-going").map((r) => r.position);
    expect(new Set(positions).size).toBe(positions.length);
  });
});

describe("the last admin", () => {
  it("two network admins demoting each other at once: one change goes through, the network keeps an admin", async () => {
    const db = getDb();
    const network = await northWest();
    for (let round = 0; round < 5; round++) {
      const [a, b] = await people(`admins${round}`, 2);
      // Only these two are admins of the network this round.
      await db.updateTable("network_membership").set({ role: "member" }).where("network_id", "=", network.id).where("role", "=", "admin").execute();
      const now = nowIso();
      await db
        .insertInto("network_membership")
        .values([a, b].map((id) => ({ network_id: network.id, account_id: id, role: "admin" as const, status: "approved" as const, message: null, created_at: now, decided_at: now, decided_by_account_id: null })))
        .execute();
      const results = await Promise.all([
        changeMembership(a, network.id, { kind: "role", accountId: b, role: "member" }),
        changeMembership(b, network.id, { kind: "role", accountId: a, role: "member" }),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const admins = await db.selectFrom("network_membership").select("account_id").where("network_id", "=", network.id).where("status", "=", "approved").where("role", "=", "admin").execute();
      expect(admins).toHaveLength(1);
    }
  });

  it("two organisation admins leaving and demoting at once: the organisation keeps an admin", async () => {
    const db = getDb();
    const org = await db.selectFrom("organisation").select("id").where("status", "=", "approved").orderBy("id").executeTakeFirstOrThrow();
    for (let round = 0; round < 5; round++) {
      const [a, b] = await people(`orgadmins${round}`, 2);
      await db.deleteFrom("organisation_member").where("organisation_id", "=", org.id).where("role", "=", "admin").execute();
      const now = nowIso();
      await db
        .insertInto("organisation_member")
        .values([a, b].map((id) => ({ organisation_id: org.id, account_id: id, role: "admin" as const, status: "approved" as const, message: null, created_at: now, decided_at: now, decided_by_account_id: null })))
        .execute();
      const results = await Promise.all([leaveOrganisation(a, org.id), changeAffiliation(a, org.id, { kind: "make-member", accountId: b })]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const admins = await db.selectFrom("organisation_member").select("account_id").where("organisation_id", "=", org.id).where("status", "=", "approved").where("role", "=", "admin").execute();
      expect(admins).toHaveLength(1);
    }
  });
});

describe("jobs claiming work", () => {
  it("three notice runs at once send each notice once, including those a dead run left half-sent", async () => {
    const db = getDb();
    const ids = await people("noticed", 30);
    await notify(ids, { kind: "mention", title: "You were mentioned", url: "/discussions", email: { subject: "You were mentioned", heading: "You were mentioned", paragraphs: ["Someone mentioned you."] } });
    // A third of them were being sent by a run that died long ago (another host: only the claim's age tells).
    const queued = await db.selectFrom("notice_email").select("id").where("account_id", "in", ids).orderBy("id").execute();
    expect(queued).toHaveLength(30);
    await db
      .updateTable("notice_email")
      .set({ status: "sending", owner_run: "gone.example:1:dead", claimed_at: "2000-01-01T00:00:00.000Z" })
      .where("id", "in", queued.slice(0, 10).map((r) => r.id))
      .execute();
    const before = smtp.accepted.length;
    await Promise.all([runNoticeSend({ batchSize: 4 }), runNoticeSend({ batchSize: 4 }), runNoticeSend({ batchSize: 4 })]);
    const received = smtp.accepted.slice(before).flatMap((m) => m.envelopeTo).filter((to) => to.startsWith("noticed-"));
    expect(received.sort()).toEqual(ids.map((id) => `${id}@example.org`).sort());
    const rows = await db.selectFrom("notice_email").select("status").where("account_id", "in", ids).execute();
    expect(rows.every((r) => r.status === "sent")).toBe(true);
  });

  it("two postcode-lookup runs at once ask the postcode service about each postcode once", async () => {
    const db = getDb();
    const codes = ["PR1 2HE", "CA1 1RD", "M1 1AE", "L1 8JQ", "LA1 1HP", "BB1 7DJ", "BL1 1RU", "WN1 1XL"];
    const wanted = codes.map((c) => `/postcodes/${encodeURIComponent(c)}`);
    await db.deleteFrom("postcode_location").where("postcode", "in", codes).execute();
    await db
      .insertInto("postcode_location")
      .values(codes.map((postcode) => ({ postcode, status: "pending" as const, latitude: null, longitude: null, attempts: 0, checked_at: null, next_attempt_at: null })))
      .execute();
    const before = postcodes.requests.length;
    await Promise.all([lookUpPending({ limit: 100 }), lookUpPending({ limit: 100 })]);
    const asked = postcodes.requests.slice(before).filter((p) => wanted.includes(p));
    expect(asked.sort()).toEqual([...wanted].sort());
    const settled = await db.selectFrom("postcode_location").select("status").where("postcode", "in", codes).execute();
    expect(settled.every((r) => r.status !== "pending")).toBe(true);
  });
});
