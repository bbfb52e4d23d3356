import type { LoaderFunctionArgs } from "@remix-run/node";
import { getLogoForViewer } from "~/models/organisations.server";
import { getOptionalUser } from "~/utils/auth.server";

/**
 * An organisation's logo, for whoever may see its page (a pending one's proposer and admins too).
 * Only types checked by their bytes on upload, never sniffed.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const logo = await getLogoForViewer(params.slug ?? "", await getOptionalUser(request));
  if (!logo) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(new Uint8Array(logo.data), {
    headers: {
      "Content-Type": logo.content_type,
      "X-Content-Type-Options": "nosniff",
      "Content-Disposition": "inline",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      // A pending organisation's logo is for its signed-in viewers only: no shared cache keeps it.
      "Cache-Control": logo.public ? "public, max-age=300" : "private, no-store",
      ETag: `"${Buffer.from(logo.updated_at).toString("base64url")}"`,
    },
  });
}
