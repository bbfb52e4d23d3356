import type { LoaderFunctionArgs } from "@remix-run/node";
import { feedResponse } from "~/models/events/feeds.server";
import { getNetworkBySlug } from "~/models/networks.server";

/** A network's public events. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const network = await getNetworkBySlug(params.slug ?? "");
  if (!network) return new Response("Not found", { status: 404 });
  return feedResponse(
    request,
    { kind: "network", networkId: network.id, name: network.name, slug: network.slug },
    { path: `/networks/${network.slug}/events.ics`, pagePath: `/events?network=${network.slug}`, cacheControl: "public, max-age=300" },
  );
}
