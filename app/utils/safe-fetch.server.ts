// Fetches a partner's calendar from an address an organisation typed, defensively: the
// address may point anywhere, including at our own network (server-side request forgery),
// and what answers may be slow, huge, or redirect forever.
//
// - Every hop (the first request and each redirect) resolves the host name, refuses it when
//   any address is loopback, private, link-local, unique-local, CGNAT, multicast or
//   unspecified (IPv4, IPv6, and IPv4 inside IPv6 such as ::ffff:127.0.0.1), and connects
//   to the very address it checked (the `lookup` hook), so a DNS answer that changes
//   between check and connect (rebinding) gains nothing.
// - One deadline for the whole fetch, a byte cap counted while streaming (and no gzip, so the
//   cap is on what we hold), at most MAX_REDIRECTS redirects, http(s) only.
// - If-None-Match / If-Modified-Since from the last good fetch, so an unchanged feed is a 304.

import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";

export const MAX_REDIRECTS = 5;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 20_000;

export type FetchOptions = {
  etag?: string | null;
  lastModified?: string | null;
  allowPrivate?: boolean;
  /** Which resolved addresses to refuse (default: isPrivateAddress, unless allowPrivate). Tests narrow it. */
  isBlocked?: (address: string) => boolean;
  maxBytes?: number;
  timeoutMs?: number;
  userAgent?: string;
};

export type FetchOutcome =
  | { kind: "ok"; text: string; etag: string | null; lastModified: string | null; contentType: string; finalUrl: string }
  | { kind: "not-modified" }
  | { kind: "error"; error: string };

const blocked = new net.BlockList();
for (const [prefix, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(prefix, bits, "ipv4");
}
for (const [prefix, bits] of [
  ["::", 128],
  ["::1", 128],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
] as const) {
  blocked.addSubnet(prefix, bits, "ipv6");
}

/** The IPv4 address carried inside an IPv6 one (mapped, compatible, NAT64, 6to4), if any. */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:(?:0:)?|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const words = expandIpv6(lower);
  if (!words) return undefined;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible, deprecated), 64:ff9b::/96 (NAT64)
  if (words.slice(0, 5).every((w) => w === 0) && (words[5] === 0xffff || words[5] === 0)) return v4(words[6], words[7]);
  if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0)) return v4(words[6], words[7]);
  // 2002:AABB:CCDD::/48 (6to4)
  if (words[0] === 0x2002) return v4(words[1], words[2]);
  return undefined;
}

