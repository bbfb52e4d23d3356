import type { LoaderFunctionArgs } from "@remix-run/node";
import { attendeesCsv, listAttendees } from "~/models/events/registrations.server";
import { requireUser } from "~/utils/auth.server";

/** The attendee list of one date as CSV, for the event's organisers only (404 for anyone else). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) return new Response("Not found", { status: 404 });
  const user = await requireUser(request);
  const occurrence = (new URL(request.url).searchParams.get("occurrence") ?? "").slice(0, 40);
  const list = await listAttendees({ user, eventId: id, occurrence });
  if (!list) return new Response("Not found", { status: 404 });
  return new Response(`\uFEFF${attendeesCsv(list.rows)}`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="event-${id}-attendees.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
