import type { LoaderFunctionArgs } from "@remix-run/node";
import { resolveFilters } from "~/models/events/queries.server";
import { feedResponse } from "~/models/events/feeds.server";
import { topicLabel } from "~/utils/vocab";

/** All public events (or one topic's: /events.ics?topic=dementia). Never drafts or members-only events. */
export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const topic = params.get("topic");
  if (topic !== null) {
    if (topicLabel(topic) === topic) return new Response("Not found", { status: 404 });
    const { feedScope } = await resolveFilters(new URLSearchParams({ topic }));
    return feedResponse(request, feedScope, { path: `/events.ics?topic=${encodeURIComponent(topic)}`, pagePath: `/events?topic=${encodeURIComponent(topic)}`, cacheControl: "public, max-age=300" });
  }
  return feedResponse(request, { kind: "all" }, { path: "/events.ics", pagePath: "/events", cacheControl: "public, max-age=300" });
}