function expandIpv6(address: string): number[] | undefined {
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const parts = v4[1].split(".").map(Number);
    text = text.slice(0, -v4[1].length) + `${((parts[0] << 8) | parts[1]).toString(16)}:${((parts[2] << 8) | parts[3]).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const h = head ? head.split(":") : [];
  const t = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const fill = tail !== undefined ? 8 - h.length - t.length : 0;
  const all = [...h, ...Array<string>(Math.max(0, fill)).fill("0"), ...t];
  if (all.length !== 8) return undefined;
  const words = all.map((w) => parseInt(w, 16));
  return words.some((w) => !Number.isFinite(w) || w < 0 || w > 0xffff) ? undefined : words;
}

/** Whether an address is one a partner's public calendar can never live at. */
export function isPrivateAddress(address: string): boolean {
  const plain = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = net.isIP(plain);
  if (family === 4) return blocked.check(plain, "ipv4");
  if (family === 6) {
    const inner = embeddedIpv4(plain);
    if (inner !== undefined && net.isIPv4(inner)) return blocked.check(inner, "ipv4") || blocked.check(plain, "ipv6");
    return blocked.check(plain, "ipv6");
  }
  return true; // not an address at all: refuse
}

class FetchFailure extends Error {}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http.request that resolves, checks every answer, and hands back only checked ones. */
function guardedLookup(isBlocked: (address: string) => boolean, refused: { address?: string }) {
  return (hostname: string, options: { all?: boolean; family?: number } | number, callback: LookupCallback) => {
    const opts = typeof options === "number" ? { family: options } : options;
    dnsLookup(hostname, { all: true, family: opts.family ?? 0, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, "", 4);
      const list = addresses as LookupAddress[];
      const bad = list.find((a) => isBlocked(a.address));
      if (bad) {
        refused.address = bad.address;
        const e: NodeJS.ErrnoException = new Error(`refused private address ${bad.address}`);
        e.code = "EPRIVATE";
        return callback(e, "", 4);
      }
      if (list.length === 0) return callback(Object.assign(new Error("no address"), { code: "ENOTFOUND" }), "", 4);
      if (opts.all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

export async function fetchCalendar(address: string, options: FetchOptions = {}): Promise<FetchOutcome> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const seen = new Set<string>();
  let current = address;
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (seen.has(current)) throw new FetchFailure("The address redirects in a loop, so the calendar could not be fetched.");
      seen.add(current);
      const response = await requestOnce(current, { ...options, maxBytes, deadline });
      if (response.kind === "redirect") {
        current = response.location;
        continue;
      }
      return response;
    }
    throw new FetchFailure(`The address redirected more than ${MAX_REDIRECTS} times, so the calendar could not be fetched.`);
  } catch (error) {
    return { kind: "error", error: error instanceof FetchFailure ? error.message : "The calendar could not be fetched." };
  }
}

type Hop = FetchOutcome | { kind: "redirect"; location: string };

function requestOnce(address: string, o: FetchOptions & { maxBytes: number; deadline: number }): Promise<Hop> {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return Promise.reject(new FetchFailure("The calendar's address is not a valid web address."));
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return Promise.reject(new FetchFailure("The calendar's address must start with https:// or http://."));
  if (url.username || url.password) return Promise.reject(new FetchFailure("The calendar's address must not contain a user name or password."));
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const isBlocked = o.isBlocked ?? (o.allowPrivate ? () => false : isPrivateAddress);
  // An address typed as an IP literal never reaches `lookup`, so it is checked here.
  if (net.isIP(host) && isBlocked(host)) {
    return Promise.reject(new FetchFailure(privateMessage(host)));
  }
  const remaining = o.deadline - Date.now();
  if (remaining <= 0) return Promise.reject(new FetchFailure(timeoutMessage()));
  const refused: { address?: string } = {};
  const headers: Record<string, string> = {
    Accept: "text/calendar, text/plain;q=0.5, */*;q=0.1",
    "Accept-Encoding": "identity",
    "User-Agent": o.userAgent ?? "Roundtable calendar import",
  };
  if (o.etag) headers["If-None-Match"] = o.etag;
  if (o.lastModified) headers["If-Modified-Since"] = o.lastModified;

  return new Promise<Hop>((resolve, reject) => {
    const lib = url.protocol === "https:" ? https : http;
    let settled = false;
    const fail = (error: FetchFailure) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(error);
    };
    const timer = setTimeout(() => fail(new FetchFailure(timeoutMessage())), remaining);
    const req = lib.request(url, { method: "GET", headers, lookup: guardedLookup(isBlocked, refused) as unknown as typeof dnsLookup, agent: false }, (res) => {
      const status = res.statusCode ?? 0;
      if ([301, 302, 303, 307, 308].includes(status)) {
        res.resume();
        const location = res.headers.location;
        if (!location) return fail(new FetchFailure(`The calendar's server answered with a redirect (${status}) but no new address.`));
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          return fail(new FetchFailure("The calendar's server redirected to an address that is not valid."));
        }
        settled = true;
        clearTimeout(timer);
        resolve({ kind: "redirect", location: next.href });
        return;
      }
      if (status === 304) {
        res.resume();
        settled = true;
        clearTimeout(timer);
        resolve({ kind: "not-modified" });
        return;
      }
      if (status < 200 || status >= 300) {
        res.resume();
        return fail(new FetchFailure(statusMessage(status)));
      }
      const contentType = String(res.headers["content-type"] ?? "").toLowerCase();
      if (/^text\/html|^application\/xhtml/.test(contentType)) {
        res.resume();
        return fail(new FetchFailure("The address returned a web page, not a calendar. Check that you copied the calendar's iCal (.ics) link rather than the page that shows it."));
      }
      const declared = Number(res.headers["content-length"] ?? "NaN");
      if (Number.isFinite(declared) && declared > o.maxBytes) return fail(new FetchFailure(tooBigMessage(o.maxBytes)));
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > o.maxBytes) return fail(new FetchFailure(tooBigMessage(o.maxBytes)));
        chunks.push(chunk);
      });
      res.on("error", () => fail(new FetchFailure("The connection to the calendar's server broke off.")));
      res.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({
          kind: "ok",
          text: new TextDecoder("utf-8").decode(Buffer.concat(chunks)),
          etag: typeof res.headers.etag === "string" ? res.headers.etag : null,
          lastModified: typeof res.headers["last-modified"] === "string" ? res.headers["last-modified"] : null,
          contentType,
          finalUrl: url.href,
        });
      });
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (refused.address) return fail(new FetchFailure(privateMessage(refused.address)));
      if (error.code === "ENOTFOUND" || error.code === "EAI_AGAIN") return fail(new FetchFailure(`The calendar's server (${url.hostname}) could not be found. Check the address.`));
      if (error.code === "ECONNREFUSED") return fail(new FetchFailure("The calendar's server refused the connection."));
      if (error.code?.startsWith("ERR_TLS") || error.code?.includes("CERT")) return fail(new FetchFailure("The calendar's server has a security certificate problem, so it was not trusted."));
      fail(new FetchFailure("The calendar could not be fetched: the connection failed."));
    });
    req.end();
  });
}

function privateMessage(address: string): string {
  return `The address leads to a private or local network (${address}), which Roundtable does not fetch from. Use the calendar's public address.`;
}
function timeoutMessage(): string {
  return "The calendar's server took too long to answer; we will try again at the next import.";
}
function tooBigMessage(max: number): string {
  return `The calendar is larger than ${Math.round(max / 1024 / 1024)} MB, so it was not imported.`;
}
function statusMessage(status: number): string {
  if (status === 404 || status === 410) return `No calendar was found at this address (the server said ${status}). Check the address.`;
  if (status === 401 || status === 403) return `The calendar is not public (the server said ${status}). Use its public or secret iCal address.`;
  if (status >= 500) return `The calendar's server had a problem (it said ${status}); we will try again at the next import.`;
  return `The calendar's server answered ${status} instead of the calendar.`;
}
