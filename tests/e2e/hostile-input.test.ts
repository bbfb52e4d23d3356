/**
 * Issue 12, items 1–11: what a hostile battery found, replayed as raw HTTP against the real,
 * built server (app/server.ts with its middleware, as `npm start` runs it). No browser: these
 * are the requests an attacker or a careless client sends, and what the server must answer.
 */
import net from "node:net";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "../../app/utils/totp.server";
import { startApp, TEST_PASSWORD, type App } from "../support/e2e";

let app: App;

beforeAll(async () => {
  app = await startApp({ JOBS: "off" });
});

afterAll(async () => {
  await app?.stop();
});

/** A browser-like same-origin request that never follows redirects. */
async function send(path: string, init: { method?: string; cookie?: string; form?: Record<string, string>; body?: BodyInit; headers?: Record<string, string> } = {}) {
  const headers = new Headers(init.headers);
  headers.set("Accept", "text/html");
  if (init.cookie) headers.set("Cookie", init.cookie);
  let body = init.body;
  if (init.form) {
    body = new URLSearchParams(init.form);
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  if (body !== undefined) {
    headers.set("Origin", app.url);
    headers.set("Sec-Fetch-Site", "same-origin");
  }
  return fetch(`${app.url}${path}`, { method: init.method ?? (body === undefined ? "GET" : "POST"), headers, body, redirect: "manual" });
}

/** The name=value pairs of every Set-Cookie, to send back (a cookie cleared with Max-Age=0 is dropped). */
function cookiesFrom(res: Response, previous = ""): string {
  const jar = new Map(previous ? previous.split("; ").map((c) => [c.split("=")[0], c] as [string, string]) : []);
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(";")[0];
    const name = pair.split("=")[0];
    if (/max-age=0/i.test(line)) jar.delete(name);
    else jar.set(name, pair);
  }
  return [...jar.values()].join("; ");
}

async function signIn(email: string, redirectTo?: string) {
  const res = await send("/sign-in", { form: { email, password: TEST_PASSWORD, ...(redirectTo === undefined ? {} : { redirectTo }) } });
  return { res, cookie: cookiesFrom(res) };
}

/** Where a redirect goes, resolved as a browser would (which drops TAB, CR and LF). */
function landing(res: Response): URL {
  const location = res.headers.get("Location");
  if (!location) throw new Error(`no Location (status ${res.status})`);
  return new URL(location, app.url);
}

/** Sends the head of a request and a little of its body over a raw socket; resolves with the status line. */
function rawStatus(head: string, bodyStart = "x".repeat(1024)): Promise<string> {
  const { hostname, port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(head);
      socket.write(bodyStart);
    });
    let data = "";
    socket.on("data", (d) => {
      data += d.toString("latin1");
      if (data.includes("\r\n")) {
        resolve(data.slice(0, data.indexOf("\r\n")));
        socket.destroy();
      }
    });
    socket.on("error", (e) => (data ? resolve(data.split("\r\n")[0]) : reject(e)));
    socket.on("close", () => resolve(data.split("\r\n")[0] || "closed without an answer"));
  });
}

describe("1. open redirect after sign-in", () => {
  const hostile = ["/\t/evil.example", "/\\evil.example", "//evil.example", "/\t\\evil.example/x", "/\n/evil.example"];

  it("never lands a member on another host from the sign-in form", async () => {
    for (const target of hostile) {
      const { res } = await signIn("member@example.org", target);
      expect(res.status, JSON.stringify(target)).toBe(302);
      expect(landing(res).origin, JSON.stringify(target)).toBe(app.url);
    }
    const { res } = await signIn("member@example.org", "/events?when=week#top");
    expect(landing(res).href).toBe(`${app.url}/events?when=week#top`);
  });

  it("nor someone already signed in, nor from the two-step page", async () => {
    const { cookie } = await signIn("organiser@example.org");
    for (const target of hostile) {
      const q = `?redirectTo=${encodeURIComponent(target)}`;
      for (const path of ["/sign-in", "/sign-in/two-step"]) {
        const res = await send(`${path}${q}`, { cookie });
        expect(res.status, `${path} ${JSON.stringify(target)}`).toBe(302);
        expect(landing(res).origin, `${path} ${JSON.stringify(target)}`).toBe(app.url);
      }
    }
  });
});

