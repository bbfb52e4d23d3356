import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { pageQueue } from "../../app/utils/page-queue.server";

/**
 * A server whose one route records when each request starts and answers when the test says so
 * (`finish(name)`), behind the page queue.
 */
async function serve(options: { concurrency: number; leaseMs: number }) {
  const started: string[] = [];
  const answer = new Map<string, () => void>();
  const app = express();
  app.use(pageQueue(options));
  // A body far larger than the socket buffers: a client that does not read it cannot take it all.
  app.get("/big", (req, res) => {
    started.push("GET big");
    res.type("text/plain").send(Buffer.alloc(16 * 1024 * 1024, "x"));
  });
  app.all("/:name", (req, res) => {
    started.push(`${req.method} ${req.params.name}`);
    answer.set(req.params.name, () => res.send(req.params.name));
  });
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: false, maxSockets: 100 });
  const request = (name: string, method = "GET") =>
    new Promise<string>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, path: `/${name}`, method, agent }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve(body));
      });
      req.on("error", reject);
      req.end();
    });
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(check()).toBe(true);
  };
  const finish = (name: string) => answer.get(name)!();
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { started, request, until, finish, close, port };
}

let current: Awaited<ReturnType<typeof serve>> | null = null;
afterEach(async () => {
  await current?.close();
  current = null;
});

describe("page queue", () => {
  it("lets `concurrency` pages in at once and the rest in the order they came", async () => {
    const s = (current = await serve({ concurrency: 2, leaseMs: 10_000 }));
    const a = s.request("a");
    const b = s.request("b");
    await s.until(() => s.started.length === 2);
    const c = s.request("c");
    await new Promise((r) => setTimeout(r, 20));
    const d = s.request("d");
    await new Promise((r) => setTimeout(r, 50));
    expect(s.started).toEqual(["GET a", "GET b"]);
    s.finish("b");
    expect(await b).toBe("b");
    await s.until(() => s.started.length === 3);
    expect(s.started[2]).toBe("GET c");
    s.finish("a");
    await s.until(() => s.started.length === 4);
    expect(s.started[3]).toBe("GET d");
    s.finish("c");
    s.finish("d");
    expect(await Promise.all([a, c, d])).toEqual(["a", "c", "d"]);
  });

  it("a page that takes longer than the lease stops holding up the next", async () => {
    const s = (current = await serve({ concurrency: 1, leaseMs: 40 }));
    const slow = s.request("slow");
    await s.until(() => s.started.length === 1);
    const next = s.request("next");
    // Within the lease the next page waits; after it, the slow one no longer counts.
    await new Promise((r) => setTimeout(r, 10));
    expect(s.started).toEqual(["GET slow"]);
    await s.until(() => s.started.length === 2);
    s.finish("next");
    expect(await next).toBe("next");
    s.finish("slow");
    expect(await slow).toBe("slow");
  });

  it("a page holds its place until it is written, not until a slow client has read it", async () => {
    const s = (current = await serve({ concurrency: 1, leaseMs: 10_000 }));
    // This client reads nothing of its 16 MB answer.
    const slow = http.request({ host: "127.0.0.1", port: s.port, path: "/big" }, (res) => res.pause());
    slow.on("error", () => {});
    slow.end();
    await s.until(() => s.started.includes("GET big"));
    const next = s.request("next");
    await s.until(() => s.started.includes("GET next"));
    s.finish("next");
    expect(await next).toBe("next");
    slow.destroy();
  });

  it("never queues forms: a POST goes straight in while the queue is full", async () => {
    const s = (current = await serve({ concurrency: 1, leaseMs: 10_000 }));
    const page = s.request("page");
    await s.until(() => s.started.length === 1);
    const form = s.request("form", "POST");
    await s.until(() => s.started.length === 2);
    expect(s.started[1]).toBe("POST form");
    s.finish("form");
    s.finish("page");
    expect(await Promise.all([page, form])).toEqual(["page", "form"]);
  });

  it("drops a queued page whose client has gone, without running it", async () => {
    const s = (current = await serve({ concurrency: 1, leaseMs: 10_000 }));
    const first = s.request("first");
    await s.until(() => s.started.length === 1);
    const gone = http.request({ host: "127.0.0.1", port: s.port, path: "/gone" });
    gone.on("error", () => {});
    gone.end();
    await new Promise((r) => setTimeout(r, 30));
    gone.destroy();
    await new Promise((r) => setTimeout(r, 30));
    const after = s.request("after");
    await new Promise((r) => setTimeout(r, 30));
    s.finish("first");
    await s.until(() => s.started.length === 2);
    expect(s.started).toEqual(["GET first", "GET after"]);
    s.finish("after");
    expect(await Promise.all([first, after])).toEqual(["first", "after"]);
  });

  it("0 turns it off: every page goes straight in", async () => {
    const s = (current = await serve({ concurrency: 0, leaseMs: 10_000 }));
    const pages = ["a", "b", "c"].map((n) => s.request(n));
    await s.until(() => s.started.length === 3);
    for (const n of ["a", "b", "c"]) s.finish(n);
    expect(await Promise.all(pages)).toEqual(["a", "b", "c"]);
  });
});
