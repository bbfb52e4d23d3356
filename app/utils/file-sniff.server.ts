/**
 * What an uploaded file really is, judged by its bytes (never by its name or
 * the browser's Content-Type), and safe ways to name it back to a browser.
 * Pure functions: the streaming and storage live in app/models/resource-files.server.ts.
 */

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export type SniffedType = { contentType: string; extension: string; label: string };

const PDF: SniffedType = { contentType: "application/pdf", extension: "pdf", label: "PDF" };
const PNG: SniffedType = { contentType: "image/png", extension: "png", label: "PNG image" };
const JPEG: SniffedType = { contentType: "image/jpeg", extension: "jpg", label: "JPEG image" };
const GIF: SniffedType = { contentType: "image/gif", extension: "gif", label: "GIF image" };
const WEBP: SniffedType = { contentType: "image/webp", extension: "webp", label: "WebP image" };
const DOCX: SniffedType = { contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", extension: "docx", label: "Word document" };
const XLSX: SniffedType = { contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", extension: "xlsx", label: "Excel spreadsheet" };
const PPTX: SniffedType = { contentType: "application/vnd.openxmlformats-officedocument.presentationml.presentation", extension: "pptx", label: "PowerPoint presentation" };
const DOC: SniffedType = { contentType: "application/msword", extension: "doc", label: "Word document" };
const XLS: SniffedType = { contentType: "application/vnd.ms-excel", extension: "xls", label: "Excel spreadsheet" };
const PPT: SniffedType = { contentType: "application/vnd.ms-powerpoint", extension: "ppt", label: "PowerPoint presentation" };
const ODF: Record<string, SniffedType> = {
  "application/vnd.oasis.opendocument.text": { contentType: "application/vnd.oasis.opendocument.text", extension: "odt", label: "OpenDocument text" },
  "application/vnd.oasis.opendocument.spreadsheet": { contentType: "application/vnd.oasis.opendocument.spreadsheet", extension: "ods", label: "OpenDocument spreadsheet" },
  "application/vnd.oasis.opendocument.presentation": { contentType: "application/vnd.oasis.opendocument.presentation", extension: "odp", label: "OpenDocument presentation" },
};

/** Every content type we ever store, so the download route never serves anything else. */
export const ALLOWED_CONTENT_TYPES = new Set([PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, DOC, XLS, PPT, ...Object.values(ODF)].map((t) => t.contentType));

export const ACCEPT_ATTRIBUTE = ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.png,.jpg,.jpeg,.gif,.webp";

function startsWith(buf: Uint8Array, bytes: number[], offset = 0): boolean {
  if (buf.length < offset + bytes.length) return false;
  return bytes.every((b, i) => buf[offset + i] === b);
}

function ascii(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, Math.max(0, Math.min(end, buf.length) - start)).toString("latin1");
}

/**
 * Markup that a browser might render if it ever sniffed the file: refused even
 * behind a valid signature (a "PDF" that starts "%PDF-" and then "<html>").
 */
function looksLikeMarkup(head: Uint8Array): boolean {
  const text = ascii(head, 0, Math.min(head.length, 1024)).toLowerCase();
  return /<(?:!doctype\s+html|html[\s>]|script[\s>]|svg[\s>]|\?xml-stylesheet|iframe[\s>]|body[\s>])/.test(text);
}

export type ZipEntries = { first: { name: string; data: string } | null; names: string[] };

/**
 * Reads a ZIP's first local file header and, when the tail is given, the names in
 * its central directory. Enough to tell OOXML ([Content_Types].xml + word/, xl/,
 * ppt/) from ODF (a first, stored "mimetype" entry) from any other ZIP.
 */
export function readZipEntries(head: Uint8Array, tail: Uint8Array | null, totalSize: number): ZipEntries {
  let first: ZipEntries["first"] = null;
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) && head.length >= 30) {
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const method = view.getUint16(8, true);
    const compressedSize = view.getUint32(18, true);
    const nameLen = view.getUint16(26, true);
    const extraLen = view.getUint16(28, true);
    const name = ascii(head, 30, 30 + nameLen);
    const dataStart = 30 + nameLen + extraLen;
    const data = method === 0 ? ascii(head, dataStart, dataStart + Math.min(compressedSize, 200)) : "";
    first = { name, data };
  }
  const names: string[] = [];
  if (tail && tail.length >= 22) {
    const tailStart = totalSize - tail.length;
    const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
    for (let i = tail.length - 22; i >= 0; i--) {
      if (view.getUint32(i, true) !== 0x06054b50) continue;
      const entries = view.getUint16(i + 10, true);
      const cdOffset = view.getUint32(i + 16, true);
      let p = cdOffset - tailStart;
      for (let n = 0; n < entries && p >= 0 && p + 46 <= tail.length; n++) {
        if (view.getUint32(p, true) !== 0x02014b50) break;
        const nameLen = view.getUint16(p + 28, true);
        const extraLen = view.getUint16(p + 30, true);
        const commentLen = view.getUint16(p + 32, true);
        names.push(ascii(tail, p + 46, p + 46 + nameLen));
        p += 46 + nameLen + extraLen + commentLen;
      }
      break;
    }
  }
  return { first, names };
}

