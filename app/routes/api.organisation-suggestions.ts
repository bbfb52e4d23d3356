import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { suggestOrganisations } from "~/models/organisations.server";

/**
 * Suggestions for the typed organisation filters: up to ten approved organisations whose name
 * contains ?q= (public names only); ?events=1 keeps those that organise events.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const suggestions = await suggestOrganisations({ q: (params.get("q") ?? "").slice(0, 100), organisingEvents: params.get("events") === "1" });
  return json({ suggestions }, { headers: { "Cache-Control": "public, max-age=300" } });
}
