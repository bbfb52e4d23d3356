/**
 * A local stand-in for a map tile server on 127.0.0.1: every GET /{z}/{x}/{y}.png answers the same
 * 1×1 PNG, so the map view loads tiles without anything leaving the machine. `requests` lists the
 * paths asked for.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

const PIXEL = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

export type TileStandIn = { template: string; requests: string[]; close(): Promise<void> };

export async function startTiles(): Promise<TileStandIn> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://stand-in").pathname;
    requests.push(path);
    if (req.method !== "GET" || !/^\/\d+\/\d+\/\d+\.png$/.test(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": "image/png", "Content-Length": PIXEL.length, "Cache-Control": "max-age=3600" });
    res.end(PIXEL);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { template: `http://127.0.0.1:${port}/{z}/{x}/{y}.png`, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
