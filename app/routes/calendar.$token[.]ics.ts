import type { LoaderFunctionArgs } from "@remix-run/node";
import { feedResponse, personalScope } from "~/models/events/feeds.server";

/**
 * The private personal feed: the account's registrations and the events of organisations it
 * follows (members-only ones of its networks included). The token in the URL is the only
 * credential; unknown and revoked tokens answer 404, and responses are never shared caches'.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const scope = await personalScope(token);
  if (!scope) return new Response("Not found", { status: 404, headers: { "Cache-Control": "no-store" } });
  const res = await feedResponse(request, scope, { path: `/calendar/${token}.ics`, pagePath: "/account/calendar", cacheControl: "private, max-age=300" });
  res.headers.set("Referrer-Policy", "no-referrer");
  res.headers.set("X-Robots-Tag", "noindex");
  return res;
}
