import fs from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/index";
import { loader as directoryLoader } from "../../app/routes/organisations._index";
import { loader as profileLoader, action as profileAction } from "../../app/routes/organisations.$slug";
import { loader as proposeLoader, action as proposeAction } from "../../app/routes/organisations.new";
import { loader as queueLoader, action as queueAction } from "../../app/routes/organisations.queue";
import { loader as editLoader, action as editAction } from "../../app/routes/organisations.$slug_.edit";
import { loader as logoLoader } from "../../app/routes/organisations.$slug_.logo";
import { loader as newServiceLoader, action as newServiceAction } from "../../app/routes/organisations.$slug_.services.new";
import { action as editServiceAction } from "../../app/routes/organisations.$slug_.services.$serviceId.edit";
import { action as newCaseStudyAction } from "../../app/routes/organisations.$slug_.case-studies.new";
import { loader as peopleLoader, action as peopleAction } from "../../app/routes/organisations.$slug_.people";
import { loader as schemesLoader } from "../../app/routes/organisations.connector-schemes";
import { loader as evidenceLoader } from "../../app/routes/organisations.evidence";
import { loader as membersLoader } from "../../app/routes/members._index";
import { loader as orukIndex } from "../../app/routes/api.openreferral._index";
import { loader as orukServices } from "../../app/routes/api.openreferral.services._index";
import { loader as orukService } from "../../app/routes/api.openreferral.services.$id";
import { loader as orukTaxonomies } from "../../app/routes/api.openreferral.taxonomies._index";
import { loader as orukTerms } from "../../app/routes/api.openreferral.taxonomy_terms._index";
import { getFollowedOrganisationIds, listForDigest, listOrganisationOptions, searchMembers } from "../../app/models/organisations.server";
import { requireUser } from "../../app/utils/auth.server";
import { adminCookie, cookieFor } from "../support/auth";
import { formRequest, getRequest, ORIGIN } from "../support/fixtures";

const ctx = {};
// The standard's schemas, vendored with their licence and source (tests/vendor/openreferral-uk/README.md).
const STANDARD = path.resolve(__dirname, "../vendor/openreferral-uk/schema/compiled");

