/**
 * The real server (built app) on loopback: responses compressed by Accept-Encoding (HTML,
 * streamed pages arriving whole, JSON, CSS, JS, feeds), hashed assets still cached for a year,
 * and feeds answering conditional requests from the feed version, changing after an edit.
 */
import http from "node:http";
import zlib from "node:zlib";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type App } from "../support/e2e";

let app: App;

beforeAll(async () => {
  app = await startApp();
});

afterAll(async () => {
  await app?.stop();
});

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: Buffer; text: string };

/** A GET with exactly these headers (fetch would add and undo its own Accept-Encoding). */
function get(path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(`${app.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          const encoding = res.headers["content-encoding"];
          const plain = encoding === "br" ? zlib.brotliDecompressSync(body) : encoding === "gzip" ? zlib.gunzipSync(body) : body;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: plain.toString("utf8") });
        });
      })
      .on("error", reject);
  });
}

// A browser's user agent: Remix streams the page as it renders (bots get it all at once).
const BROWSER = { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36" };

describe("compression by Accept-Encoding", () => {
  it("sends HTML as brotli, gzip or as it is, and a streamed page arrives whole in each", async () => {
    const plain = await get("/events", BROWSER);
    expect(plain.status).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    for (const encoding of ["br", "gzip"]) {
      const res = await get("/events", { ...BROWSER, "Accept-Encoding": encoding });
      expect(res.status).toBe(200);
      expect(res.headers["content-encoding"]).toBe(encoding);
      expect(res.headers.vary).toMatch(/Accept-Encoding/i);
      expect(res.headers["transfer-encoding"]).toBe("chunked");
      expect(res.body.length).toBeLessThan(plain.body.length / 2);
      expect(res.text.startsWith("<!DOCTYPE html>")).toBe(true);
      expect(res.text.trimEnd().endsWith("</html>")).toBe(true);
      expect(res.text).toContain("window.__remixContext");
      expect(res.text).toContain("Social Prescribing Hour");
    }
    // Preferences are honoured: gzip when brotli is refused.
    expect((await get("/", { ...BROWSER, "Accept-Encoding": "br;q=0, gzip" })).headers["content-encoding"]).toBe("gzip");
  });

  it("compresses JSON, CSS and JavaScript, and hashed assets keep their year-long caching", async () => {
    const json = await get("/api/openreferral/services", { "Accept-Encoding": "gzip" });
    expect(json.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(json.text)).toHaveProperty("contents");

    const css = await get("/assets/nhsuk-frontend.css", { "Accept-Encoding": "br" });
    expect(css.headers["content-encoding"]).toBe("br");
    expect(css.text).toContain(".nhsuk-header");

    const page = await get("/events", BROWSER);
    const scripts = [...page.text.matchAll(/\/build\/[\w./-]+\.js/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    let largest: Raw | undefined;
    for (const src of new Set(scripts)) {
      const res = await get(src, { "Accept-Encoding": "br, gzip" });
      expect(res.status).toBe(200);
      expect(res.headers["cache-control"]).toMatch(/max-age=31536000/);
      expect(res.headers["cache-control"]).toMatch(/immutable/);
      if (!largest || res.text.length > largest.text.length) largest = res;
    }
    expect(largest!.headers["content-encoding"]).toBe("br");
    expect(largest!.body.length).toBeLessThan(largest!.text.length / 2);
  });
});

describe("feeds", () => {
  it("are compressed, answer 304 from the feed version, and change their ETag after an edit", async () => {
    const plain = await get("/events.ics");
    expect(plain.status).toBe(200);
    expect(plain.text.startsWith("BEGIN:VCALENDAR")).toBe(true);
    const etag = String(plain.headers.etag);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);

    for (const encoding of ["gzip", "br"]) {
      const res = await get("/events.ics", { "Accept-Encoding": encoding });
      expect(res.headers["content-encoding"]).toBe(encoding);
      expect(res.headers.etag).toBe(etag);
      expect(res.headers["content-type"]).toMatch(/^text\/calendar/);
      expect(res.text).toBe(plain.text);
    }

    const conditional = await get("/events.ics", { "If-None-Match": etag, "Accept-Encoding": "gzip" });
    expect(conditional.status).toBe(304);
    expect(conditional.body.length).toBe(0);
    expect(conditional.headers.etag).toBe(etag);
    expect(conditional.headers["set-cookie"]).toBeUndefined();
    // Each feed has its own ETag: another feed's does not match.
    const network = await get("/networks/north-west/events.ics", { "If-None-Match": etag });
    expect(network.status).toBe(200);
    expect(network.headers.etag).not.toBe(etag);
    expect((await get("/networks/north-west/events.ics", { "If-None-Match": String(network.headers.etag) })).status).toBe(304);

    // An organiser renames an event (any write to the event tables raises the feed version).
    const sqlite = new SQLite(app.dbPath);
    sqlite.pragma("busy_timeout = 5000");
    sqlite.prepare("UPDATE event SET title = 'Social Prescribing Hour (renamed)', sequence = sequence + 1 WHERE title = 'Social Prescribing Hour'").run();
    sqlite.close();

    const after = await get("/events.ics", { "If-None-Match": etag, "Accept-Encoding": "br" });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.text.replace(/\r\n[ \t]/g, "")).toContain("SUMMARY:Social Prescribing Hour (renamed)");
    expect((await get("/events.ics", { "If-None-Match": String(after.headers.etag) })).status).toBe(304);
    expect((await get("/networks/north-west/events.ics", { "If-None-Match": String(network.headers.etag) })).status).toBe(200);
  });

  it("still answer 404 for an unknown organisation", async () => {
    expect((await get("/organisations/no-such-organisation/events.ics", { "Accept-Encoding": "gzip" })).status).toBe(404);
  });
});
