/**
 * A partner's calendar server stand-in on 127.0.0.1: serves fixture text per path with ETag and
 * Last-Modified (answering 304 to If-None-Match), records the requests, and can be told to
 * answer any path with a custom handler (redirects, huge bodies, HTML) for the hostile tests.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";

export type CalendarServer = {
  url: string;
  port: number;
  /** Serves `body` at `path` as text/calendar (replacing what was there). */
  set(path: string, body: string, contentType?: string): void;
  remove(path: string): void;
  handle(path: string, handler: http.RequestListener): void;
  requests: Array<{ path: string; ifNoneMatch?: string; ifModifiedSince?: string }>;
  close(): Promise<void>;
};

export function fixtureText(name: string): string {
  return fs.readFileSync(new URL(`../fixtures/calendars/${name}.ics`, import.meta.url), "utf8");
}

export async function startCalendarServer(host = "127.0.0.1"): Promise<CalendarServer> {
  const bodies = new Map<string, { body: string; type: string; etag: string; modified: string }>();
  const handlers = new Map<string, http.RequestListener>();
  const requests: CalendarServer["requests"] = [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    requests.push({ path, ifNoneMatch: req.headers["if-none-match"], ifModifiedSince: req.headers["if-modified-since"] });
    const handler = handlers.get(path);
    if (handler) return handler(req, res);
    const entry = bodies.get(path);
    if (!entry) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found");
      return;
    }
    if (req.headers["if-none-match"] === entry.etag) {
      res.writeHead(304, { ETag: entry.etag }).end();
      return;
    }
    res.writeHead(200, { "Content-Type": entry.type, ETag: entry.etag, "Last-Modified": entry.modified }).end(entry.body);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://${host}:${port}`,
    port,
    set(path, body, type = "text/calendar; charset=utf-8") {
      const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;
      bodies.set(path, { body, type, etag, modified: new Date().toUTCString() });
    },
    remove(path) {
      bodies.delete(path);
    },
    handle(path, handler) {
      handlers.set(path, handler);
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
