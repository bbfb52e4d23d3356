/**
 * The HTTP server: security headers, the same-origin check, static files and
 * the Remix request handler. `npm start` builds, then runs this with tsx.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { createRequestHandler as createFetchHandler, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import { closeDb, getDb } from "../db/index";
import { migrateToLatest } from "../db/migrate";
import { isEmpty, seedDemo } from "../db/seed/index";
import { startScheduler, stopScheduler } from "./jobs/scheduler.server";
import { feedValidators } from "./models/events/feed-version.server";
import { prepareFeedBlocks } from "./models/events/feeds.server";
import { extendOccurrences } from "./models/events/occurrences.server";
import "./jobs/schedule.server";
import { isEmbedPath } from "./utils/embed";
import { ConfigError, checkWritable, env, tileOrigin, type Env } from "./utils/env.server";
import { FeedCache, type Encoding } from "./utils/feed-cache.server";
import { MAX_UPLOAD_BYTES } from "./utils/file-sniff.server";
import { pageQueue } from "./utils/page-queue.server";
import { installRouteMemo } from "./utils/route-memo.server";
import { isCrossSiteWrite, notModified, REQUEST_ID_HEADER } from "./utils/http.server";

const root = path.resolve(fileURLToPath(new URL("..", import.meta.url)));
/** Where `remix build` wrote its output (see remix.config.js). */
const buildName = (process.env.RT_BUILD_DIR || "").replace(/[^a-zA-Z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
const buildRoot = buildName ? path.join(root, ".builds", buildName) : root;

/** The public iCal feeds (the personal one checks its token and records its use on every request). */
const PUBLIC_FEED = /^\/(?:events|networks\/[^/]+\/events|organisations\/[^/]+\/events)\.ics$/;
const ALLOWED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
/** Ordinary forms: far more than any form here needs (a long event description is ~50 kB). */
export const MAX_FORM_BODY_BYTES = 1024 * 1024;
/** Uploads: the file limit plus 1 MB for the form's other fields and the multipart framing. */
export const MAX_MULTIPART_BODY_BYTES = MAX_UPLOAD_BYTES + 1024 * 1024;
/** A page holds its place in the page queue at most this long (pages take a few milliseconds). */
const PAGE_LEASE_MS = 50;

/** frameAncestors: "'none'" everywhere but the embeddable pages, which any site may frame. */
function contentSecurityPolicy(nonce: string, frameAncestors = "'none'", tiles: string | null = null): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self'",
    // Map tiles (MAP_TILE_URL) are images from that one origin; nothing else of the map leaves this site.
    `img-src 'self' data:${tiles ? ` ${tiles}` : ""}`,
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
    "object-src 'none'",
    "base-uri 'none'",
  ].join("; ");
}

/** nhsuk-frontend's CSS with its @font-face rules removed: Frutiger is licensed to the NHS, not to us. */
function nhsukCss(): { body: string; etag: string } {
  const dist = path.join(root, "node_modules/nhsuk-frontend/dist/nhsuk");
  const css = fs.readFileSync(path.join(dist, "nhsuk-frontend.min.css"), "utf8").replace(/@font-face\{[^}]*\}/g, "");
  const version = JSON.parse(fs.readFileSync(path.join(root, "node_modules/nhsuk-frontend/package.json"), "utf8")).version;
  return { body: css, etag: `"nhsuk-${version}"` };
}

