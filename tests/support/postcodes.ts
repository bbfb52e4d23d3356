/**
 * A local stand-in for postcodes.io on 127.0.0.1 (any free port), answering GET /postcodes/{postcode}
 * in postcodes.io's format from tests/fixtures/postcodes.json:
 *   200 {"status":200,"result":{"postcode":"PR1 2HE","latitude":…,"longitude":…,…}}
 *   404 {"status":404,"error":"Postcode not found"} (well-formed but not listed)
 *   404 {"status":404,"error":"Invalid postcode"}
 * `down()` makes it answer 503 to everything (the service unreachable), `up()` restores it.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/postcodes.json");
export const KNOWN_POSTCODES: Record<string, { latitude: number; longitude: number; admin_district: string }> = JSON.parse(fs.readFileSync(FIXTURE, "utf8")).postcodes;

export type PostcodeStandIn = { url: string; requests: string[]; down(): void; up(): void; close(): Promise<void> };

export async function startPostcodes(): Promise<PostcodeStandIn> {
  const requests: string[] = [];
  let isDown = false;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    requests.push(url.pathname);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (isDown) return send(503, { status: 503, error: "Service unavailable" });
    const m = /^\/postcodes\/([^/]+)$/.exec(url.pathname);
    if (req.method !== "GET" || !m) return send(404, { status: 404, error: "Resource not found" });
    const compact = decodeURIComponent(m[1]).replace(/\s+/g, "").toUpperCase();
    if (!/^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$/.test(compact)) return send(404, { status: 404, error: "Invalid postcode" });
    const postcode = `${compact.slice(0, -3)} ${compact.slice(-3)}`;
    const known = KNOWN_POSTCODES[postcode];
    if (!known) return send(404, { status: 404, error: "Postcode not found" });
    send(200, {
      status: 200,
      result: { postcode, outcode: postcode.split(" ")[0], incode: postcode.split(" ")[1], country: "England", longitude: known.longitude, latitude: known.latitude, admin_district: known.admin_district },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    down: () => void (isDown = true),
    up: () => void (isDown = false),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