describe("2. redirectTo with CR, LF or non-Latin-1 characters", () => {
  it("signs in and redirects (no 500), and the session cookie reaches the browser", async () => {
    for (const target of ["/events\r\nSet-Cookie: x=1", "/events\nX: y", "/évènements/ü?q=café", "/events/\u2603"]) {
      const { res, cookie } = await signIn("moderator@example.org", target);
      expect(res.status, JSON.stringify(target)).toBe(302);
      expect(landing(res).origin).toBe(app.url);
      expect(cookie).toMatch(/rt_session=/);
      expect(res.headers.get("X")).toBeNull();
      expect((await send("/account", { cookie })).status).toBe(200);
    }
    expect(app.logs()).not.toMatch(/Invalid character in header|TypeError/);
  });
});

describe("3. request body size", () => {
  it("answers 413 to a 400 MB form post after its headers, without reading the body", async () => {
    const status = await rawStatus(
      `POST /sign-in HTTP/1.1\r\nHost: ${new URL(app.url).host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${400 * 1024 * 1024}\r\n\r\n`,
    );
    expect(status).toMatch(/^HTTP\/1\.1 413/);
  });

  it("answers 413 to an upload above the upload limit, and 411 to a body of unknown length", async () => {
    const host = new URL(app.url).host;
    expect(await rawStatus(`POST /resources/new HTTP/1.1\r\nHost: ${host}\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: ${30 * 1024 * 1024}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 413/);
    expect(await rawStatus(`POST /sign-in HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n`, "400\r\n")).toMatch(/^HTTP\/1\.1 411/);
  });

  it("still takes an ordinary form", async () => {
    expect((await signIn("member@example.org")).res.status).toBe(302);
  });
});

describe("4. upload file names with ; and =", () => {
  it("accepts “Q1; Q2 = report.pdf” and keeps its name", async () => {
    const { cookie } = await signIn("organiser@example.org");
    const db = new Database(app.dbPath, { readonly: true });
    const network = db.prepare("SELECT id FROM network WHERE slug = 'north-west'").get() as { id: number };
    db.close();
    const form = new FormData();
    for (const [k, v] of Object.entries({ networkId: String(network.id), visibility: "public", kind: "report", title: "Quarterly report", summary: "Figures for the first two quarters.", publisherOrganisationId: "", publisherName: "Roundtable test", year: "", licence: "" })) form.append(k, v);
    const pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
    form.append("file", new Blob([pdf], { type: "application/pdf" }), "Q1; Q2 = report.pdf");
    const res = await send("/resources/new", { cookie, body: form });
    expect(res.status, (await res.clone().text()).match(/nhsuk-error-summary[\s\S]{0,1500}/)?.[0]).toBe(302);
    const page = await (await send(landing(res).pathname, { cookie })).text();
    expect(page).toContain("Q1; Q2 = report.pdf");
  });
});

describe("5. TRACE", () => {
  it("answers 405, and nothing in the log", async () => {
    const host = new URL(app.url).host;
    for (const method of ["TRACE", "PROPFIND"]) {
      expect(await rawStatus(`${method} /events HTTP/1.1\r\nHost: ${host}\r\n\r\n`, ""), method).toMatch(/^HTTP\/1\.1 405/);
    }
    expect(app.logs()).not.toMatch(/TRACE|at .*\(.*\.js:\d+/);
  });
});

describe("6. turning on two-step verification without JavaScript", () => {
  it("keeps the member signed in and shows the recovery codes once", async () => {
    let { cookie } = await signIn("member@example.org");
    const page = await (await send("/account/two-step", { cookie })).text();
    const secret = /name="secret" value="([A-Z2-7]{32})"/.exec(page)?.[1];
    expect(secret).toBeTruthy();
    const res = await send("/account/two-step", { cookie, form: { intent: "enable", secret: secret!, code: totpCode(secret!) } });
    expect(res.status).toBe(302);
    cookie = cookiesFrom(res, cookie);
    const shown = await send(landing(res).pathname + landing(res).search, { cookie });
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toContain("Save your recovery codes");
    expect(html.match(/<code>[^<]+<\/code>/g)?.length).toBe(10);
    cookie = cookiesFrom(shown, cookie);
    // Shown once, and still signed in.
    const again = await (await send("/account/two-step", { cookie })).text();
    expect(again).not.toContain("Save your recovery codes");
    expect(again).toContain("Make new recovery codes");
    expect((await send("/account", { cookie })).status).toBe(200);
  });
});

describe("7. pending organisations from an unverified account", () => {
  it("refuses a suggested organisation on the profile form until the email address is confirmed", async () => {
    const email = "unverified-7@example.org";
    const signUp = await send("/sign-up", { form: { name: "Una Verified", email, password: "a long and unusual passphrase", terms: "yes" } });
    expect(signUp.status).toBe(302);
    const { res, cookie } = await (async () => {
      const r = await send("/sign-in", { form: { email, password: "a long and unusual passphrase" } });
      return { res: r, cookie: cookiesFrom(r) };
    })();
    expect(res.status).toBe(302);
    for (let i = 0; i < 3; i++) {
      const post = await send("/account/profile", { cookie, form: { name: "Una Verified", organisationId: "new", proposedName: `Shadow Org ${i}`, proposedSector: "vcse" } });
      expect(post.status).toBe(400);
      expect(await post.text()).toContain("Confirm your email address before you suggest an organisation");
    }
    const db = new Database(app.dbPath, { readonly: true });
    const count = db.prepare("SELECT count(*) AS n FROM organisation WHERE name LIKE 'Shadow Org%'").get() as { n: number };
    db.close();
    expect(count.n).toBe(0);
  });
});

describe("8. headers set by actions and loaders reach document responses", () => {
  it("a 429 from a plain form post carries Retry-After", async () => {
    let last: Response | undefined;
    for (let i = 0; i < 12; i++) {
      last = await send("/sign-in", { form: { email: "national@example.org", password: "wrong password" } });
      if (last.status === 429) break;
    }
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(last?.headers.get("Content-Type")).toContain("text/html");
  });

  it("pages with a token in the address send Referrer-Policy: no-referrer", async () => {
    for (const path of ["/reset-password?token=abc", "/verify-email?token=abc", "/invitations/abc"]) {
      const res = await send(path);
      // Several policies may be listed; the browser uses the last one it knows.
      expect(res.headers.get("Referrer-Policy")?.split(",").pop()?.trim(), path).toBe("no-referrer");
    }
  });


  it("and their forms still post: a browser then sends Origin: null with Sec-Fetch-Site: same-origin", async () => {
    const res = await fetch(`${app.url}/reset-password?token=abc`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "null", "Sec-Fetch-Site": "same-origin", Accept: "text/html" },
      body: new URLSearchParams({ token: "abc", password: "a completely fresh passphrase" }),
      redirect: "manual",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("This link is not right");
  });
});

describe("9. ?sent= is not echoed", () => {
  it("does not print text from the address on /sign-up or /forgot-password", async () => {
    const words = "Your account is suspended: call 0800 000 000";
    for (const path of ["/sign-up", "/forgot-password"]) {
      const html = await (await send(`${path}?sent=${encodeURIComponent(words)}`)).text();
      expect(html, path).not.toContain("0800 000 000");
    }
  });

  it("still names the address the person typed after a real request", async () => {
    const res = await send("/forgot-password", { form: { email: "member@example.org" } });
    expect(res.status).toBe(302);
    const html = await (await send(landing(res).pathname + landing(res).search, { cookie: cookiesFrom(res) })).text();
    expect(html).toContain("member@example.org");
  });
});

describe("10. event capacity", () => {
  it("refuses 0x10, 1e3 and other non-decimal numbers", async () => {
    const { cookie } = await signIn("organiser@example.org");
    for (const capacity of ["0x10", "1e3", "+5", "12.0", " 0b11 "]) {
      const res = await send("/events/new", { cookie, form: { title: "Capacity check", capacity } });
      expect(res.status, capacity).toBe(400);
      expect(await res.text(), capacity).toContain("Enter the number of places as a whole number");
    }
  });
});
