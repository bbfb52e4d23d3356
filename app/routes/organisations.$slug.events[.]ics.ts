import type { LoaderFunctionArgs } from "@remix-run/node";
import { feedResponse } from "~/models/events/feeds.server";
import { getOrganisationBySlug } from "~/models/organisations.server";

/** The public events an organisation organises. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const org = await getOrganisationBySlug(params.slug ?? "");
  if (!org) return new Response("Not found", { status: 404 });
  return feedResponse(
    request,
    { kind: "organisation", organisationId: org.id, name: org.name, slug: org.slug },
    { path: `/organisations/${org.slug}/events.ics`, pagePath: `/events?organisation=${org.slug}`, cacheControl: "public, max-age=300" },
  );
}
