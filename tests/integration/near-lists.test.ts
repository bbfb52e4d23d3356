/**
 * "Near a postcode" on /services, /organisations and /events, through their loaders on the demo
 * data with the local postcodes.io stand-in: nearest first with miles, online ones kept after the
 * placed ones, filters still apply, bad postcodes are a message (never an error), and the queries
 * read the place through indexes (a page costs what is near, not the table).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { getDb } from "../../db/index";
import { startPostcodes } from "../support/postcodes";
import { getRequest } from "../support/fixtures";

const standIn = await startPostcodes();
process.env.POSTCODES_API_URL = standIn.url;
afterAll(() => standIn.close());

const services = await import("../../app/routes/services._index");
const organisations = await import("../../app/routes/organisations._index");
const events = await import("../../app/routes/events._index");
const { lookUpPending, nearSql } = await import("../../app/models/places.server");

beforeAll(async () => {
  await lookUpPending();
});

async function load<T extends { loader: (args: never) => Promise<Response> }>(route: T, url: string) {
  const res = await (route.loader as (args: { request: Request; params: object; context: object }) => Promise<Response>)({ request: getRequest(url), params: {}, context: {} });
  expect(res.status).toBe(200);
  return res.json();
}

describe("near a postcode on the list pages", () => {
  it("/services: nearest first with miles, the online-only service after the placed ones, the topic filter still applies", async () => {
    const d = await load(services, "/services?near=pr12he&within=100");
    expect(d.near).toMatchObject({ text: "PR1 2HE", located: true, within: 100, error: null });
    const names: string[] = d.items.map((s: { name: string }) => s.name);
    expect(names.indexOf("Preston link worker drop-in (demo)")).toBe(0);
    expect(names.indexOf("Carlisle link worker drop-in (demo)")).toBeGreaterThan(0);
    const miles: Array<number | null> = d.items.map((s: { miles: number | null }) => s.miles);
    const placed = miles.filter((m): m is number => m !== null);
    expect(placed).toEqual([...placed].sort((a, b) => a - b));
    expect(miles.indexOf(null)).toBe(placed.length);
    const hour = d.items.find((s: { name: string }) => s.name === "Social Prescribing Hour");
    expect(hour).toMatchObject({ online: true, miles: null });

    const near = await load(services, "/services?near=PR1+2HE&within=5");
    expect(near.items.map((s: { name: string }) => s.name)).toEqual(["Preston link worker drop-in (demo)", "Social Prescribing Hour"]);

    const walking = await load(services, "/services?near=PR1+2HE&within=100&q=walk");
    expect(walking.items.map((s: { name: string }) => s.name)).toEqual(["Eden Valley Walk and Talk (demo)"]);
    expect(walking.items[0].miles).toBeGreaterThan(50);
  });

  it("/organisations and /events: nearest first with miles; events online after the placed ones", async () => {
    const o = await load(organisations, "/organisations?near=PR1+2HE&within=100");
    const names: string[] = o.items.map((x: { name: string }) => x.name);
    expect(names.indexOf("IWM North")).toBeLessThan(names.indexOf("Cumberland Infirmary"));
    expect(o.items.every((x: { miles: number | null }) => typeof x.miles === "number" && x.miles <= 100)).toBe(true);
    expect(o.total).toBe(o.items.length);
    // Shareable: the pages keep the place in their links.
    expect(o.filters).toMatchObject({ near: "PR1 2HE", within: "100" });

    const e = await load(events, "/events?near=PR1+2HE&within=100");
    const titles: string[] = e.items.map((x: { title: string }) => x.title);
    expect(titles.findIndex((t) => t.includes("regional conference"))).toBeLessThan(titles.findIndex((t) => t.includes("Arts in Health")));
    expect(e.items.at(-1)).toMatchObject({ title: "Social Prescribing Hour", miles: null, online: true });
    // Within 5 miles of Preston only the conference is placed there.
    const close = await load(events, "/events?near=PR1+2HE&within=5");
    expect(close.items.filter((x: { miles: number | null }) => x.miles !== null).map((x: { title: string }) => x.title)).toEqual([expect.stringContaining("regional conference")]);
  });

  it("a postcode that is not one, or is unknown, is a message on the field and the page still lists", async () => {
    for (const [route, path] of [
      [services, "/services"],
      [organisations, "/organisations"],
      [events, "/events"],
    ] as const) {
      const bad = await load(route, `${path}?near=NOT+A+CODE`);
      expect(bad.near).toMatchObject({ text: "NOT A CODE", located: false, error: expect.stringMatching(/Enter a full UK postcode/) });
      expect(bad.items.length).toBeGreaterThan(0);
      const unknown = await load(route, `${path}?near=ZZ9+9ZZ&within=7`);
      expect(unknown.near.error).toMatch(/could not find the postcode ZZ9 9ZZ/);
      expect(unknown.near.within).toBe(10);
    }
  });

  it("reads the place through the indexes: a bounding box on the place index and the online-only index, never a scan", async () => {
    // SQLite's plan; PostgreSQL (RT_TEST_DB=postgres) plans its own way over the same indexes.
    if (process.env.DATABASE_URL) return;
    const db = getDb();
    const near = nearSql("service", { latitude: 53.7632, longitude: -2.7031 }, 10, { includeOnline: true });
    const plan = await sql<{ detail: string }>`EXPLAIN QUERY PLAN SELECT d.ref_id FROM search_document d WHERE ${near.where} ORDER BY ${near.order} LIMIT 20`.execute(db);
    const details = plan.rows.map((r) => r.detail).join("\n");
    expect(details).toMatch(/search_document_place_idx/);
    expect(details).toMatch(/search_document_online_idx/);
    expect(details).not.toMatch(/SCAN d\b/);
  });
});