/** Loaders and actions signal 404s and redirects by throwing a Response: treat both the same. */
async function run(fn: () => Promise<unknown>): Promise<Response> {
  try {
    const result = await fn();
    if (result instanceof Response) return result;
    throw new Error("expected a Response");
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

function loadSchema(name: string) {
  return JSON.parse(fs.readFileSync(path.join(STANDARD, name), "utf8"));
}

// The standard's schemas carry Frictionless Data keywords (name, constraints, core, …) that are
// annotations, not validation: strict mode off; formats (uuid, uri, email, date-time) checked.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const validateListItem = ajv.compile(loadSchema("service_list.json"));
const validateService = ajv.compile(loadSchema("service.json"));
const validateTaxonomyTerm = ajv.compile(JSON.parse(fs.readFileSync(path.join(STANDARD, "../taxonomy_term.json"), "utf8")));

function expectValid(validate: ReturnType<typeof ajv.compile>, data: unknown) {
  const ok = validate(data);
  expect(ok ? "" : ajv.errorsText(validate.errors, { separator: "\n" })).toBe("");
}

function expectPageEnvelope(body: Record<string, unknown>) {
  for (const key of ["total_items", "total_pages", "page_number", "size"]) expect(Number.isInteger(body[key]), key).toBe(true);
  for (const key of ["first_page", "last_page", "empty"]) expect(typeof body[key], key).toBe("boolean");
  expect(Array.isArray(body.contents)).toBe(true);
}

const proposal = (networkId: number, overrides: Record<string, string | string[]> = {}) => ({
  name: "Halton Green Gym",
  sector: "vcse",
  summary: "Outdoor conservation volunteering for wellbeing in Halton.",
  description: "Weekly practical conservation sessions in parks and green spaces.",
  area_served: "Halton",
  address: "Runcorn",
  postcode: "wa7 1aa",
  website: "https://greengym.example.org",
  email: "hello@greengym.example.org",
  phone: "01928 000000",
  registry_number: "1234567",
  networks: [String(networkId)],
  ...overrides,
});

const service = (overrides: Record<string, string | string[]> = {}) => ({
  name: "Green Gym Tuesdays",
  description: "Practical conservation sessions with a tea break and a chat.",
  eligibility: "Adults referred by a link worker, or anyone who wants to come.",
  how_to_refer: "Email us or ask your link worker.",
  schedule_text: "Tuesdays, 10am to 1pm",
  location_name: "Runcorn Hill Park",
  address: "Highlands Road",
  city: "Runcorn",
  postcode: "WA7 4PS",
  online: "no",
  cost: "Free",
  is_free: "yes",
  url: "https://greengym.example.org/tuesdays",
  email: "tuesdays@greengym.example.org",
  phone: "",
  topics: ["nature-and-green", "volunteering"],
  status: "active",
  ...overrides,
});

let member: string;
let admin: string;
let national: string;
let northWestId: number;

beforeAll(async () => {
  member = await cookieFor("member@example.org");
  national = await cookieFor("national@example.org");
  admin = await adminCookie();
  northWestId = (await getDb().selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirstOrThrow()).id;
});

describe("the directory", () => {
  it("lists the deck's partners and filters by sector, network, area, topic and name", async () => {
    const all = await (await run(() => directoryLoader({ request: getRequest("/organisations"), params: {}, context: ctx }))).json();
    const names = all.items.map((o: { name: string }) => o.name);
    expect(all.total).toBeGreaterThanOrEqual(16);
    const everyone = await (await run(() => directoryLoader({ request: getRequest("/organisations?page=2"), params: {}, context: ctx }))).json();
    const allNames = [...names, ...everyone.items.map((o: { name: string }) => o.name)];
    for (const n of ["Breathe Magic", "Dancing Recall", "IWM North", "Manchester Museum", "University of Westminster", "NHS England"]) expect(allNames).toContain(n);

    const arts = await (await run(() => directoryLoader({ request: getRequest("/organisations?sector=arts-culture-heritage"), params: {}, context: ctx }))).json();
    expect(arts.items.map((o: { slug: string }) => o.slug).sort()).toEqual(["iwm-north", "manchester-museum", "the-whitworth"]);

    const national = await (await run(() => directoryLoader({ request: getRequest("/organisations?network=national&sector=university"), params: {}, context: ctx }))).json();
    expect(national.items.map((o: { slug: string }) => o.slug)).toEqual(["university-of-westminster"]);

    const dementia = await (await run(() => directoryLoader({ request: getRequest("/organisations?topic=dementia"), params: {}, context: ctx }))).json();
    expect(dementia.items.map((o: { slug: string }) => o.slug)).toEqual(["dancing-recall"]);

    const cumbria = await (await run(() => directoryLoader({ request: getRequest("/organisations?area=Cumbria"), params: {}, context: ctx }))).json();
    expect(cumbria.items.map((o: { slug: string }) => o.slug).sort()).toEqual(["demo-carlisle-community-connectors", "university-of-cumbria"]);

    const byName = await (await run(() => directoryLoader({ request: getRequest("/organisations?q=magic"), params: {}, context: ctx }))).json();
    expect(byName.items.map((o: { slug: string }) => o.slug)).toEqual(["breathe-magic"]);
  });

  it("treats odd filters as no match, never as an error", async () => {
    for (const qs of ["sector=%3Cscript%3E", "network=nope", "topic=' OR 1=1 --", "q=%25", "q=_", "page=-4", "page=99999999999", "area=" + "x".repeat(5000)]) {
      const res = await run(() => directoryLoader({ request: getRequest(`/organisations?${qs}`), params: {}, context: ctx }));
      expect(res.status, qs).toBe(200);
      const body = await res.json();
      if (!qs.startsWith("page")) expect(body.total, qs).toBe(0);
    }
  });

  it("maps connector schemes by area and gathers evidence by outcome domain with sources", async () => {
    const schemes = await (await run(() => schemesLoader())).json();
    const areas = schemes.groups.map((g: { area: string }) => g.area);
    expect(areas).toEqual([...areas].sort());
    expect(areas).toContain("Cumbria");
    const evidence = await (await run(() => evidenceLoader())).json();
    const byDomain = Object.fromEntries(evidence.domains.map((d: { domain: string; items: Array<{ figure_text: string; source_title: string | null }> }) => [d.domain, d.items]));
    const system = byDomain.system.map((i: { figure_text: string }) => i.figure_text);
    expect(system).toContain("28% fewer GP consultations on average");
    expect(system).toContain("24% fewer A&E attendances on average");
    const person = byDomain.person.find((i: { figure_text: string }) => i.figure_text.includes("£3.50"));
    expect(person?.source_title).toMatch(/More than heritage/);
    expect(person?.participants).toBe(213);
  });
});

describe("a profile", () => {
  it("shows the organisation's services, case studies, upcoming events and resources, and people only to members", async () => {
    const page = await (await run(() => profileLoader({ request: getRequest("/organisations/voluntary-sector-north-west"), params: { slug: "voluntary-sector-north-west" }, context: ctx }))).json();
    expect(page.services.map((s: { name: string }) => s.name)).toContain("Social Prescribing Hour");
    expect(page.events.map((e: { title: string }) => e.title)).toContain("North West social prescribing regional conference (save the date)");
    expect(page.people).toBeNull();
    const hee = await (await run(() => profileLoader({ request: getRequest("/organisations/health-education-england"), params: { slug: "health-education-england" }, context: ctx }))).json();
    expect(hee.resources.length).toBeGreaterThan(0);
    const signedIn = await (await run(() => profileLoader({ request: getRequest("/organisations/voluntary-sector-north-west", { cookie: member }), params: { slug: "voluntary-sector-north-west" }, context: ctx }))).json();
    expect(signedIn.people.length).toBeGreaterThan(0);
    expect(JSON.stringify(signedIn.people)).not.toMatch(/@example\.org/);
    expect((await run(() => profileLoader({ request: getRequest("/organisations/no-such-org"), params: { slug: "no-such-org" }, context: ctx }))).status).toBe(404);
  });
});

describe("proposing, approving and editing an organisation", () => {
  let slug = "";

  it("asks a signed-out visitor to sign in", async () => {
    const res = await run(() => proposeLoader({ request: getRequest("/organisations/new"), params: {}, context: ctx }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/sign-in/);
  });

  it("refuses bad input with field errors and stores nothing", async () => {
    const before = await getDb().selectFrom("organisation").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const res = await run(() =>
      proposeAction({
        request: formRequest(
          "/organisations/new",
          proposal(northWestId, { name: "x".repeat(100_000), website: "javascript:alert(1)", email: "not an email", postcode: "nowhere", sector: "cult", networks: ["999"] }),
          { cookie: member },
        ),
        params: {},
        context: ctx,
      }),
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors.name).toMatch(/150 characters or fewer/);
    expect(body.errors.website).toMatch(/http:\/\/ or https:\/\//);
    expect(body.errors.email).toBeTruthy();
    expect(body.errors.postcode).toBeTruthy();
    expect(body.errors.sector).toBeTruthy();
    expect(body.values.website).toBe("javascript:alert(1)");
    const after = await getDb().selectFrom("organisation").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));

    const foreign = await run(() => proposeAction({ request: formRequest("/organisations/new", proposal(999), { cookie: member }), params: {}, context: ctx }));
    expect(foreign.status).toBe(400);
    expect((await foreign.json()).errors.networks).toBeTruthy();
  });

  it("lets a member propose one: pending, hidden from the directory and the API, visible to its proposer", async () => {
    const res = await run(() =>
      proposeAction({ request: formRequest("/organisations/new", proposal(northWestId, { name: "Halton Green Gym\r\nBcc: x@evil.example" }), { cookie: member }), params: {}, context: ctx }),
    );
    expect(res.status).toBe(302);
    slug = res.headers.get("Location")!.replace("/organisations/", "");
    const org = await getDb().selectFrom("organisation").selectAll().where("slug", "=", slug).executeTakeFirstOrThrow();
    expect(org.status).toBe("pending");
    expect(org.name).toBe("Halton Green Gym Bcc: x@evil.example");
    expect(org.postcode).toBe("WA7 1AA");

    const dir = await (await run(() => directoryLoader({ request: getRequest("/organisations?q=Green%20Gym"), params: {}, context: ctx }))).json();
    expect(dir.total).toBe(0);
    expect((await run(() => profileLoader({ request: getRequest(`/organisations/${slug}`), params: { slug }, context: ctx }))).status).toBe(404);
    expect((await run(() => profileLoader({ request: getRequest(`/organisations/${slug}`, { cookie: national }), params: { slug }, context: ctx }))).status).toBe(404);
    const own = await run(() => profileLoader({ request: getRequest(`/organisations/${slug}`, { cookie: member }), params: { slug }, context: ctx }));
    expect(own.status).toBe(200);
    expect((await own.json()).organisation.status).toBe("pending");
  });

  it("lets only network admins see the queue and decide", async () => {
    expect((await run(() => queueLoader({ request: getRequest("/organisations/queue", { cookie: member }), params: {}, context: ctx }))).status).toBe(404);
    const id = (await getDb().selectFrom("organisation").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
    const sneaky = await run(() => queueAction({ request: formRequest("/organisations/queue", { organisationId: String(id), intent: "approve" }, { cookie: member }), params: {}, context: ctx }));
    expect(sneaky.status).toBe(404);
    const nationalTry = await run(() => queueAction({ request: formRequest("/organisations/queue", { organisationId: String(id), intent: "approve" }, { cookie: national }), params: {}, context: ctx }));
    expect(nationalTry.status).toBe(404);
    expect((await getDb().selectFrom("organisation").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("pending");

    const queue = await (await run(() => queueLoader({ request: getRequest("/organisations/queue", { cookie: admin }), params: {}, context: ctx }))).json();
    expect(queue.pending.map((o: { slug: string }) => o.slug)).toContain(slug);
    const ok = await run(() => queueAction({ request: formRequest("/organisations/queue", { organisationId: String(id), intent: "approve" }, { cookie: admin }), params: {}, context: ctx }));
    expect(ok.status).toBe(302);
    expect((await getDb().selectFrom("organisation").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("approved");
    const again = await run(() => queueAction({ request: formRequest("/organisations/queue", { organisationId: String(id), intent: "reject" }, { cookie: admin }), params: {}, context: ctx }));
    expect(again.status).toBe(409);
  });

  it("lets its admin add a service and a case study, with bad input refused", async () => {
    expect((await run(() => newServiceLoader({ request: getRequest(`/organisations/${slug}/services/new`, { cookie: member }), params: { slug }, context: ctx }))).status).toBe(200);
    const bad = await run(() =>
      newServiceAction({
        request: formRequest(`/organisations/${slug}/services/new`, service({ url: "javascript:alert(1)", topics: ["not-a-topic"], description: "" }), { cookie: member }),
        params: { slug },
        context: ctx,
      }),
    );
    expect(bad.status).toBe(400);
    const errors = (await bad.json()).errors;
    expect(Object.keys(errors).sort()).toEqual(["description", "topics", "url"]);
    expect(await getDb().selectFrom("service").select("id").where("name", "=", "Green Gym Tuesdays").executeTakeFirst()).toBeUndefined();

    const res = await run(() => newServiceAction({ request: formRequest(`/organisations/${slug}/services/new`, service(), { cookie: member }), params: { slug }, context: ctx }));
    expect(res.status).toBe(302);
    const cs = await run(() =>
      newCaseStudyAction({
        request: formRequest(
          `/organisations/${slug}/case-studies/new`,
          { title: "Green Gym evaluation", summary: "Participants felt better.", figure_text: "82% felt more connected", value: "82", unit: "%", participants: "40", domains: ["person", "community"] },
          { cookie: member },
        ),
        params: { slug },
        context: ctx,
      }),
    );
    expect(cs.status).toBe(302);
    const page = await (await run(() => profileLoader({ request: getRequest(`/organisations/${slug}`), params: { slug }, context: ctx }))).json();
    expect(page.services.map((s: { name: string }) => s.name)).toEqual(["Green Gym Tuesdays"]);
    expect(page.caseStudies[0].domains).toEqual(["person", "community"]);
    expect(page.people).toBeNull();
  });

  it("publishes the service through the Open Referral UK API, valid against the shipped schemas", async () => {
    const list = await run(() => orukServices({ request: getRequest("/api/openreferral/services?search=Green%20Gym"), params: {}, context: ctx }));
    expect(list.status).toBe(200);
    expect(list.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(list.headers.get("Content-Type")).toMatch(/^application\/json/);
    const body = await list.json();
    expectPageEnvelope(body);
    expect(body.total_items).toBe(1);
    const item = body.contents[0];
    expectValid(validateListItem, item);
    expect(item.name).toBe("Green Gym Tuesdays");
    expect(item.organization.name).toBe("Halton Green Gym Bcc: x@evil.example");

    const one = await run(() => orukService({ request: getRequest(`/api/openreferral/services/${item.id}`), params: { id: item.id }, context: ctx }));
    expect(one.status).toBe(200);
    const full = await one.json();
    expectValid(validateService, full);
    expect(full.service_at_locations[0].location.addresses[0].postal_code).toBe("WA7 4PS");
    expect(full.schedules[0].description).toBe("Tuesdays, 10am to 1pm");
    expect(full.attributes.map((a: { taxonomy_term: { term: string } }) => a.taxonomy_term.term).sort()).toEqual(["nature-and-green", "volunteering"]);

    const byTerm = await (await run(() => orukServices({ request: getRequest(`/api/openreferral/services?taxonomy_term_id=${full.attributes[0].taxonomy_term_id}`), params: {}, context: ctx }))).json();
    expect(byTerm.contents.map((s: { id: string }) => s.id)).toContain(item.id);
  });

  it("does not let a member edit an organisation they do not administer", async () => {
    for (const [fn, url] of [
      [() => editLoader({ request: getRequest("/organisations/breathe-magic/edit", { cookie: member }), params: { slug: "breathe-magic" }, context: ctx }), "edit"],
      [() => editAction({ request: formRequest("/organisations/breathe-magic/edit", proposal(northWestId, { name: "Hijacked" }), { cookie: member }), params: { slug: "breathe-magic" }, context: ctx }), "edit post"],
      [() => newServiceAction({ request: formRequest("/organisations/breathe-magic/services/new", service(), { cookie: member }), params: { slug: "breathe-magic" }, context: ctx }), "service"],
      [() => peopleLoader({ request: getRequest("/organisations/breathe-magic/people", { cookie: member }), params: { slug: "breathe-magic" }, context: ctx }), "people"],
    ] as const) {
      expect((await run(fn)).status, url).toBe(404);
    }
    expect((await getDb().selectFrom("organisation").select("name").where("slug", "=", "breathe-magic").executeTakeFirstOrThrow()).name).toBe("Breathe Magic");

    // Another organisation's service id through this organisation's address: 404, nothing changed.
    const other = await getDb().selectFrom("service").innerJoin("organisation", "organisation.id", "service.organisation_id").select("service.id").where("organisation.slug", "=", "breathe-magic").executeTakeFirstOrThrow();
    const cross = await run(() =>
      editServiceAction({ request: formRequest(`/organisations/${slug}/services/${other.id}/edit`, service({ name: "Stolen" }), { cookie: member }), params: { slug, serviceId: String(other.id) }, context: ctx }),
    );
    expect(cross.status).toBe(404);
    expect((await getDb().selectFrom("service").select("name").where("id", "=", other.id).executeTakeFirstOrThrow()).name).not.toBe("Stolen");
  });

  it("lets the organisation's admin edit the profile, refusing non-http(s) links", async () => {
    const bad = await run(() => editAction({ request: formRequest(`/organisations/${slug}/edit`, proposal(northWestId, { website: "ftp://files.example.org" }), { cookie: member }), params: { slug }, context: ctx }));
    expect(bad.status).toBe(400);
    const ok = await run(() => editAction({ request: formRequest(`/organisations/${slug}/edit`, proposal(northWestId, { summary: "Green exercise in Halton." }), { cookie: member }), params: { slug }, context: ctx }));
    expect(ok.status).toBe(302);
    expect((await getDb().selectFrom("organisation").select("summary").where("slug", "=", slug).executeTakeFirstOrThrow()).summary).toBe("Green exercise in Halton.");
  });

  it("accepts PNG logos checked by their bytes, refuses anything else, and serves them with nosniff", async () => {
    const upload = (bytes: Uint8Array, name: string, type: string) => {
      const form = new FormData();
      form.append("logo", new Blob([Buffer.from(bytes)], { type }), name);
      return new Request(`${ORIGIN}/organisations/${slug}/edit`, { method: "POST", body: form, headers: { Cookie: member, Origin: ORIGIN, "Sec-Fetch-Site": "same-origin" } });
    };
    const html = new TextEncoder().encode("<html><script>alert(1)</script></html>");
    const fake = await run(() => editAction({ request: upload(html, "logo.png", "image/png"), params: { slug }, context: ctx }));
    expect(fake.status).toBe(400);
    expect((await fake.json()).errors.logo).toMatch(/PNG, JPEG or WebP/);
    expect(await getDb().selectFrom("organisation_logo").select("organisation_id").executeTakeFirst()).toBeUndefined();

    const big = new Uint8Array(2 * 1024 * 1024 + 10);
    big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const tooBig = await run(() => editAction({ request: upload(big, "big.png", "image/png"), params: { slug }, context: ctx }));
    expect(tooBig.status).toBe(413);
    expect(await getDb().selectFrom("organisation_logo").select("organisation_id").executeTakeFirst()).toBeUndefined();

    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const ok = await run(() => editAction({ request: upload(png, "../../etc/passwd", "text/html"), params: { slug }, context: ctx }));
    expect(ok.status).toBe(302);
    const served = await run(() => logoLoader({ request: getRequest(`/organisations/${slug}/logo`), params: { slug }, context: ctx }));
    expect(served.status).toBe(200);
    expect(served.headers.get("Content-Type")).toBe("image/png");
    expect(served.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(png);
  });
});

describe("the Open Referral UK API", () => {
  it("uses validators that do reject what the standard forbids", () => {
    expect(validateListItem({ id: "not-a-uuid", name: "x", status: "active" })).toBe(false);
    expect(validateListItem({ id: "ac148810-d857-441c-9679-408f346de14b", name: "x", status: "open" })).toBe(false);
    expect(validateService({ id: "ac148810-d857-441c-9679-408f346de14b", name: "x", status: "active", url: "not a uri" })).toBe(false);
    expect(validateService({ id: "ac148810-d857-441c-9679-408f346de14b", name: "x", status: "active", schedules: [{}] })).toBe(false);
  });

  it("describes itself and validates every listed service against the schema", async () => {
    const info = await (await run(() => orukIndex())).json();
    expect(info.version).toBe("3.0");
    const res = await run(() => orukServices({ request: getRequest("/api/openreferral/services?per_page=200"), params: {}, context: ctx }));
    const body = await res.json();
    expectPageEnvelope(body);
    expect(body.total_items).toBeGreaterThanOrEqual(6);
    for (const item of body.contents) expectValid(validateListItem, item);
    for (const item of body.contents) {
      const one = await (await run(() => orukService({ request: getRequest(`/api/openreferral/services/${item.id}`), params: { id: item.id }, context: ctx }))).json();
      expectValid(validateService, one);
    }
    expect(body.contents.map((s: { name: string }) => s.name)).toContain("Volunteering for wellbeing");
  });

  it("pages with page and per_page, clamping junk to defaults", async () => {
    const page = async (qs: string) => (await run(() => orukServices({ request: getRequest(`/api/openreferral/services?${qs}`), params: {}, context: ctx }))).json();
    const first = await page("page=1&per_page=2");
    expect(first.size).toBe(2);
    expect(first.first_page).toBe(true);
    expect(first.total_pages).toBe(Math.ceil(first.total_items / 2));
    const second = await page("page=2&per_page=2");
    expect(second.page_number).toBe(2);
    expect(second.contents[0].id).not.toBe(first.contents[0].id);
    for (const qs of ["page=abc&per_page=-5", "page=-1", "per_page=1e9", "page=1.5", "per_page=%00", "page[]=1", "search=%22%27%3B--", "taxonomy_term_id=nope", "organization_id=../../etc"]) {
      const res = await run(() => orukServices({ request: getRequest(`/api/openreferral/services?${qs}`), params: {}, context: ctx }));
      expect(res.status, qs).toBe(200);
      const body = await res.json();
      expectPageEnvelope(body);
      expect(body.size, qs).toBeLessThanOrEqual(200);
    }
    const beyond = await page("page=999");
    expect(beyond.empty).toBe(true);
    expect(beyond.contents).toEqual([]);
    const noMatch = await page("taxonomy_term_id=00000000-0000-0000-0000-000000000000");
    expect(noMatch.total_items).toBe(0);
  });

  it("answers unknown or malformed ids with a JSON 404", async () => {
    for (const id of ["00000000-0000-4000-8000-000000000000", "1", "../../etc/passwd", "<script>", ""]) {
      const res = await run(() => orukService({ request: getRequest(`/api/openreferral/services/${encodeURIComponent(id)}`), params: { id }, context: ctx }));
      expect(res.status, id).toBe(404);
      expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
      expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect((await res.json()).error).toBe("not_found");
    }
  });

  it("shows a pending organisation's logo to those who may see its page, and to no one else (issue 12, item 20)", async () => {
    const res = await run(() =>
      proposeAction({ request: formRequest("/organisations/new", proposal(northWestId, { name: "Pending Logo Org" }), { cookie: member }), params: {}, context: ctx }),
    );
    const slug = res.headers.get("Location")!.replace("/organisations/", "");
    const form = new FormData();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    form.append("logo", new Blob([Buffer.from(png)], { type: "image/png" }), "logo.png");
    const uploaded = await run(() =>
      editAction({ request: new Request(`${ORIGIN}/organisations/${slug}/edit`, { method: "POST", body: form, headers: { Cookie: member, Origin: ORIGIN, "Sec-Fetch-Site": "same-origin" } }), params: { slug }, context: ctx }),
    );
    expect(uploaded.status).toBe(302);
    expect((await getDb().selectFrom("organisation").select("status").where("slug", "=", slug).executeTakeFirstOrThrow()).status).toBe("pending");
    const logoFor = (cookie?: string) => run(() => logoLoader({ request: getRequest(`/organisations/${slug}/logo`, cookie ? { cookie } : undefined), params: { slug }, context: ctx }));

    const proposer = await logoFor(member);
    expect(proposer.status).toBe(200);
    expect(proposer.headers.get("Content-Type")).toBe("image/png");
    expect(proposer.headers.get("Cache-Control")).toBe("private, no-store");
    expect(new Uint8Array(await proposer.arrayBuffer())).toEqual(png);
    expect((await logoFor(admin)).status).toBe(200);
    expect((await logoFor(national)).status).toBe(404);
    expect((await logoFor()).status).toBe(404);
  });

  it("never lists services of pending organisations", async () => {
    const res = await run(() =>
      proposeAction({ request: formRequest("/organisations/new", proposal(northWestId, { name: "Secret Pending Org" }), { cookie: member }), params: {}, context: ctx }),
    );
    const slug = res.headers.get("Location")!.replace("/organisations/", "");
    await run(() => newServiceAction({ request: formRequest(`/organisations/${slug}/services/new`, service({ name: "Hidden service" }), { cookie: member }), params: { slug }, context: ctx }));
    const body = await (await run(() => orukServices({ request: getRequest("/api/openreferral/services?search=Hidden"), params: {}, context: ctx }))).json();
    expect(body.total_items).toBe(0);
    const hidden = await getDb().selectFrom("service").select("uuid").where("name", "=", "Hidden service").executeTakeFirstOrThrow();
    expect((await run(() => orukService({ request: getRequest(`/api/openreferral/services/${hidden.uuid}`), params: { id: hidden.uuid }, context: ctx }))).status).toBe(404);
  });

  it("lists the topic taxonomy and its terms", async () => {
    const tax = await (await run(() => orukTaxonomies({ request: getRequest("/api/openreferral/taxonomies"), params: {}, context: ctx }))).json();
    expectPageEnvelope(tax);
    expect(tax.total_items).toBe(1);
    const terms = await (await run(() => orukTerms({ request: getRequest("/api/openreferral/taxonomy_terms?per_page=100"), params: {}, context: ctx }))).json();
    expectPageEnvelope(terms);
    for (const t of terms.contents) expectValid(validateTaxonomyTerm, t);
    expect(terms.contents.every((t: { taxonomy_id: string }) => t.taxonomy_id === tax.contents[0].id)).toBe(true);
  });
});

describe("affiliation, following and the member directory", () => {
  it("lets a member ask to be listed and the organisation's admin approve", async () => {
    const res = await run(() => profileAction({ request: formRequest("/organisations/voluntary-sector-north-west", { intent: "affiliate", message: "I coordinate events" }, { cookie: national }), params: { slug: "voluntary-sector-north-west" }, context: ctx }));
    expect(res.status).toBe(302);
    const nationalId = (await getDb().selectFrom("account").select("id").where("email", "=", "national@example.org").executeTakeFirstOrThrow()).id;
    // A plain member of another organisation cannot approve it.
    const sneaky = await run(() => peopleAction({ request: formRequest("/organisations/voluntary-sector-north-west/people", { intent: "approve", accountId: nationalId }, { cookie: member }), params: { slug: "voluntary-sector-north-west" }, context: ctx }));
    expect(sneaky.status).toBe(404);
    const orgAdmin = await adminCookie();
    const people = await (await run(() => peopleLoader({ request: getRequest("/organisations/voluntary-sector-north-west/people", { cookie: orgAdmin }), params: { slug: "voluntary-sector-north-west" }, context: ctx }))).json();
    expect(people.pending.map((p: { email: string }) => p.email)).toEqual(["national@example.org"]);
    const ok = await run(() => peopleAction({ request: formRequest("/organisations/voluntary-sector-north-west/people", { intent: "approve", accountId: nationalId }, { cookie: orgAdmin }), params: { slug: "voluntary-sector-north-west" }, context: ctx }));
    expect(ok.status).toBe(302);
    const page = await (await run(() => profileLoader({ request: getRequest("/organisations/voluntary-sector-north-west", { cookie: member }), params: { slug: "voluntary-sector-north-west" }, context: ctx }))).json();
    expect(page.people.map((p: { name: string }) => p.name)).toContain((await getDb().selectFrom("account").select("name").where("id", "=", nationalId).executeTakeFirstOrThrow()).name);
  });

  it("follows and unfollows, feeding the calendar and digest exports", async () => {
    const accountId = (await getDb().selectFrom("account").select("id").where("email", "=", "member@example.org").executeTakeFirstOrThrow()).id;
    const since = new Date(Date.now() - 60_000).toISOString();
    await run(() => profileAction({ request: formRequest("/organisations/breathe-magic", { intent: "follow" }, { cookie: member }), params: { slug: "breathe-magic" }, context: ctx }));
    const breathe = (await getDb().selectFrom("organisation").select("id").where("slug", "=", "breathe-magic").executeTakeFirstOrThrow()).id;
    expect(await getFollowedOrganisationIds(accountId)).toEqual([breathe]);
    const page = await (await run(() => profileLoader({ request: getRequest("/organisations/breathe-magic", { cookie: member }), params: { slug: "breathe-magic" }, context: ctx }))).json();
    expect(page.following).toBe(true);
    const digest = await listForDigest({ since: "2000-01-01T00:00:00.000Z", organisationIds: [breathe], limit: 10 });
    expect(digest.map((d) => d.title)).toContain("Breathe Magic: motor skills and independence");
    for (const d of digest) expect(Object.keys(d).sort()).toEqual(["id", "meta", "summary", "title", "url"]);
    expect(await listForDigest({ since: new Date(Date.now() + 60_000).toISOString(), organisationIds: [breathe] })).toEqual([]);
    expect(since).toBeTruthy();
    await run(() => profileAction({ request: formRequest("/organisations/breathe-magic", { intent: "unfollow" }, { cookie: member }), params: { slug: "breathe-magic" }, context: ctx }));
    expect(await getFollowedOrganisationIds(accountId)).toEqual([]);
    expect((await run(() => profileAction({ request: formRequest("/organisations/breathe-magic", { intent: "follow" }), params: { slug: "breathe-magic" }, context: ctx }))).status).toBe(302);
    expect(await getFollowedOrganisationIds(accountId)).toEqual([]);
    const options = await listOrganisationOptions();
    expect(options.some((o) => o.name === "Secret Pending Org")).toBe(false);
  });

  it("shows members who share a network, respecting visibility, to signed-in members only", async () => {
    const anon = await run(() => membersLoader({ request: getRequest("/members"), params: {}, context: ctx }));
    expect(anon.status).toBe(302);
    const seen = await (await run(() => membersLoader({ request: getRequest("/members", { cookie: member }), params: {}, context: ctx }))).json();
    const names = seen.items.map((m: { name: string }) => m.name);
    const nameOf = async (email: string) => (await getDb().selectFrom("account").select("name").where("email", "=", email).executeTakeFirstOrThrow()).name;
    expect(names).toContain(await nameOf("organiser@example.org"));
    expect(names).not.toContain(await nameOf("national@example.org"));
    expect(JSON.stringify(seen)).not.toMatch(/@example\.org/);

    await getDb().updateTable("account").set({ profile_visible: false }).where("email", "=", "organiser@example.org").execute();
    const hidden = await (await run(() => membersLoader({ request: getRequest("/members", { cookie: member }), params: {}, context: ctx }))).json();
    expect(hidden.items.map((m: { name: string }) => m.name)).not.toContain(await nameOf("organiser@example.org"));
    await getDb().updateTable("account").set({ profile_visible: true }).where("email", "=", "organiser@example.org").execute();

    const foreignNetwork = await (await run(() => membersLoader({ request: getRequest("/members?network=national", { cookie: member }), params: {}, context: ctx }))).json();
    expect(foreignNetwork.total).toBe(0);
    const search = await (await run(() => membersLoader({ request: getRequest(`/members?q=${encodeURIComponent("%")}`, { cookie: member }), params: {}, context: ctx }))).json();
    expect(search.total).toBe(0);
  });

  it("names a member's organisation only while it is approved, and filters by it", async () => {
    const viewer = await requireUser(getRequest("/members", { cookie: await cookieFor("member@example.org") }));
    const withOrg = (await searchMembers(viewer, {})).items.find((m) => m.organisation_slug);
    expect(withOrg).toBeDefined();
    const org = await getDb().selectFrom("organisation").select(["id", "name"]).where("slug", "=", withOrg!.organisation_slug!).executeTakeFirstOrThrow();
    expect(withOrg!.organisation_name).toBe(org.name);
    const filtered = await searchMembers(viewer, { organisationIds: [org.id] });
    expect(filtered.items.map((m) => m.key)).toContain(withOrg!.key);
    expect(filtered.items.every((m) => m.organisation_slug === withOrg!.organisation_slug)).toBe(true);
    expect((await searchMembers(viewer, { organisationIds: [] })).total).toBe(0);

    await getDb().updateTable("organisation").set({ status: "pending" }).where("id", "=", org.id).execute();
    try {
      const pending = (await searchMembers(viewer, {})).items.find((m) => m.key === withOrg!.key);
      expect(pending).toMatchObject({ organisation_name: null, organisation_slug: null });
    } finally {
      await getDb().updateTable("organisation").set({ status: "approved" }).where("id", "=", org.id).execute();
    }
  });

  it("counts members only so far past the page: beyond that it says 'more than' and the pages go on", async () => {
    const viewer = await requireUser(getRequest("/members", { cookie: await cookieFor("member@example.org") }));
    const all = await searchMembers(viewer, {});
    expect(all.more).toBe(false);
    expect(all.total).toBeGreaterThanOrEqual(3);
    const capped = await searchMembers(viewer, { counted: 2 });
    expect(capped).toMatchObject({ total: 2, more: true, page: 1 });
    expect(capped.items.map((m) => m.name)).toEqual(all.items.map((m) => m.name));
    // Counting starts again from the page asked for, so every page can be reached.
    const exact = await searchMembers(viewer, { counted: all.total });
    expect(exact).toMatchObject({ total: all.total, more: false });
  });
});
