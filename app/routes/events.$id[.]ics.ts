import type { LoaderFunctionArgs } from "@remix-run/node";
import { getEventForViewer } from "~/models/events/queries.server";
import { singleEventIcs } from "~/models/events/feeds.server";
import { getOptionalUser } from "~/utils/auth.server";
import { feedEtag } from "~/utils/ical.server";
import { notModified } from "~/utils/http.server";
import { slugify } from "~/utils/text";

/** One event to add to a calendar (the "Download .ics" link). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) return new Response("Not found", { status: 404 });
  const user = await getOptionalUser(request);
  const details = await getEventForViewer({ id, user });
  if (!details || details.event.status === "draft") return new Response("Not found", { status: 404 });
  const { event } = details;
  const etag = feedEtag(["event", event.id, event.sequence, event.updated_at, event.visibility]);
  const headers = {
    "Content-Type": "text/calendar; charset=utf-8",
    "Content-Disposition": `attachment; filename="${slugify(event.title) || "event"}.ics"`,
    "Cache-Control": event.visibility === "public" ? "public, max-age=300" : "private, max-age=300",
    ETag: etag,
    "Last-Modified": new Date(event.updated_at).toUTCString(),
  };
  if (notModified(request, etag, new Date(event.updated_at))) return new Response(null, { status: 304, headers });
  return new Response(singleEventIcs(details), { headers });
}
