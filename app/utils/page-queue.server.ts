import type { NextFunction, Request, Response } from "express";

/**
 * Pages are served first come, first served, a few at a time.
 *
 * Node interleaves every request it has accepted: a page's loaders, its React render and its
 * writes take turns with those of every other page in flight. Under load that stretches some
 * pages to twice the time of others for the same work (at 10 connections, p99 about twice the
 * median). Letting only `concurrency` GET or HEAD requests into the app at once, in the order
 * they arrived, keeps each page's time close to the queue ahead of it plus its own work.
 *
 * A page holds its place until the app ends its response (not until a slow client has read it).
 * One that holds it longer than `leaseMs` (waiting on another service, say) gives it up and
 * carries on outside the queue, so a slow request never holds up the pages behind it
 * for more than that. Forms and uploads (any other method) are never queued. A queued request
 * whose client has gone away is dropped from the queue without running.
 */
export function pageQueue({ concurrency, leaseMs }: { concurrency: number; leaseMs: number }) {
  let running = 0;
  const waiting: Array<{ req: Request; res: Response; next: NextFunction }> = [];

  function start(res: Response, next: NextFunction) {
    running++;
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      clearTimeout(lease);
      running--;
      drain();
    };
    const lease = setTimeout(release, leaseMs);
    // The app's work is done when it ends the response: what is left is the client reading it,
    // which on a slow connection can take long after (the place is not held for that).
    const end = res.end;
    res.end = function (this: Response, ...args: Parameters<Response["end"]>) {
      const ended = end.apply(this, args);
      release();
      return ended;
    } as Response["end"];
    res.once("close", release);
    next();
  }

  function drain() {
    while (running < concurrency && waiting.length > 0) {
      const { req, res, next } = waiting.shift()!;
      if (res.closed || req.socket.destroyed) continue;
      start(res, next);
    }
  }

  return function queue(req: Request, res: Response, next: NextFunction) {
    if (concurrency <= 0 || (req.method !== "GET" && req.method !== "HEAD")) return next();
    if (running < concurrency && waiting.length === 0) return start(res, next);
    waiting.push({ req, res, next });
  };
}