export async function createApp(config: Env, build: ServerBuild) {
  installRouteMemo();
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.TRUST_PROXY === "on");

  const tiles = config.MAP_TILE_URL === "off" ? null : tileOrigin(config.MAP_TILE_URL);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    const embed = isEmbedPath(req.path);
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce, embed ? "*" : "'none'", tiles));
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    if (!embed) res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    if (config.secureCookies) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    // The client address reaches loaders only through this header, set here from the socket.
    delete req.headers["x-roundtable-client-ip"];
    req.headers["x-roundtable-client-ip"] = (config.TRUST_PROXY === "on" ? req.ip : req.socket.remoteAddress) ?? "";
    // One id for the copies Remix makes of this request, so its loaders read the session once.
    req.headers[REQUEST_ID_HEADER] = randomBytes(12).toString("base64url");
    next();
  });

  // Only the methods a browser or a feed reader uses. TRACE (and anything unknown) is answered
  // here in plain words rather than reaching Remix, which fails on it.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (ALLOWED_METHODS.includes(req.method)) return next();
    res.status(405).set("Allow", ALLOWED_METHODS.join(", ")).type("text/plain").send("That request method is not allowed.");
  });

  // Request bodies are refused by their declared size before a byte is read: forms up to 1 MB,
  // uploads (multipart) up to the file limit plus room for the other fields. A body without a
  // declared length (chunked) is refused too: browsers always declare it, and this keeps an
  // unbounded stream away from the form parsers, which read the whole body into memory.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const hasBody = req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
    if (!hasBody) return next();
    const refuse = (status: number, message: string) => {
      res.status(status).set("Connection", "close").type("text/plain").send(message);
      // Stop reading whatever the client is still sending.
      res.on("finish", () => req.destroy());
    };
    if (req.headers["content-length"] === undefined) return refuse(411, "Send the length of the request body.");
    const limit = (req.get("Content-Type") ?? "").toLowerCase().startsWith("multipart/form-data") ? MAX_MULTIPART_BODY_BYTES : MAX_FORM_BODY_BYTES;
    if (Number(req.headers["content-length"]) > limit) return refuse(413, "The request is too large.");
    next();
  });

  // Cross-site writes are refused before any route (resource routes included) can act on them.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (isCrossSiteWrite(req.method, (name) => req.get(name) ?? null, config.appOrigin, `${req.protocol}://${req.get("host")}`)) {
      res.status(403).type("text/plain").send("This request came from another site, so it was refused.");
      return;
    }
    // Pages with a token in the address send Referrer-Policy: no-referrer, so a browser posting
    // their forms says "Origin: null". The Fetch Metadata header has already shown the post is
    // same-origin; drop the opaque Origin so Remix's own origin/host check does not answer 500.
    if (req.get("Origin") === "null" && req.get("Sec-Fetch-Site") === "same-origin") delete req.headers.origin;
    next();
  });

  // A flash message is shown once: clear its cookie on the response that shows it
  // (a page, or the root loader's data after a client-side navigation), never on
  // side requests such as Remix's /__manifest or static files.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const showsFlash =
      req.method === "GET" &&
      !isEmbedPath(req.path) &&
      (req.query._data === "root" ||
        (req.query._data === undefined && !req.path.startsWith("/__manifest") && (req.get("Accept") ?? "").includes("text/html")));
    if (showsFlash && req.headers.cookie?.includes("rt_flash=")) {
      const writeHead = res.writeHead;
      res.writeHead = function (this: Response, ...args: Parameters<Response["writeHead"]>) {
        if (res.statusCode < 300 || res.statusCode >= 400) {
          res.append("Set-Cookie", "rt_flash=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
        }
        return writeHead.apply(this, args);
      } as Response["writeHead"];
    }
    next();
  });

  // gzip or brotli by Accept-Encoding for every compressible type (HTML, JSON, feeds, CSS, JS).
  // Streamed pages still arrive as they render: Remix flushes the compressor after each chunk.
  app.use(compression({ threshold: 1024 }));

  // Public feeds: a conditional request is answered from the feed version (one primary-key read)
  // before any session, feed query or React work; a full one is served from memory in the
  // encoding the client accepts, built once per version through the feed route itself.
  const feedCache = new FeedCache();
  const building = new Map<string, Promise<globalThis.Response>>();
  const fetchHandler = createFetchHandler(build, config.NODE_ENV);
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || !PUBLIC_FEED.test(req.path)) return next();
    try {
      const { etag, lastModified } = await feedValidators(req.originalUrl);
      if (notModified({ headers: { get: (name) => req.get(name) ?? null } }, etag, lastModified)) {
        res.status(304).set(feedCache.headersOf(etag) ?? { ETag: etag, "Last-Modified": lastModified.toUTCString(), "Cache-Control": "public, max-age=300" }).end();
        return;
      }
      if (req.method === "HEAD") return next();
      if (!feedCache.headersOf(etag)) {
        let pending = building.get(etag);
        if (!pending) {
          pending = fetchHandler(new globalThis.Request(new URL(req.originalUrl, `http://${req.get("host") ?? "localhost"}`)));
          building.set(etag, pending);
          // A failed build is not remembered: the next request tries again.
          pending.catch(() => building.delete(etag));
        }
        const response = (await pending).clone();
        building.delete(etag);
        if (response.status !== 200 || response.headers.get("etag") !== etag) {
          res.status(response.status).set(Object.fromEntries(response.headers)).send(Buffer.from(await response.arrayBuffer()));
          return;
        }
        feedCache.store(etag, Object.fromEntries(response.headers), Buffer.from(await response.arrayBuffer()));
      }
      const accepted = req.acceptsEncodings("br", "gzip", "identity");
      const encoding: Encoding = accepted === "br" || accepted === "gzip" ? accepted : "identity";
      const body = await feedCache.body(etag, encoding);
      if (!body) return next();
      res.status(200).set(feedCache.headersOf(etag)).set("Vary", "Accept-Encoding").set("Content-Length", String(body.length));
      if (encoding !== "identity") res.set("Content-Encoding", encoding);
      res.end(body);
    } catch (error) {
      next(error);
    }
  });

  app.get("/healthz", async (_req, res) => {
    try {
      await getDb().selectFrom("network").select("id").limit(1).execute();
      res.status(200).type("text/plain").set("Cache-Control", "no-store").send("ok");
    } catch {
      res.status(503).type("text/plain").set("Cache-Control", "no-store").send("database unavailable");
    }
  });

  const css = nhsukCss();
  app.get("/assets/nhsuk-frontend.css", (req, res) => {
    res.set("Cache-Control", "public, max-age=86400").set("ETag", css.etag);
    if (req.get("If-None-Match") === css.etag) return void res.status(304).end();
    res.type("text/css").send(css.body);
  });
  app.use(
    "/assets",
    express.static(path.join(root, "node_modules/nhsuk-frontend/dist/nhsuk/assets"), { maxAge: "1d", index: false }),
  );
  app.get("/assets/nhsuk-frontend.js", (_req, res) => {
    res.set("Cache-Control", "public, max-age=86400");
    res.type("text/javascript").sendFile(path.join(root, "node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js"));
  });
  app.use("/build", express.static(path.join(buildRoot, "public/build"), { immutable: true, maxAge: "1y", index: false }));
  // public/ holds a few top-level files (favicon.svg): serve those by name, so no page request
  // pays for a file-system lookup that can only miss.
  const publicDir = path.join(root, "public");
  const publicFiles = fs.readdirSync(publicDir, { withFileTypes: true }).filter((f) => f.isFile()).map((f) => `/${f.name}`);
  if (publicFiles.length) app.get(publicFiles, express.static(publicDir, { maxAge: "1h", index: false }));

  app.use(pageQueue({ concurrency: config.PAGE_CONCURRENCY ?? (config.DATABASE_URL ? config.DATABASE_POOL_MAX : 2), leaseMs: PAGE_LEASE_MS }));
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: config.NODE_ENV,
      getLoadContext: (_req, res) => ({ cspNonce: String(res.locals.cspNonce) }),
    }),
  );
  return app;
}

