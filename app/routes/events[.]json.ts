import type { LoaderFunctionArgs } from "@remix-run/node";
import { upcomingEventsJsonResponse } from "~/models/events/schema-org.server";
import { env } from "~/utils/env.server";

/** Upcoming public events as schema.org Event items: ?network=&organisation=&topic=&kind=&limit= (1–100). */
export async function loader({ request }: LoaderFunctionArgs) {
  return upcomingEventsJsonResponse(request, env().APP_URL);
}
