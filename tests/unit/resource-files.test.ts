import { describe, expect, it } from "vitest";
import { contentDisposition, sanitiseFilename, sniffFileType } from "../../app/utils/file-sniff.server";
import { buildSimplePdf } from "../../db/seed/pdf";

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))));

/** A tiny ZIP with stored (uncompressed) entries and a central directory, like Office and ODF files. */
function zip(entries: Array<[string, string]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const n = Buffer.from(name, "latin1");
    const d = Buffer.from(data, "latin1");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(0, 8);
    local.writeUInt32LE(d.length, 18);
    local.writeUInt32LE(d.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(d.length, 20);
    central.writeUInt32LE(d.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, d);
    centrals.push(central, n);
    offset += 30 + n.length + d.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

const sniff = (b: Buffer, filename?: string) => sniffFileType(b.subarray(0, 4096), { filename, tail: b, size: b.length })?.contentType ?? null;

describe("sniffFileType (content, not name)", () => {
  it("recognises each accepted type by its bytes", () => {
    expect(sniff(buildSimplePdf(["hello"]))).toBe("application/pdf");
    expect(sniff(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "rest"))).toBe("image/png");
    expect(sniff(bytes([0xff, 0xd8, 0xff, 0xe0], "JFIF"))).toBe("image/jpeg");
    expect(sniff(bytes("GIF89a", [1, 0, 1, 0]))).toBe("image/gif");
    expect(sniff(bytes("RIFF", [0, 0, 0, 0], "WEBPVP8 "))).toBe("image/webp");
    expect(sniff(bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], "x"), "sheet.xls")).toBe("application/vnd.ms-excel");
    expect(sniff(bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], "x"), "report.doc")).toBe("application/msword");
    expect(sniff(zip([["[Content_Types].xml", "<Types/>"], ["word/document.xml", "<w/>"]]))).toContain("wordprocessingml");
    expect(sniff(zip([["_rels/.rels", "<r/>"], ["xl/workbook.xml", "<w/>"], ["[Content_Types].xml", "<Types/>"]]))).toContain("spreadsheetml");
    expect(sniff(zip([["[Content_Types].xml", "<Types/>"], ["ppt/presentation.xml", "<p/>"]]))).toContain("presentationml");
    expect(sniff(zip([["mimetype", "application/vnd.oasis.opendocument.text"], ["content.xml", "<x/>"]]))).toBe("application/vnd.oasis.opendocument.text");
  });

  it("refuses HTML, SVG and scripts whatever they are called", () => {
    expect(sniff(Buffer.from("<!DOCTYPE html><html><script>alert(1)</script>"), "report.pdf")).toBeNull();
    expect(sniff(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), "report.pdf")).toBeNull();
    expect(sniff(Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'), "image.png")).toBeNull();
    expect(sniff(Buffer.from("%PDF-1.4\n<html><script>alert(1)</script></html>"), "x.pdf")).toBeNull();
    expect(sniff(Buffer.from("   %PDF-1.4"), "x.pdf")).toBeNull();
    expect(sniff(Buffer.from("alert(document.cookie)"), "x.pdf")).toBeNull();
    expect(sniff(Buffer.from("MZ\x90\x00", "latin1"), "x.pdf")).toBeNull();
    expect(sniff(zip([["evil.exe", "MZ"]]), "x.docx")).toBeNull();
    expect(sniff(Buffer.alloc(0), "x.pdf")).toBeNull();
  });
});

describe("sanitiseFilename", () => {
  it("keeps only a harmless display name", () => {
    expect(sanitiseFilename("../../etc/passwd")).toBe("passwd");
    expect(sanitiseFilename("..\\..\\windows\\win.ini")).toBe("win.ini");
    expect(sanitiseFilename("report\r\nSet-Cookie: x=1.pdf")).toBe("reportSet-Cookie_ x=1.pdf");
    expect(sanitiseFilename(".htaccess")).toBe("htaccess");
    expect(sanitiseFilename("")).toBe("download");
    expect(sanitiseFilename("a".repeat(500) + ".pdf").length).toBeLessThanOrEqual(150);
    expect(sanitiseFilename("Social prescribing at a glance.pdf")).toBe("Social prescribing at a glance.pdf");
  });

  it("ends in the extension of what the bytes are", () => {
    const pdf = sniffFileType(buildSimplePdf(["x"]))!;
    expect(sanitiseFilename("notes.html", pdf)).toBe("notes.html.pdf");
    expect(sanitiseFilename("notes.PDF", pdf)).toBe("notes.PDF");
  });
});

describe("contentDisposition (RFC 6266 / 5987)", () => {
  it("always an attachment, with an ASCII fallback and the exact UTF-8 name", () => {
    expect(contentDisposition("Creative Health.pdf")).toBe(`attachment; filename="Creative Health.pdf"; filename*=UTF-8''Creative%20Health.pdf`);
    const h = contentDisposition('Café "quotes"; evil\r\nX-Injected: 1.pdf');
    expect(h).not.toMatch(/[\r\n]/);
    expect(h.startsWith("attachment; ")).toBe(true);
    const fallback = /filename="([^"]*)"/.exec(h)![1];
    expect(fallback).toMatch(/^[\x20-\x7E]+$/);
    expect(fallback).not.toContain('"');
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(h)![1])).toBe("Café _quotes_; evilX-Injected_ 1.pdf");
    expect(contentDisposition("../../secret.pdf")).toContain('filename="secret.pdf"');
  });
});
