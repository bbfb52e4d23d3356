import type { LoaderFunctionArgs } from "@remix-run/node";
import { getLogo } from "~/models/organisations.server";

/** An approved organisation's logo: only types checked by their bytes on upload, never sniffed. */
export async function loader({ params }: LoaderFunctionArgs) {
  const logo = await getLogo(params.slug ?? "");
  if (!logo) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(new Uint8Array(logo.data), {
    headers: {
      "Content-Type": logo.content_type,
      "X-Content-Type-Options": "nosniff",
      "Content-Disposition": "inline",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "public, max-age=300",
      ETag: `"${Buffer.from(logo.updated_at).toString("base64url")}"`,
    },
  });
}
