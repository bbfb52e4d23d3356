import { promisify } from "node:util";
import zlib from "node:zlib";

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

export type Encoding = "br" | "gzip" | "identity";

/** Response headers a cached feed is served with again (everything else is per request). */
const KEPT_HEADERS = ["content-type", "cache-control", "etag", "last-modified", "content-disposition", "x-content-type-options"];

type Entry = {
  headers: Record<string, string>;
  body: Buffer;
  encoded: Partial<Record<Exclude<Encoding, "identity">, Promise<Buffer>>>;
};

/**
 * Built public feeds by ETag, with their gzip and brotli forms made once (off the main thread)
 * the first time a client asks for them. The ETag comes from the database's feed version, so an
 * entry is never stale: a changed feed has a new ETag and the old entry simply ages out.
 */
export class FeedCache {
  private entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private maxBytes = 64 * 1024 * 1024) {}

  headersOf(etag: string): Record<string, string> | undefined {
    return this.entries.get(etag)?.headers;
  }

  store(etag: string, headers: Record<string, string | number | string[] | undefined>, body: Buffer): void {
    if (this.entries.has(etag) || body.length > this.maxBytes / 4) return;
    const kept: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = headers[name];
      if (typeof value === "string") kept[name] = value;
    }
    this.entries.set(etag, { headers: kept, body, encoded: {} });
    this.bytes += body.length;
    for (const [key, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(key);
      this.bytes -= old.body.length;
    }
  }

  /** The body in the given encoding, or undefined when the feed is not cached. */
  async body(etag: string, encoding: Encoding): Promise<Buffer | undefined> {
    const entry = this.entries.get(etag);
    if (!entry) return undefined;
    if (encoding === "identity") return entry.body;
    entry.encoded[encoding] ??=
      encoding === "br"
        ? brotli(entry.body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 6, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: entry.body.length } })
        : gzip(entry.body, { level: 6 });
    return entry.encoded[encoding];
  }
}