/**
 * The file's type from its leading bytes (and, for ZIP containers, its entry
 * names), or null when it is not one we accept. The name only chooses between
 * the three legacy Office formats, which share one OLE2 signature.
 */
export function sniffFileType(head: Uint8Array, opts: { filename?: string; tail?: Uint8Array | null; size?: number } = {}): SniffedType | null {
  if (head.length === 0) return null;
  if (looksLikeMarkup(head)) return null;
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return PDF; // %PDF-
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
  if (startsWith(head, [0xff, 0xd8, 0xff])) return JPEG;
  if (ascii(head, 0, 6) === "GIF87a" || ascii(head, 0, 6) === "GIF89a") return GIF;
  if (ascii(head, 0, 4) === "RIFF" && ascii(head, 8, 12) === "WEBP") return WEBP;
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    const ext = extensionOf(opts.filename ?? "");
    if (ext === "xls") return XLS;
    if (ext === "ppt" || ext === "pps") return PPT;
    return DOC;
  }
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    const { first, names } = readZipEntries(head, opts.tail ?? null, opts.size ?? head.length);
    if (first?.name === "mimetype" && ODF[first.data.trim()]) return ODF[first.data.trim()];
    const all = first ? [first.name, ...names] : names;
    if (all.includes("[Content_Types].xml")) {
      if (all.some((n) => n.startsWith("word/"))) return DOCX;
      if (all.some((n) => n.startsWith("xl/"))) return XLSX;
      if (all.some((n) => n.startsWith("ppt/"))) return PPTX;
    }
    return null;
  }
  return null;
}

function extensionOf(name: string): string {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(name);
  return m ? m[1].toLowerCase() : "";
}

/**
 * A display name for an uploaded file: no folders (`../`, `C:\`), no control
 * characters (CR/LF could split a header), no leading dots, bounded length, and
 * ending in the extension of what the bytes really are. Never used as a path.
 */
export function sanitiseFilename(raw: string | null | undefined, type?: SniffedType): string {
  let name = (raw ?? "").normalize("NFC");
  name = name.split(/[/\\]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex
  name = name.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g, "");
  name = name.replace(/["<>:|?*]/g, "_").replace(/\s+/g, " ").trim();
  name = name.replace(/^[.\s]+/, "").replace(/[.\s]+$/, "");
  if (Array.from(name).length > 150) {
    const ext = extensionOf(name);
    const stem = Array.from(name).slice(0, 140).join("");
    name = ext ? `${stem}.${ext}` : stem;
  }
  if (!name) name = "download";
  if (type) {
    const ext = extensionOf(name);
    const ok = ext === type.extension || (type.extension === "jpg" && ext === "jpeg") || (type.extension === "ppt" && ext === "pps");
    if (!ok) name = `${name}.${type.extension}`;
  }
  return name;
}

/**
 * RFC 6266 Content-Disposition: an ASCII fallback in filename="…" for old
 * clients, and the exact UTF-8 name in filename*=UTF-8''… (RFC 5987 / 8187).
 */
export function contentDisposition(filename: string, disposition: "attachment" | "inline" = "attachment"): string {
  const clean = sanitiseFilename(filename);
  const fallback = clean
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[^\x20-\x7E]/g, "_")
    .replace(/["\\%;]/g, "_");
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
