import fs from "node:fs";
import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDownloadableFile } from "~/models/resources.server";
import { storagePath } from "~/models/resource-files.server";
import { getOptionalUser } from "~/utils/auth.server";
import { ALLOWED_CONTENT_TYPES, contentDisposition } from "~/utils/file-sniff.server";
import { notModified } from "~/utils/http.server";

/**
 * Serves a stored file after checking the viewer may see its resource: always
 * as an attachment, with the type recorded at upload (from its bytes), nosniff,
 * and a sandboxing CSP in case a browser ever renders it anyway.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const id = Number(params.id);
  const v = new URL(request.url).searchParams.get("version");
  const version = v && /^\d{1,6}$/.test(v) ? Number(v) : undefined;
  if (v && !version) throw new Response("Not found", { status: 404 });
  const file = await getDownloadableFile({ id, version, user });
  if (!file) throw new Response("Not found", { status: 404 });
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(storagePath(file.storage_id));
  } catch {
    throw new Response("Not found", { status: 404 });
  }
  const etag = `"${file.sha256}"`;
  const headers = new Headers({
    "Content-Type": ALLOWED_CONTENT_TYPES.has(file.content_type) ? file.content_type : "application/octet-stream",
    "Content-Disposition": contentDisposition(file.original_filename),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "Cross-Origin-Resource-Policy": "same-origin",
    // Members-only files must not sit in shared caches.
    "Cache-Control": file.visibility === "public" ? "public, max-age=300" : "private, no-store",
    ETag: etag,
  });
  if (notModified(request, etag)) return new Response(null, { status: 304, headers });
  headers.set("Content-Length", String(stat.size));
  const stream = Readable.toWeb(fs.createReadStream(storagePath(file.storage_id))) as ReadableStream<Uint8Array>;
  return new Response(stream, { status: 200, headers });
}
