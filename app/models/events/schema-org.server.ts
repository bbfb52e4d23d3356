// Upcoming public events as schema.org Event items (JSON-LD), for partners who build their own
// listings: /events.json with the same filters as /events and /embed/events.

import { createHash } from "node:crypto";
import { isoWithOffset } from "../../utils/event-time";
import { notModified } from "../../utils/http.server";
import { listUpcoming, resolveFilters, type OccurrenceItem } from "./queries.server";

export const JSON_DEFAULT_LIMIT = 50;
export const JSON_MAX_LIMIT = 100;

const STATUS: Record<string, string> = {
  scheduled: "https://schema.org/EventScheduled",
  postponed: "https://schema.org/EventPostponed",
  cancelled: "https://schema.org/EventCancelled",
};

export function schemaOrgEvent(i: OccurrenceItem, appUrl: string) {
  const url = `${appUrl}${i.url}`;
  return {
    "@type": "Event",
    name: i.title,
    startDate: isoWithOffset(i.startLocal),
    endDate: isoWithOffset(i.endLocal),
    eventStatus: STATUS[i.status] ?? STATUS.scheduled,
    eventAttendanceMode: i.online ? "https://schema.org/OnlineEventAttendanceMode" : "https://schema.org/OfflineEventAttendanceMode",
    location: i.online ? { "@type": "VirtualLocation", url } : { "@type": "Place", name: i.place },
    organizer: { "@type": "Organization", name: i.organisationName ?? i.networkName },
    url,
    keywords: i.kindLabel,
  };
}

/** The JSON response: public events only (no session), CORS open, cached, with an ETag for 304s. */
export async function upcomingEventsJsonResponse(request: Request, appUrl: string, now = new Date()): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const { filters } = await resolveFilters(params);
  const asked = Number(params.get("limit"));
  const limit = Number.isInteger(asked) && asked >= 1 ? Math.min(asked, JSON_MAX_LIMIT) : JSON_DEFAULT_LIMIT;
  const { items } = await listUpcoming({ user: null, filters, from: now, perPage: limit });
  const body = JSON.stringify({
    "@context": "https://schema.org",
    "@type": "ItemList",
    numberOfItems: items.length,
    itemListElement: items.filter((i) => i.status !== "draft").map((i, n) => ({ "@type": "ListItem", position: n + 1, item: schemaOrgEvent(i, appUrl) })),
  });
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  const headers = {
    "Content-Type": "application/ld+json; charset=utf-8",
    "Access-Control-Allow-Origin": "*",
    "Cache-Control": "public, max-age=300",
    ETag: etag,
    Vary: "Accept-Encoding",
  };
  if (notModified(request, etag)) return new Response(null, { status: 304, headers });
  return new Response(body, { headers });
}
