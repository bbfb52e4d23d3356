import type { LoaderFunctionArgs } from "@remix-run/node";
import { listOrukServices, orukJson } from "~/models/openreferral.server";

/** Open Referral UK: a page of services (page, per_page, search, taxonomy_term_id, organization_id). */
export async function loader({ request }: LoaderFunctionArgs) {
  return orukJson(await listOrukServices(new URL(request.url).searchParams));
}
