import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/index";
import { buildSimplePdf } from "../../db/seed/pdf";
import { loader as indexLoader } from "../../app/routes/resources._index";
import { action as newAction } from "../../app/routes/resources.new";
import { loader as pageLoader, action as pageAction } from "../../app/routes/resources.$id";
import { action as editAction } from "../../app/routes/resources.$id_.edit";
import { loader as downloadLoader } from "../../app/routes/resources.$id.download";
import { loader as moderationLoader, action as moderationAction } from "../../app/routes/resources.moderation";
import { loader as atomLoader } from "../../app/routes/resources[.]atom";
import { loader as homeLoader } from "../../app/routes/_index";
import { listForDigest, listResourcesFor } from "../../app/models/resources.server";
import { tempDir } from "../../app/models/resource-files.server";
import { runNoticeSend } from "../../app/models/notifier-sender.server";
import { cookieFor } from "../support/auth";
import { formRequest, getRequest, ORIGIN } from "../support/fixtures";

const ctx = {};
const NW = () => getDb().selectFrom("network").select("id").where("slug", "=", "north-west").executeTakeFirstOrThrow().then((n) => n.id);
const NATIONAL = () => getDb().selectFrom("network").select("id").where("slug", "=", "national").executeTakeFirstOrThrow().then((n) => n.id);

function details(networkId: number, overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    networkId: String(networkId),
    visibility: "public",
    kind: "report",
    title: "Green social prescribing in Cumbria",
    summary: "How nature-based activities help people in rural Cumbria.",
    publisherOrganisationId: "",
    publisherName: "University of Cumbria",
    year: "2024",
    licence: "",
    topics: ["nature-and-green"],
    outcomes: ["person"],
    url: "https://example.org/green.pdf",
    ...overrides,
  };
}

function multipart(pathname: string, fields: Record<string, string | string[]>, file: { name: string; bytes: Uint8Array; type?: string } | null, cookie: string): Request {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) fd.append(k, one);
  if (file) fd.append("file", new Blob([Buffer.from(file.bytes)], { type: file.type ?? "application/pdf" }), file.name);
  return new Request(`${ORIGIN}${pathname}`, { method: "POST", body: fd, headers: { Cookie: cookie, Origin: ORIGIN, "Sec-Fetch-Site": "same-origin" } });
}

async function idFromRedirect(res: Response): Promise<number> {
  expect(res.status).toBe(302);
  const m = /\/resources\/(\d+)$/.exec(res.headers.get("Location") ?? "");
  expect(m).not.toBeNull();
  return Number(m![1]);
}

async function status(p: Promise<unknown>): Promise<number> {
  try {
    const res = await p;
    return res instanceof Response ? res.status : 200;
  } catch (e) {
    if (e instanceof Response) return e.status;
    throw e;
  }
}

async function searchTitles(q: string, cookie?: string): Promise<string[]> {
  const res = await indexLoader({ request: getRequest(`/resources?q=${encodeURIComponent(q)}`, { cookie }), params: {}, context: ctx });
  const body = await res.json();
  return body.results.map((r: { title: string }) => r.title);
}

function tempFiles(): string[] {
  return fs.existsSync(tempDir()) ? fs.readdirSync(tempDir()) : [];
}