/** Migrates, seeds a fresh database with the demo data, then serves. */
export async function start(): Promise<{ close(): Promise<void>; url: string }> {
  const config = env();
  checkWritable(config);
  const db = getDb();
  await migrateToLatest(db);
  if (config.SEED_DEMO === "on" || (config.SEED_DEMO === "auto" && (await isEmpty(db)))) {
    await seedDemo(db, { demoPassword: config.DEMO_PASSWORD });
  }
  // Series dates are read from event_occurrence: fill it on the first start after upgrading, and
  // move its horizon on if the server was off for a while (otherwise a quick check).
  await extendOccurrences();
  // The public feed's event blocks are in the database before the first request (built once).
  // Only a head start: a feed that cannot be built now is built (or fails) on request instead.
  await prepareFeedBlocks().catch((error: unknown) => console.error("Could not prepare the feed:", error instanceof Error ? error.message : error));
  const buildPath = path.join(buildRoot, "build/index.js");
  if (!fs.existsSync(buildPath)) throw new ConfigError("The app is not built yet: run `npm run build` (npm start does this for you).");
  const build: ServerBuild = await import(pathToFileURL(buildPath).href);
  const app = await createApp(config, build);
  return new Promise((resolve, reject) => {
    const server = app.listen(config.PORT, config.HOST, () => {
      const url = `http://${config.HOST === "0.0.0.0" ? "localhost" : config.HOST}:${config.PORT}`;
      console.log(`Roundtable is running at ${url} (links in emails and feeds use ${config.APP_URL})`);
      if (config.JOBS !== "off") startScheduler();
      resolve({
        url,
        close: () =>
          new Promise<void>((done) => {
            stopScheduler();
            server.close(() => void closeDb().then(done));
            server.closeAllConnections();
          }),
      });
    });
    server.on("error", (error: NodeJS.ErrnoException) => {
      reject(error.code === "EADDRINUSE" ? new ConfigError(`Configuration error: PORT ${config.PORT} is already in use`) : error);
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  start()
    .then(({ close }) => {
      const stop = () => void close().then(() => process.exit(0));
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    })
    .catch((error: unknown) => {
      console.error(error instanceof ConfigError ? error.message : `Roundtable could not start: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
}
