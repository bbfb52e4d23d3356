/**
 * Uploaded resource files: streamed to a temporary file under UPLOADS_DIR while
 * the bytes are counted (refused past the limit, with the partial file removed),
 * checked by their content, then moved under a random storage id. Stored files
 * live outside public/ and are only ever served by resources.$id.download.ts.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "../utils/env.server";
import { MAX_UPLOAD_BYTES, sanitiseFilename, sniffFileType, type SniffedType } from "../utils/file-sniff.server";

const HEAD_BYTES = 4096;
const TAIL_BYTES = 256 * 1024;
const MAX_TEXT_FIELD = 200_000;
const MAX_FIELDS = 200;
/** Room for the text fields and multipart framing on top of the file itself. */
const MAX_BODY_BYTES = MAX_UPLOAD_BYTES + 1024 * 1024;

export class UploadTooLargeError extends Error {
  constructor() {
    super("The file is larger than 20 MB");
  }
}

export type TempUpload = {
  tempPath: string;
  originalFilename: string;
  size: number;
  sha256: string;
  type: SniffedType | null;
};

export type ParsedUpload = { formData: FormData; file: TempUpload | null };

function uploadsRoot(): string {
  return path.resolve(env().UPLOADS_DIR);
}
export function tempDir(): string {
  return path.join(uploadsRoot(), "tmp");
}
function storeDir(): string {
  return path.join(uploadsRoot(), "resources");
}

/** Storage ids are 32 hex characters; anything else never reaches the file system. */
export function storagePath(storageId: string): string {
  if (!/^[a-f0-9]{32}$/.test(storageId)) throw new Error("bad storage id");
  return path.join(storeDir(), storageId);
}

async function readTail(file: string, size: number): Promise<Uint8Array> {
  const length = Math.min(size, TAIL_BYTES);
  const fh = await fs.promises.open(file, "r");
  try {
    const buf = Buffer.alloc(length);
    await fh.read(buf, 0, length, size - length);
    return buf;
  } finally {
    await fh.close();
  }
}

/** Streams one file part to disk; throws UploadTooLargeError past the limit (the partial file is removed). */
async function streamToTemp(part: { filename: string; data: AsyncIterable<Uint8Array> }, limit: number): Promise<TempUpload> {
  fs.mkdirSync(tempDir(), { recursive: true });
  const tempPath = path.join(tempDir(), `${randomBytes(16).toString("hex")}.part`);
  const out = fs.createWriteStream(tempPath, { flags: "wx", mode: 0o600 });
  const hash = createHash("sha256");
  const headChunks: Buffer[] = [];
  let headLength = 0;
  let size = 0;
  try {
    for await (const chunk of part.data) {
      size += chunk.byteLength;
      if (size > limit) throw new UploadTooLargeError();
      hash.update(chunk);
      if (headLength < HEAD_BYTES) {
        headChunks.push(Buffer.from(chunk));
        headLength += chunk.byteLength;
      }
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", resolve));
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  } catch (error) {
    out.destroy();
    await fs.promises.rm(tempPath, { force: true });
    throw error;
  }
  const head = Buffer.concat(headChunks).subarray(0, HEAD_BYTES);
  const tail = size > 0 ? await readTail(tempPath, size) : null;
  const type = size > 0 ? sniffFileType(head, { filename: part.filename, tail, size }) : null;
  return { tempPath, originalFilename: sanitiseFilename(part.filename, type ?? undefined), size, sha256: hash.digest("hex"), type };
}

async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

/**
 * Parses a multipart form with at most one file (in the field `fileField`).
 * Text fields are kept even when the file is refused, so the form can be shown
 * again with what was typed. On UploadTooLargeError no temporary file remains.
 *
 * The platform's own parser (undici) reads the form: it follows RFC 7578, so a
 * file called "Q1; Q2 = report.pdf" arrives intact (Remix's parser split its
 * header at the ";" and failed). It holds the body in memory, which is why the
 * body is refused above MAX_BODY_BYTES before a byte is read, here and at the
 * server's edge (app/server.ts). A body that is not valid multipart is answered
 * 400, never a server error.
 */
export async function parseUploadForm(request: Request, { fileField = "file", limit = MAX_UPLOAD_BYTES } = {}): Promise<ParsedUpload & { tooLarge: boolean; fields: FormData }> {
  const fields = new FormData();
  const declared = Number(request.headers.get("Content-Length") ?? "");
  if (Number.isFinite(declared) && declared > limit + (MAX_BODY_BYTES - MAX_UPLOAD_BYTES)) {
    // Refused before reading a byte of the body.
    return { formData: fields, fields, file: null, tooLarge: true };
  }
  let parsed: FormData;
  try {
    parsed = await request.formData();
  } catch {
    throw new Response("The form could not be read. Please try again.", { status: 400 });
  }
  let file: TempUpload | null = null;
  let fieldCount = 0;
  try {
    for (const [name, value] of parsed.entries()) {
      if (++fieldCount > MAX_FIELDS) throw new UploadTooLargeError();
      if (typeof value !== "string") {
        if (name !== fileField || file || value.name === "" || value.size === 0) continue;
        if (value.size > limit) throw new UploadTooLargeError();
        file = await streamToTemp({ filename: value.name, data: chunksOf(value.stream()) }, limit);
        continue;
      }
      if (value.length > MAX_TEXT_FIELD) throw new UploadTooLargeError();
      fields.append(name, value);
    }
  } catch (error) {
    const uploaded: TempUpload | null = file;
    if (uploaded) await discardTemp(uploaded);
    if (error instanceof UploadTooLargeError) return { formData: fields, fields, file: null, tooLarge: true };
    throw error;
  }
  const formData = new FormData();
  for (const [name, value] of fields.entries()) formData.append(name, value);
  if (file) formData.append(fileField, "uploaded");
  return { formData, fields, file, tooLarge: false };
}

export async function discardTemp(upload: TempUpload | null): Promise<void> {
  if (upload) await fs.promises.rm(upload.tempPath, { force: true });
}

/** Moves a checked temporary upload to its permanent, random name. */
export async function storeTemp(upload: TempUpload): Promise<string> {
  const storageId = randomBytes(16).toString("hex");
  fs.mkdirSync(storeDir(), { recursive: true });
  await fs.promises.rename(upload.tempPath, storagePath(storageId));
  return storageId;
}

/** Removes stored bytes (after a failed insert). */
export async function removeStored(storageId: string): Promise<void> {
  await fs.promises.rm(storagePath(storageId), { force: true });
}

/** Stores bytes given directly (demo data, tests). */
export async function storeBytes(bytes: Uint8Array, filename: string): Promise<{ storageId: string; type: SniffedType; size: number; sha256: string; originalFilename: string } | null> {
  const type = sniffFileType(bytes.subarray(0, HEAD_BYTES), { filename, tail: bytes.subarray(Math.max(0, bytes.length - TAIL_BYTES)), size: bytes.length });
  if (!type) return null;
  const storageId = randomBytes(16).toString("hex");
  fs.mkdirSync(storeDir(), { recursive: true });
  await fs.promises.writeFile(storagePath(storageId), bytes, { flag: "wx", mode: 0o600 });
  return { storageId, type, size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex"), originalFilename: sanitiseFilename(filename, type) };
}