describe("contributing and moderating", () => {
  it("a member's link waits for a moderator, who approves it; the contributor is emailed; then it is found", async () => {
    const member = await cookieFor("member@example.org");
    const res = await newAction({ request: formRequest("/resources/new", details(await NW(), { title: "Zebrafinch wellbeing walks" }), { cookie: member }), params: {}, context: ctx });
    const id = await idFromRedirect(res);
    const row = await getDb().selectFrom("resource").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.status).toBe("pending");
    expect(await searchTitles("zebrafinch")).toEqual([]);
    // The public, another network's member and an organiser cannot see or moderate it.
    expect(await status(pageLoader({ request: getRequest(`/resources/${id}`), params: { id: String(id) }, context: ctx }))).toBe(404);
    expect(await status(pageLoader({ request: getRequest(`/resources/${id}`, { cookie: await cookieFor("national@example.org") }), params: { id: String(id) }, context: ctx }))).toBe(404);
    const organiser = await cookieFor("organiser@example.org");
    expect(await status(pageAction({ request: formRequest(`/resources/${id}`, { intent: "approve" }, { cookie: organiser }), params: { id: String(id) }, context: ctx }))).toBe(404);
    expect(await status(moderationLoader({ request: getRequest("/resources/moderation", { cookie: organiser }), params: {}, context: ctx }))).toBe(404);
    expect(await status(moderationLoader({ request: getRequest("/resources/moderation", { cookie: member }), params: {}, context: ctx }))).toBe(404);
    // The contributor sees it, marked as waiting.
    expect(await status(pageLoader({ request: getRequest(`/resources/${id}`, { cookie: member }), params: { id: String(id) }, context: ctx }))).toBe(200);

    const moderator = await cookieFor("moderator@example.org");
    const queue = await (await moderationLoader({ request: getRequest("/resources/moderation", { cookie: moderator }), params: {}, context: ctx })).json();
    expect(queue.pending.map((p: { id: number }) => p.id)).toContain(id);
    const approved = await moderationAction({ request: formRequest("/resources/moderation", { intent: "approve", id: String(id) }, { cookie: moderator }), params: {}, context: ctx });
    expect(approved.status).toBe(302);
    expect((await getDb().selectFrom("resource").select(["status", "published_at"]).where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("published");
    expect(await searchTitles("zebrafinch")).toEqual(["Zebrafinch wellbeing walks"]);
    await runNoticeSend();
    const outbox = process.env.OUTBOX_DIR!;
    const mails = fs.readdirSync(outbox).map((f) => fs.readFileSync(path.join(outbox, f), "utf8"));
    expect(mails.some((m) => m.includes("member@example.org") && /Subject: Your resource is published/.test(m))).toBe(true);
    // Approving twice is refused, not repeated.
    expect((await moderationAction({ request: formRequest("/resources/moderation", { intent: "approve", id: String(id) }, { cookie: moderator }), params: {}, context: ctx })).status).toBe(400);
  });

  it("rejecting needs a reason, which the contributor receives", async () => {
    const member = await cookieFor("member@example.org");
    const id = await idFromRedirect(await newAction({ request: formRequest("/resources/new", details(await NW(), { title: "Quokka leaflet" }), { cookie: member }), params: {}, context: ctx }));
    const moderator = await cookieFor("moderator@example.org");
    const noReason = await pageAction({ request: formRequest(`/resources/${id}`, { intent: "reject", reason: "" }, { cookie: moderator }), params: { id: String(id) }, context: ctx });
    expect(noReason.status).toBe(400);
    const res = await pageAction({ request: formRequest(`/resources/${id}`, { intent: "reject", reason: "Please add the publisher's year." }, { cookie: moderator }), params: { id: String(id) }, context: ctx });
    expect(res.status).toBe(302);
    const row = await getDb().selectFrom("resource").select(["status", "rejection_reason"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "rejected", rejection_reason: "Please add the publisher's year." });
    await runNoticeSend();
    const outbox = process.env.OUTBOX_DIR!;
    const mails = fs.readdirSync(outbox).map((f) => fs.readFileSync(path.join(outbox, f), "utf8"));
    expect(mails.some((m) => /Subject: Your resource was not published/.test(m) && m.includes("publisher's year"))).toBe(true);
  });

  it("moderators only moderate their own networks", async () => {
    const national = await cookieFor("national@example.org");
    const id = await idFromRedirect(await newAction({ request: formRequest("/resources/new", details(await NATIONAL(), { title: "National only draft" }), { cookie: national }), params: {}, context: ctx }));
    const moderator = await cookieFor("moderator@example.org"); // North West moderator only
    expect(await status(moderationAction({ request: formRequest("/resources/moderation", { intent: "approve", id: String(id) }, { cookie: moderator }), params: {}, context: ctx }))).toBe(404);
    const queue = await (await moderationLoader({ request: getRequest("/resources/moderation", { cookie: moderator }), params: {}, context: ctx })).json();
    expect(queue.pending.map((p: { id: number }) => p.id)).not.toContain(id);
    expect((await getDb().selectFrom("resource").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("pending");
  });

  it("organisers publish directly; members cannot post to networks they are not in", async () => {
    const organiser = await cookieFor("organiser@example.org");
    const id = await idFromRedirect(await newAction({ request: formRequest("/resources/new", details(await NW(), { title: "Organiser direct publish" }), { cookie: organiser }), params: {}, context: ctx }));
    expect((await getDb().selectFrom("resource").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("published");
    const member = await cookieFor("member@example.org");
    const res = await newAction({ request: formRequest("/resources/new", details(await NATIONAL()), { cookie: member }), params: {}, context: ctx });
    expect(res.status).toBe(400);
    expect((await res.json()).errors.networkId).toBeTruthy();
  });

  it("refuses javascript: and other non-http links with a field error that keeps what was typed", async () => {
    const organiser = await cookieFor("organiser@example.org");
    for (const url of ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>", "ftp://example.org/x", "//evil.example", " javascript:alert(1)"]) {
      const res = await newAction({ request: formRequest("/resources/new", details(await NW(), { url, title: "<script>alert(1)</script>" }), { cookie: organiser }), params: {}, context: ctx });
      expect(res.status, url).toBe(400);
      const body = await res.json();
      expect(body.errors.url, url).toMatch(/http/);
      expect(body.values.title).toBe("<script>alert(1)</script>");
    }
    expect(await getDb().selectFrom("resource").select("id").where("url", "like", "%javascript%").execute()).toHaveLength(0);
  });
});

describe("visibility", () => {
  it("members-only resources are invisible outside their network: page, search, download, feed, home", async () => {
    const organiser = await cookieFor("organiser@example.org");
    const pdf = buildSimplePdf(["Members only pangolin"]);
    const id = await idFromRedirect(
      await newAction({ request: multipart("/resources/new", { ...details(await NW(), { title: "Pangolin members-only guide", visibility: "members", url: "" }) }, { name: "pangolin.pdf", bytes: pdf }, organiser), params: {}, context: ctx }),
    );
    const national = await cookieFor("national@example.org");
    const member = await cookieFor("member@example.org");
    for (const cookie of [undefined, national]) {
      expect(await status(pageLoader({ request: getRequest(`/resources/${id}`, { cookie }), params: { id: String(id) }, context: ctx }))).toBe(404);
      expect(await status(downloadLoader({ request: getRequest(`/resources/${id}/download`, { cookie }), params: { id: String(id) }, context: ctx }))).toBe(404);
      expect(await searchTitles("pangolin", cookie)).toEqual([]);
    }
    expect(await searchTitles("pangolin", member)).toEqual(["Pangolin members-only guide"]);
    const dl = await downloadLoader({ request: getRequest(`/resources/${id}/download`, { cookie: member }), params: { id: String(id) }, context: ctx });
    expect(dl.status).toBe(200);
    expect(dl.headers.get("Cache-Control")).toContain("private");
    const feed = await (await atomLoader({ request: getRequest("/resources.atom"), params: {}, context: ctx })).text();
    expect(feed).not.toContain("Pangolin");
    expect(feed).toContain("Making sense of social prescribing");
    const home = await (await homeLoader({ request: getRequest("/"), params: {}, context: ctx })).json();
    expect(JSON.stringify(home.resources)).not.toContain("Pangolin");
    const nw = await NW();
    expect((await listForDigest({ since: "2000-01-01T00:00:00Z", networkIds: [nw] })).map((r) => r.title)).not.toContain("Pangolin members-only guide");
    expect((await listForDigest({ since: "2000-01-01T00:00:00Z", networkIds: [nw], includeMembersOnly: true })).map((r) => r.title)).toContain("Pangolin members-only guide");
    // Unknown and malformed ids are 404 too.
    for (const bad of ["999999", "abc", "-1", "1e3", "../1"]) {
      expect(await status(pageLoader({ request: getRequest(`/resources/x`), params: { id: bad }, context: ctx }))).toBe(404);
      expect(await status(downloadLoader({ request: getRequest(`/resources/x/download`), params: { id: bad }, context: ctx }))).toBe(404);
    }
  });

  it("lists an organisation's public resources and feeds the digest newest first", async () => {
    const westminster = await getDb().selectFrom("organisation").select("id").where("slug", "=", "university-of-westminster").executeTakeFirstOrThrow();
    const list = await listResourcesFor({ organisationId: westminster.id });
    expect(list.map((r) => r.title)).toContain("Making sense of social prescribing");
    expect(list[0].url).toMatch(/^\/resources\/\d+$/);
    expect(list[0].meta).toContain("University of Westminster");
  });
});

describe("the search index stays in step", () => {
  it("after insert, update and delete", async () => {
    const organiser = await cookieFor("organiser@example.org");
    const id = await idFromRedirect(await newAction({ request: formRequest("/resources/new", details(await NW(), { title: "Axolotl toolkit" }), { cookie: organiser }), params: {}, context: ctx }));
    expect(await searchTitles("axolotl")).toEqual(["Axolotl toolkit"]);
    const edited = await editAction({ request: formRequest(`/resources/${id}/edit`, details(await NW(), { title: "Narwhal toolkit" }), { cookie: organiser }), params: { id: String(id) }, context: ctx });
    expect(edited.status).toBe(302);
    expect(await searchTitles("axolotl")).toEqual([]);
    expect(await searchTitles("narwhal")).toEqual(["Narwhal toolkit"]);
    const docs = await getDb().selectFrom("search_document").select(["ref_id", "title"]).where("kind", "=", "resource").where("ref_id", "=", id).execute();
    expect(docs).toEqual([{ ref_id: id, title: "Narwhal toolkit" }]);
    const moderator = await cookieFor("moderator@example.org");
    const deleted = await editAction({ request: formRequest(`/resources/${id}/edit`, { intent: "delete" }, { cookie: moderator }), params: { id: String(id) }, context: ctx });
    expect(deleted.status).toBe(302);
    expect(await searchTitles("narwhal")).toEqual([]);
    expect(await getDb().selectFrom("search_document").select("id").where("kind", "=", "resource").where("ref_id", "=", id).execute()).toHaveLength(0);
    // Every published resource has exactly one document.
    const counts = await getDb().selectFrom("resource").select((eb) => eb.fn.countAll<number>().as("n")).where("status", "=", "published").executeTakeFirstOrThrow();
    const docCounts = await getDb().selectFrom("search_document").select((eb) => eb.fn.countAll<number>().as("n")).where("kind", "=", "resource").executeTakeFirstOrThrow();
    expect(Number(docCounts.n)).toBe(Number(counts.n));
  });

  it("a member's edit to a published resource goes back to the queue", async () => {
    const member = await cookieFor("member@example.org");
    const moderator = await cookieFor("moderator@example.org");
    const id = await idFromRedirect(await newAction({ request: formRequest("/resources/new", details(await NW(), { title: "Okapi guide" }), { cookie: member }), params: {}, context: ctx }));
    await moderationAction({ request: formRequest("/resources/moderation", { intent: "approve", id: String(id) }, { cookie: moderator }), params: {}, context: ctx });
    expect(await searchTitles("okapi")).toEqual(["Okapi guide"]);
    await editAction({ request: formRequest(`/resources/${id}/edit`, details(await NW(), { title: "Okapi guide (spam edit)" }), { cookie: member }), params: { id: String(id) }, context: ctx });
    expect(await searchTitles("okapi")).toEqual([]);
    // Someone else's member cannot edit it at all.
    const national = await cookieFor("national@example.org");
    expect(await status(editAction({ request: formRequest(`/resources/${id}/edit`, details(await NW()), { cookie: national }), params: { id: String(id) }, context: ctx }))).toBe(404);
  });
});

describe("facets", () => {
  it("counts over the matched set, and a filter narrows the results", async () => {
    const res = await (await indexLoader({ request: getRequest("/resources?q=social+prescribing"), params: {}, context: ctx })).json();
    const total = res.total;
    expect(total).toBeGreaterThan(3);
    const kinds: Array<{ value: string; count: number | null }> = res.facets.kind;
    expect(kinds.reduce((s, k) => s + (k.count ?? Number.NaN), 0)).toBe(total);
    const video = kinds.find((k) => k.value === "video")!;
    const filtered = await (await indexLoader({ request: getRequest("/resources?q=social+prescribing&kind=video"), params: {}, context: ctx })).json();
    expect(filtered.total).toBe(video.count);
    expect(filtered.results.every((r: { kind: string }) => r.kind === "video")).toBe(true);
    // The kind facet still offers the other kinds (its own filter is left out of its counts).
    expect(filtered.facets.kind.length).toBe(kinds.length);
    const years = await (await indexLoader({ request: getRequest("/resources?year=2017&publisher=University+of+Westminster"), params: {}, context: ctx })).json();
    expect(years.results.map((r: { title: string }) => r.title).sort()).toEqual(
      ["A review of the evidence: impact of social prescribing on demand for NHS healthcare", "Making sense of social prescribing"].sort(),
    );
    const outcome = await (await indexLoader({ request: getRequest("/resources?outcome=system&topic=commissioning-and-funding&network=north-west"), params: {}, context: ctx })).json();
    expect(outcome.results.map((r: { title: string }) => r.title)).toContain("Making sense of social prescribing");
    const newest = await (await indexLoader({ request: getRequest("/resources?q=social&sort=newest&page=999999"), params: {}, context: ctx })).json();
    expect(newest.results).toEqual([]);
  });
});

describe("uploads", () => {
  it("stores a PDF under a random id, keeps versions, and downloads it intact with safe headers", async () => {
    const organiser = await cookieFor("organiser@example.org");
    const pdf = buildSimplePdf(["Version one"]);
    const id = await idFromRedirect(
      await newAction({ request: multipart("/resources/new", details(await NW(), { title: "Hedgehog handbook", url: "" }), { name: "../../etc/evil\r\nX-Bad: 1.pdf", bytes: pdf }, organiser), params: {}, context: ctx }),
    );
    const file = await getDb().selectFrom("resource_file").selectAll().where("resource_id", "=", id).executeTakeFirstOrThrow();
    expect(file.storage_id).toMatch(/^[a-f0-9]{32}$/);
    // Browsers (and undici) percent-encode CR/LF in multipart filenames; either way no path and no line break survive.
    expect(file.original_filename).toMatch(/^evil[^/\\\r\n]*X-Bad_ 1\.pdf$/);
    expect(file.content_type).toBe("application/pdf");
    expect(fs.existsSync(path.join(process.env.UPLOADS_DIR!, "etc"))).toBe(false);
    const res = await downloadLoader({ request: getRequest(`/resources/${id}/download`), params: { id: String(id) }, context: ctx });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/pdf");
    const disposition = res.headers.get("Content-Disposition") ?? "";
    expect(disposition).toMatch(/^attachment; filename="evil[^"\r\n]*X-Bad_ 1\.pdf"; filename\*=UTF-8''evil\S*X-Bad_%201\.pdf$/);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Content-Security-Policy")).toBe("sandbox; default-src 'none'");
    const body = Buffer.from(await res.arrayBuffer());
    expect(createHash("sha256").update(body).digest("hex")).toBe(createHash("sha256").update(pdf).digest("hex"));

    const v2 = buildSimplePdf(["Version two"]);
    const up = await editAction({ request: multipart(`/resources/${id}/edit`, {}, { name: "handbook-v2.pdf", bytes: v2 }, organiser), params: { id: String(id) }, context: ctx });
    expect(up.status).toBe(302);
    const latest = Buffer.from(await (await downloadLoader({ request: getRequest(`/resources/${id}/download`), params: { id: String(id) }, context: ctx })).arrayBuffer());
    expect(latest.equals(v2)).toBe(true);
    const first = Buffer.from(await (await downloadLoader({ request: getRequest(`/resources/${id}/download?version=1`), params: { id: String(id) }, context: ctx })).arrayBuffer());
    expect(first.equals(pdf)).toBe(true);
    const page = await (await pageLoader({ request: getRequest(`/resources/${id}`), params: { id: String(id) }, context: ctx })).json();
    expect(page.resource.files.map((f: { version: number }) => f.version)).toEqual([2, 1]);
  });

  it("refuses HTML, SVG and scripts disguised as PDF, leaving no files", async () => {
    const organiser = await cookieFor("organiser@example.org");
    const before = await getDb().selectFrom("resource_file").select("id").execute();
    const stored = fs.existsSync(path.join(process.env.UPLOADS_DIR!, "resources")) ? fs.readdirSync(path.join(process.env.UPLOADS_DIR!, "resources")).length : 0;
    for (const [name, text] of [
      ["report.pdf", "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"],
      ["chart.pdf", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
      ["photo.png", "<html><img src=x onerror=alert(1)></html>"],
      ["polyglot.pdf", "%PDF-1.4\n<html><script>alert(1)</script>"],
    ]) {
      const res = await newAction({ request: multipart("/resources/new", details(await NW(), { title: `Disguised ${name}`, url: "" }), { name, bytes: Buffer.from(text) }, organiser), params: {}, context: ctx });
      expect(res.status, name).toBe(400);
      expect((await res.json()).errors.file, name).toMatch(/PDF, Word/);
    }
    expect(await getDb().selectFrom("resource_file").select("id").execute()).toHaveLength(before.length);
    expect(fs.existsSync(path.join(process.env.UPLOADS_DIR!, "resources")) ? fs.readdirSync(path.join(process.env.UPLOADS_DIR!, "resources")).length : 0).toBe(stored);
    expect(tempFiles()).toEqual([]);
  });

  it("refuses a file over 20 MB while streaming (413) and leaves no temporary file", async () => {
    const organiser = await cookieFor("organiser@example.org");
    const big = Buffer.alloc(20 * 1024 * 1024 + 10, 0x20);
    big.write("%PDF-1.4\n", 0, "latin1");
    const req = multipart("/resources/new", details(await NW(), { title: "Too big", url: "" }), { name: "big.pdf", bytes: big }, organiser);
    expect(req.headers.get("Content-Length")).toBeNull(); // so the limit is enforced on the stream itself
    const res = await newAction({ request: req, params: {}, context: ctx });
    expect(res.status).toBe(413);
    const body = await res.json();
    expect(body.errors.file).toMatch(/20 MB/);
    expect(body.values.title).toBe("Too big");
    expect(tempFiles()).toEqual([]);
    expect(await getDb().selectFrom("resource").select("id").where("title", "=", "Too big").execute()).toHaveLength(0);
  });

  it("refuses a declared Content-Length over the limit before reading the body", async () => {
    const organiser = await cookieFor("organiser@example.org");
    const req = new Request(`${ORIGIN}/resources/new`, {
      method: "POST",
      body: "--x\r\n",
      headers: { Cookie: organiser, "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(50 * 1024 * 1024), "Sec-Fetch-Site": "same-origin" },
    });
    const res = await newAction({ request: req, params: {}, context: ctx });
    expect(res.status).toBe(413);
    expect(tempFiles()).toEqual([]);
  });
});
